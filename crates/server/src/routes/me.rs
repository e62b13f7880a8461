//! The signed-in account.

use axum::Json;
use axum::extract::State;
use tonearm_catalog::UserSummary;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::authentication::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::oauth::OAuth;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

#[utoipa::path(get, path = "/me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = UserSummary), (status = 401, body = ErrorBody)))]
async fn me(State(oauth): State<OAuth>, Authenticated(claims): Authenticated) -> Result<Json<UserSummary>, ApiError> {
    // This endpoint reads the account anyway, so it also honours sign-outs at once.
    if !oauth.store.session_active(&claims.sid).await? {
        return Err(ApiError::Unauthorized("this session was signed out"));
    }
    let user = oauth.users.user(claims.user()).await?;
    if user.disabled {
        return Err(ApiError::Unauthorized("this account is disabled"));
    }
    Ok(Json(user))
}
