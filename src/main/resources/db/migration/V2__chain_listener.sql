-- Where each chain listener has got to, so that a restart resumes instead of rescanning or missing.
CREATE TABLE chain_cursors (
    name       VARCHAR(64) PRIMARY KEY,
    last_block BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- The release or refund transaction of a settled purchase; the wallet that paid.
ALTER TABLE purchases ADD COLUMN settle_tx_hash VARCHAR(66);
ALTER TABLE purchases ADD COLUMN payer VARCHAR(42);
-- Deposits seen but not yet turned into an entitlement (the chain was down): retried by the listener.
CREATE INDEX purchases_unminted_idx ON purchases (created_at) WHERE status = 'PENDING' AND tx_hash IS NOT NULL;
