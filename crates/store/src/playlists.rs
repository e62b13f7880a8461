//! `PlaylistStore` for both engines. Every edit starts by bumping the playlist's version
//! (`UPDATE … RETURNING`): that takes the write lock first on SQLite and the row lock on
//! PostgreSQL, so concurrent edits of one playlist run one after the other, and an edit
//! based on an older version is rolled back.

use std::collections::{HashMap, HashSet};

use tonearm_domain::{CoverId, TrackId, UserId};
use tonearm_model::{
    EntriesEdit, MAX_PLAYLIST_ENTRIES, MAX_PLAYLISTS_PER_USER, NewPlaylist, PlaylistChange, PlaylistEntry,
    PlaylistError, PlaylistOwner, PlaylistStore, PlaylistSummary, StoreError,
};

use sqlx::Executor;

use crate::engine::{Engine, ROWS_PER_STATEMENT, RowsAffected, SqlStore, query_error};
use crate::query::{Bind, BuildFetch, PushArg, query_as, query_scalar};

/// The summary columns, shared by the queries below (a macro: `concat!` needs literals).
macro_rules! select_playlists {
    () => {
        "SELECT p.id, p.name, p.description, p.public, p.owner_id, u.username, \
         (SELECT COUNT(*) FROM playlist_entries e WHERE e.playlist_id = p.id) AS track_count, \
         p.cover_id, p.version, p.created_at, p.updated_at FROM playlists p JOIN users u ON u.id = p.owner_id"
    };
}

pub const SELECT_PLAYLIST: &str = concat!(select_playlists!(), " WHERE p.id = $1");
pub const SELECT_ALL_PLAYLISTS: &str = select_playlists!();
pub const SELECT_PLAYLISTS_OF: &str = concat!(
    select_playlists!(),
    // One `IN` over both lists rather than `owner_id = $1 OR id IN (follows)`: PostgreSQL
    // cannot use an index for that `OR`, so it scanned every playlist (and its cost estimate,
    // a track count per playlist, switched on JIT compilation: 60 ms for 4 rows).
    " WHERE p.id IN (SELECT o.id FROM playlists o WHERE o.owner_id = $1 \
        UNION ALL SELECT f.playlist_id FROM playlist_follows f WHERE f.user_id = $1) \
     ORDER BY p.updated_at DESC, p.id DESC"
);

pub const INSERT_PLAYLIST: &str = "INSERT INTO playlists \
    (owner_id, name, description, public, version, created_at, updated_at) \
    SELECT $1, $2, $3, $4, 1, $5, $5 WHERE (SELECT COUNT(*) FROM playlists WHERE owner_id = $1) < $6 RETURNING id";
pub const BUMP_VERSION: &str = "UPDATE playlists SET version = version + 1, updated_at = $2 WHERE id = $1 \
    RETURNING version";
pub const CHANGE_PLAYLIST: &str = "UPDATE playlists SET name = COALESCE($2, name), \
    description = COALESCE($3, description), public = COALESCE($4, public) WHERE id = $1";
pub const SELECT_ENTRIES: &str =
    "SELECT id, track_id, added_at FROM playlist_entries WHERE playlist_id = $1 ORDER BY position, id";
pub const INSERT_ENTRY: &str = "INSERT INTO playlist_entries (playlist_id, position, track_id, added_at) \
    VALUES ($1, $2, $3, $4) RETURNING id";
pub const DELETE_ENTRY: &str = "DELETE FROM playlist_entries WHERE id = $1 AND playlist_id = $2";
pub const SET_POSITION: &str = "UPDATE playlist_entries SET position = $2 WHERE id = $1";
pub const EXISTING_TRACKS: &str = "SELECT id FROM tracks WHERE id IN ";
pub const DELETE_PLAYLIST: &str = "DELETE FROM playlists WHERE id = $1";
/// One statement, so the version and the covers come from the same snapshot.
pub const COVER_SOURCES: &str = "SELECT p.version, c.cover_id FROM playlists p LEFT JOIN ( \
        SELECT al.cover_id, MIN(e.position) AS first FROM playlist_entries e \
        JOIN tracks t ON t.id = e.track_id JOIN albums al ON al.id = t.album_id \
        WHERE e.playlist_id = $1 AND al.cover_id IS NOT NULL GROUP BY al.cover_id ORDER BY first LIMIT 4) c ON TRUE \
    WHERE p.id = $1 ORDER BY c.first";
pub const SET_COVER: &str = "UPDATE playlists SET cover_id = $2 WHERE id = $1 AND version = $3";
pub const COUNT_COVER_USES: &str = "SELECT COUNT(*) FROM playlists WHERE cover_id = $1";
pub const FOLLOW: &str = "INSERT INTO playlist_follows (user_id, playlist_id, followed_at) SELECT $1, $2, $3 \
    WHERE EXISTS (SELECT 1 FROM playlists WHERE id = $2) ON CONFLICT DO NOTHING";
