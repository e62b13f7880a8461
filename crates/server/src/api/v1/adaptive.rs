//! Adaptive streaming over HTTP: HLS (RFC 8216) and DASH over the same CMAF renditions.
//!
//! The entry points need an access token and decide, once, what the listener may receive:
//! `GET /tracks/{id}/hls/master.m3u8` redirects to the master playlist of the listener's tier
//! under a content address, and everything below it (master, media playlists, init and
//! encrypted segments) is public and immutable, so a CDN caches it for everyone. Only the
//! AES-128 keys need the token and the entitlement. DASH, for players that cannot decrypt
//! HLS, gets an MPD whose segment URLs are signed for the listener and short-lived, and
//! its segments are served decrypted.

use axum::Extension;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Version, header};
use axum::response::Response;
use tonearm_auth::{AccessClaims, MEDIA_LINK_SECONDS};
use tonearm_core::clock::now_seconds;
use tonearm_core::streaming::adaptive::bandwidth;
use tonearm_core::streaming::renditions::{self, Renditions, TierRenditions};
use tonearm_domain::TrackId;
use tonearm_media::manifest::{dash, hls};
use tonearm_packager::{MediaFile, RenditionAddress};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::v1::params::NextTrack;
use crate::auth::access::Authenticated;
use crate::auth::authority::OAuth;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiPath, ApiQuery};
use crate::http::file_body::object_body;
use crate::http::zero_copy::OriginalBodies;
use crate::state::AppState;

/// Routes behind `require_access` (a token, or a signed link for the DASH files).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(hls_entry))
        .routes(routes!(hls_key))
        .routes(routes!(dash_manifest))
        .routes(routes!(dash_file))
}

/// Public routes: content-addressed and immutable.
pub fn public_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(hls_master)).routes(routes!(hls_file))
}

/// Content-addressed: the bytes behind a URL never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const HLS_PLAYLIST: &str = "application/vnd.apple.mpegurl";
const CMAF: &str = "audio/mp4";

/// The listener's entry point: a redirect to the content-addressed master playlist of their
/// tier. The redirect itself depends on the token, so it is never cached.
/// Like `stream-url`, it is how a player asks for the next track, so `skip=true` counts the
/// listener's skip here (after the tier's checks: a refused track costs no skip).
#[utoipa::path(get, path = "/api/v1/tracks/{id}/hls/master.m3u8", tag = "streaming", params(("id" = i64, Path), NextTrack), security(("bearer" = [])),
    responses(
        (status = 302, description = "To the immutable master playlist of the listener's tier (`Location`)"),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`premium_required` or `skip_limit_reached` (with Retry-After)", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`track_unplayable`", body = ErrorBody)))]
async fn hls_entry(
    State(renditions): State<Renditions>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(next): ApiQuery<NextTrack>,
) -> Result<Response, ApiError> {
    let offered = renditions.next_track(&claims, TrackId(id), next.skip).await?;
    let location =
        format!("/api/v1/media/hls/{id}/master/{}/{}/master.m3u8", claims.tier.as_str(), offered.master_digest());
    Ok(Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, location)
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::empty())
        .expect("valid response"))
}

/// The master playlist of one tier: every rendition the tier may receive.
#[utoipa::path(get, path = "/api/v1/media/hls/{id}/master/{tier}/{digest}/master.m3u8", tag = "streaming",
    params(("id" = i64, Path), ("tier" = String, Path), ("digest" = String, Path)),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl", body = String), (status = 404, body = ErrorBody)))]
async fn hls_master(
    State(renditions): State<Renditions>,
    ApiPath((id, tier, digest)): ApiPath<(i64, String, String)>,
) -> Result<Response, ApiError> {
    let master = renditions.tier_master(TrackId(id), &tier, &digest).await?;
    let variants: Vec<hls::VariantStream> = master
        .renditions
        .iter()
        .zip(&master.addresses)
        .map(|(rendition, address)| {
            let (peak_bandwidth_bps, average_bandwidth_bps) = bandwidth(rendition, &master.media);
            hls::VariantStream {
                uri: format!("{}index.m3u8", public_folder(address)),
                peak_bandwidth_bps,
                average_bandwidth_bps,
                codecs: rendition.codec.rfc6381().to_owned(),
            }
        })
        .collect();
    Ok(immutable(Body::from(hls::master_playlist(&variants)), HLS_PLAYLIST))
}

