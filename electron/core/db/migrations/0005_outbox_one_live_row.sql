-- One live outbox row per target (issue 15): the unit of exclusion is the carrier on the cluster, not the row.
-- Two applies at once (two CLI processes, the app beside the CLI) used to add a row each and both send it.
-- A row's lease now names its holder (a per-run token, the process id and the host), so a holder that is alive
-- keeps its row (renewing the lease while its request runs) and one that died is noticed without waiting.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_pid INTEGER;
ALTER TABLE outbox ADD COLUMN lease_host TEXT;

-- A store written before this migration may hold several unfinished rows of one target: keep the newest.
UPDATE outbox SET state = 'superseded'
WHERE state IN ('queued', 'in_flight')
  AND id < (SELECT MAX(o.id) FROM outbox o WHERE o.target_id = outbox.target_id AND o.state IN ('queued', 'in_flight'));

CREATE UNIQUE INDEX outbox_one_live_row ON outbox (target_id) WHERE state IN ('queued', 'in_flight');