pub const UNFOLLOW: &str = "DELETE FROM playlist_follows WHERE user_id = $1 AND playlist_id = $2";

pub type PlaylistRow = (i64, String, String, bool, i64, String, i64, Option<String>, i64, i64, i64);

pub fn into_summary(
    (id, name, description, public, owner_id, username, track_count, cover_id, version, created_at, updated_at): PlaylistRow,
) -> PlaylistSummary {
    PlaylistSummary {
        id,
        name,
        description,
        public,
        owner: PlaylistOwner { id: UserId(owner_id), username },
        track_count,
        cover_id: cover_id.as_deref().and_then(CoverId::parse),
        version,
        created_at,
        updated_at,
    }
}

/// An entry about to be written: `None` for one the edit adds.
pub struct Placed {
    pub entry_id: Option<i64>,
    pub track_id: i64,
}

/// The order after `edit`, or why it cannot apply. Pure, so the rules are tested without a database.
pub fn apply_edit(entries: &[PlaylistEntry], edit: &EntriesEdit) -> Result<Vec<Placed>, PlaylistError> {
    let mut placed: Vec<Placed> =
        entries.iter().map(|entry| Placed { entry_id: Some(entry.entry_id), track_id: entry.track_id.0 }).collect();
    match edit {
        EntriesEdit::Add { tracks, position } => {
            if placed.len() + tracks.len() > MAX_PLAYLIST_ENTRIES {
                return Err(PlaylistError::TooManyEntries);
            }
            let at = position.unwrap_or(placed.len()).min(placed.len());
            let added = tracks.iter().map(|track| Placed { entry_id: None, track_id: track.0 });
            placed.splice(at..at, added);
        }
        EntriesEdit::Remove { entry_id } => {
            let index = index_of(&placed, *entry_id)?;
            placed.remove(index);
        }
        EntriesEdit::Move { entry_id, position } => {
            let index = index_of(&placed, *entry_id)?;
            let entry = placed.remove(index);
            let at = (*position).min(placed.len());
            placed.insert(at, entry);
        }
    }
    Ok(placed)
}

fn index_of(placed: &[Placed], entry_id: i64) -> Result<usize, PlaylistError> {
    placed.iter().position(|entry| entry.entry_id == Some(entry_id)).ok_or(PlaylistError::NoSuchEntry(entry_id))
}

