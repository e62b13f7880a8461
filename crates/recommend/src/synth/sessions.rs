//! A listener's history: sessions of consecutive plays, each session mostly inside one taste
//! cluster, with detours to whatever is popular; plays that finish, plays skipped early
//! (far more often outside the listener's taste) and now and then a like.

use rand::Rng;

use super::catalog::{Catalog, draw_cumulative};
use super::taste::Taste;
use super::{Event, Outcome};

/// Plays per session: one more than a geometric count with this mean.
const MEAN_SESSION_PLAYS: f64 = 11.0;
/// The share of a session's plays from its cluster; the rest come from charts and radio.
const IN_CLUSTER: f64 = 0.85;
/// Inside the cluster, the share of plays of a favourite artist.
const FAVOURITE_ARTIST: f64 = 0.5;
const SKIP_INSIDE_TASTE: f64 = 0.1;
const SKIP_OUTSIDE_TASTE: f64 = 0.6;
const LIKE_INSIDE_TASTE: f64 = 0.06;
const LIKE_OUTSIDE_TASTE: f64 = 0.005;
/// Seconds: a played track, a skipped one, and the pause between two sessions.
const TRACK_SECONDS: std::ops::RangeInclusive<u32> = 150..=330;
const SKIP_SECONDS: std::ops::RangeInclusive<u32> = 5..=30;
const SESSION_GAP_SECONDS: std::ops::RangeInclusive<u32> = 3_600..=3 * 86_400;
/// Listeners start at different times within the first thirty days.
const FIRST_START_SECONDS: u32 = 30 * 86_400;

/// Appends `plays` events of `user` to `events`, in time order.
pub(super) fn listen(
    catalog: &Catalog,
    taste: &Taste,
    user: u32,
    plays: usize,
    rng: &mut impl Rng,
    events: &mut Vec<Event>,
) {
    let mut clock = rng.random_range(0..FIRST_START_SECONDS);
    let mut left = plays;
    // The chance a session goes on after each play, for the mean length above.
    let go_on = 1.0 - 1.0 / MEAN_SESSION_PLAYS;
    while left > 0 {
        let cluster = &taste.clusters[draw_cumulative(&taste.cumulative_shares, rng)];
        loop {
            let track = if rng.random_bool(IN_CLUSTER) {
                let artist = if rng.random_bool(FAVOURITE_ARTIST) {
                    cluster.favourite_artists[rng.random_range(0..cluster.favourite_artists.len())]
                } else {
                    catalog.draw_artist(cluster.genre, rng)
                };
                catalog.draw_track(artist, rng)
            } else {
                catalog.draw_any_track(rng)
            };
            let in_taste = taste.holds_genre(catalog.genre_of_track(track));
            let (skip, like) = if in_taste {
                (SKIP_INSIDE_TASTE, LIKE_INSIDE_TASTE)
            } else {
                (SKIP_OUTSIDE_TASTE, LIKE_OUTSIDE_TASTE)
            };
            let outcome = if rng.random_bool(skip) {
                Outcome::Skipped
            } else if rng.random_bool(like) {
                Outcome::Liked
            } else {
                Outcome::Completed
            };
            events.push(Event { user, item: track, outcome, timestamp: clock });
            clock = clock.saturating_add(rng.random_range(if outcome == Outcome::Skipped {
                SKIP_SECONDS
            } else {
                TRACK_SECONDS
            }));
            left -= 1;
            if left == 0 || !rng.random_bool(go_on) {
                break;
            }
        }
        clock = clock.saturating_add(rng.random_range(SESSION_GAP_SECONDS));
    }
}
