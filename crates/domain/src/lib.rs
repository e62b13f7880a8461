//! Pure domain types shared by every layer of Tonearm. No I/O lives here.

mod account;
mod format;
mod ids;
mod page;
mod text;

pub use account::{Role, Tier, UserId};
pub use format::AudioFormat;
pub use ids::{AlbumId, ArtistId, CoverId, GenreId, TrackId};
pub use page::{Cursor, CursorError, Page, PageRequest, Sort, SortError};
pub use text::{sort_key, unicode_fold};
