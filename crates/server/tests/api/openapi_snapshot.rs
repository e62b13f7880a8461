//! The web app's API types are generated from `web/openapi.json`; this fails when the
//! server's document drifts from that snapshot. To accept a change, run
//! `TONEARM_UPDATE_OPENAPI_SNAPSHOT=1 cargo test -p tonearm-server --test api openapi_snapshot`
//! and then `npm --prefix web run generate:api`.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Engine, spawn_app};

async fn served_document() -> Value {
    let app = spawn_app(&Engine::Sqlite).await;
    let (status, served) = app.get_json("/api/openapi.json").await;
    app.stop().await;
    assert_eq!(status, StatusCode::OK);
    served
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_openapi_document_matches_the_web_apps_snapshot() {
    let served = served_document().await;

    let snapshot_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/openapi.json");
    if std::env::var_os("TONEARM_UPDATE_OPENAPI_SNAPSHOT").is_some() {
        let pretty = serde_json::to_string_pretty(&served).unwrap() + "\n";
        std::fs::write(&snapshot_path, pretty).expect("snapshot written");
        return;
    }
    let snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(&snapshot_path).expect("web/openapi.json exists"))
            .expect("the snapshot is JSON");
    assert!(
        served == snapshot,
        "/api/openapi.json differs from web/openapi.json: rerun with TONEARM_UPDATE_OPENAPI_SNAPSHOT=1, \
         then `npm --prefix web run generate:api`, and commit both"
    );
}

/// Query-string structs derive `IntoParams`, which places their fields in the path unless
/// told `#[into_params(parameter_in = Query)]`; generated clients then build wrong URLs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_path_parameter_is_in_its_path_template() {
    let served = served_document().await;
    let mut misplaced = Vec::new();
    for (path, operations) in served["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap_or_default();
                if parameter["in"] == "path" && !path.contains(&format!("{{{name}}}")) {
                    misplaced.push(format!("{method} {path}: {name}"));
                }
            }
        }
    }
    assert!(misplaced.is_empty(), "query parameters documented as path parameters: {misplaced:?}");
}
