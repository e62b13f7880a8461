//! Recommendations: Made for you mixes, Discover, radio, "Fans also like", the newcomer's
//! taste picker, and the administrators' view of the recommender's training.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tonearm_core::ServiceError;
use tonearm_core::recommendations::{RadioSeed, Recommendations, TrainingOutcome};
use tonearm_domain::ArtistId;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::dto::list;
use crate::api::v1::dto::recommendations::{
    Mix, MixList, RadioPage, RecommendedTracks, RecommenderStatus, RelatedArtists, TastePicker, TrainingDone,
};
use crate::auth::access::Authenticated;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

/// Routes for every signed-in listener.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mixes))
        .routes(routes!(mix))
        .routes(routes!(discover))
        .routes(routes!(radio))
        .routes(routes!(related_artists))
        .routes(routes!(taste_picker))
}

/// Routes for administrators (the caller puts them behind the admin check).
pub fn admin_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(recommender_status, train_recommender))
}

/// The listener's Made for you mixes: one per taste of theirs, a popular mix for a newcomer.
#[utoipa::path(get, path = "/api/v1/me/mixes", tag = "recommendations", security(("bearer" = [])),
    responses((status = 200, body = MixList), (status = 401, body = ErrorBody)))]
async fn mixes(
    State(recommendations): State<Recommendations>,
    Authenticated(claims): Authenticated,
) -> Result<Json<MixList>, ApiError> {
    let mixes = recommendations.mixes(claims.user(), claims.tier).await?;
    Ok(Json(MixList { items: list(mixes) }))
}

/// One mix with its tracks.
#[utoipa::path(get, path = "/api/v1/me/mixes/{id}", tag = "recommendations", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Mix), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn mix(
    State(recommendations): State<Recommendations>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Mix>, ApiError> {
    Ok(Json(recommendations.mix(claims.user(), claims.tier, &id).await?.into()))
}

/// Tracks the listener never played, picked for their taste.
#[utoipa::path(get, path = "/api/v1/me/discover", tag = "recommendations", security(("bearer" = [])),
    responses((status = 200, body = RecommendedTracks), (status = 401, body = ErrorBody)))]
async fn discover(
    State(recommendations): State<Recommendations>,
    Authenticated(claims): Authenticated,
) -> Result<Json<RecommendedTracks>, ApiError> {
    let items = recommendations.discover(claims.user(), claims.tier).await?;
    Ok(Json(RecommendedTracks { items: list(items) }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RadioParams {
    /// `track:ID`, `album:ID`, `artist:ID` or `playlist:ID`.
    seed: String,
    /// Where to continue: the previous page's `next_offset`; default 0.
    offset: Option<usize>,
    /// Tracks per page, 1–100; default 25.
    limit: Option<usize>,
}

/// A page of the endless station of songs like the seed; the seed track never plays on it.
#[utoipa::path(get, path = "/api/v1/radio", tag = "recommendations", params(RadioParams), security(("bearer" = [])),
    responses((status = 200, body = RadioPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn radio(
    State(recommendations): State<Recommendations>,
    Authenticated(claims): Authenticated,
    ApiQuery(params): ApiQuery<RadioParams>,
) -> Result<Json<RadioPage>, ApiError> {
    let seed = RadioSeed::parse(&params.seed).ok_or_else(|| {
        ServiceError::invalid("invalid_seed", "seed must be track:ID, album:ID, artist:ID or playlist:ID")
    })?;
    let page = recommendations
        .radio(claims.user(), claims.tier, seed, params.offset.unwrap_or(0), params.limit.unwrap_or(25))
        .await?;
    Ok(Json(page.into()))
}

/// "Fans also like": artists whose listeners play this artist too.
#[utoipa::path(get, path = "/api/v1/artists/{id}/related", tag = "recommendations", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = RelatedArtists), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn related_artists(
    State(recommendations): State<Recommendations>,
    Authenticated(_claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RelatedArtists>, ApiError> {
    let items = recommendations.related_artists(ArtistId(id)).await?;
    Ok(Json(RelatedArtists { items: list(items) }))
}

/// The first-run "choose three artists you like": `show` until the listener plays, likes or
/// follows something.
#[utoipa::path(get, path = "/api/v1/me/taste-picker", tag = "recommendations", security(("bearer" = [])),
    responses((status = 200, body = TastePicker), (status = 401, body = ErrorBody)))]
async fn taste_picker(
    State(recommendations): State<Recommendations>,
    Authenticated(claims): Authenticated,
) -> Result<Json<TastePicker>, ApiError> {
    Ok(Json(recommendations.taste_picker(claims.user()).await?.into()))
}

/// The served model and how often it is trained.
#[utoipa::path(get, path = "/api/v1/admin/recommender", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = RecommenderStatus)))]
async fn recommender_status(State(recommendations): State<Recommendations>) -> Json<RecommenderStatus> {
    Json(recommendations.status().into())
}

/// Trains and publishes a model now (off the request threads); 409 while another node trains.
#[utoipa::path(post, path = "/api/v1/admin/recommender", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = TrainingDone), (status = 409, body = ErrorBody)))]
async fn train_recommender(State(recommendations): State<Recommendations>) -> Result<Json<TrainingDone>, ApiError> {
    match recommendations.train_now().await? {
        TrainingOutcome::Trained { version, listeners, tracks, interactions, tracks_with_sound, seconds } => {
            Ok(Json(TrainingDone {
                model_version: version,
                listeners,
                tracks,
                interactions,
                tracks_with_sound,
                seconds,
            }))
        }
        TrainingOutcome::OtherNodeTraining => {
            Err(ServiceError::Conflict("another node is training the recommender".to_owned()).into())
        }
    }
}
