//! Liveness and readiness for load balancers and orchestrators.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};

use crate::state::{AppState, Catalog};

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// The process is alive and serving HTTP.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The database answers and every migration is applied: safe to send traffic here.
async fn readyz(State(catalog): State<Catalog>) -> (StatusCode, Json<Value>) {
    match catalog.check_ready().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready", "database": catalog.engine() }))),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            let body = json!({ "status": "not_ready", "database": catalog.engine(), "error": { "code": "database_unavailable", "message": error.to_string() } });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body))
        }
    }
}