/// A rendition's media playlist (`index.m3u8`), init segment (`init.mp4`) or encrypted
/// media segment (`{n}.m4s`); segments not made yet are encoded on demand.
#[utoipa::path(get, path = "/api/v1/media/hls/{id}/{rendition}/{digest}/{file}", tag = "streaming",
    params(("id" = i64, Path), ("rendition" = String, Path), ("digest" = String, Path),
        ("file" = String, Path, description = "`index.m3u8`, `init.mp4` or `{n}.m4s`")),
    responses(
        (status = 200, description = "The playlist or segment", body = Vec<u8>),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`track_unplayable`: the source file is damaged", body = ErrorBody),
        (status = 503, description = "`transcoder_busy` (with Retry-After)", body = ErrorBody)))]
async fn hls_file(
    State(renditions): State<Renditions>,
    State(bodies): State<OriginalBodies>,
    ApiPath((id, rendition, digest, file)): ApiPath<(i64, String, String, String)>,
    version: Version,
) -> Result<Response, ApiError> {
    let address = RenditionAddress { track: id, rendition, digest };
    let request = FileRequest::parse(&file).ok_or_else(|| no_such_file(&address))?;
    let media_file = match request {
        FileRequest::Playlist => {
            let resolved = renditions.resolve(&address).await?;
            let folder = public_folder(&address);
            let key = format!("/api/v1/tracks/{id}/hls/keys/{}", address.rendition);
            let uris = hls::MediaPlaylistUris {
                init: &format!("{folder}init.mp4"),
                segment_prefix: &folder,
                segment_suffix: ".m4s",
                key: Some(&key),
            };
            let timeline = renditions.adaptive().timeline(&resolved.media, &resolved.rendition);
            return Ok(immutable(Body::from(hls::media_playlist(&timeline, &uris)), HLS_PLAYLIST));
        }
        FileRequest::Media(file) => file,
    };
    // Stored encrypted: a cached segment goes out as its file, by `sendfile` where it can.
    let object = renditions.file(&address, media_file).await?;
    let length = object.len();
    let mut response = immutable(object_body(object, bodies.for_version(version)).await?, CMAF);
    // Known before the body is read: a read body is a stream, which would otherwise be chunked.
    response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    Ok(response)
}

/// The AES-128 key of one rendition: only for listeners entitled to that rendition.
#[utoipa::path(get, path = "/api/v1/tracks/{id}/hls/keys/{rendition}", tag = "streaming",
    params(("id" = i64, Path), ("rendition" = String, Path)), security(("bearer" = [])),
    responses(
        (status = 200, description = "The 16-byte key", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`premium_required`", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn hls_key(
    State(renditions): State<Renditions>,
    Authenticated(claims): Authenticated,
    ApiPath((id, rendition)): ApiPath<(i64, String)>,
) -> Result<Response, ApiError> {
    let key = renditions.key(TrackId(id), &rendition, claims.tier).await?;
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/octet-stream")
        // Keys are per listener entitlement: never in a shared or disk cache.
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(key.to_vec()))
        .expect("valid response"))
}

