-- Settlement follows the outcome: automatic decisions after the dispute window, disputes, pay-per-run payments.

-- An agent is bought once (access: the ERC-1155 entitlement) or paid per run, each run with its own deposit.
ALTER TABLE agents ADD COLUMN pricing VARCHAR(16) NOT NULL DEFAULT 'ACCESS' CHECK (pricing IN ('ACCESS', 'PER_RUN'));

-- A purchase buys access, or pays for one run (the execution points to it through executions.purchase_id).
ALTER TABLE purchases ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'ACCESS' CHECK (kind IN ('ACCESS', 'RUN'));
ALTER TABLE purchases DROP CONSTRAINT purchases_status_check;
ALTER TABLE purchases ADD CONSTRAINT purchases_status_check
    CHECK (status IN ('PENDING', 'CONFIRMED', 'DISPUTED', 'RELEASED', 'REFUNDED', 'EXPIRED'));
ALTER TABLE purchases ADD COLUMN disputed_at TIMESTAMPTZ;
ALTER TABLE purchases ADD COLUMN dispute_reason TEXT;
-- Why the payment was released or refunded (automatically, or by an admin).
ALTER TABLE purchases ADD COLUMN settlement_reason TEXT;
-- The settler's claim: one replica settles a purchase at a time; an expired claim is taken over.
ALTER TABLE purchases ADD COLUMN settlement_claimed_until TIMESTAMPTZ;
CREATE INDEX purchases_settling_idx ON purchases (confirmed_at) WHERE status = 'CONFIRMED';

-- A pay-per-run execution waits for its deposit before it is queued.
ALTER TABLE executions DROP CONSTRAINT executions_status_check;
ALTER TABLE executions ADD CONSTRAINT executions_status_check
    CHECK (status IN ('AWAITING_PAYMENT', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED'));
CREATE INDEX executions_purchase_idx ON executions (purchase_id) WHERE purchase_id IS NOT NULL;
