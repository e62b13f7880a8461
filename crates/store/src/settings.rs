//! The SQL and row mapping behind `UserStore::settings` and `change_settings`. A column
//! left `NULL` means "never set": the default comes from `UserSettings::default()`, so a
//! default lives in one place and a setting added later needs no back-fill.

use tonearm_model::{DownloadQuality, StoreError, StreamingQuality, UserSettings};

pub const SELECT_SETTINGS: &str =
    "SELECT streaming_quality, download_quality, notifications FROM user_settings WHERE user_id = $1";

/// Creates the row or changes the columns given (`NULL` keeps the stored value); no row
/// comes back when the account does not exist.
pub const UPSERT_SETTINGS: &str = "INSERT INTO user_settings \
    (user_id, streaming_quality, download_quality, notifications, updated_at) \
    SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM users WHERE id = $1) \
    ON CONFLICT (user_id) DO UPDATE SET \
    streaming_quality = COALESCE(excluded.streaming_quality, user_settings.streaming_quality), \
    download_quality = COALESCE(excluded.download_quality, user_settings.download_quality), \
    notifications = COALESCE(excluded.notifications, user_settings.notifications), \
    updated_at = excluded.updated_at \
    RETURNING streaming_quality, download_quality, notifications";

pub type SettingsRow = (Option<String>, Option<String>, Option<bool>);

pub fn into_settings((streaming, download, notifications): SettingsRow) -> Result<UserSettings, StoreError> {
    let defaults = UserSettings::default();
    let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("unknown {what} `{value}`"));
    Ok(UserSettings {
        streaming_quality: match streaming {
            None => defaults.streaming_quality,
            Some(value) => StreamingQuality::parse(&value).ok_or_else(|| corrupt("streaming quality", &value))?,
        },
        download_quality: match download {
            None => defaults.download_quality,
            Some(value) => DownloadQuality::parse(&value).ok_or_else(|| corrupt("download quality", &value))?,
        },
        notifications: notifications.unwrap_or(defaults.notifications),
    })
}
