-- The audit chain per unit: each unit's entries are numbered and chained apart, under that
-- unit's own advisory lock and head row, so that no write of one unit waits on another's
-- (no lock and no row that every write takes). The desk's own chain — what no officer did,
-- and every entry written before this migration — is the unit ''.
--
-- Adding the columns rewrites no row through the append-only trigger (ALTER TABLE fires no
-- row trigger); `pos` numbers the entries in the order they were appended, for listing
-- them across chains.
ALTER TABLE audit ADD COLUMN unit text NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN pos bigserial NOT NULL;
ALTER TABLE audit DROP CONSTRAINT audit_pkey;
ALTER TABLE audit ADD PRIMARY KEY (unit, seq);
CREATE UNIQUE INDEX audit_by_pos ON audit (pos);

ALTER TABLE audit_head ADD COLUMN unit text NOT NULL DEFAULT '';
ALTER TABLE audit_head DROP CONSTRAINT audit_head_pkey;
ALTER TABLE audit_head DROP COLUMN only_row;
ALTER TABLE audit_head ADD PRIMARY KEY (unit);
