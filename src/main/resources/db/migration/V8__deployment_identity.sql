-- One id per deployment (every replica on this database shares it). Agent containers carry it as a label,
-- so that the reaper of one deployment never removes the containers of another on a shared Docker engine.
CREATE TABLE deployment_identity (
    id        UUID    NOT NULL DEFAULT gen_random_uuid(),
    singleton BOOLEAN NOT NULL DEFAULT TRUE PRIMARY KEY CHECK (singleton)
);
INSERT INTO deployment_identity DEFAULT VALUES;
