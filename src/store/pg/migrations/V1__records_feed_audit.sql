-- trucban on PostgreSQL, schema 1. One row per record (its value as JSONB, as the sled
-- engine keeps it) with typed columns for what the lookups ask, an index per lookup;
-- the change feed; the audit chain, append-only; accounts and restricted values apart.

CREATE TABLE records (
    kind          text        NOT NULL,
    num           bigint      NOT NULL,
    body          jsonb       NOT NULL,
    -- Typed columns, derived from body by trucban at each write (src/store/pg/columns.rs)
    -- and checked against it by `trucban check`.
    status        text,
    doc_number    text,
    establishment bigint,
    check_in      timestamptz,
    day           date,
    at            timestamptz,
    refs          text[]      NOT NULL DEFAULT '{}',
    PRIMARY KEY (kind, num)
);
CREATE INDEX records_by_status        ON records (kind, status, num) WHERE status IS NOT NULL;
CREATE INDEX records_by_doc_number    ON records (kind, doc_number) WHERE doc_number IS NOT NULL;
CREATE INDEX records_by_establishment ON records (establishment, check_in, num)
    WHERE establishment IS NOT NULL;
CREATE INDEX records_by_check_in      ON records (kind, check_in, num) WHERE check_in IS NOT NULL;
CREATE INDEX records_by_day           ON records (kind, day) WHERE day IS NOT NULL;
CREATE INDEX records_by_moment        ON records (kind, at) WHERE at IS NOT NULL;
CREATE INDEX records_by_reference     ON records USING gin (refs);

-- The change feed: one row per record a transaction wrote, numbered by that transaction's
-- ID. IDs are given when a transaction starts writing, not when it commits, so readers
-- only read below the oldest transaction still running (the snapshot's xmin): a row there
-- can no longer appear behind a reader's cursor. kind NULL marks a bulk load.
CREATE TABLE changes (
    txid bigint      NOT NULL DEFAULT txid_current(),
    kind text,
    num  bigint,
    at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_by_txid ON changes (txid);

-- Where each reader of the feed (a daemon's search index) has saved up to: the feed is
-- pruned below the slowest reader seen in the last day.
CREATE TABLE feed_readers (
    reader     text        PRIMARY KEY,
    txid       bigint      NOT NULL,
    seen_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE meta (
    key   text   PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO meta (key, value) VALUES
    ('store_id', floor(random() * 4e18)::bigint + 1),
    ('cache_floor', 0),
    ('pruned', 0);

-- The audit chain: appended under an advisory lock, never changed.
CREATE TABLE audit (
    seq   bigint PRIMARY KEY,
    hash  text   NOT NULL,
    entry jsonb  NOT NULL
);
-- The chain's head, written with each entry under the same lock: an entry removed from the
-- end of the chain is caught by `trucban check` as one removed from the middle is.
CREATE TABLE audit_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq      bigint  NOT NULL,
    hash     text    NOT NULL
);
CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM PUBLIC;

CREATE TABLE accounts (
    username text  PRIMARY KEY,
    body     jsonb NOT NULL
);
CREATE TABLE informants (
    kind text   NOT NULL,
    num  bigint NOT NULL,
    body jsonb  NOT NULL,
    PRIMARY KEY (kind, num)
);
CREATE TABLE notes (
    kind text   NOT NULL,
    num  bigint NOT NULL,
    body jsonb  NOT NULL,
    PRIMARY KEY (kind, num)
);