/// A static MPD over the listener's renditions, for players that cannot decrypt HLS: its
/// segment URLs are signed for this listener and expire with the link lifetime.
#[utoipa::path(get, path = "/api/v1/tracks/{id}/dash/manifest.mpd", tag = "streaming", params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 200, content_type = "application/dash+xml", body = String),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`premium_required`", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn dash_manifest(
    State(renditions): State<Renditions>,
    State(oauth): State<OAuth>,
    Authenticated(claims): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let TierRenditions { media, renditions: offered, addresses } =
        renditions.for_listener(TrackId(id), claims.tier).await?;
    let expires_at = now_seconds() + MEDIA_LINK_SECONDS;
    let keyring = oauth.keyring.current();
    let mut representations = Vec::with_capacity(offered.len());
    for (rendition, address) in offered.iter().zip(addresses) {
        let folder = format!("/api/v1/media/dash/{}/{}/{}/", address.track, address.rendition, address.digest);
        let signature = keyring
            .sign_media_path(&folder, claims.user(), expires_at)
            .map_err(|error| ApiError::internal("signing a segment link failed", error))?;
        let query = serde_urlencoded::to_string(&signature)
            .map_err(|error| ApiError::internal("encoding a link signature failed", error))?;
        representations.push(dash::Representation {
            id: rendition.id.clone(),
            codecs: rendition.codec.rfc6381().to_owned(),
            bandwidth_bps: bandwidth(rendition, &media).0,
            channels: media.channels,
            timeline: renditions.adaptive().timeline(&media, rendition),
            initialization: format!("{folder}init.mp4?{query}"),
            media: format!("{folder}$Number$.m4s?{query}"),
        });
    }
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/dash+xml")
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(Body::from(dash::mpd(&representations)))
        .expect("valid response"))
}

/// A DASH init or media segment, in the clear: reached through the signed URLs of an MPD
/// (or with a token, then checked against the tier here).
#[utoipa::path(get, path = "/api/v1/media/dash/{id}/{rendition}/{digest}/{file}", tag = "streaming",
    params(("id" = i64, Path), ("rendition" = String, Path), ("digest" = String, Path),
        ("file" = String, Path, description = "`init.mp4` or `{n}.m4s`")),
    responses(
        (status = 200, content_type = "audio/mp4", body = Vec<u8>),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`premium_required`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 503, description = "`transcoder_busy` (with Retry-After)", body = ErrorBody)))]
async fn dash_file(
    State(renditions): State<Renditions>,
    claims: Option<Extension<AccessClaims>>,
    ApiPath((id, rendition, digest, file)): ApiPath<(i64, String, String, String)>,
) -> Result<Response, ApiError> {
    let address = RenditionAddress { track: id, rendition, digest };
    let Some(FileRequest::Media(media_file)) = FileRequest::parse(&file) else {
        return Err(no_such_file(&address));
    };
    let tier = claims.map(|Extension(claims)| claims.tier);
    let bytes = renditions.clear_file(&address, media_file, tier).await?;
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CMAF));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    Ok(response)
}

/// What a file name under a rendition's folder asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileRequest {
    Playlist,
    Media(MediaFile),
}

impl FileRequest {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "index.m3u8" => Some(Self::Playlist),
            "init.mp4" => Some(Self::Media(MediaFile::Init)),
            _ => {
                let number = name.strip_suffix(".m4s")?;
                // Canonical numbers only, so one segment has one URL (and one cache entry).
                let canonical = !number.is_empty() && (number == "0" || !number.starts_with('0'));
                canonical.then(|| number.parse().ok().map(|index| Self::Media(MediaFile::Segment(index))))?
            }
        }
    }
}

fn no_such_file(address: &RenditionAddress) -> ApiError {
    renditions::no_such_file(address).into()
}

/// Where the public files of a rendition live, `/`-terminated.
fn public_folder(address: &RenditionAddress) -> String {
    format!("/api/v1/media/hls/{}/{}/{}/", address.track, address.rendition, address.digest)
}

fn immutable(body: Body, content_type: &'static str) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_parse_to_one_canonical_meaning() {
        assert_eq!(FileRequest::parse("index.m3u8"), Some(FileRequest::Playlist));
        assert_eq!(FileRequest::parse("init.mp4"), Some(FileRequest::Media(MediaFile::Init)));
        assert_eq!(FileRequest::parse("0.m4s"), Some(FileRequest::Media(MediaFile::Segment(0))));
        assert_eq!(FileRequest::parse("17.m4s"), Some(FileRequest::Media(MediaFile::Segment(17))));
        for other in ["007.m4s", ".m4s", "-1.m4s", "1.mp4", "x.m4s", "99999999999.m4s"] {
            assert_eq!(FileRequest::parse(other), None, "{other}");
        }
    }
}
