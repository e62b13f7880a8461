//! The listeners of the Home benchmark: accounts with access tokens, 90 days of play
//! history skewed toward popular tracks, playlists, follows and likes. Written through the
//! stores (the batch API for events), not HTTP, so a million events take seconds.

use std::future::Future;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::task::JoinSet;
use tonearm_auth::{AccessClaims, Keyring};
use tonearm_domain::{Role, Tier, TrackId, UserId};
use tonearm_model::{
    ContextKind, EndReason, EntriesEdit, LikeTarget, ListeningStore, NewPlaylist, NewUser, PlayContext, PlayEvent,
    PlayEventKind, PlaylistStore, UserSummary,
};
use tonearm_store::Stores;
use tonearm_testkit::generated_catalog::Random;

const DAY_MS: i64 = 24 * 3600 * 1000;
/// How far back the history goes: "this week" and "four weeks" are slices of it.
const HISTORY_MS: i64 = 90 * DAY_MS;
/// The history is written a slice of days at a time, every listener's in turn, as clients
/// would have sent it: the table ends up in rough time order, like one filled in service.
const WRITTEN_DAYS_AT_A_TIME: i64 = 10;
/// Tracks a listener comes back to; most of their plays are among them.
const FAVOURITES: usize = 40;
const FAVOURITE_SHARE_PERCENT: usize = 60;
const COMPLETED_PERCENT: usize = 80;
/// The generated tracks all last 4 minutes.
const TRACK_MS: i64 = 240_000;
/// Events per `record_plays` call, the largest batch the API accepts.
const EVENTS_PER_BATCH: usize = 500;
const PLAYLISTS_EACH: usize = 3;
const PLAYLIST_TRACKS: usize = 25;
const LIKES_EACH: usize = 10;

/// Track popularity: Zipf–Mandelbrot over a shuffled catalog (weight 1 / (rank + 10)), so
/// a few tracks take a large share of plays without one track taking most of them.
struct Popularity {
    tracks: Vec<TrackId>,
    /// Running totals of the weights, in `tracks` order.
    cumulative: Vec<u64>,
}

impl Popularity {
    fn new(mut tracks: Vec<TrackId>, random: &mut Random) -> Self {
        for index in (1..tracks.len()).rev() {
            tracks.swap(index, random.below(index + 1));
        }
        let cumulative = (0..tracks.len())
            .scan(0u64, |total, rank| {
                *total += 1_000_000_000_000 / (rank as u64 + 11);
                Some(*total)
            })
            .collect();
        Self { tracks, cumulative }
    }

    fn pick(&self, random: &mut Random) -> TrackId {
        let total = *self.cumulative.last().expect("a catalog");
        let point = random.below(total as usize) as u64;
        self.tracks[self.cumulative.partition_point(|&sum| sum <= point)]
    }
}

/// One listener's writes, generated up front (deterministically).
struct Listener {
    id: UserId,
    /// In time order.
    events: Arc<[PlayEvent]>,
    playlists: Vec<(NewPlaylist, Vec<TrackId>)>,
    likes: Vec<TrackId>,
}

impl Listener {
    fn generate(id: UserId, plays: usize, popularity: &Popularity, now_ms: i64, random: &mut Random) -> Self {
        let favourites: Vec<TrackId> = (0..FAVOURITES).map(|_| popularity.pick(random)).collect();
        let choose = |random: &mut Random| {
            if random.below(100) < FAVOURITE_SHARE_PERCENT {
                favourites[random.below(FAVOURITES)]
            } else {
                popularity.pick(random)
            }
        };
        let mut starts: Vec<i64> =
            (0..plays).map(|_| now_ms - 60_000 - TRACK_MS - random.below(HISTORY_MS as usize) as i64).collect();
        starts.sort_unstable();
        let context = Some(PlayContext { kind: ContextKind::Library, id: None });
        let mut events = Vec::with_capacity(plays * 2);
        for (play, started) in starts.into_iter().enumerate() {
            let track_id = choose(random);
            let (ms_played, reason) = if random.below(100) < COMPLETED_PERCENT {
                (TRACK_MS, EndReason::Completed)
            } else {
                (5_000 + random.below(55_000) as i64, EndReason::Skipped)
            };
            let event = |kind, suffix, occurred_at, ms_played, reason| PlayEvent {
                client_event_id: format!("{play}-{suffix}"),
                kind,
                track_id,
                occurred_at,
                ms_played,
                reason,
                context: context.clone(),
            };
            events.push(event(PlayEventKind::PlayStart, "start", started, 0, None));
            events.push(event(PlayEventKind::PlayEnd, "end", started + ms_played, ms_played, Some(reason)));
        }
        events.sort_by_key(|event| event.occurred_at);
        let playlists = (0..PLAYLISTS_EACH)
            .map(|number| {
                let playlist = NewPlaylist {
                    name: format!("Mix {}", number + 1),
                    description: String::new(),
                    public: number == 0,
                };
                (playlist, (0..PLAYLIST_TRACKS).map(|_| choose(random)).collect())
            })
            .collect();
        Self { id, events: events.into(), playlists, likes: favourites[..LIKES_EACH].to_vec() }
    }

