//! Progressive streaming of a track's original file: byte ranges and conditional requests
//! (planned by `tonearm_delivery`). The body is sent by the kernel from the page cache
//! (plain HTTP/1, `crate::http::zero_copy`) or read in fixed-size chunks (TLS, HTTP/2), so memory
//! per stream stays constant whatever the file size.

use std::time::{Duration, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Version, header};
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use tokio_stream::StreamExt;
use tonearm_auth::{AccessClaims, MEDIA_LINK_SECONDS};
use tonearm_core::clock::now_seconds;
use tonearm_core::streaming::adaptive::Adaptive;
use tonearm_core::streaming::originals::{Originals, Requester};
use tonearm_core::streaming::progressive::{self, ProgressiveStream};
use tonearm_delivery::{EntityTag, Plan, Representation};
use tonearm_domain::TrackId;
use tonearm_model::StreamSource;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::params::NextTrack;
use crate::auth::access::{Authenticated, SignedFor};
use crate::auth::authority::OAuth;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::http::headers::attachment;
use crate::http::open_originals::OpenOriginals;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream_track)).routes(routes!(stream_url)).routes(routes!(download_track))
}

#[derive(Serialize, ToSchema)]
struct SignedUrl {
    /// Relative to the server: `/api/v1/tracks/{id}/stream?uid=…&exp=…&kid=…&sig=…`.
    url: String,
    /// Unix seconds.
    expires_at: i64,
}

