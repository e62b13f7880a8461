//! The web app (the PWA in `web/`, built into `web/dist`) at `/`: its files, and
//! `index.html` for every client route (`/album/7`, `/app/callback`, …) so a reload or a
//! shared link opens the app there. Paths under the API's prefixes keep the API's JSON 404.
//!
//! Release builds embed `web/dist`; debug builds read it from disk at run time, so
//! `cargo build` and `cargo test` work before (or without) `npm run build`, and a rebuilt
//! app is served without recompiling the server. Not through rust-embed's own debug mode:
//! it resolves the folder when the server is compiled, and a server compiled while
//! `web/dist` was missing (a fresh checkout, or Vite emptying it mid-build) then refused
//! every file, answering `503` even once the app was built.

use std::borrow::Cow;
use std::fmt::Write;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

use crate::http::error::ApiError;

#[cfg(not(debug_assertions))]
#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist/"]
#[allow_missing = true]
struct BuiltWebApp;

/// One file of the built app.
pub struct WebFile {
    pub bytes: Cow<'static, [u8]>,
    pub content_type: String,
    /// A strong validator for conditional requests: the hex SHA-256 of the bytes.
    pub digest: String,
}

/// Where the app's files come from: the embedded build, or a fake in tests.
pub trait WebFiles {
    fn file(&self, path: &str) -> Option<WebFile>;
}

/// The built app: embedded in release builds, read from `web/dist` in debug builds.
struct BuiltApp;

impl WebFiles for BuiltApp {
    #[cfg(not(debug_assertions))]
    fn file(&self, path: &str) -> Option<WebFile> {
        BuiltWebApp::get(path).map(web_file)
    }

    /// Resolved on every request, never when compiled; nothing outside the folder is served.
    #[cfg(debug_assertions)]
    fn file(&self, path: &str) -> Option<WebFile> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/dist").canonicalize().ok()?;
        let file = root.join(path).canonicalize().ok()?;
        if !file.starts_with(&root) || !file.is_file() {
            return None;
        }
        rust_embed::utils::read_file_from_fs(&file).ok().map(web_file)
    }
}

fn web_file(file: rust_embed::EmbeddedFile) -> WebFile {
    let digest = file.metadata.sha256_hash().iter().fold(String::with_capacity(64), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    });
    WebFile { content_type: file.metadata.mimetype().to_owned(), bytes: file.data, digest }
}

/// The router's fallback: everything no other route answered.
pub async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    respond(&BuiltApp, &method, uri.path(), &headers)
}

/// Prefixes that belong to the server, never to the app's client routes.
const SERVER_PREFIXES: [&str; 3] = ["/api/", "/oauth/", "/.well-known/"];

/// Vite puts content-hashed bundles here: their bytes never change under a name.
const HASHED_ASSETS: &str = "/assets/";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Must be revalidated on every use: it names the current hashed assets (index.html) or
/// decides what the installed app runs (the service worker).
const REVALIDATE: &str = "no-cache";

/// Icons and the manifest change rarely and keep their names: a day, then revalidate.
const SHORT_LIVED: &str = "public, max-age=86400";

pub fn respond(files: &impl WebFiles, method: &Method, path: &str, headers: &HeaderMap) -> Response {
    if SERVER_PREFIXES.iter().any(|prefix| path.starts_with(prefix)) || path == "/api" {
        return ApiError::NotFound("no such resource".into()).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return ApiError::NotFound("no such resource".into()).into_response();
    }
    let relative = path.trim_start_matches('/');
    if !relative.is_empty()
        && let Some(file) = files.file(relative)
    {
        return file_response(file, cache_control(path), headers);
    }
    // A missing file (a stale bundle name, a typo) must not be answered with HTML a
    // browser would then try to run as a script or decode as an image.
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        return ApiError::NotFound(format!("{path} is not part of the web app")).into_response();
    }
    match files.file("index.html") {
        Some(index) => file_response(index, REVALIDATE, headers),
        None => not_built(),
    }
}

fn cache_control(path: &str) -> &'static str {
    if path.starts_with(HASHED_ASSETS) {
        IMMUTABLE
    } else if path == "/index.html" || path == "/sw.js" {
        REVALIDATE
    } else {
        SHORT_LIVED
    }
}

