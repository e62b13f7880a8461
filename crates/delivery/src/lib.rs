//! Planning of HTTP range and conditional responses for progressive streaming (RFC 9110
//! §13 and §14; pure: it decides status and headers, the server streams the bytes), and the
//! object store produced media is kept in.

mod conditional;
mod etag;
pub mod object_store;
mod plan;
mod range;

pub use etag::EntityTag;
pub use object_store::{LocalObjectStore, ObjectBody, ObjectInfo, ObjectStore, ObjectStoreError, read_span};
pub use plan::{Plan, Representation, plan, response_headers};
pub use range::ByteSpan;
