//! Training off the request path: one node at a time (it holds the training lease) turns
//! everyone's listening into a confidence matrix, trains the configured model on a blocking
//! thread bounded to `threads` cores, and publishes it; every node, itself included, then
//! loads the newest published model. Requests keep the model they started with.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tonearm_domain::UserId;
use tonearm_model::{LeaderJob, LikeTarget};
use tonearm_recommend::models::{IalsConfig, ItemKnnConfig};
use tonearm_recommend::signals::{ConfidenceWeights, Evidence, confidence};
use tonearm_recommend::{Dataset, ModelConfig, TrainOptions, persist, train};

use super::facts::{CatalogFacts, Facts};
use super::published::{LoadedModel, Published, TrainedBundle};
use super::sounds::SoundAnalysis;
use super::taste::HISTORY_DAYS;
use crate::clock::now_millis;
use crate::stores::{Leaders, Signals};
use crate::{ServiceError, ServiceResult};

const DAY_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Clone)]
pub struct TrainingSettings {
    /// A model older than this is trained again.
    pub every: Duration,
    /// How often a node looks for a model another node published.
    pub poll: Duration,
    /// Cores training may use.
    pub threads: usize,
    /// Scores a listener's items.
    pub model: ModelConfig,
    /// Says which tracks are alike.
    pub neighbours: ModelConfig,
}

impl Default for TrainingSettings {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(3600),
            poll: Duration::from_secs(60),
            threads: 1,
            model: ModelConfig::Ials(IalsConfig::default()),
            neighbours: ModelConfig::ItemKnn(ItemKnnConfig::default()),
        }
    }
}

/// What one training did.
#[derive(Debug, Clone, PartialEq)]
pub enum TrainingOutcome {
    Trained {
        version: i64,
        listeners: usize,
        tracks: usize,
        interactions: usize,
        /// Tracks whose sound has been measured.
        tracks_with_sound: usize,
        seconds: f64,
    },
    /// Another node holds the lease: its model will be loaded here when published.
    OtherNodeTraining,
}

#[derive(Clone)]
pub struct Trainer {
    facts: Facts,
    signals: Signals,
    leaders: Leaders,
    published: Published,
    sounds: SoundAnalysis,
    settings: TrainingSettings,
}

/// How long one round may spend measuring sounds before it trains (a large library is
/// measured over many rounds).
const SOUNDS_PER_ROUND: Duration = Duration::from_secs(30);

impl Trainer {
    pub fn new(
        facts: Facts,
        signals: Signals,
        leaders: Leaders,
        published: Published,
        settings: TrainingSettings,
    ) -> Self {
        let sounds = SoundAnalysis::new(signals.clone());
        Self { facts, signals, leaders, published, sounds, settings }
    }

    pub fn settings(&self) -> &TrainingSettings {
        &self.settings
    }

    /// Measures the sounds not measured yet, then trains and publishes, unless another
    /// node is training.
    pub async fn train_now(&self) -> ServiceResult<TrainingOutcome> {
        let Some(lease) = self.leaders.try_lead(LeaderJob::RecommenderTraining).await? else {
            return Ok(TrainingOutcome::OtherNodeTraining);
        };
        let outcome = match self.measure_sounds().await {
            Ok(()) => self.train_and_publish().await,
            Err(error) => Err(error),
        };
        if let Err(error) = lease.release().await {
            tracing::warn!(%error, "training lease not given back: the database frees it with the connection");
        }
        outcome
    }

    /// Between trainings: measures new tracks' sounds, if no other node is busy with them.
    async fn measure_sounds_led(&self) -> ServiceResult<()> {
        let Some(lease) = self.leaders.try_lead(LeaderJob::RecommenderTraining).await? else { return Ok(()) };
        let outcome = self.measure_sounds().await;
        if let Err(error) = lease.release().await {
            tracing::warn!(%error, "training lease not given back: the database frees it with the connection");
        }
        outcome
    }

    async fn measure_sounds(&self) -> ServiceResult<()> {
        let measured = self.sounds.analyse_pending(SOUNDS_PER_ROUND).await?;
        if measured > 0 {
            tracing::info!(tracks = measured, "track sounds measured");
            self.facts.mark_stale();
        }
        Ok(())
    }

