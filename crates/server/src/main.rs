use std::process::ExitCode;

use clap::Parser;
use tonearm_config::{FileSettings, Settings};
use tonearm_server::cli::{Cli, Command};
use tonearm_server::{commands, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    let file = match cli.config.as_deref().map(FileSettings::load).transpose() {
        Ok(file) => file.unwrap_or_default(),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let result = match &cli.command {
        Command::Serve(args) => commands::serve(Settings::resolve(file, args.overrides())).await,
        Command::Scan(args) => commands::scan(Settings::resolve(file, args.overrides())).await.map(drop),
        Command::Demo(args) => commands::demo(Settings::resolve(file, args.overrides())).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "tonearm stopped");
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
