//! The command line: its arguments (`args`), and what each subcommand does.

pub mod accounts;
pub mod args;
pub mod commands;
pub mod key_rotation;
pub mod recommend;
