//! HTTP routes, one module per resource family.

pub mod admin;
pub mod catalog;
pub mod covers;
pub mod health;
pub mod me;
pub mod oauth;
pub mod openapi;
pub mod stream;
pub mod web_app;
