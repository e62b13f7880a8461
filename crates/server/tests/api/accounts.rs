use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::helpers::{Engine, on_every_engine};

on_every_engine!(
    user_add_creates_accounts_and_refuses_duplicates_and_weak_passwords,
    demo_accounts_are_created_once_and_reset_on_every_start
);

async fn demo_accounts_are_created_once_and_reset_on_every_start(engine: Engine) {
    let data_dir = tempfile::tempdir().unwrap();
    let database = engine.database(data_dir.path()).await;
    let users = tonearm_store::open(&database.url).await.unwrap().users;
    tonearm_core::accounts::ensure_demo_users(users.as_ref(), "first demo password").await.unwrap();
    tonearm_core::accounts::ensure_demo_users(users.as_ref(), &tonearm_core::accounts::random_demo_password())
        .await
        .unwrap();
    let listed: Vec<(String, &str, &str)> = users
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|user| (user.username, user.role.as_str(), user.tier.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("admin".to_owned(), "admin", "premium"),
            ("free".to_owned(), "user", "free"),
            ("premium".to_owned(), "user", "premium")
        ]
    );
    let weak = tonearm_core::accounts::ensure_demo_users(users.as_ref(), "demo").await;
    assert!(weak.is_err(), "a demo password must follow the policy too");
    database.drop().await;
}

/// Runs `tonearm user …` with `password` on stdin.
fn tonearm_user(args: &[&str], database_url: &str, password: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tonearm"))
        .arg("user")
        .args(args)
        .args(["--database-url", database_url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tonearm starts");
    // Commands that ask for no password may exit before reading stdin: a broken pipe is fine then.
    if let Err(error) = child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()) {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().unwrap()
}

async fn user_add_creates_accounts_and_refuses_duplicates_and_weak_passwords(engine: Engine) {
    let data_dir = tempfile::tempdir().unwrap();
    let database = engine.database(data_dir.path()).await;
    let url = database.url.clone();
    let secret = "correct horse battery staple";

    let first = tonearm_user(&["add", "Maya", "--email", "maya@example.com"], &url, secret);
    assert!(first.status.success(), "{first:?}");
    assert_eq!(String::from_utf8_lossy(&first.stdout).trim(), "created Maya <maya@example.com>: admin, free");

    let premium = tonearm_user(&["add", "zoë", "--email", "zoe@example.com", "--tier", "premium"], &url, secret);
    assert!(premium.status.success(), "{premium:?}");

    let same_name = tonearm_user(&["add", "MAYA", "--email", "other@example.com"], &url, secret);
    assert_eq!(same_name.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&same_name.stderr).contains("user name is already taken"));

    let weak = tonearm_user(&["add", "sam", "--email", "sam@example.com"], &url, "password123");
    assert_eq!(weak.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&weak.stderr).contains("most common"));

    let promoted = tonearm_user(&["set", "ZOË", "--role", "admin", "--disable"], &url, "");
    assert!(promoted.status.success(), "{promoted:?}");
    assert_eq!(String::from_utf8_lossy(&promoted.stdout).trim(), "zoë: admin, premium, disabled");
    let enabled = tonearm_user(&["set", "zoë", "--enable", "--role", "user"], &url, "");
    assert_eq!(String::from_utf8_lossy(&enabled.stdout).trim(), "zoë: user, premium");
    let unknown = tonearm_user(&["set", "nobody", "--tier", "premium"], &url, "");
    assert_eq!(unknown.status.code(), Some(1));

    let list = tonearm_user(&["list"], &url, "");
    let listed = String::from_utf8_lossy(&list.stdout).into_owned();
    assert_eq!(
        listed.lines().collect::<Vec<_>>(),
        ["Maya\tmaya@example.com\tadmin\tfree", "zoë\tzoe@example.com\tuser\tpremium"]
    );
    for output in [&first, &premium, &same_name, &list] {
        let everything =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(!everything.contains(secret), "the password never appears in output");
    }
    database.drop().await;
}
