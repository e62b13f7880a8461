//! The index on disk: opened (or recreated when missing or unusable), replaced whole by a
//! writer made for each write, searched by any number of readers. Every method blocks:
//! callers on an async runtime run them with `spawn_blocking`.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Mutex, RwLock};

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};
use tonearm_model::{PlaylistSummary, TrackSummary};

use crate::SearchError;
use crate::answer_cache::{AnswerCache, AnswerKey};
use crate::item::Item;
use crate::matching::MatchPlan;
use crate::popularity::{Popularity, Unplayed};
use crate::ranking::GroupedTop;
use crate::request::{Group, MAX_LIMIT, MAX_OFFSET, SearchRequest, SearchResults};
use crate::schema::{Fields, Kind};
use crate::text::{self, Side, WORDS_TOKENIZER};
use crate::vocabulary::Vocabularies;

/// Items sharing one exact name looked at when matching a track by artist and title.
const SAME_NAME_CANDIDATES: usize = 200;

/// Bytes of summaries compressed together in the document store. An answer reads about 40
/// summaries from all over the store, each from a block decompressed for it alone (a few
/// hundred bytes of JSON): tantivy's 16 kB default made decompression a fifth of a search.
const SUMMARY_BLOCK_BYTES: usize = 2048;

/// The writer's indexing memory; tantivy needs at least 15 MB per thread.
const WRITER_MEMORY_BYTES: usize = 64 * 1024 * 1024;

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Serialises writes: tantivy allows one writer per index. The writer itself lives only
    /// while a write runs (see `write`).
    writing: Mutex<()>,
    answers: AnswerCache,
    /// Who has private playlists in the index: only their playlist answers are personal.
    private_owners: RwLock<PrivateOwners>,
    vocabularies: Vocabularies,
}

/// The owners of private playlists as of one generation of the index.
#[derive(Default)]
struct PrivateOwners {
    generation: u64,
    owners: HashSet<u64>,
}