    async fn train_and_publish(&self) -> ServiceResult<TrainingOutcome> {
        let started = Instant::now();
        let facts = self.facts.current().await?;
        let tracks_with_sound = facts.sounds_known();
        let now = now_millis();
        let (plays, likes, adds) = tokio::try_join!(
            self.signals.track_signals(now - HISTORY_DAYS * DAY_MS),
            self.signals.like_signals(),
            self.signals.playlist_add_signals(),
        )?;
        let mut evidence: HashMap<(UserId, u32), Evidence> = HashMap::new();
        for play in plays {
            let Some(item) = facts.item(play.track) else { continue };
            let entry = evidence.entry((play.user, item)).or_default();
            entry.counted_plays += play.counted_plays.max(0) as u32;
            entry.completed_plays += play.completed_plays.max(0) as u32;
            entry.early_skips += play.early_skips.max(0) as u32;
            entry.age_days = (now - play.last_played_at) as f32 / DAY_MS as f32;
        }
        for like in likes {
            for item in liked_items(&facts, like.target) {
                let entry = evidence.entry((like.user, item)).or_default();
                match like.target {
                    LikeTarget::Track(_) => entry.liked = true,
                    // A saved album is a strong hint, not a like of every song on it.
                    LikeTarget::Album(_) => entry.playlist_adds += 1,
                    LikeTarget::Artist(_) => entry.artist_followed = true,
                }
            }
        }
        for add in adds {
            if let Some(item) = facts.item(add.track) {
                evidence.entry((add.user, item)).or_default().playlist_adds += 1;
            }
        }
        let config = match self.settings.model.clone() {
            ModelConfig::Ials(ials) => ModelConfig::Ials(ials.for_catalog(facts.tracks.len())),
            other => other,
        };
        let neighbours_config = self.settings.neighbours.clone();
        let options = TrainOptions { threads: self.settings.threads.max(1) };
        let items = facts.tracks.iter().map(|track| track.id).collect();
        let (bundle, bytes, listeners, interactions) = tokio::task::spawn_blocking(move || {
            let mut users: Vec<UserId> = evidence.keys().map(|&(user, _)| user).collect();
            users.sort_unstable();
            users.dedup();
            let user_index: HashMap<UserId, u32> =
                users.iter().enumerate().map(|(index, &user)| (user, index as u32)).collect();
            let weights = ConfidenceWeights::default();
            let triples = evidence
                .iter()
                .map(|(&(user, item), evidence)| (user_index[&user], item, confidence(evidence, &weights)));
            let data = Dataset::from_triples(users.len(), facts.tracks.len(), triples);
            let model = train(&config, &data, &options)?;
            let neighbours = train(&neighbours_config, &data, &options)?;
            let bundle = TrainedBundle { items, users: users.iter().map(|user| user.0).collect(), model, neighbours };
            let bytes = persist::encode(&bundle);
            Ok::<_, tonearm_recommend::TrainError>((bundle, bytes, users.len(), data.len()))
        })
        .await
        .map_err(|error| ServiceError::internal("training the recommender", error))?
        .map_err(|error| ServiceError::internal("training the recommender", error))?;
        let tracks = bundle.items.len();
        let version = self.signals.publish_model(now, &bytes).await?;
        self.published.install(LoadedModel::new(version, now, bundle));
        let seconds = started.elapsed().as_secs_f64();
        tracing::info!(version, listeners, tracks, interactions, seconds, "recommender trained and published");
        Ok(TrainingOutcome::Trained { version, listeners, tracks, interactions, tracks_with_sound, seconds })
    }

    /// Loads the newest published model if it is newer than the one served; says whether.
    pub async fn load_published(&self) -> ServiceResult<bool> {
        let Some(published) = self.signals.latest_model(self.published.version()).await? else {
            return Ok(false);
        };
        let (version, trained_at) = (published.version, published.trained_at);
        let decoded = tokio::task::spawn_blocking(move || persist::decode::<TrainedBundle>(&published.bytes))
            .await
            .map_err(|error| ServiceError::internal("loading the recommender's model", error))?;
        match decoded {
            Ok(bundle) => {
                let installed = self.published.install(LoadedModel::new(version, trained_at, bundle));
                if installed {
                    tracing::info!(version, "recommender model loaded");
                }
                Ok(installed)
            }
            Err(error) => {
                // A model this node cannot read (a newer format): keep serving the one it has.
                tracing::warn!(%error, version, "published recommender model not loaded");
                Ok(false)
            }
        }
    }

    /// The background job: load what others published, and train when the newest model is
    /// older than `every` (or there is none), until `stop` resolves.
    pub async fn run(self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            if let Err(error) = self.tick().await {
                tracing::warn!(%error, "recommender training round failed; the served model stays");
            }
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(self.settings.poll) => {}
            }
        }
    }

    async fn tick(&self) -> ServiceResult<()> {
        self.load_published().await?;
        let due = match self.published.current() {
            None => true,
            Some(model) => now_millis() - model.trained_at >= self.settings.every.as_millis() as i64,
        };
        if due {
            self.train_now().await?;
        } else {
            self.measure_sounds_led().await?;
        }
        Ok(())
    }
}

fn liked_items(facts: &CatalogFacts, target: LikeTarget) -> Vec<u32> {
    match target {
        LikeTarget::Track(track) => facts.item(track).into_iter().collect(),
        LikeTarget::Album(album) => facts.items_of_album(album).to_vec(),
        LikeTarget::Artist(artist) => {
            facts.artist_index(artist).map_or_else(Vec::new, |artist| facts.items_by_artist(artist).to_vec())
        }
    }
}
