//! The server-rendered pages of the authorize step, sign-in and sign-up: plain HTML forms
//! that work without JavaScript, each linking to the other with the same OAuth
//! parameters. Every value is HTML-escaped.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::params::AuthorizeParams;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#121212;color:#eee;margin:0;display:flex;\
    min-height:100vh;align-items:center;justify-content:center}form,main{width:min(22rem,90vw)}h1{font-size:1.6rem}\
    label{display:block;margin:1rem 0 .3rem}input{width:100%;box-sizing:border-box;padding:.8rem;font-size:1rem;\
    border-radius:.4rem;border:1px solid #555;background:#1e1e1e;color:#eee}button{margin-top:1.5rem;width:100%;\
    padding:.9rem;font-size:1rem;font-weight:600;border:0;border-radius:2rem;background:#1ed760;color:#000}\
    .error{background:#3a1212;border:1px solid #a33;padding:.7rem;border-radius:.4rem}a{color:#1ed760}";

/// What the sign-up form keeps when it is shown again; never the password.
#[derive(Debug, Default)]
pub struct SignUpValues<'a> {
    pub username: &'a str,
    pub email: &'a str,
}

pub fn sign_in(params: &AuthorizeParams, error: Option<&str>, status: StatusCode) -> Response {
    let form = format!(
        r#"<form method="post" action="/oauth/authorize"><h1>Sign in to Tonearm</h1>{error}{hidden}
<label for="username">User name</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
<p><a href="{sign_up}">Create an account</a></p></form>"#,
        error = error_notice(error),
        hidden = hidden_params(params),
        sign_up = escape(&link(SIGN_UP_PATH, params)),
    );
    page("Sign in", &form, status)
}

pub fn sign_up(params: &AuthorizeParams, values: &SignUpValues, error: Option<&str>, status: StatusCode) -> Response {
    let form = format!(
        r#"<form method="post" action="{SIGN_UP_PATH}"><h1>Create a Tonearm account</h1>{error}{hidden}
<label for="username">User name</label><input id="username" name="username" value="{username}" autocomplete="username" minlength="3" maxlength="32" required autofocus>
<label for="email">Email</label><input id="email" name="email" type="email" value="{email}" autocomplete="email" required>
<label for="password">Password (at least 10 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required>
<label for="password_confirmation">Password again</label><input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" minlength="10" required>
<button type="submit">Create account</button>
<p>Already have an account? <a href="{sign_in}">Sign in</a></p></form>"#,
        error = error_notice(error),
        hidden = hidden_params(params),
        username = escape(values.username),
        email = escape(values.email),
        sign_in = escape(&link(SIGN_IN_PATH, params)),
    );
    page("Create an account", &form, status)
}

const SIGN_IN_PATH: &str = "/oauth/authorize";
pub const SIGN_UP_PATH: &str = "/oauth/sign-up";

/// The other page of the authorize step, carrying the same OAuth parameters.
fn link(path: &str, params: &AuthorizeParams) -> String {
    match serde_urlencoded::to_string(params) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_owned(),
    }
}

fn hidden_params(params: &AuthorizeParams) -> String {
    [
        ("response_type", &params.response_type),
        ("client_id", &params.client_id),
        ("redirect_uri", &params.redirect_uri),
        ("code_challenge", &params.code_challenge),
        ("code_challenge_method", &params.code_challenge_method),
        ("state", &params.state),
    ]
    .iter()
    .filter_map(|(name, value)| {
        value.as_deref().map(|value| format!(r#"<input type="hidden" name="{name}" value="{}">"#, escape(value)))
    })
    .collect()
}

fn error_notice(error: Option<&str>) -> String {
    error.map(|message| format!(r#"<p class="error" role="alert">{}</p>"#, escape(message))).unwrap_or_default()
}

fn page(title: &str, content: &str, status: StatusCode) -> Response {
    let body = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Tonearm</title><style>{STYLE}</style></head><body>
{content}</body></html>"#
    );
    (status, Html(body)).into_response()
}

/// For requests that cannot be sent back to the client: an unknown client or redirect URI.
pub fn refusal(message: &str) -> Response {
    let body = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused · Tonearm</title><style>{STYLE}</style></head>
<body><main><h1>This sign-in link is not valid</h1><p class="error" role="alert">{}</p></main></body></html>"#,
        escape(message)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}
