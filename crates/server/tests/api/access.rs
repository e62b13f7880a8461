use reqwest::StatusCode;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    Engine, Options, OwnedRequest, access_token, assert_error, assert_only_the_owner_reaches, client_with_token,
    on_every_engine, spawn_scanned_app,
};
use crate::oauth::Flow;

on_every_engine!(
    the_api_needs_an_access_token_but_health_docs_and_covers_do_not,
    only_administrators_reach_the_admin_api,
    signed_stream_urls_work_without_a_header_for_their_track_only,
    another_user_can_neither_read_nor_change_what_is_not_theirs,
);

async fn another_user_can_neither_read_nor_change_what_is_not_theirs(engine: Engine) {
    let flow = Flow::start_with(&engine, Options::default()).await;
    let (owner, _) = flow.session("free").await;
    let (intruder, _) = flow.session("premium").await;
    let (owner, intruder) = (client_with_token(&owner), client_with_token(&intruder));
    let sessions: Value = owner.get(flow.app.url("/api/v1/me/sessions")).send().await.unwrap().json().await.unwrap();
    let session = sessions["current"].as_str().unwrap();
    let me: Value = owner.get(flow.app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    let owner_id = &me["id"];
    assert_only_the_owner_reaches(
        &flow.app,
        &owner,
        &intruder,
        "/api/v1/me/sessions",
        &[
            OwnedRequest::new(Method::DELETE, format!("/api/v1/me/sessions/{session}")),
            OwnedRequest::new(Method::PATCH, format!("/api/v1/admin/users/{owner_id}"))
                .with_body(json!({"disabled": true})),
        ],
    )
    .await;
    let after: Value = owner.get(flow.app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(after, me, "the account itself is untouched");
    flow.app.stop().await;
}

async fn the_api_needs_an_access_token_but_health_docs_and_covers_do_not(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let track = app.track_by_title("Polar Night").await;
    for path in [
        "/api/v1/tracks".to_owned(),
        format!("/api/v1/tracks/{}", track["id"]),
        format!("/api/v1/tracks/{}/stream", track["id"]),
        format!("/api/v1/tracks/{}/stream-url", track["id"]),
        "/api/v1/albums".to_owned(),
        "/api/v1/artists".to_owned(),
        "/api/v1/genres".to_owned(),
        "/api/v1/me".to_owned(),
        "/api/v1/admin/scan".to_owned(),
    ] {
        let response = app.anonymous.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.headers().get("www-authenticate").map(|v| v.to_str().unwrap()), Some("Bearer"), "{path}");
        let status = response.status();
        assert_error(status, &response.json().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let cover = track["cover_id"].as_str().unwrap();
    for path in [
        "/healthz".to_owned(),
        "/readyz".to_owned(),
        "/api/openapi.json".to_owned(),
        format!("/api/v1/covers/{cover}?size=64"),
    ] {
        assert_eq!(app.anonymous.get(app.url(&path)).send().await.unwrap().status(), StatusCode::OK, "{path}");
    }
    app.stop().await;
}

async fn only_administrators_reach_the_admin_api(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let free = client_with_token(&access_token(app.database_url(), "free").await);
    let response = free.get(app.url("/api/v1/admin/scan/issues")).send().await.unwrap();
    let status = response.status();
    assert_error(status, &response.json().await.unwrap(), StatusCode::FORBIDDEN, "admin_required");
    assert_eq!(free.post(app.url("/api/v1/admin/scan")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(free.get(app.url("/api/v1/tracks")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/admin/scan/issues").await.status(), StatusCode::OK, "the admin passes");
    app.stop().await;
}

async fn signed_stream_urls_work_without_a_header_for_their_track_only(engine: Engine) {
    let app = spawn_scanned_app(&engine).await;
    let first = app.track_by_title("Two Voices").await;
    let second = app.track_by_title("Sunny").await;
    let (status, signed) = app.get_json(&format!("/api/v1/tracks/{}/stream-url", first["id"])).await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let url = signed["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("/api/v1/tracks/{}/stream?", first["id"])), "{url}");

    let file = std::fs::read(app.library_path("Duo/Together/01 - Two Voices.flac")).unwrap();
    let response = app.anonymous.get(app.url(url)).header("range", "bytes=0-99").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(response.bytes().await.unwrap().as_ref(), &file[..100]);

    let query = url.split_once('?').unwrap().1;
    let other_track = format!("/api/v1/tracks/{}/stream?{query}", second["id"]);
    let tampered = url.replace("sig=", "sig=A");
    let later = url.replace("exp=", "exp=9");
    for bad in [other_track, tampered, later] {
        let response = app.anonymous.get(app.url(&bad)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{bad}");
    }
    let (status, _) = app.get_json("/api/v1/tracks/999999/stream-url").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}
