-- ERC-4337 user operations the service prepared for a user's smart account, and what became of them.
CREATE TABLE wallet_operations (
    id              UUID PRIMARY KEY,
    user_id         UUID           NOT NULL REFERENCES users (id),
    sender          VARCHAR(42)    NOT NULL,        -- the smart account
    nonce           NUMERIC(78, 0) NOT NULL,
    user_op_hash    VARCHAR(66)    NOT NULL,        -- what the owner signs
    sponsored       BOOLEAN        NOT NULL,
    calls           JSONB          NOT NULL,        -- [{to, value, data}] as asked for
    operation       JSONB          NOT NULL,        -- the v0.7 operation in the bundler RPC's form
    status          VARCHAR(32)    NOT NULL,
    expires_at      TIMESTAMPTZ    NOT NULL,        -- sign and submit before this
    bundle_tx_hash  VARCHAR(66),
    success         BOOLEAN,
    actual_gas_cost NUMERIC(78, 0),
    actual_gas_used NUMERIC(78, 0),
    failure_reason  TEXT,
    created_at      TIMESTAMPTZ    NOT NULL,
    updated_at      TIMESTAMPTZ    NOT NULL,
    submitted_at    TIMESTAMPTZ,
    included_at     TIMESTAMPTZ
);

CREATE INDEX wallet_operations_user_created_idx ON wallet_operations (user_id, created_at DESC);
CREATE INDEX wallet_operations_submitted_idx ON wallet_operations (submitted_at) WHERE status = 'SUBMITTED';
-- Not unique: the same calls prepared twice within a second are the same operation (one of them gets included).
CREATE INDEX wallet_operations_hash_idx ON wallet_operations (user_op_hash);

-- A purchase paid from the buyer's smart account names the operation that deposits into escrow.
ALTER TABLE purchases
    ADD COLUMN pay_with     VARCHAR(16) NOT NULL DEFAULT 'WALLET',
    ADD COLUMN operation_id UUID REFERENCES wallet_operations (id);
CREATE INDEX purchases_operation_idx ON purchases (operation_id) WHERE operation_id IS NOT NULL;
