-- Webhooks: account subscriptions, the per-account secret of per-run webhooks, and the durable outbox.
CREATE TABLE webhook_subscriptions (
    id          UUID PRIMARY KEY,
    user_id     UUID        NOT NULL REFERENCES users (id),
    url         TEXT        NOT NULL,
    event_types JSONB       NOT NULL,        -- ["execution.succeeded", ...]
    secret      VARCHAR(64) NOT NULL,        -- whsec_ + base64 of 32 random bytes
    enabled     BOOLEAN     NOT NULL,
    description VARCHAR(200),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_subscriptions_user_idx ON webhook_subscriptions (user_id, created_at);

-- Signs the per-run webhooks (the `webhook` of POST /api/executions); created on first use.
CREATE TABLE webhook_account_secrets (
    user_id    UUID PRIMARY KEY REFERENCES users (id),
    secret     VARCHAR(64) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- The outbox: one row per event and destination, written in the transaction of the state change it reports.
-- The id is the webhook-id every attempt carries, so receivers can drop duplicates.
CREATE TABLE webhook_deliveries (
    id               VARCHAR(40) PRIMARY KEY,  -- msg_ + 32 hex digits
    subscription_id  UUID REFERENCES webhook_subscriptions (id) ON DELETE CASCADE, -- null: a per-run webhook
    user_id          UUID        NOT NULL REFERENCES users (id),
    execution_id     UUID,                     -- the run a per-run webhook belongs to
    url              TEXT        NOT NULL,     -- per-run webhooks go here; subscriptions to their current url
    event_type       VARCHAR(64) NOT NULL,
    payload          JSONB       NOT NULL,     -- {type, timestamp, data} frozen at event time
    status           VARCHAR(16) NOT NULL,     -- PENDING, DELIVERED, FAILED
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,     -- due time; while an attempt is in flight, the end of its lease
    lease_id         UUID,                     -- the claim of the attempt in flight: only it may record the outcome
    last_attempt_at  TIMESTAMPTZ,
    last_status_code INTEGER,
    last_error       TEXT,
    delivered_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL
);
-- The dispatchers claim the due PENDING rows (FOR UPDATE SKIP LOCKED).
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, created_at DESC);
CREATE INDEX webhook_deliveries_user_idx ON webhook_deliveries (user_id, created_at DESC);
CREATE INDEX webhook_deliveries_execution_idx ON webhook_deliveries (execution_id) WHERE execution_id IS NOT NULL;

-- A run's own webhook (like Replicate's): where to send its events and which.
ALTER TABLE executions
    ADD COLUMN webhook_url    TEXT,
    ADD COLUMN webhook_events JSONB;
