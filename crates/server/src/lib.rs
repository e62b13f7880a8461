//! The `tonearm` server: the only crate that knows HTTP. It maps requests to the services
//! of `tonearm_core` and their results and errors to responses; its folders are its parts:
//! `cli` (the command line), `app` (start-up, router, tasks), `api` (the protocols'
//! handlers), `auth` (OAuth and the access check), `http` (plumbing every route shares),
//! and `state`, what the handlers share.

mod api;
pub mod app;
pub mod auth;
pub mod cli;
mod http;
mod state;

pub use app::{Application, StartupError};
pub use state::Library;
