//! HTTP plumbing every route shares: the error shape, extractors, the client's address,
//! and the bodies that send files without copying them.

pub mod client_address;
pub mod error;
pub mod extract;
pub mod file_body;
pub mod headers;
pub mod open_originals;
pub mod response_cache;
pub mod zero_copy;
