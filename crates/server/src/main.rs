use std::process::ExitCode;

use clap::Parser;
use tonearm_config::{FileSettings, Settings};
use tonearm_server::accounts;
use tonearm_server::cli::{Cli, Command, UserCommand};
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
        Command::User(command) => return manage_users(command, file).await,
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

async fn manage_users(command: &UserCommand, file: FileSettings) -> ExitCode {
    let result = match command {
        UserCommand::Add(args) => {
            let settings = Settings::resolve(file, args.store.overrides());
            accounts::add_user(&settings, args).await.map(|user| {
                println!("created {} <{}>: {}, {}", user.username, user.email, user.role.as_str(), user.tier.as_str());
            })
        }
        UserCommand::List(store) => {
            let settings = Settings::resolve(file, store.overrides());
            accounts::list_users(&settings).await.map(|users| {
                for user in users {
                    let disabled = if user.disabled { " (disabled)" } else { "" };
                    println!(
                        "{}\t{}\t{}\t{}{disabled}",
                        user.username,
                        user.email,
                        user.role.as_str(),
                        user.tier.as_str()
                    );
                }
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error @ accounts::AccountError::Invalid(_)) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
