-- Nothing read executions.log_bytes, and keeping it meant an UPDATE of the run's row with every stored batch of
-- lines (a second write per flush, and row locks that raced the heartbeat's). The cap is the collector's.
ALTER TABLE executions DROP COLUMN log_bytes;
