-- Trained recommender models, published by the node that trained them for every node to
-- load (the bytes are the recommender's own encoding). Only the latest two are kept.
CREATE TABLE recommender_models (
    version    INTEGER PRIMARY KEY,
    trained_at INTEGER NOT NULL,
    model      BLOB NOT NULL
);
