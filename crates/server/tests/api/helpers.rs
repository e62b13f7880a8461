use std::path::PathBuf;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use tempfile::TempDir;
use tonearm_config::{FileSettings, Overrides, Settings};
use tonearm_server::{Application, Library};
use tonearm_testkit::postgres::{self, FreshSchema};
use tonearm_testkit::{FixtureLibrary, fixture_library};

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub enum Engine {
    Sqlite,
    /// A fresh schema in the server `TONEARM_TEST_DATABASE_URL` names.
    Postgres(String),
}

impl Engine {
    /// `None` when no PostgreSQL server is configured for the tests.
    pub fn postgres() -> Option<Engine> {
        postgres::test_server().map(Engine::Postgres)
    }

    /// A database for one test: its own SQLite file, or its own PostgreSQL schema.
    pub async fn database(&self, data_dir: &std::path::Path) -> TestDatabase {
        match self {
            Engine::Sqlite => {
                TestDatabase { url: format!("sqlite://{}", data_dir.join("tonearm.db").display()), schema: None }
            }
            Engine::Postgres(server) => {
                let schema = FreshSchema::create(server).await;
                TestDatabase { url: schema.url.clone(), schema: Some(schema) }
            }
        }
    }
}

pub struct TestDatabase {
    pub url: String,
    /// The PostgreSQL schema to drop when the test ends.
    schema: Option<FreshSchema>,
}

impl TestDatabase {
    pub async fn drop(self) {
        if let Some(schema) = self.schema {
            schema.drop().await;
        }
    }
}

/// Declares each listed `async fn name(engine: Engine)` as a test on SQLite and on PostgreSQL.
macro_rules! on_every_engine {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Engine::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    match $crate::helpers::Engine::postgres() {
                        Some(engine) => super::$name(engine).await,
                        None => eprintln!("skipped: TONEARM_TEST_DATABASE_URL is not set"),
                    }
                }
            )+
        }
    };
}
pub(crate) use on_every_engine;

pub struct TestApp {
    pub url: String,
    /// Sends the demo admin's access token with every request.
    pub client: reqwest::Client,
    /// Sends no credentials.
    pub anonymous: reqwest::Client,
    pub library: FixtureLibrary,
    pub scanner: Library,
    pub data_dir: TempDir,
    database: Option<TestDatabase>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// Starts the real server on 127.0.0.1:0 with a fresh copy of the fixture library, not yet scanned.
pub async fn spawn_app(engine: &Engine) -> TestApp {
    spawn_app_with(engine, Options::default()).await
}

pub type PrepareDataDir = Box<dyn FnOnce(&std::path::Path)>;

/// What differs from the default test server.
#[derive(Default)]
pub struct Options {
    pub watch: bool,
    pub tls: Option<tonearm_config::TlsFiles>,
    pub cors_origins: Vec<String>,
    pub trusted_proxies: Vec<String>,
    /// Another running test app's database URL: a second node on the same database. That
    /// app keeps the database and drops it when it stops.
    pub shared_database: Option<String>,
    /// Arranges files in the data directory before the server starts.
    pub prepare_data_dir: Option<PrepareDataDir>,
    /// The rendition cache's bound (default: the server's).
    pub media_cache_mb: Option<u64>,
}

pub async fn spawn_app_with(engine: &Engine, options: Options) -> TestApp {
    let library = fixture_library();
    let data_dir = tempfile::Builder::new().prefix("tonearm-data-").tempdir().unwrap();
    if let Some(prepare) = options.prepare_data_dir {
        prepare(data_dir.path());
    }
    let database = match options.shared_database {
        Some(url) => TestDatabase { url, schema: None },
        None => engine.database(data_dir.path()).await,
    };
    let overrides = Overrides {
        listen: Some("127.0.0.1:0".parse().unwrap()),
        data_dir: Some(data_dir.path().to_path_buf()),
        database_url: Some(database.url.clone()),
        libraries: vec![library.root().to_path_buf()],
        shutdown_grace_secs: Some(2),
        watch: Some(options.watch),
        tls_cert: options.tls.as_ref().map(|files| files.cert.clone()),
        tls_key: options.tls.as_ref().map(|files| files.key.clone()),
        cors_origins: options.cors_origins,
        trusted_proxies: options.trusted_proxies,
        media_cache_mb: options.media_cache_mb,
        ..Overrides::default()
    };
    let settings = Settings::resolve(FileSettings::default(), overrides).expect("valid settings");
    let app = Application::build(settings).await.expect("server starts");
    let url = app.url();
    let scanner = app.library().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        app.run_until(async move {
            let _ = stopped.await;
        })
        .await
        .expect("server runs");
    });
    let token = access_token(&database.url, "admin").await;
    TestApp {
        url,
        client: client_with_token(&token),
        anonymous: reqwest::Client::new(),
        library,
        scanner,
        data_dir,
        database: Some(database),
        stop: Some(stop),
        server: Some(server),
    }
}

/// The demo accounts' password in tests.
pub const TEST_PASSWORD: &str = "a password only tests use";