impl SearchIndex {
    /// Opens the index in `directory`, creating it when missing and recreating it (empty)
    /// when it cannot be used: damaged files, or a schema from another version. Either
    /// way the caller fills it with `replace_all`; only an unusable directory is an error.
    pub fn open(directory: &Path) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        let index = match open_existing(directory, &schema) {
            Ok(Some(index)) => index,
            Ok(None) => create(directory, schema)?,
            Err(error) => {
                tracing::warn!(%error, path = %directory.display(), "search index unusable: recreating it");
                std::fs::remove_dir_all(directory).map_err(|source| directory_error(directory, source))?;
                create(directory, schema)?
            }
        };
        index.tokenizers().register(WORDS_TOKENIZER, text::words_analyzer(Side::Document));
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let index = SearchIndex {
            index,
            reader,
            fields,
            writing: Mutex::new(()),
            answers: AnswerCache::default(),
            private_owners: RwLock::default(),
            vocabularies: Vocabularies::default(),
        };
        index.note_generation()?;
        Ok(index)
    }

    /// Runs `edit` on a writer made for it and commits. Writes are rare (a catalog change,
    /// a playlist edit), while a writer kept open holds an indexing thread, a merge pool
    /// and the memory they last used; so each write makes its writer, waits for the merges
    /// its commit started, and lets the threads end. An error drops the uncommitted edit.
    fn write(&self, edit: impl FnOnce(&mut IndexWriter) -> Result<(), SearchError>) -> Result<(), SearchError> {
        let _turn = self.writing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut writer: IndexWriter = self.index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        edit(&mut writer)?;
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        self.note_generation()?;
        Ok(())
    }

    /// Replaces everything indexed with `items`, atomically: searches see the old
    /// contents until the new ones are committed. Returns how many were indexed.
    pub fn replace_all(&self, items: Vec<Item>, popularity: &dyn Popularity) -> Result<usize, SearchError> {
        let count = items.len();
        self.write(|writer| {
            writer.delete_all_documents()?;
            for item in items {
                writer.add_document(self.document(&item, popularity)?)?;
            }
            Ok(())
        })?;
        Ok(count)
    }

    /// Replaces the documents of the playlists in `current` with these summaries and removes
    /// those of the playlists in `gone`, in one commit.
    pub fn update_playlists(&self, current: Vec<PlaylistSummary>, gone: &[i64]) -> Result<(), SearchError> {
        self.write(|writer| {
            for id in gone.iter().chain(current.iter().map(|playlist| &playlist.id)) {
                writer.delete_term(Term::from_field_u64(self.fields.playlist, u64::try_from(*id).unwrap_or(0)));
            }
            for playlist in current {
                // Playlists have no play counts.
                writer.add_document(self.document(&Item::Playlist(playlist), &Unplayed)?)?;
            }
            Ok(())
        })
    }

    /// Searches; see `SearchRequest` and the crate documentation for the rules. A recent
    /// answer to the same request on the same index contents is returned as it was.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        debug_assert!(request.limit <= MAX_LIMIT && request.offset <= MAX_OFFSET);
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let Some(personal) = self.is_personal(generation, request) else {
            // The searcher is from a generation being replaced: answer without the cache.
            return self.search_in(&searcher, request);
        };
        let key = AnswerKey::of(request, personal);
        if let Some(results) = self.answers.get(generation, &key) {
            return Ok(results);
        }
        let results = self.search_in(&searcher, request)?;
        self.answers.put(generation, key, &results);
        Ok(results)
    }

    /// Whether the answer to `request` may hold the viewer's private playlists, as of
    /// `generation`; `None` when the owners known are of another generation.
    fn is_personal(&self, generation: u64, request: &SearchRequest) -> Option<bool> {
        let private = self.private_owners.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        if private.generation != generation {
            return None;
        }
        let viewer = request.viewer.and_then(|user| u64::try_from(user.0).ok());
        Some(request.kinds.contains(&Kind::Playlist) && viewer.is_some_and(|viewer| private.owners.contains(&viewer)))
    }

    /// Notes what searches need to know of the current generation: who owns private
    /// playlists (two fast fields of every document read: well under a millisecond per
    /// 100,000) and the vocabulary of each new segment. Called after each reload, by the writer.
    fn note_generation(&self) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        self.vocabularies.follow(&searcher, &self.fields)?;
        let mut owners = HashSet::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let (public, owner) = (fast.bool("public")?, fast.u64("owner")?);
            for doc in segment.doc_ids_alive() {
                if !public.first(doc).unwrap_or(false)
                    && let Some(owner) = owner.first(doc)
                {
                    owners.insert(owner);
                }
            }
        }
        let generation = searcher.generation().generation_id();
        *self.private_owners.write().unwrap_or_else(std::sync::PoisonError::into_inner) =
            PrivateOwners { generation, owners };
        Ok(())
    }

    fn search_in(&self, searcher: &Searcher, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let plan = MatchPlan::of(&request.text, &self.fields)?;
        let grouped = GroupedTop {
            kinds: request.kinds.clone(),
            keep: request.offset + request.limit.max(1),
            query_chars: request.text.chars(),
            viewer: request.viewer.map_or(0, |user| u64::try_from(user.0).unwrap_or(0)),
        };
        let mut tops = grouped.tops();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let vocabulary = self.vocabularies.of(segment, &self.fields)?;
            let matches = plan.matches(segment, &vocabulary, &self.fields)?;
            grouped.offer(ordinal as u32, segment, &matches, &mut tops)?;
        }
        let tops = grouped.finish(tops);
        let best = tops.iter().filter_map(|(_, top)| top.best.first()).max().map(|ranked| ranked.address);
        let mut top = None;
        let mut groups = Vec::with_capacity(tops.len());
        for (kind, kind_top) in tops {
            let mut items = Vec::with_capacity(request.limit);
            for ranked in kind_top.best.iter().skip(request.offset).take(request.limit) {
                let item = self.load(searcher, ranked.address)?;
                // On a first page the top result is also its group's first item: loaded once.
                if Some(ranked.address) == best {
                    top = Some(item.clone());
                }
                items.push(item);
            }
            groups.push(Group { kind, total: kind_top.total, items });
        }
        if top.is_none()
            && let Some(address) = best
        {
            top = Some(self.load(searcher, address)?);
        }
        Ok(SearchResults { top, groups })
    }

    /// Tracks titled `title` by `artist` (one of the credited artists, all of them as one
    /// text, or the album artist), comparing both as `exact_key` does: case, accents and
    /// spacing aside. How a playlist file's `artist - title` line finds its track.
    pub fn tracks_by(&self, artist: &str, title: &str) -> Result<Vec<TrackSummary>, SearchError> {
        let searcher = self.reader.searcher();
        let same_title = Term::from_field_text(self.fields.name_exact, &text::exact_key(title));
        let query = TermQuery::new(same_title, IndexRecordOption::Basic);
        let hits = searcher.search(&query, &TopDocs::with_limit(SAME_NAME_CANDIDATES).order_by_score())?;
        let artist = text::exact_key(artist);
        let mut tracks = Vec::new();
        for (_, address) in hits {
            if let Item::Track(track) = self.load(&searcher, address)? {
                let credits: Vec<&str> = track.artists.iter().map(|credit| credit.name.as_str()).collect();
                let by = |name: &str| text::exact_key(name) == artist;
                if credits.iter().any(|name| by(name)) || by(&credits.join(", ")) || by(&track.album_artist.name) {
                    tracks.push(track);
                }
            }
        }
        Ok(tracks)
    }

    fn load(&self, searcher: &Searcher, address: DocAddress) -> Result<Item, SearchError> {
        let document: TantivyDocument = searcher.doc(address)?;
        let json = document.get_first(self.fields.item).and_then(|value| value.as_str()).unwrap_or_default();
        Ok(serde_json::from_str(json)?)
    }

    fn document(&self, item: &Item, popularity: &dyn Popularity) -> Result<TantivyDocument, SearchError> {
        let fields = &self.fields;
        let exact_key = text::exact_key(item.name());
        let mut document = TantivyDocument::default();
        document.add_u64(fields.kind, item.kind().code());
        document.add_text(fields.name, item.name());
        document.add_text(fields.secondary, item.secondary_text());
        document.add_u64(fields.name_chars, exact_key.chars().count() as u64);
        document.add_text(fields.name_exact, exact_key);
        document.add_u64(fields.popularity, popularity.of(item.kind(), item.id()));
        document.add_text(fields.item, serde_json::to_string(item)?);
        let (public, owner) = item.visibility();
        document.add_bool(fields.public, public);
        document.add_u64(fields.owner, owner);
        if let Item::Playlist(playlist) = item {
            document.add_u64(fields.playlist, u64::try_from(playlist.id).unwrap_or(0));
        }
        Ok(document)
    }
}

