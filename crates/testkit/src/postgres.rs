//! Throwaway PostgreSQL schemas: each test gets its own schema on the server that
//! `TONEARM_TEST_DATABASE_URL` names, so tests run in parallel on one server and leave
//! nothing behind.

use std::sync::atomic::{AtomicU64, Ordering};

/// The PostgreSQL server configured for the tests, `None` when there is none (the
/// PostgreSQL half of a suite is then skipped).
pub fn test_server() -> Option<String> {
    std::env::var("TONEARM_TEST_DATABASE_URL").ok().filter(|url| !url.is_empty())
}

/// A schema of its own on a test server, and the URL that selects it.
pub struct FreshSchema {
    /// The server's URL with `options[search_path]` set to the schema.
    pub url: String,
    server: String,
    name: String,
}

impl FreshSchema {
    /// Creates a schema no other test (of this or another process) uses on `server`.
    pub async fn create(server: &str) -> FreshSchema {
        let name = format!("test_{}", unique_suffix());
        execute(server, &format!("CREATE SCHEMA {name}")).await;
        let separator = if server.contains('?') { '&' } else { '?' };
        let url = format!("{server}{separator}options[search_path]={name}");
        FreshSchema { url, server: server.to_owned(), name }
    }

    /// Drops the schema and everything in it.
    pub async fn drop(self) {
        execute(&self.server, &format!("DROP SCHEMA {} CASCADE", self.name)).await;
    }
}

async fn execute(server: &str, statement: &str) {
    let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(server).await.expect("postgres reachable");
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned())).execute(&mut connection).await.expect(statement);
}

/// Unique across processes (the id), runs (the time) and the tests of one process (the count).
fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{}_{}_{}", std::process::id(), nanos % 1_000_000_000_000, COUNTER.fetch_add(1, Ordering::Relaxed))
}
