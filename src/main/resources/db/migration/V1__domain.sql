-- The whole AgentNexus domain, designed once. Money is NUMERIC(78,0): a uint256 in base units (wei).

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    wallet_address  VARCHAR(42)  NOT NULL,           -- lowercase hex; EIP-55 form is derived on output
    wallet_type     VARCHAR(32),
    username        VARCHAR(32),
    email           VARCHAR(254),
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    last_sign_in_at TIMESTAMPTZ,
    CONSTRAINT users_wallet_address_uk UNIQUE (wallet_address),
    CONSTRAINT users_wallet_address_ck CHECK (wallet_address ~ '^0x[0-9a-f]{40}$')
);
-- Case-insensitive uniqueness: "Alice" and "alice" are one name, one mailbox.
CREATE UNIQUE INDEX users_username_uk ON users (lower(username));
CREATE UNIQUE INDEX users_email_uk ON users (lower(email));

CREATE TABLE user_roles (
    user_id UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    VARCHAR(16) NOT NULL CHECK (role IN ('USER', 'CREATOR')), -- admins come from config
    PRIMARY KEY (user_id, role)
);

-- The numeric id an agent has on-chain (escrow agentId, ERC-1155 token id).
CREATE SEQUENCE agent_chain_id_seq START WITH 1;

CREATE TABLE agents (
    id             UUID PRIMARY KEY,
    chain_agent_id BIGINT        NOT NULL DEFAULT nextval('agent_chain_id_seq'),
    name           VARCHAR(100)  NOT NULL,
    description    VARCHAR(1000) NOT NULL,
    category       VARCHAR(16)   NOT NULL CHECK (category IN ('TRADING', 'ANALYTICS', 'DEFI', 'NFT', 'SOCIAL', 'UTILITY')),
    status         VARCHAR(16)   NOT NULL CHECK (status IN ('DRAFT', 'ACTIVE', 'INACTIVE')),
    price          NUMERIC(78, 0) NOT NULL CHECK (price >= 0),
    price_token    VARCHAR(42)   NOT NULL CHECK (price_token ~ '^0x[0-9a-f]{40}$'),
    version        VARCHAR(64)   NOT NULL,
    docker_image   VARCHAR(512)  NOT NULL,
    input_schema   JSONB         NOT NULL,
    output_schema  JSONB         NOT NULL,
    creator_id     UUID          NOT NULL REFERENCES users (id),
    created_at     TIMESTAMPTZ   NOT NULL,
    updated_at     TIMESTAMPTZ   NOT NULL,
    deleted_at     TIMESTAMPTZ,
    CONSTRAINT agents_chain_agent_id_uk UNIQUE (chain_agent_id)
);
ALTER SEQUENCE agent_chain_id_seq OWNED BY agents.chain_agent_id;
CREATE INDEX agents_category_status_idx ON agents (category, status) WHERE deleted_at IS NULL;
CREATE INDEX agents_status_created_idx ON agents (status, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX agents_creator_idx ON agents (creator_id);

CREATE TABLE purchases (
    id           UUID PRIMARY KEY,
    user_id      UUID           NOT NULL REFERENCES users (id),
    agent_id     UUID           NOT NULL REFERENCES agents (id),
    payment_id   VARCHAR(66)    NOT NULL,        -- bytes32 as 0x-hex
    amount       NUMERIC(78, 0) NOT NULL CHECK (amount >= 0),
    token        VARCHAR(42)    NOT NULL,
    chain_id     BIGINT         NOT NULL,
    status       VARCHAR(16)    NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'RELEASED', 'REFUNDED', 'EXPIRED')),
    tx_hash      VARCHAR(66),
    expires_at   TIMESTAMPTZ    NOT NULL,
    confirmed_at TIMESTAMPTZ,
    settled_at   TIMESTAMPTZ,                    -- released or refunded
    created_at   TIMESTAMPTZ    NOT NULL,
    updated_at   TIMESTAMPTZ    NOT NULL,
    CONSTRAINT purchases_payment_id_uk UNIQUE (payment_id),
    CONSTRAINT purchases_tx_hash_uk UNIQUE (tx_hash)   -- a transaction confirms at most one purchase
);
CREATE INDEX purchases_agent_user_idx ON purchases (agent_id, user_id);
CREATE INDEX purchases_user_created_idx ON purchases (user_id, created_at DESC);
CREATE INDEX purchases_status_created_idx ON purchases (status, created_at);

CREATE TABLE entitlements (
    id          UUID PRIMARY KEY,
    user_id     UUID           NOT NULL REFERENCES users (id),
    agent_id    UUID           NOT NULL REFERENCES agents (id),
    purchase_id UUID           REFERENCES purchases (id),
    token_id    NUMERIC(78, 0) NOT NULL,         -- ERC-1155 id = the agent's chain id
    amount      NUMERIC(78, 0) NOT NULL CHECK (amount > 0),
    mint_tx_hash VARCHAR(66),
    expires_at  TIMESTAMPTZ,                     -- null: never expires
    revoked_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ    NOT NULL
);
CREATE INDEX entitlements_agent_user_idx ON entitlements (agent_id, user_id);
CREATE INDEX entitlements_user_created_idx ON entitlements (user_id, created_at DESC);

CREATE TABLE executions (
    id              UUID PRIMARY KEY,
    user_id         UUID         NOT NULL REFERENCES users (id),
    agent_id        UUID         NOT NULL REFERENCES agents (id),
    purchase_id     UUID         REFERENCES purchases (id),
    status          VARCHAR(16)  NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED')),
    input           JSONB        NOT NULL,
    output          JSONB,
    error_message   VARCHAR(2000),
    exit_code       INTEGER,
    oom_killed      BOOLEAN      NOT NULL DEFAULT FALSE,
    image_digest    VARCHAR(128),
    container_id    VARCHAR(128),
    idempotency_key VARCHAR(128),
    created_at      TIMESTAMPTZ  NOT NULL,       -- queued at
    started_at      TIMESTAMPTZ,
    ended_at        TIMESTAMPTZ,
    duration_ms     BIGINT,
    CONSTRAINT executions_idempotency_uk UNIQUE (user_id, idempotency_key)
);
CREATE INDEX executions_agent_user_idx ON executions (agent_id, user_id);
CREATE INDEX executions_status_created_idx ON executions (status, created_at);
CREATE INDEX executions_user_created_idx ON executions (user_id, created_at DESC);

-- One row per stdout/stderr line, in order; capped per execution by the runtime.
CREATE TABLE execution_log_lines (
    execution_id UUID          NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    seq          INTEGER       NOT NULL,
    stream       VARCHAR(8)    NOT NULL CHECK (stream IN ('STDOUT', 'STDERR', 'SYSTEM')),
    logged_at    TIMESTAMPTZ   NOT NULL,
    line         TEXT          NOT NULL,
    PRIMARY KEY (execution_id, seq)
);
