//! Planning of HTTP range and conditional responses for progressive streaming (RFC 9110
//! §13 and §14). Pure: it decides status and headers; the server streams the bytes.

mod conditional;
mod etag;
mod plan;
mod range;

pub use etag::EntityTag;
pub use plan::{Plan, Representation, plan, response_headers};
pub use range::ByteSpan;