    /// Records the events that happened in `from..to`, in batches as a client sends them.
    fn record_between(
        &self,
        from: i64,
        to: i64,
        listening: Arc<dyn ListeningStore>,
        now_ms: i64,
    ) -> impl Future<Output = (UserId, Result<(), String>)> + Send + 'static {
        let start = self.events.partition_point(|event| event.occurred_at < from);
        let end = self.events.partition_point(|event| event.occurred_at < to);
        let (id, events) = (self.id, Arc::clone(&self.events));
        async move {
            for batch in events[start..end].chunks(EVENTS_PER_BATCH) {
                if let Err(error) = listening.record_plays(id, batch, now_ms).await {
                    return (id, Err(error.to_string()));
                }
            }
            (id, Ok(()))
        }
    }

    /// Creates the playlists and likes; returns the id of the public playlist.
    fn write_library(
        &self,
        listening: Arc<dyn ListeningStore>,
        playlists: Arc<dyn PlaylistStore>,
        now_ms: i64,
    ) -> impl Future<Output = (UserId, Result<i64, String>)> + Send + 'static {
        let (id, wanted, likes) = (self.id, self.playlists.clone(), self.likes.clone());
        let written = async move {
            let mut public = None;
            for (playlist, tracks) in &wanted {
                let created =
                    playlists.create_playlist(id, playlist, now_ms).await.map_err(|error| error.to_string())?;
                let edit = EntriesEdit::Add { tracks: tracks.clone(), position: None };
                playlists.edit_entries(created.id, &edit, None, now_ms).await.map_err(|error| error.to_string())?;
                public = public.or(playlist.public.then_some(created.id));
            }
            for track in likes {
                listening.like(id, LikeTarget::Track(track), now_ms).await.map_err(|error| error.to_string())?;
            }
            public.ok_or_else(|| "no public playlist".to_owned())
        };
        async move { (id, written.await) }
    }
}

/// Runs `writes` `concurrency` at a time; returns their results in listener order.
async fn run_writes<T: Send + 'static>(
    writes: Vec<impl Future<Output = (UserId, Result<T, String>)> + Send + 'static>,
    concurrency: usize,
) -> Vec<(UserId, T)> {
    let mut done = Vec::with_capacity(writes.len());
    let mut writes = writes.into_iter();
    let mut running = JoinSet::new();
    loop {
        while running.len() < concurrency
            && let Some(write) = writes.next()
        {
            running.spawn(write);
        }
        let Some(finished) = running.join_next().await else { break };
        let (user, result) = finished.expect("a write task");
        done.push((user, result.unwrap_or_else(|error| panic!("writing listener {user} failed: {error}"))));
    }
    done.sort_unstable_by_key(|(user, _)| *user);
    done
}

/// Creates `listeners` accounts and `events` play events (starts and ends in pairs, each
/// listener's share between 1 and 9 parts), writing `concurrency` listeners at a time.
/// Returns each listener's access token, signed with `keyring`, in account order.
pub async fn populate(
    stores: &Stores,
    keyring: &Keyring,
    tracks: Vec<TrackId>,
    listeners: usize,
    events: usize,
    concurrency: usize,
    now_ms: i64,
) -> Vec<String> {
    let mut random = Random(0x5EED_1234_ABCD_0001);
    let popularity = Popularity::new(tracks, &mut random);
    let mut accounts: Vec<UserSummary> = Vec::with_capacity(listeners);
    for number in 0..listeners {
        let name = format!("listener{number:04}");
        let account = NewUser {
            username: name.clone(),
            username_key: name.clone(),
            email: format!("{name}@bench.invalid"),
            email_key: format!("{name}@bench.invalid"),
            // Not a hash: nobody signs in with a password; tokens are issued below.
            password_hash: "!".to_owned(),
            role: Some(Role::User),
            tier: if number % 2 == 0 { Tier::Premium } else { Tier::Free },
        };
        accounts.push(stores.users.create_user(&account, now_ms).await.expect("listener account"));
    }
    let shares: Vec<usize> = (0..listeners).map(|_| 1 + random.below(9)).collect();
    let total_share: usize = shares.iter().sum();
    let plays = events / 2;
    let mut counts: Vec<usize> = shares.iter().map(|share| plays * share / total_share).collect();
    // The first listener takes the rounding remainder, so the events add up exactly.
    counts[0] += plays - counts.iter().sum::<usize>();
    let generated: Vec<Listener> = accounts
        .iter()
        .zip(counts)
        .map(|(account, count)| Listener::generate(account.id, count, &popularity, now_ms, &mut random))
        .collect();

    let slice_ms = WRITTEN_DAYS_AT_A_TIME * DAY_MS;
    let mut from = now_ms - HISTORY_MS - slice_ms;
    while from < now_ms {
        let to = from + slice_ms;
        let writes =
            generated.iter().map(|listener| listener.record_between(from, to, Arc::clone(&stores.listening), now_ms));
        run_writes(writes.collect(), concurrency).await;
        from = to;
    }
    let libraries = generated
        .iter()
        .map(|listener| listener.write_library(Arc::clone(&stores.listening), Arc::clone(&stores.playlists), now_ms));
    let public_playlists = run_writes(libraries.collect(), concurrency).await;
    // Each listener follows the next one's public playlist, so "your playlists" mixes both.
    for (index, &(user, _)) in public_playlists.iter().enumerate() {
        let (_, followed) = public_playlists[(index + 1) % public_playlists.len()];
        stores.playlists.follow_playlist(user, followed, now_ms).await.expect("follow");
    }
    // Issued last: they expire 15 minutes after, and writing a million events takes a while.
    let issued_at = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    accounts
        .iter()
        .map(|user| {
            keyring.issue(&AccessClaims::new(user.id, "bench", user.role, user.tier, issued_at)).expect("token")
        })
        .collect()
}
