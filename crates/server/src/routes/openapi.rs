//! The OpenAPI 3 document, generated from the handlers' annotations and the models' derives.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Tonearm API", description = "Music library, catalog and streaming."),
    tags(
        (name = "catalog", description = "Artists, albums, tracks, genres and cover art"),
        (name = "streaming", description = "Progressive streaming of original files"),
        (name = "admin", description = "Library scans and their reports"),
    )
)]
pub struct ApiDoc;