#[async_trait::async_trait]
impl<DB: Engine> PlaylistStore for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    async fn create_playlist(
        &self,
        owner: UserId,
        playlist: &NewPlaylist,
        now_ms: i64,
    ) -> Result<PlaylistSummary, PlaylistError> {
        let id: Option<i64> = query_scalar(INSERT_PLAYLIST)
            .arg(owner.0)
            .arg(&playlist.name)
            .arg(&playlist.description)
            .arg(playlist.public)
            .arg(now_ms)
            .arg(MAX_PLAYLISTS_PER_USER)
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error)?;
        let id = id.ok_or(PlaylistError::TooManyPlaylists)?;
        Ok(PlaylistStore::playlist(self, id).await?)
    }

    async fn playlist(&self, id: i64) -> Result<PlaylistSummary, StoreError> {
        let row: Option<PlaylistRow> =
            query_as(SELECT_PLAYLIST).arg(id).fetch_optional(&self.pool).await.map_err(query_error)?;
        row.map(into_summary).ok_or_else(|| StoreError::not_found("playlist", id))
    }

    async fn playlist_entries(&self, id: i64) -> Result<Vec<PlaylistEntry>, StoreError> {
        Self::entries(&self.pool, id).await.map_err(query_error)
    }

    async fn playlists_of(&self, user: UserId) -> Result<Vec<PlaylistSummary>, StoreError> {
        let rows: Vec<PlaylistRow> =
            query_as(SELECT_PLAYLISTS_OF).arg(user.0).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows.into_iter().map(into_summary).collect())
    }

    async fn all_playlists(&self) -> Result<Vec<PlaylistSummary>, StoreError> {
        let rows: Vec<PlaylistRow> = query_as(SELECT_ALL_PLAYLISTS).fetch_all(&self.pool).await.map_err(query_error)?;
        Ok(rows.into_iter().map(into_summary).collect())
    }

    async fn change_playlist(
        &self,
        id: i64,
        change: &PlaylistChange,
        expected_version: Option<i64>,
        now_ms: i64,
    ) -> Result<PlaylistSummary, PlaylistError> {
        let mut tx = self.pool.begin().await.map_err(query_error)?;
        self.bump_version(&mut tx, id, expected_version, now_ms).await?;
        sqlx::query(CHANGE_PLAYLIST)
            .arg(id)
            .arg(change.name.as_deref())
            .arg(change.description.as_deref())
            .arg(change.public)
            .execute(&mut *tx)
            .await
            .map_err(query_error)?;
        tx.commit().await.map_err(query_error)?;
        Ok(PlaylistStore::playlist(self, id).await?)
    }

    async fn edit_entries(
        &self,
        id: i64,
        edit: &EntriesEdit,
        expected_version: Option<i64>,
        now_ms: i64,
    ) -> Result<PlaylistSummary, PlaylistError> {
        let mut tx = self.pool.begin().await.map_err(query_error)?;
        self.bump_version(&mut tx, id, expected_version, now_ms).await?;
        if let EntriesEdit::Add { tracks, .. } = edit {
            self.check_tracks_exist(&mut tx, tracks).await?;
        }
        let before = Self::entries(&mut *tx, id).await.map_err(query_error)?;
        let after = apply_edit(&before, edit)?;
        if let EntriesEdit::Remove { entry_id } = edit {
            sqlx::query(DELETE_ENTRY).arg(entry_id).arg(id).execute(&mut *tx).await.map_err(query_error)?;
        }
        Self::write_order(&mut tx, id, &before, &after, now_ms).await.map_err(query_error)?;
        tx.commit().await.map_err(query_error)?;
        Ok(PlaylistStore::playlist(self, id).await?)
    }

    async fn delete_playlist(&self, id: i64) -> Result<(), StoreError> {
        let deleted =
            sqlx::query(DELETE_PLAYLIST).arg(id).execute(&self.pool).await.map_err(query_error)?.rows_affected();
        if deleted == 0 {
            return Err(StoreError::not_found("playlist", id));
        }
        Ok(())
    }

    async fn playlist_cover_sources(&self, id: i64) -> Result<(i64, Vec<CoverId>), StoreError> {
        let rows: Vec<(i64, Option<String>)> =
            query_as(COVER_SOURCES).arg(id).fetch_all(&self.pool).await.map_err(query_error)?;
        let version = rows.first().map(|row| row.0).ok_or_else(|| StoreError::not_found("playlist", id))?;
        let covers = rows.into_iter().filter_map(|(_, cover)| cover.as_deref().and_then(CoverId::parse)).collect();
        Ok((version, covers))
    }

    async fn set_playlist_cover(&self, id: i64, cover: Option<&CoverId>, version: i64) -> Result<bool, StoreError> {
        let updated = sqlx::query(SET_COVER)
            .arg(id)
            .arg(cover.map(CoverId::as_str))
            .arg(version)
            .execute(&self.pool)
            .await
            .map_err(query_error)?
            .rows_affected();
        Ok(updated > 0)
    }

    async fn is_playlist_cover(&self, cover: &CoverId) -> Result<bool, StoreError> {
        let uses: i64 =
            query_scalar(COUNT_COVER_USES).arg(cover.as_str()).fetch_one(&self.pool).await.map_err(query_error)?;
        Ok(uses > 0)
    }

    async fn follow_playlist(&self, user: UserId, id: i64, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query(FOLLOW).arg(user.0).arg(id).arg(now_ms).execute(&self.pool).await.map_err(query_error)?;
        Ok(())
    }

    async fn unfollow_playlist(&self, user: UserId, id: i64) -> Result<(), StoreError> {
        sqlx::query(UNFOLLOW).arg(user.0).arg(id).execute(&self.pool).await.map_err(query_error)?;
        Ok(())
    }
}

