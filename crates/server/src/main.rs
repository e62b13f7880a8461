use std::process::ExitCode;

use clap::Parser;
use tonearm_config::{FileSettings, Overrides, Settings};
use tonearm_core::accounts::AccountError;
use tonearm_server::app::{telemetry, tls};
use tonearm_server::cli::accounts::{self, UserCommandError};
use tonearm_server::cli::args::{CertCommand, Cli, Command, KeysCommand, RecommendCommand, UserCommand};
use tonearm_server::cli::recommend::{eval, synth};
use tonearm_server::cli::{commands, key_rotation};

/// How a command failed: a message for the terminal and the exit code scripts see
/// (2: the input was wrong, 1: anything else).
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn usage(error: impl std::fmt::Display) -> Self {
        Self { code: 2, message: error.to_string() }
    }

    fn runtime(error: impl std::fmt::Display) -> Self {
        Self { code: 1, message: error.to_string() }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            tracing::error!(error = %failure.message, "tonearm stopped");
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let file = cli.config.as_deref().map(FileSettings::load).transpose().map_err(Failure::usage)?.unwrap_or_default();
    let settings = |overrides: Overrides| Settings::resolve(file.clone(), overrides).map_err(Failure::usage);
    match &cli.command {
        Command::Serve(args) => commands::serve(settings(args.overrides())?).await.map_err(Failure::runtime),
        Command::Scan(args) => commands::scan(settings(args.overrides())?).await.map(drop).map_err(Failure::runtime),
        Command::Demo(args) => {
            commands::demo(settings(args.overrides())?, args.demo_password.clone()).await.map_err(Failure::runtime)
        }
        Command::User(UserCommand::Add(args)) => {
            let user = accounts::add_user(&settings(args.store.overrides())?, args).await.map_err(account_failure)?;
            println!("created {} <{}>: {}, {}", user.username, user.email, user.role.as_str(), user.tier.as_str());
            Ok(())
        }
        Command::User(UserCommand::Set(args)) => {
            let user = accounts::set_user(&settings(args.store.overrides())?, args).await.map_err(account_failure)?;
            let disabled = if user.disabled { ", disabled" } else { "" };
            println!("{}: {}, {}{disabled}", user.username, user.role.as_str(), user.tier.as_str());
            Ok(())
        }
        Command::User(UserCommand::List(store)) => {
            for user in accounts::list_users(&settings(store.overrides())?).await.map_err(account_failure)? {
                let disabled = if user.disabled { " (disabled)" } else { "" };
                println!("{}\t{}\t{}\t{}{disabled}", user.username, user.email, user.role.as_str(), user.tier.as_str());
            }
            Ok(())
        }
        Command::Cert(CertCommand::Dev(args)) => {
            let files = tls::write_dev_certificate(&args.out_dir, &args.hosts).map_err(Failure::runtime)?;
            println!("wrote {} and {}", files.cert.display(), files.key.display());
            println!("serve with: tonearm serve --tls-cert {} --tls-key {}", files.cert.display(), files.key.display());
            Ok(())
        }
        Command::Transcode(args) => {
            let report = commands::transcode(settings(args.overrides())?, &args.tracks, args.top)
                .await
                .map_err(Failure::runtime)?;
            if report.failed > 0 {
                return Err(Failure::runtime(format!("{} tracks could not be transcoded", report.failed)));
            }
            Ok(())
        }
        Command::Keys(KeysCommand::Rotate(store)) => {
            let rotation = key_rotation::rotate(&settings(store.overrides())?).await.map_err(Failure::runtime)?;
            println!("added signing key {}; running servers sign with it within a minute", rotation.added);
            for kid in &rotation.removed {
                println!("removed superseded signing key {kid}");
            }
            Ok(())
        }
        Command::Recommend(RecommendCommand::Eval(args)) => {
            let json = args.json;
            let args = args.clone();
            let report = tokio::task::spawn_blocking(move || eval::run(&args))
                .await
                .map_err(Failure::runtime)?
                .map_err(|error| if error.is_bad_input() { Failure::usage(error) } else { Failure::runtime(error) })?;
            if json {
                println!("{}", serde_json::to_string(&report).map_err(Failure::runtime)?);
            } else {
                println!("{}", eval::table(&report));
            }
            Ok(())
        }
        Command::Recommend(RecommendCommand::Synth(args)) => {
            let (json, args) = (args.json, args.clone());
            let report = tokio::task::spawn_blocking(move || synth::run(&args))
                .await
                .map_err(Failure::runtime)?
                // Every failure here is a size or a hyper-parameter the command line gave.
                .map_err(|error| Failure::usage(error_chain(&error)))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report).map_err(Failure::runtime)?);
            } else {
                print!("{}", report.table());
            }
            Ok(())
        }
    }
}

/// The error and its causes, for the terminal.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        message.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    message
}

fn account_failure(error: UserCommandError) -> Failure {
    match error {
        UserCommandError::Invalid(_) | UserCommandError::Account(AccountError::Invalid(_)) => Failure::usage(error),
        _ => Failure::runtime(error),
    }
}
