//! A listener's preferences as `/me/settings` answers with them.

use serde::Serialize;
use tonearm_model as model;
use utoipa::ToSchema;

/// Quality of streamed playback: `auto` adapts to the connection within the tier's cap.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StreamingQuality {
    Auto,
    Low,
    Normal,
    High,
    Lossless,
}

/// Quality of tracks kept for offline listening.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DownloadQuality {
    Normal,
    High,
    Lossless,
}

/// Every preference, each at its default until the listener changes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserSettings {
    pub streaming_quality: StreamingQuality,
    pub download_quality: DownloadQuality,
    /// New releases from followed artists as system notifications (the device asks first).
    pub notifications: bool,
}

convert_variants!(model::StreamingQuality => StreamingQuality { Auto, Low, Normal, High, Lossless });
convert_variants!(model::DownloadQuality => DownloadQuality { Normal, High, Lossless });
convert_fields!(model::UserSettings => UserSettings { streaming_quality, download_quality, notifications });