fn file_response(file: WebFile, cache_control: &'static str, request: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", file.digest);
    let not_modified =
        request.get(header::IF_NONE_MATCH).and_then(|value| value.to_str().ok()).is_some_and(|candidates| {
            candidates.split(',').any(|candidate| candidate.trim() == etag || candidate.trim() == "*")
        });
    let mut response =
        if not_modified { StatusCode::NOT_MODIFIED.into_response() } else { Response::new(Body::from(file.bytes)) };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

/// Served at every client route when `web/dist` is missing, so `/` explains itself.
fn not_built() -> Response {
    let page = r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Tonearm: web app not built</title>
<style>body{font-family:system-ui,sans-serif;background:#121212;color:#eee;margin:0;padding:2rem}
main{max-width:40rem;margin:auto}code,pre{background:#1e1e1e;padding:.2rem .4rem;border-radius:.3rem}</style></head>
<body><main><h1>The web app has not been built</h1>
<p>The server and its API are running (see <a href="/api/openapi.json" style="color:#1ed760">/api/openapi.json</a>),
but this binary found no built web app in <code>web/dist</code>. Build it, then reload:</p>
<pre>npm --prefix web install &amp;&amp; npm --prefix web run build</pre>
<p>or start everything in one step with <code>./scripts/demo</code>. Release builds embed the app, so rebuild the
server after building the app.</p></main></body></html>"#;
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, Html(page)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    struct FakeFiles(HashMap<&'static str, &'static str>);

    impl WebFiles for FakeFiles {
        fn file(&self, path: &str) -> Option<WebFile> {
            let bytes = *self.0.get(path)?;
            let content_type = if path.ends_with(".js") { "text/javascript" } else { "text/html" };
            Some(WebFile {
                bytes: Cow::Borrowed(bytes.as_bytes()),
                content_type: content_type.into(),
                digest: "d1".into(),
            })
        }
    }

    fn built() -> FakeFiles {
        FakeFiles(HashMap::from([
            ("index.html", "<div id=app></div>"),
            ("assets/index-abc123.js", "console.log(1)"),
            ("sw.js", "self"),
            ("manifest.webmanifest", "{}"),
        ]))
    }

    fn get(files: &impl WebFiles, path: &str) -> Response {
        respond(files, &Method::GET, path, &HeaderMap::new())
    }

    fn cache_control_of(response: &Response) -> &str {
        response.headers()[header::CACHE_CONTROL].to_str().unwrap()
    }

    #[test]
    fn client_routes_get_index_html_revalidated_every_time() {
        for path in ["/", "/app/callback", "/album/42", "/library"] {
            let response = get(&built(), path);
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(cache_control_of(&response), "no-cache", "{path}");
            assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html", "{path}");
        }
    }

    #[test]
    fn hashed_assets_are_immutable_and_the_service_worker_is_not() {
        assert_eq!(cache_control_of(&get(&built(), "/assets/index-abc123.js")), IMMUTABLE);
        assert_eq!(cache_control_of(&get(&built(), "/sw.js")), "no-cache");
        assert_eq!(cache_control_of(&get(&built(), "/manifest.webmanifest")), SHORT_LIVED);
    }

    #[cfg(debug_assertions)]
    #[test]
    fn the_debug_build_serves_nothing_outside_web_dist() {
        assert!(BuiltApp.file("../Cargo.toml").is_none());
        assert!(BuiltApp.file("../../crates/server/Cargo.toml").is_none());
        assert!(BuiltApp.file("/etc/passwd").is_none());
    }

    #[test]
    fn api_paths_and_missing_files_are_404_not_the_app() {
        for path in ["/api/v1/nothing", "/api", "/oauth/nothing", "/assets/index-stale.js", "/favicon.ico"] {
            assert_eq!(get(&built(), path).status(), StatusCode::NOT_FOUND, "{path}");
        }
        let post = respond(&built(), &Method::POST, "/album/1", &HeaderMap::new());
        assert_eq!(post.status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn a_matching_etag_gets_304() {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"d1\""));
        let response = respond(&built(), &Method::GET, "/", &headers);
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    }

    #[test]
    fn without_a_build_the_app_routes_explain_how_to_build_it() {
        let response = get(&FakeFiles(HashMap::new()), "/");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}
