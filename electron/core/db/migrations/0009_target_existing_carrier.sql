-- A carrier that already exists where a target would create one (issue 14 item 7): Kazoo refuses a used id but
-- never a used name (crossbar-spec §1.5), so a plan that finds a carrier of the same name in the target scope
-- blocks the create until the person binds the target to it or confirms a second carrier (create_anyway = 1).
ALTER TABLE draft_targets ADD COLUMN create_anyway INTEGER NOT NULL DEFAULT 0 CHECK (create_anyway IN (0, 1));

-- A create planned while its cluster did not answer was not compared with what the scope holds: the send looks
-- for a carrier of the same name (or with an id the draft's carrier has elsewhere) first.
ALTER TABLE outbox ADD COLUMN check_existing INTEGER NOT NULL DEFAULT 0 CHECK (check_existing IN (0, 1));
