-- A running execution's worker touches this while it runs; a stale one means the worker is gone.
ALTER TABLE executions ADD COLUMN heartbeat_at TIMESTAMPTZ;
CREATE INDEX executions_running_idx ON executions (heartbeat_at) WHERE status = 'RUNNING';
