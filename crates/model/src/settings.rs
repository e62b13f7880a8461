//! A listener's preferences, kept on the server so they follow the listener from device to
//! device. What a tier allows is not decided here: a free listener may prefer lossless, and
//! the tier's cap applies when a track is played (so an upgrade needs no settings change).

/// Quality of streamed playback: `auto` adapts to the connection within the tier's cap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StreamingQuality {
    #[default]
    Auto,
    Low,
    Normal,
    High,
    Lossless,
}

/// Quality of tracks kept for offline listening.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DownloadQuality {
    Normal,
    #[default]
    High,
    Lossless,
}

wire_names!(StreamingQuality {
    Auto => "auto",
    Low => "low",
    Normal => "normal",
    High => "high",
    Lossless => "lossless",
});
wire_names!(DownloadQuality { Normal => "normal", High => "high", Lossless => "lossless" });

/// Every preference, each at its default until the listener changes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserSettings {
    pub streaming_quality: StreamingQuality,
    pub download_quality: DownloadQuality,
    /// New releases from followed artists as system notifications (the device asks first).
    pub notifications: bool,
}

/// What a change sets; `None` keeps the current value (two devices changing different
/// settings do not undo each other).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SettingsChange {
    pub streaming_quality: Option<StreamingQuality>,
    pub download_quality: Option<DownloadQuality>,
    pub notifications: Option<bool>,
}
