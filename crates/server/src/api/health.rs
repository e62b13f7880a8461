//! Liveness and readiness for load balancers and orchestrators.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};
use tonearm_core::health::Health;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// The process is alive and serving HTTP.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The database answers and every migration is applied: safe to send traffic here.
async fn readyz(State(health): State<Health>) -> (StatusCode, Json<Value>) {
    let readiness = health.readiness().await;
    match readiness.problem {
        None => (StatusCode::OK, Json(json!({ "status": "ready", "database": readiness.database }))),
        Some(error) => {
            let body = json!({ "status": "not_ready", "database": readiness.database, "error": { "code": "database_unavailable", "message": error.to_string() } });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body))
        }
    }
}