/// An access token for the demo account `username`, signed with the server's own key (as if
/// the account had signed in). Creates the demo accounts on first use.
pub async fn access_token(database_url: &str, username: &str) -> String {
    let stores = tonearm_store::open(database_url).await.expect("the server's database");
    tonearm_core::accounts::ensure_demo_users(stores.users.as_ref(), TEST_PASSWORD).await.expect("demo accounts");
    let user =
        stores.users.list_users().await.unwrap().into_iter().find(|user| user.username == username).expect("user");
    let keys = stores.auth.signing_keys().await.unwrap();
    let keyring = tonearm_auth::Keyring::new(
        keys.into_iter()
            .map(|key| tonearm_auth::SigningKey { kid: key.kid, secret: key.secret, created_at: key.created_at })
            .collect(),
    );
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    keyring.issue(&tonearm_auth::AccessClaims::new(user.id, "test-session", user.role, user.tier, now)).unwrap()
}

pub fn client_with_token(token: &str) -> reqwest::Client {
    client_builder_with_token(token).build().unwrap()
}

fn client_builder_with_token(token: &str) -> reqwest::ClientBuilder {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
    reqwest::Client::builder().default_headers(headers)
}

/// Starts the server and scans the fixture library.
pub async fn spawn_scanned_app(engine: &Engine) -> TestApp {
    let app = spawn_app(engine).await;
    app.scanner.scan().await.expect("scan succeeds");
    app
}

impl TestApp {
    /// A client signed in as the demo account `username` (`admin`, `free` or `premium`).
    pub async fn client_as(&self, username: &str) -> reqwest::Client {
        client_with_token(&access_token(self.database_url(), username).await)
    }

    /// Like `client` (the demo admin), but speaking HTTP/2 from the first byte (cleartext
    /// prior knowledge, as a proxy in front of Tonearm may).
    pub async fn http2_client(&self) -> reqwest::Client {
        let token = access_token(self.database_url(), "admin").await;
        client_builder_with_token(&token).http2_prior_knowledge().build().unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request sent")
    }

    /// GETs `path` and parses the JSON body.
    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.json::<Value>().await.unwrap_or_else(|error| panic!("{path} did not return JSON: {error}"));
        (status, body)
    }

    /// Every item of a list, following cursors with the given page size.
    pub async fn collect_all(&self, list: &str, sort: &str, limit: u32) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..1000 {
            let mut path = format!("{list}?sort={sort}&limit={limit}");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let (status, page) = self.get_json(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {page}");
            let page_items = page["items"].as_array().expect("items").clone();
            assert!(page_items.len() <= limit as usize);
            items.extend(page_items);
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return items,
            }
        }
        panic!("pagination of {list} never ended");
    }

    /// The catalog track with this title.
    pub async fn track_by_title(&self, title: &str) -> Value {
        let tracks = self.collect_all("/api/v1/tracks", "name", 500).await;
        tracks.into_iter().find(|track| track["title"] == title).unwrap_or_else(|| panic!("no track titled {title}"))
    }

    /// The database this server runs on, for arranging state directly in a test.
    pub fn database_url(&self) -> &str {
        &self.database.as_ref().expect("running").url
    }

    pub fn library_path(&self, relative: &str) -> PathBuf {
        self.library.path_of(relative)
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            tokio::time::timeout(Duration::from_secs(10), server).await.expect("server stops").expect("server task");
        }
        if let Some(database) = self.database.take() {
            database.drop().await;
        }
    }
}

/// Asserts the API's error shape and code.
pub fn assert_error(status: StatusCode, body: &Value, expected_status: StatusCode, expected_code: &str) {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(body["error"]["code"], expected_code, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|message| !message.is_empty()), "{body}");
}

/// Starts the real `tonearm` binary and returns it with the URL it printed; its log
/// (stderr) goes to `log` when given.
pub fn start_binary(log: Option<&std::path::Path>, args: &[&str]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path).expect("log file")),
        None => Stdio::null(),
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_tonearm"))
        .args(args)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("tonearm starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let url = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("Tonearm is listening on ").map(str::to_owned))
        .expect("the URL is printed");
    (child, url)
}

/// One request against something that belongs to a user (a session, later a playlist, a
/// like, a play history).
pub struct OwnedRequest {
    pub method: reqwest::Method,
    pub path: String,
    pub body: Option<Value>,
}

impl OwnedRequest {
    pub fn new(method: reqwest::Method, path: impl Into<String>) -> Self {
        Self { method, path: path.into(), body: None }
    }

    pub fn with_body(self, body: Value) -> Self {
        Self { body: Some(body), ..self }
    }
}

/// The check every per-user endpoint gets: each request, made by `intruder`, is refused
/// with `404` (what is not yours does not exist for you) or `403`, in the API's error
/// shape, and what the owner sees at `owner_view` is the same before and after.
pub async fn assert_only_the_owner_reaches(
    app: &TestApp,
    owner: &reqwest::Client,
    intruder: &reqwest::Client,
    owner_view: &str,
    requests: &[OwnedRequest],
) {
    let view = || async { owner.get(app.url(owner_view)).send().await.unwrap().json::<Value>().await.unwrap() };
    let before = view().await;
    for request in requests {
        let mut builder = intruder.request(request.method.clone(), app.url(&request.path));
        if let Some(body) = &request.body {
            builder = builder.json(body);
        }
        let response = builder.send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
            "{} {} by another user answered {status}: {body}",
            request.method,
            request.path
        );
        assert!(body["error"]["code"].is_string(), "{} {}: {body}", request.method, request.path);
    }
    assert_eq!(view().await, before, "another user's requests changed what the owner sees at {owner_view}");
}
