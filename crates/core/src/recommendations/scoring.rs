//! Scores over the whole catalog, one per item of the facts: for a listener (the learned
//! model folded in on their live evidence, blended with their taste by content so new
//! tracks and new listeners get sensible answers) and for seeds (radio, related artists).

use tonearm_recommend::content::{self, TasteProfile};
use tonearm_recommend::rerank::{Candidate, RerankRules, rerank};

use super::facts::CatalogFacts;
use super::published::Aligned;
use super::taste::ListenerTaste;

/// How much the content taste counts beside a learned model (which is scaled to `[0, 1]`).
const CONTENT_WEIGHT: f32 = 0.3;
/// A little popularity breaks ties towards what others enjoyed.
const POPULARITY_WEIGHT: f32 = 0.05;
/// At most this many seeds are compared by content (a long playlist's first ones).
const MAX_CONTENT_SEEDS: usize = 10;
/// Learned neighbours fetched per seed.
const NEIGHBOURS_PER_SEED: usize = 300;
/// Candidates re-ranked, the best by score: re-ranking costs candidates × picks.
const RERANKED_CANDIDATES: usize = 600;

/// The listener's score for every item.
pub fn personal_scores(facts: &CatalogFacts, model: Option<&Aligned>, taste: &ListenerTaste) -> Vec<f32> {
    let learned = model.and_then(|model| folded_in(facts, model, &taste.evidence));
    let content_weight = if learned.is_some() { CONTENT_WEIGHT } else { 1.0 };
    let mut scores = learned.unwrap_or_else(|| vec![0.0; facts.tracks.len()]);
    add_taste(&mut scores, facts, &taste.profile, content_weight);
    add_popularity(&mut scores, facts);
    scores
}

/// Scores of items like `seeds` (radio, "fans also like"), lightly leaning to the
/// listener's own taste.
pub fn seed_scores(facts: &CatalogFacts, model: Option<&Aligned>, seeds: &[u32], taste: &ListenerTaste) -> Vec<f32> {
    let mut scores = vec![0.0; facts.tracks.len()];
    if let Some(model) = model {
        for &seed in seeds {
            let Some(model_item) = model.model_item_of[seed as usize] else { continue };
            for (neighbour, similarity) in model.model.bundle.neighbours.similar_items(model_item, NEIGHBOURS_PER_SEED)
            {
                if let Some(item) = model.fact_item_of[neighbour as usize] {
                    scores[item as usize] += similarity.max(0.0);
                }
            }
        }
        scale_to_unit(&mut scores);
    }
    let compared = &seeds[..seeds.len().min(MAX_CONTENT_SEEDS)];
    if !compared.is_empty() {
        let weight = 0.6 / compared.len() as f32;
        for (item, score) in scores.iter_mut().enumerate() {
            let item = &facts.content[item];
            *score += weight
                * compared.iter().map(|&seed| content::similarity(&facts.content[seed as usize], item)).sum::<f32>();
        }
    }
    add_taste(&mut scores, facts, &taste.profile, 0.1);
    add_popularity(&mut scores, facts);
    scores
}

/// Scores from the model for a listener described by `evidence`, scaled to `[0, 1]`;
/// `None` when none of their items is known to the model.
fn folded_in(facts: &CatalogFacts, model: &Aligned, evidence: &[(u32, f32)]) -> Option<Vec<f32>> {
    let known: Vec<(u32, f32)> = evidence
        .iter()
        .filter_map(|&(item, confidence)| model.model_item_of[item as usize].map(|model_item| (model_item, confidence)))
        .collect();
    if known.is_empty() {
        return None;
    }
    let model_scores = model.model.bundle.model.scores_for_items(&known);
    let mut scores = vec![0.0; facts.tracks.len()];
    for (model_item, score) in model_scores.into_iter().enumerate() {
        if let Some(item) = model.fact_item_of[model_item] {
            scores[item as usize] = score;
        }
    }
    scale_to_unit(&mut scores);
    Some(scores)
}

fn add_taste(scores: &mut [f32], facts: &CatalogFacts, profile: &TasteProfile, weight: f32) {
    if profile.is_empty() {
        return;
    }
    for (score, item) in scores.iter_mut().zip(&facts.content) {
        *score += weight * profile.affinity(item);
    }
}

fn add_popularity(scores: &mut [f32], facts: &CatalogFacts) {
    let most = facts.popularity.iter().copied().fold(0.0_f32, f32::max);
    if most <= 0.0 {
        return;
    }
    let scale = POPULARITY_WEIGHT / (1.0 + most).ln();
    for (score, plays) in scores.iter_mut().zip(&facts.popularity) {
        *score += scale * (1.0 + plays).ln();
    }
}

/// Divides by the largest score so models with different scales blend alike.
fn scale_to_unit(scores: &mut [f32]) {
    let most = scores.iter().copied().fold(0.0_f32, f32::max);
    if most > 0.0 {
        scores.iter_mut().for_each(|score| *score /= most);
    }
}

/// Which items may be offered.
pub struct Offer<'a> {
    /// Free listeners are never offered Premium-only albums.
    pub premium: bool,
    pub excluded: &'a dyn Fn(u32) -> bool,
    pub only: Option<&'a dyn Fn(u32) -> bool>,
}

/// The best offerable items by `scores`, re-ranked by `rules`.
pub fn pick(facts: &CatalogFacts, scores: &[f32], offer: &Offer<'_>, rules: &RerankRules) -> Vec<u32> {
    let mut candidates: Vec<Candidate> = scores
        .iter()
        .enumerate()
        .filter(|&(item, _)| {
            let item = item as u32;
            (offer.premium || !facts.tracks[item as usize].premium_only)
                && !(offer.excluded)(item)
                && offer.only.is_none_or(|only| only(item))
        })
        .map(|(item, &relevance)| {
            let content = &facts.content[item];
            Candidate { item: item as u32, relevance, artist: content.artist, genre: content.genre }
        })
        .collect();
    if candidates.len() > RERANKED_CANDIDATES {
        candidates.select_nth_unstable_by(RERANKED_CANDIDATES, |a, b| b.relevance.total_cmp(&a.relevance));
        candidates.truncate(RERANKED_CANDIDATES);
    }
    // Equal scores (a catalog nobody played yet) keep catalog order, so answers are stable.
    candidates.sort_by(|a, b| b.relevance.total_cmp(&a.relevance).then(a.item.cmp(&b.item)));
    rerank(&candidates, rules).into_iter().map(|candidate| candidate.item).collect()
}
