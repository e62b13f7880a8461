//! Query parameters several routes share.

use serde::Deserialize;
use utoipa::IntoParams;

/// How a player asks for the next track: the query of `stream-url` and of the HLS entry.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NextTrack {
    /// `true` when the listener skipped the previous track to get here: counted against
    /// the free tier's hourly skip limit.
    #[serde(default)]
    #[param(required = false)]
    pub skip: bool,
}
