//! The OpenAPI 3 document, generated from the handlers' annotations and the DTOs' derives.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tonearm API", description = "Music library, catalog and streaming."),
    modifiers(&BearerTokens),
    tags(
        (name = "catalog", description = "Artists, albums, tracks, genres and cover art"),
        (name = "search", description = "Typo-tolerant search as you type over the catalog"),
        (name = "streaming", description = "Progressive streaming and downloads of original files"),
        (name = "admin", description = "Library scans and their reports"),
        (name = "account", description = "The signed-in account (OAuth 2.0 access token)"),
        (name = "listening", description = "The listener's play history, top lists and likes"),
        (name = "playlists", description = "Playlists: private or public, followed, edited with versions"),
        (name = "recommendations", description = "Made for you mixes, Discover, radio and related artists, learned from listening"),
    )
)]
pub struct ApiDoc;

/// Access tokens from `/oauth/token`, sent as `Authorization: Bearer …`.
struct BearerTokens;

impl Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}