/// The index in `directory` if there is one and it is whole and of this schema.
fn open_existing(directory: &Path, schema: &tantivy::schema::Schema) -> Result<Option<Index>, SearchError> {
    if !directory.join("meta.json").exists() {
        return Ok(None);
    }
    let index = Index::open_in_dir(directory)?;
    if index.schema() != *schema {
        return Err(SearchError::Damaged("it was written with another schema".into()));
    }
    if *index.settings() != settings() {
        return Err(SearchError::Damaged("it was written with other settings".into()));
    }
    let damaged = index.validate_checksum()?;
    if !damaged.is_empty() {
        return Err(SearchError::Damaged(format!("{} files fail their checksum", damaged.len())));
    }
    // Opening a reader opens every segment: what the checksums cannot see fails here.
    index.reader()?;
    Ok(Some(index))
}

fn create(directory: &Path, schema: tantivy::schema::Schema) -> Result<Index, SearchError> {
    std::fs::create_dir_all(directory).map_err(|source| directory_error(directory, source))?;
    Ok(Index::builder().schema(schema).settings(settings()).create_in_dir(directory)?)
}

fn settings() -> IndexSettings {
    IndexSettings { docstore_blocksize: SUMMARY_BLOCK_BYTES, ..IndexSettings::default() }
}

fn directory_error(directory: &Path, source: std::io::Error) -> SearchError {
    SearchError::Directory { path: directory.display().to_string(), source }
}
