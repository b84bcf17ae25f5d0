-- The execution queue: which instance runs an execution, cancellation across replicas, log volume.
ALTER TABLE executions ADD COLUMN worker VARCHAR(128);
ALTER TABLE executions ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE executions ADD COLUMN log_bytes BIGINT NOT NULL DEFAULT 0;
-- Workers claim the oldest QUEUED execution (FOR UPDATE SKIP LOCKED).
CREATE INDEX executions_queued_idx ON executions (created_at) WHERE status = 'QUEUED';

-- Per-agent limits, lower than the platform's or null for the platform's.
ALTER TABLE agents ADD COLUMN memory_mb INTEGER CHECK (memory_mb > 0);
ALTER TABLE agents ADD COLUMN timeout_seconds INTEGER CHECK (timeout_seconds > 0);