impl<DB: Engine> SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    /// Bumps the version first (taking the lock), then checks the edit's base version.
    /// The entries of playlist `id`, in order.
    async fn entries<'e>(
        executor: impl Executor<'e, Database = DB>,
        id: i64,
    ) -> Result<Vec<PlaylistEntry>, sqlx::Error> {
        let rows: Vec<(i64, i64, i64)> = query_as(SELECT_ENTRIES).arg(id).fetch_all(executor).await?;
        Ok(rows
            .into_iter()
            .map(|(entry_id, track, added_at)| PlaylistEntry { entry_id, track_id: TrackId(track), added_at })
            .collect())
    }

    /// Writes the order `after` over `before`: new entries are inserted, and only the
    /// positions that changed are rewritten (appending touches nothing old).
    async fn write_order(
        conn: &mut DB::Connection,
        id: i64,
        before: &[PlaylistEntry],
        after: &[Placed],
        now_ms: i64,
    ) -> Result<(), sqlx::Error> {
        let old_positions: HashMap<i64, usize> =
            before.iter().enumerate().map(|(position, entry)| (entry.entry_id, position)).collect();
        for (position, placed) in after.iter().enumerate() {
            let position_value = i64::try_from(position).unwrap_or(i64::MAX);
            match placed.entry_id {
                None => {
                    sqlx::query(INSERT_ENTRY)
                        .arg(id)
                        .arg(position_value)
                        .arg(placed.track_id)
                        .arg(now_ms)
                        .fetch_one(&mut *conn)
                        .await?;
                }
                Some(entry_id) if old_positions.get(&entry_id) != Some(&position) => {
                    sqlx::query(SET_POSITION).arg(entry_id).arg(position_value).execute(&mut *conn).await?;
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    async fn bump_version(
        &self,
        tx: &mut sqlx::Transaction<'_, DB>,
        id: i64,
        expected_version: Option<i64>,
        now_ms: i64,
    ) -> Result<(), PlaylistError> {
        let bumped: Option<i64> =
            query_scalar(BUMP_VERSION).arg(id).arg(now_ms).fetch_optional(&mut **tx).await.map_err(query_error)?;
        let current = bumped.ok_or_else(|| StoreError::not_found("playlist", id))? - 1;
        match expected_version {
            Some(expected) if expected != current => Err(PlaylistError::VersionMismatch { expected, current }),
            _ => Ok(()),
        }
    }

    async fn check_tracks_exist(
        &self,
        tx: &mut sqlx::Transaction<'_, DB>,
        tracks: &[TrackId],
    ) -> Result<(), PlaylistError> {
        let mut distinct: Vec<i64> = tracks.iter().map(|track| track.0).collect();
        distinct.sort_unstable();
        distinct.dedup();
        for chunk in distinct.chunks(ROWS_PER_STATEMENT) {
            let mut query = sqlx::QueryBuilder::<DB>::new(EXISTING_TRACKS);
            query.push("(");
            let mut ids = query.separated(", ");
            for id in chunk {
                ids.push_arg(*id);
            }
            query.push(")");
            let found: HashSet<i64> =
                query.build_scalars().fetch_all(&mut **tx).await.map_err(query_error)?.into_iter().collect();
            if let Some(missing) = chunk.iter().find(|id| !found.contains(id)) {
                return Err(PlaylistError::NoSuchTrack(*missing));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use tonearm_domain::TrackId;
    use tonearm_model::{EntriesEdit, MAX_PLAYLIST_ENTRIES, PlaylistEntry, PlaylistError};

    use super::apply_edit;

    fn entries(tracks: &[i64]) -> Vec<PlaylistEntry> {
        tracks
            .iter()
            .enumerate()
            .map(|(index, track)| PlaylistEntry {
                entry_id: 100 + index as i64,
                track_id: TrackId(*track),
                added_at: 0,
            })
            .collect()
    }

    fn tracks_after(before: &[PlaylistEntry], edit: EntriesEdit) -> Vec<i64> {
        apply_edit(before, &edit).unwrap().iter().map(|placed| placed.track_id).collect()
    }

    #[test]
    fn edits_keep_duplicates_apart_and_clamp_positions() {
        let before = entries(&[1, 2, 1]);
        assert_eq!(
            tracks_after(&before, EntriesEdit::Add { tracks: vec![TrackId(9)], position: Some(1) }),
            [1, 9, 2, 1]
        );
        assert_eq!(
            tracks_after(&before, EntriesEdit::Add { tracks: vec![TrackId(9)], position: Some(99) }),
            [1, 2, 1, 9]
        );
        // Removing the second "1" by its entry id leaves the first one.
        assert_eq!(tracks_after(&before, EntriesEdit::Remove { entry_id: 102 }), [1, 2]);
        assert_eq!(tracks_after(&before, EntriesEdit::Move { entry_id: 100, position: 2 }), [2, 1, 1]);
        assert_eq!(tracks_after(&before, EntriesEdit::Move { entry_id: 102, position: 0 }), [1, 1, 2]);
        assert!(matches!(
            apply_edit(&before, &EntriesEdit::Remove { entry_id: 7 }),
            Err(PlaylistError::NoSuchEntry(7))
        ));
    }

    #[test]
    fn a_playlist_holds_at_most_the_limit() {
        let full = entries(&vec![1; MAX_PLAYLIST_ENTRIES - 1]);
        let one_more = EntriesEdit::Add { tracks: vec![TrackId(2)], position: None };
        assert_eq!(apply_edit(&full, &one_more).unwrap().len(), MAX_PLAYLIST_ENTRIES);
        let two_more = EntriesEdit::Add { tracks: vec![TrackId(2), TrackId(3)], position: None };
        assert!(matches!(apply_edit(&full, &two_more), Err(PlaylistError::TooManyEntries)));
    }
}
