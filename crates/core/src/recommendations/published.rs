//! The model this node serves: the latest one published by whichever node trained it,
//! swapped in atomically (requests hold an `Arc` to the one they started with), plus how
//! its items line up with the current catalog facts.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use tonearm_domain::TrackId;
use tonearm_recommend::Model;

use super::facts::CatalogFacts;

/// What a training publishes: which track each item is, the model that scores a listener's
/// items (iALS by default) and the neighbourhood model that says which tracks are alike
/// (radio, "Fans also like"), both trained on the same matrix.
#[derive(Serialize, Deserialize)]
pub struct TrainedBundle {
    pub items: Vec<TrackId>,
    pub users: Vec<i64>,
    pub model: Model,
    pub neighbours: Model,
}

pub struct LoadedModel {
    pub version: i64,
    pub trained_at: i64,
    pub bundle: TrainedBundle,
    user_of: HashMap<i64, u32>,
}

impl LoadedModel {
    pub fn new(version: i64, trained_at: i64, bundle: TrainedBundle) -> Self {
        let user_of = bundle.users.iter().enumerate().map(|(index, &user)| (user, index as u32)).collect();
        Self { version, trained_at, bundle, user_of }
    }

    pub fn knows_user(&self, user: i64) -> bool {
        self.user_of.contains_key(&user)
    }
}

/// A model's items mapped onto one version of the facts, both ways.
pub struct Aligned {
    pub model: Arc<LoadedModel>,
    facts_version: u64,
    pub model_item_of: Vec<Option<u32>>,
    pub fact_item_of: Vec<Option<u32>>,
}

impl Aligned {
    fn new(model: Arc<LoadedModel>, facts: &CatalogFacts) -> Self {
        let fact_item_of: Vec<Option<u32>> = model.bundle.items.iter().map(|&track| facts.item(track)).collect();
        let mut model_item_of = vec![None; facts.tracks.len()];
        for (model_item, fact_item) in fact_item_of.iter().enumerate() {
            if let Some(fact_item) = fact_item {
                model_item_of[*fact_item as usize] = Some(model_item as u32);
            }
        }
        Self { model, facts_version: facts.version, model_item_of, fact_item_of }
    }
}

/// The served model and its alignment, each replaced whole.
#[derive(Clone, Default)]
pub struct Published {
    model: Arc<RwLock<Option<Arc<LoadedModel>>>>,
    aligned: Arc<RwLock<Option<Arc<Aligned>>>>,
}

impl Published {
    pub fn current(&self) -> Option<Arc<LoadedModel>> {
        self.model.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn version(&self) -> Option<i64> {
        self.current().map(|model| model.version)
    }

    /// Serves `model` from now on unless a newer one is served already (two loads racing).
    pub fn install(&self, model: LoadedModel) -> bool {
        let mut current = self.model.write().unwrap_or_else(|p| p.into_inner());
        if current.as_ref().is_some_and(|served| served.version >= model.version) {
            return false;
        }
        *current = Some(Arc::new(model));
        true
    }

    /// The served model lined up with `facts`, made once per (model, facts) pair.
    pub fn aligned(&self, facts: &CatalogFacts) -> Option<Arc<Aligned>> {
        let model = self.current()?;
        let kept = self.aligned.read().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(kept) = kept
            && kept.facts_version == facts.version
            && Arc::ptr_eq(&kept.model, &model)
        {
            return Some(kept);
        }
        let aligned = Arc::new(Aligned::new(model, facts));
        *self.aligned.write().unwrap_or_else(|p| p.into_inner()) = Some(aligned.clone());
        Some(aligned)
    }
}
