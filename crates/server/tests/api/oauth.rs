use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tonearm_model::AuthorizationCode;

use crate::helpers::{Engine, Options, TestApp, assert_error, on_every_engine, spawn_app, spawn_app_with};

on_every_engine!(
    the_pkce_flow_signs_in_over_real_http,
    bad_authorization_requests_are_refused,
    wrong_credentials_get_the_same_answer_for_unknown_users,
    codes_are_single_use_bound_to_their_verifier_and_redirect_and_expire,
    refresh_tokens_rotate_and_reuse_revokes_the_family,
    revocation_signs_the_session_out,
    bad_access_tokens_get_401,
    server_metadata_describes_the_endpoints,
    sessions_are_listed_and_signed_out_one_or_all_by_their_owner_only,
    changing_the_password_signs_out_the_other_devices,
    administrators_change_tiers_and_disable_accounts,
    deleting_an_account_needs_its_password_and_removes_it,
);

async fn administrators_change_tiers_and_disable_accounts(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let (admin, _) = flow.session("admin").await;
    let (free_access, free_refresh) = flow.session("free").await;
    let client = &flow.app.anonymous;
    let users: Value =
        client.get(flow.app.url("/api/v1/admin/users")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    let id_of = |name: &str| {
        users["items"].as_array().unwrap().iter().find(|u| u["username"] == name).unwrap()["id"].as_i64().unwrap()
    };
    let patch = |token: &str, id: i64, body: Value| {
        client
            .patch(flow.app.url(&format!("/api/v1/admin/users/{id}")))
            .bearer_auth(token.to_owned())
            .json(&body)
            .send()
    };

    let upgraded: Value =
        patch(&admin, id_of("free"), serde_json::json!({ "tier": "premium" })).await.unwrap().json().await.unwrap();
    assert_eq!((upgraded["tier"].as_str(), upgraded["role"].as_str()), (Some("premium"), Some("user")));
    let refused = patch(&free_access, id_of("free"), serde_json::json!({ "role": "admin" })).await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "users cannot promote themselves");
    let own = patch(&admin, id_of("admin"), serde_json::json!({ "disabled": true })).await.unwrap();
    assert_eq!(own.status(), StatusCode::CONFLICT);
    let invalid = patch(&admin, id_of("free"), serde_json::json!({ "tier": "gold" })).await.unwrap();
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);

    let disabled: Value =
        patch(&admin, id_of("free"), serde_json::json!({ "disabled": true })).await.unwrap().json().await.unwrap();
    assert_eq!(disabled["disabled"], true);
    assert_eq!(flow.refresh(&free_refresh).await.0, StatusCode::BAD_REQUEST, "a disabled account is signed out");
    assert_eq!(flow.me(&free_access).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(flow.sign_in(flow.params(), "free", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    patch(&admin, id_of("free"), serde_json::json!({ "disabled": false })).await.unwrap();
    assert_eq!(flow.sign_in(flow.params(), "free", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    flow.app.stop().await;
}

async fn deleting_an_account_needs_its_password_and_removes_it(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let (access, refresh) = flow.session("free").await;
    let delete = |password: &str| {
        let body = serde_json::json!({ "password": password });
        flow.app.anonymous.delete(flow.app.url("/api/v1/me")).bearer_auth(access.clone()).json(&body).send()
    };
    assert_eq!(delete("not it at all").await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(delete(PASSWORD).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(flow.refresh(&refresh).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(flow.me(&access).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(flow.sign_in(flow.params(), "free", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    let users = tonearm_store::open(flow.app.database_url()).await.unwrap().users;
    let names: Vec<String> = users.list_users().await.unwrap().into_iter().map(|user| user.username).collect();
    assert_eq!(names, ["admin", "premium"]);
    flow.app.stop().await;
}

async fn changing_the_password_signs_out_the_other_devices(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let (here, here_refresh) = flow.session("free").await;
    let (elsewhere, elsewhere_refresh) = flow.session("free").await;
    let change = |current: &str, new: &str| {
        let body = serde_json::json!({ "current_password": current, "new_password": new });
        flow.app.anonymous.put(flow.app.url("/api/v1/me/password")).bearer_auth(here.clone()).json(&body).send()
    };
    let response = change("not my password", "a brand new passphrase").await.unwrap();
    let status = response.status();
    assert_error(status, &response.json().await.unwrap(), StatusCode::FORBIDDEN, "wrong_password");
    let response = change(PASSWORD, "password123").await.unwrap();
    let status = response.status();
    assert_error(status, &response.json().await.unwrap(), StatusCode::BAD_REQUEST, "weak_password");
    assert_eq!(flow.me(&elsewhere).await.0, StatusCode::OK, "failed attempts change nothing");

    assert_eq!(change(PASSWORD, "a brand new passphrase").await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(flow.me(&elsewhere).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(flow.refresh(&elsewhere_refresh).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(flow.me(&here).await.0, StatusCode::OK, "the device that changed it stays signed in");
    assert_eq!(flow.refresh(&here_refresh).await.0, StatusCode::OK);
    assert_eq!(flow.sign_in(flow.params(), "free", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(flow.sign_in(flow.params(), "free", "a brand new passphrase").await.status(), StatusCode::SEE_OTHER);

    let huge = serde_json::json!({ "current_password": "x".repeat(100_000), "new_password": "y" });
    let response = flow
        .app
        .anonymous
        .put(flow.app.url("/api/v1/me/password"))
        .bearer_auth(here.clone())
        .json(&huge)
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_error(status, &response.json().await.unwrap(), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    flow.app.stop().await;
}

async fn sessions_are_listed_and_signed_out_one_or_all_by_their_owner_only(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let (phone_access, phone_refresh) = flow.session("free").await;
    let (laptop_access, laptop_refresh) = flow.session("free").await;
    let (intruder_access, _) = flow.session("premium").await;
    let sessions =
        |token: &str| flow.app.anonymous.get(flow.app.url("/api/v1/me/sessions")).bearer_auth(token.to_owned()).send();
    let listed: Value = sessions(&phone_access).await.unwrap().json().await.unwrap();
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{listed}");
    let phone_id = listed["current"].as_str().unwrap().to_owned();
    let laptop_id =
        items.iter().map(|item| item["id"].as_str().unwrap()).find(|id| *id != phone_id).unwrap().to_owned();

    let delete =
        |token: &str, path: String| flow.app.anonymous.delete(flow.app.url(&path)).bearer_auth(token.to_owned()).send();
    let foreign = delete(&intruder_access, format!("/api/v1/me/sessions/{laptop_id}")).await.unwrap();
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND, "another user's session is not theirs to end");
    assert_eq!(flow.me(&laptop_access).await.0, StatusCode::OK);

    let signed_out = delete(&phone_access, format!("/api/v1/me/sessions/{laptop_id}")).await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    assert_eq!(flow.refresh(&laptop_refresh).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(flow.me(&laptop_access).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(flow.me(&phone_access).await.0, StatusCode::OK);

    let everywhere = delete(&phone_access, "/api/v1/me/sessions".to_owned()).await.unwrap();
    assert_eq!(everywhere.status(), StatusCode::NO_CONTENT);
    assert_eq!(flow.me(&phone_access).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(flow.refresh(&phone_refresh).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(flow.me(&intruder_access).await.0, StatusCode::OK, "other accounts are untouched");
    flow.app.stop().await;
}

pub(crate) const PASSWORD: &str = "demo password for tests";
pub(crate) const VERIFIER: &str = "a-verifier-that-is-long-enough-for-rfc-7636-section-4.1";

pub(crate) fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A browser and a server: drives the authorize step and the token endpoint.
pub(crate) struct Flow {
    pub(crate) app: TestApp,
    pub(crate) browser: reqwest::Client,
}

impl Flow {
    pub(crate) async fn start(engine: &Engine) -> Self {
        Self::on(spawn_app(engine).await).await
    }

    pub(crate) async fn start_with(engine: &Engine, options: Options) -> Self {
        Self::on(spawn_app_with(engine, options).await).await
    }

    /// A browser for an app already running; the demo accounts get the test password.
    pub(crate) async fn on(app: TestApp) -> Self {
        let users = tonearm_store::open(app.database_url()).await.unwrap().users;
        tonearm_core::accounts::ensure_demo_users(users.as_ref(), PASSWORD).await.unwrap();
        let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Self { app, browser }
    }

    pub(crate) fn callback(&self) -> String {
        self.app.url("/app/callback")
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("response_type", "code".into()),
            ("client_id", "tonearm-web".into()),
            ("redirect_uri", self.callback()),
            ("code_challenge", challenge(VERIFIER)),
            ("code_challenge_method", "S256".into()),
            ("state", "xyz 1/2".into()),
        ]
    }

    /// Posts the sign-in form; returns the response (a 303 on success).
    pub(crate) async fn sign_in(
        &self,
        params: Vec<(&'static str, String)>,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        let mut form = params;
        form.push(("username", username.into()));
        form.push(("password", password.into()));
        self.browser.post(self.app.url("/oauth/authorize")).form(&form).send().await.unwrap()
    }

    /// Signs in and returns the code the redirect carries.
    pub(crate) async fn code(&self, username: &str) -> String {
        let response = self.sign_in(self.params(), username, PASSWORD).await;
        self.code_from(&response)
    }

    /// The code a successful authorize step (sign-in or sign-up) redirects back with.
    pub(crate) fn code_from(&self, response: &reqwest::Response) -> String {
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let query = location.strip_prefix(&format!("{}?", self.callback())).expect("redirects to the callback");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
        assert!(pairs.contains(&("state".to_owned(), "xyz 1/2".to_owned())), "state is passed back");
        pairs.into_iter().find(|(name, _)| name == "code").expect("a code").1
    }

    pub(crate) async fn token(&self, form: &[(&str, &str)]) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let response = self.app.anonymous.post(self.app.url("/oauth/token")).form(form).send().await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        (status, response.json().await.unwrap(), headers)
    }

    pub(crate) async fn exchange(&self, code: &str, verifier: &str) -> (StatusCode, Value) {
        let callback = self.callback();
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &callback),
            ("client_id", "tonearm-web"),
            ("code_verifier", verifier),
        ];
        let (status, body, _) = self.token(&form).await;
        (status, body)
    }

    pub(crate) async fn refresh(&self, refresh_token: &str) -> (StatusCode, Value) {
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", "tonearm-web")];
        let (status, body, _) = self.token(&form).await;
        (status, body)
    }

    pub(crate) async fn me(&self, access_token: &str) -> (StatusCode, Value) {
        let response =
            self.app.anonymous.get(self.app.url("/api/v1/me")).bearer_auth(access_token).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }

    /// A signed-in session: (access token, refresh token).
    pub(crate) async fn session(&self, username: &str) -> (String, String) {
        let code = self.code(username).await;
        let (status, tokens) = self.exchange(&code, VERIFIER).await;
        assert_eq!(status, StatusCode::OK, "{tokens}");
        (tokens["access_token"].as_str().unwrap().to_owned(), tokens["refresh_token"].as_str().unwrap().to_owned())
    }
}

async fn the_pkce_flow_signs_in_over_real_http(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let query = serde_urlencoded::to_string(flow.params()).unwrap();
    let page = flow.browser.get(flow.app.url(&format!("/oauth/authorize?{query}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<form method="post" action="/oauth/authorize">"#) && html.contains(r#"name="password""#));

    let code = flow.code("Premium").await;
    let callback = flow.callback();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", &callback),
        ("client_id", "tonearm-web"),
        ("code_verifier", VERIFIER),
    ];
    let (status, tokens, headers) = flow.token(&form).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let (status, me) = flow.me(tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        (me["username"].as_str(), me["tier"].as_str(), me["role"].as_str()),
        (Some("premium"), Some("premium"), Some("user"))
    );
    flow.app.stop().await;
}

async fn bad_authorization_requests_are_refused(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let with = |name: &'static str, value: &str| {
        let mut params = flow.params();
        params.retain(|(key, _)| *key != name);
        if !value.is_empty() {
            params.push((name, value.to_owned()));
        }
        params
    };
    // Untrusted redirect targets are refused on our page, never redirected to.
    for params in [
        with("client_id", "someone-else"),
        with("redirect_uri", "https://evil.example/callback"),
        with("redirect_uri", ""),
    ] {
        let query = serde_urlencoded::to_string(&params).unwrap();
        let response = flow.browser.get(flow.app.url(&format!("/oauth/authorize?{query}"))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.headers().get("location").is_none());
    }
    // Other errors go back to the client, with state.
    for (params, error) in [
        (with("code_challenge_method", "plain"), "invalid_request"),
        (with("code_challenge", ""), "invalid_request"),
        (with("response_type", "token"), "unsupported_response_type"),
    ] {
        let response = flow.sign_in(params, "free", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()["location"].to_str().unwrap();
        assert!(
            location.starts_with(&flow.callback())
                && location.contains(&format!("error={error}"))
                && location.contains("state="),
            "{location}"
        );
        assert!(!location.contains("code="));
    }
    flow.app.stop().await;
}

async fn wrong_credentials_get_the_same_answer_for_unknown_users(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let wrong_password = flow.sign_in(flow.params(), "free", "not the password at all").await;
    let unknown_user = flow.sign_in(flow.params(), "nobody-here", PASSWORD).await;
    for response in [wrong_password, unknown_user] {
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().get("location").is_none());
        assert!(response.text().await.unwrap().contains("Wrong user name or password."));
    }
    flow.app.stop().await;
}

async fn codes_are_single_use_bound_to_their_verifier_and_redirect_and_expire(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let code = flow.code("free").await;
    let (status, body) = flow.exchange(&code, "a-different-verifier-that-is-also-long-enough-to-be-valid").await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));
    let (status, body) = flow.exchange(&code, VERIFIER).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant")),
        "a code is spent by its first use"
    );

    let code = flow.code("free").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:1/elsewhere"),
        ("client_id", "tonearm-web"),
        ("code_verifier", VERIFIER),
    ];
    let (status, body, _) = flow.token(&form).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));

    let auth = tonearm_store::open(flow.app.database_url()).await.unwrap().auth;
    let users = tonearm_store::open(flow.app.database_url()).await.unwrap().users;
    let free = users.list_users().await.unwrap().into_iter().find(|user| user.username == "free").unwrap();
    let expired = "an-expired-code";
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    auth.save_code(&AuthorizationCode {
        code_hash: tonearm_auth::secrets::digest(expired),
        client_id: "tonearm-web".into(),
        user_id: free.id,
        redirect_uri: flow.callback(),
        code_challenge: challenge(VERIFIER),
        expires_at: now - 1,
    })
    .await
    .unwrap();
    let (status, body) = flow.exchange(expired, VERIFIER).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));
    let (status, body, _) = flow.token(&[("grant_type", "password"), ("client_id", "tonearm-web")]).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("unsupported_grant_type")));
    flow.app.stop().await;
}

async fn refresh_tokens_rotate_and_reuse_revokes_the_family(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let (access, first_refresh) = flow.session("free").await;
    let (status, rotated) = flow.refresh(&first_refresh).await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let second_refresh = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(flow.me(rotated["access_token"].as_str().unwrap()).await.0, StatusCode::OK);

    // The first token again: a thief or a replay. The whole family goes.
    let (status, body) = flow.refresh(&first_refresh).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));
    let (status, _) = flow.refresh(&second_refresh).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the successor is revoked with its family");
    let (status, body) = flow.me(&access).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");

    // Other sessions of the same user are untouched.
    let (other_access, _) = flow.session("free").await;
    assert_eq!(flow.me(&other_access).await.0, StatusCode::OK);
    flow.app.stop().await;
}

async fn revocation_signs_the_session_out(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let (access, refresh) = flow.session("premium").await;
    let response =
        flow.app.client.post(flow.app.url("/oauth/revoke")).form(&[("token", refresh.as_str())]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let unknown =
        flow.app.client.post(flow.app.url("/oauth/revoke")).form(&[("token", "never-issued")]).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::OK, "RFC 7009: unknown tokens are not an error");
    assert_eq!(flow.refresh(&refresh).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(flow.me(&access).await.0, StatusCode::UNAUTHORIZED);
    flow.app.stop().await;
}

async fn bad_access_tokens_get_401(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let (access, _) = flow.session("free").await;
    let missing = flow.app.anonymous.get(flow.app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    let mut tampered = access.clone().into_bytes();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    for token in [String::from_utf8(tampered).unwrap(), "not-a-token".to_owned(), format!("{access}x")] {
        let (status, body) = flow.me(&token).await;
        assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    }
    flow.app.stop().await;
}

async fn server_metadata_describes_the_endpoints(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let (status, metadata) = flow.app.get_json("/.well-known/oauth-authorization-server").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(metadata["issuer"], flow.app.url);
    assert_eq!(metadata["token_endpoint"], flow.app.url("/oauth/token"));
    assert_eq!(metadata["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    assert_eq!(metadata["grant_types_supported"], serde_json::json!(["authorization_code", "refresh_token"]));
    flow.app.stop().await;
}
