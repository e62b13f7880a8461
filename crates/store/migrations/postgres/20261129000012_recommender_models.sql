-- Trained recommender models, published by the node that trained them for every node to
-- load (the bytes are the recommender's own encoding). Only the latest two are kept.
CREATE TABLE recommender_models (
    version    BIGINT PRIMARY KEY,
    trained_at BIGINT NOT NULL,
    model      BYTEA NOT NULL
);
