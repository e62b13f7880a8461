//! Whether this node can serve: the database answers and every migration is applied.

use tonearm_model::StoreError;

use crate::stores::Catalog;

/// What a readiness check found.
#[derive(Debug)]
pub struct Readiness {
    /// The database engine: `sqlite` or `postgres`.
    pub database: &'static str,
    /// Why the node cannot serve; `None` when it can.
    pub problem: Option<StoreError>,
}

#[derive(Clone)]
pub struct Health {
    catalog: Catalog,
}

impl Health {
    pub fn new(catalog: Catalog) -> Self {
        Self { catalog }
    }

    pub async fn readiness(&self) -> Readiness {
        let problem = self.catalog.check_ready().await.err();
        if let Some(error) = &problem {
            tracing::warn!(%error, "readiness check failed");
        }
        Readiness { database: self.catalog.engine(), problem }
    }
}
