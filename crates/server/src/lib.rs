//! The `tonearm` server: the only crate that knows HTTP. It maps requests to the services
//! of `tonearm_core` and their results and errors to responses; its folders are its parts:
//! `cli` (the command line), `app` (start-up, state, router, tasks), `http` (plumbing every
//! route shares), `auth` (OAuth and the access check) and `api` (the protocols' handlers).

mod api;
pub mod app;
pub mod auth;
pub mod cli;
mod http;

pub use app::{Application, Library, StartupError};
