-- A run the platform interrupted (its instance stopped beating) goes back to the queue: which attempt this is.
ALTER TABLE executions ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1);
