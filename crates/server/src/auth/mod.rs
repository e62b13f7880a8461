//! Who is calling and what they may do: the OAuth 2.0 authorization server (its state, its
//! routes, the signing keyring) and the access check every protected
//! route passes.

pub(crate) mod access;
pub(crate) mod authority;
pub(crate) mod keyring;
pub(crate) mod oauth;

pub mod verified_tokens;
