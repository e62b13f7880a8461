//! The running server: start-up, the router and its middleware, the background tasks,
//! TLS, logs and shutdown.

pub(crate) mod request_id;
pub(crate) mod router;
pub(crate) mod shutdown;
pub(crate) mod startup;
pub(crate) mod tasks;
pub mod telemetry;
pub mod tls;
pub(crate) mod web_app;

pub use startup::{Application, StartupError};