/// A link to the stream that works without an Authorization header, for `<audio src>`:
/// how a player asks for the next track, so the tier's rules are checked here.
#[utoipa::path(get, path = "/api/v1/tracks/{id}/stream-url", tag = "streaming", params(("id" = i64, Path), NextTrack), security(("bearer" = [])),
    responses((status = 200, body = SignedUrl), (status = 401, body = ErrorBody),
        (status = 403, description = "`premium_required` or `skip_limit_reached` (with Retry-After)", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn stream_url(
    State(originals): State<Originals>,
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(next): ApiQuery<NextTrack>,
) -> Result<Json<SignedUrl>, ApiError> {
    originals.allow_link(&claims, TrackId(id), next.skip).await?;
    let path = format!("/api/v1/tracks/{id}/stream");
    let expires_at = now_seconds() + MEDIA_LINK_SECONDS;
    let signature = oauth
        .keyring
        .current()
        .sign_media_path(&path, claims.user(), expires_at)
        .map_err(|error| ApiError::internal("signing a stream link failed", error))?;
    let query = serde_urlencoded::to_string(&signature)
        .map_err(|error| ApiError::internal("encoding a link signature failed", error))?;
    Ok(Json(SignedUrl { url: format!("{path}?{query}"), expires_at }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct StreamFormat {
    /// Transcode to `aac` (fragmented MP4), `mp3` or `opus` (Ogg) instead of sending the
    /// original; made while sent, so no ranges.
    format: Option<String>,
    /// With `format`: the bitrate in kbps (32–320, default 192), lowered to the tier's cap.
    bitrate: Option<u32>,
}

/// The original file (byte ranges, conditional requests), or with `format` a progressive
/// transcode for players that only play files. `HEAD` answers with the headers `GET` would
/// send. With a bearer token the tier's rules are checked here; a signed link's listener
/// was checked when it was issued, and transcodes are capped to their current tier.
#[utoipa::path(method(get, head), path = "/api/v1/tracks/{id}/stream", tag = "streaming", params(("id" = i64, Path), StreamFormat,
        ("Range" = Option<String>, Header, description = "A single byte range: bytes=a-b, bytes=a- or bytes=-n")),
    responses(
        (status = 200, description = "The whole file, or the transcode", content_type = "audio/*", body = Vec<u8>),
        (status = 206, description = "The requested range", content_type = "audio/*", body = Vec<u8>),
        (status = 304, description = "Not modified since the validator given"),
        (status = 400, description = "`unsupported_format` or `invalid_bitrate`", body = ErrorBody),
        (status = 403, description = "`premium_required`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 416, description = "The range lies outside the file"),
        (status = 422, description = "`track_unplayable`: the file cannot be transcoded", body = ErrorBody),
        (status = 503, description = "`transcoder_busy` (with Retry-After)", body = ErrorBody)))]
#[allow(clippy::too_many_arguments)]
async fn stream_track(
    State(originals): State<Originals>,
    State(adaptive): State<Adaptive>,
    State(open): State<OpenOriginals>,
    claims: Option<Extension<AccessClaims>>,
    signed_for: Option<Extension<SignedFor>>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(requested): ApiQuery<StreamFormat>,
    method: Method,
    version: Version,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let requester = match (&claims, signed_for) {
        (Some(Extension(claims)), _) => Requester::Bearer(claims),
        (None, Some(Extension(SignedFor(user)))) => Requester::SignedLink(user),
        (None, None) => return Err(ApiError::Unauthorized("sign in: this needs an access token")),
    };
    if let Some(format) = &requested.format {
        let (source, tier) = originals.for_transcode(&requester, TrackId(id)).await?;
        let (format, kbps) = progressive::parse_request(format, requested.bitrate, tier)?;
        let stream = progressive::start(&adaptive, source, tier, format, kbps).await?;
        return Ok(progressive_response(stream));
    }
    let source = originals.for_stream(&requester, TrackId(id)).await?;
    serve(&open, source, version, &method, &headers).await
}

/// A transcode sent as it is made: no length, no ranges, nothing to cache.
fn progressive_response(stream: ProgressiveStream) -> Response {
    let body = Body::from_stream(stream.chunks.map(Ok::<_, std::convert::Infallible>));
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(stream.content_type));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("none"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// The original file as an attachment, for offline listening: Premium only. Ranges work,
/// so interrupted downloads resume.
#[utoipa::path(get, path = "/api/v1/tracks/{id}/download", tag = "streaming", params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 200, description = "The whole file", content_type = "audio/*", body = Vec<u8>),
        (status = 206, description = "The requested range", content_type = "audio/*", body = Vec<u8>),
        (status = 403, description = "`premium_required`", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn download_track(
    State(originals): State<Originals>,
    State(open): State<OpenOriginals>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    method: Method,
    version: Version,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let download = originals.for_download(&claims, TrackId(id)).await?;
    let mut response = serve(&open, download.source, version, &method, &headers).await?;
    let disposition = attachment(&format!("track-{id}"), &download.extension, &download.file_name);
    response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

async fn serve(
    originals: &OpenOriginals,
    source: StreamSource,
    version: Version,
    method: &Method,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let id = source.track_id;
    let bodies = originals.bodies(version);
    let original = originals.open(&source, bodies).await.map_err(|error| {
        tracing::warn!(track = %id, path = %source.path, %error, "track file cannot be opened");
        ApiError::TrackFileMissing(id.0)
    })?;
    let metadata = original.metadata();
    let modified = metadata.modified().unwrap_or(UNIX_EPOCH + Duration::from_nanos(source.mtime_ns.max(0) as u64));
    let representation = Representation {
        length: metadata.len(),
        modified,
        etag: EntityTag::strong_from_parts(&source.fingerprint, metadata.len(), modified),
        content_type: source.format.mime_type(),
    };
    let plan = tonearm_delivery::plan(method, headers, &representation);
    let (status, response_headers) = tonearm_delivery::response_headers(&plan, &representation);
    let span = match (&plan, method) {
        (_, &Method::HEAD) => None,
        (Plan::Full, _) => Some((0, representation.length)),
        (Plan::Partial(span), _) => Some((span.start, span.len())),
        _ => None,
    };
    let body = match span {
        None => Body::empty(),
        Some((start, length)) => original.body(bodies, start, length).await?,
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = response_headers;
    Ok(response)
}
