//! "Made for you" and "Discover": a listener's daily mixes, one per taste cluster (a genre
//! holding at least a tenth of their listening, up to four), and tracks they never played.

use std::collections::HashMap;

use tonearm_domain::{AlbumId, CoverId};
use tonearm_recommend::rerank::RerankRules;

use super::facts::CatalogFacts;
use super::scoring::{Offer, pick};
use super::taste::ListenerTaste;
use super::{Mix, Reason};

pub const MIX_TRACKS: usize = 30;
const MAX_MIXES: usize = 4;
/// A genre with less of the listener's evidence than this is not a taste of theirs.
const CLUSTER_SHARE: f32 = 0.1;
/// A mix shorter than this brings back what the listener heard lately.
const SHORTEST_MIX: usize = 10;
pub const DISCOVER_TRACKS: usize = 30;
/// The id of a newcomer's mix.
pub const POPULAR_MIX: &str = "popular";

const MIX_RULES: RerankRules = RerankRules { limit: MIX_TRACKS, per_artist: 3, diversity: 0.3 };
const DISCOVER_RULES: RerankRules = RerankRules { limit: DISCOVER_TRACKS, per_artist: 2, diversity: 0.4 };

/// The listener's mixes, by share of their taste; a popular mix for a newcomer.
pub fn made_for_you(facts: &CatalogFacts, scores: &[f32], taste: &ListenerTaste, premium: bool) -> Vec<Mix> {
    if taste.is_new() {
        return popular_mix(facts, scores, premium).into_iter().collect();
    }
    let clusters: Vec<Option<u32>> = match taste.profile.main_genres(CLUSTER_SHARE) {
        genres if genres.is_empty() => vec![None],
        genres => genres.into_iter().take(MAX_MIXES).map(|(genre, _)| Some(genre)).collect(),
    };
    clusters
        .into_iter()
        .enumerate()
        .filter_map(|(index, genre)| {
            let in_cluster = |item: u32| genre.is_none() || facts.content[item as usize].genre == genre;
            let recently = |item: u32| taste.heard_recently.contains(&item);
            let mut items =
                pick(facts, scores, &Offer { premium, excluded: &recently, only: Some(&in_cluster) }, &MIX_RULES);
            if items.len() < SHORTEST_MIX {
                items =
                    pick(facts, scores, &Offer { premium, excluded: &|_| false, only: Some(&in_cluster) }, &MIX_RULES);
            }
            if items.is_empty() {
                return None;
            }
            let name = genre.map_or("Your", |genre| facts.genre_names[genre as usize].as_str());
            Some(mix(facts, taste, format!("mix-{}", index + 1), format!("{name} Mix"), &items))
        })
        .collect()
}

/// What everyone plays most, diverse by artist: a newcomer's first mix.
pub fn popular_mix(facts: &CatalogFacts, scores: &[f32], premium: bool) -> Option<Mix> {
    let items = pick(facts, scores, &Offer { premium, excluded: &|_| false, only: None }, &MIX_RULES);
    if items.is_empty() {
        return None;
    }
    let tracks = items.iter().map(|&item| (facts.tracks[item as usize].clone(), Reason::Popular)).collect();
    Some(Mix {
        id: POPULAR_MIX.to_owned(),
        title: "Popular on Tonearm".to_owned(),
        description: format!("{} and more", lead_artists(facts, &items)),
        covers: covers(facts, &items),
        tracks,
    })
}

/// Tracks the listener never played nor liked, best first.
pub fn discover(facts: &CatalogFacts, scores: &[f32], taste: &ListenerTaste, premium: bool) -> Vec<(u32, Reason)> {
    let known =
        |item: u32| taste.heard.contains(&item) || taste.evidence.binary_search_by_key(&item, |&(i, _)| i).is_ok();
    let items = pick(facts, scores, &Offer { premium, excluded: &known, only: None }, &DISCOVER_RULES);
    items.into_iter().map(|item| (item, reason_for(facts, taste, item))).collect()
}

fn mix(facts: &CatalogFacts, taste: &ListenerTaste, id: String, title: String, items: &[u32]) -> Mix {
    let tracks =
        items.iter().map(|&item| (facts.tracks[item as usize].clone(), reason_for(facts, taste, item))).collect();
    Mix {
        id,
        title,
        description: format!("{} and more", lead_artists(facts, items)),
        covers: covers(facts, items),
        tracks,
    }
}

/// Why a personal pick: the listener's own artist in the pick's genre, or the one they
/// play most; popularity for someone with no taste yet.
pub fn reason_for(facts: &CatalogFacts, taste: &ListenerTaste, item: u32) -> Reason {
    let content = &facts.content[item as usize];
    let artists = taste.profile.main_artists();
    let same_genre = artists.iter().find(|&&(artist, _)| {
        content.genre.is_some()
            && facts.items_by_artist(artist).iter().any(|&other| facts.content[other as usize].genre == content.genre)
    });
    match same_genre.or(artists.first()) {
        Some(&(artist, _)) => Reason::BecauseYouListened { artist: facts.artist_name(artist).to_owned() },
        None => Reason::Popular,
    }
}

/// The three artists with most tracks in a list, for its description.
fn lead_artists(facts: &CatalogFacts, items: &[u32]) -> String {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for &item in items {
        *counts.entry(facts.content[item as usize].artist).or_default() += 1;
    }
    let mut ranked: Vec<(u32, usize)> = counts.into_iter().filter(|&(artist, _)| artist != u32::MAX).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let names: Vec<&str> = ranked.iter().take(3).map(|&(artist, _)| facts.artist_name(artist)).collect();
    names.join(", ")
}

/// The covers of up to four distinct albums, in the order their tracks come: a 2×2 mosaic.
fn covers(facts: &CatalogFacts, items: &[u32]) -> Vec<CoverId> {
    let mut albums: Vec<AlbumId> = Vec::new();
    let mut covers = Vec::new();
    for &item in items {
        let track = &facts.tracks[item as usize];
        if let Some(cover) = &track.cover_id
            && !albums.contains(&track.album.id)
        {
            albums.push(track.album.id);
            covers.push(cover.clone());
        }
        if covers.len() == 4 {
            break;
        }
    }
    covers
}
