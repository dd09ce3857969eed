-- A number of a part cancelled before it was sent gets its own outcome, 'cancelled', instead of 'failed':
-- it was never offered to the cluster, so it is neither a failure nor something "retry failed numbers" resends.
-- SQLite cannot change a CHECK constraint in place, so job_numbers is copied into a new table.

CREATE TABLE job_numbers_new (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  pos INTEGER NOT NULL,
  number TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'success', 'failed', 'moved', 'cancelled')),
  number_state TEXT,
  carrier_module TEXT,
  reason TEXT,
  error_json TEXT,
  next_job_id TEXT,
  updated_at INTEGER,
  PRIMARY KEY (job_id, pos)
) STRICT, WITHOUT ROWID;

INSERT INTO job_numbers_new (job_id, pos, number, outcome, number_state, carrier_module, reason, error_json, next_job_id, updated_at)
SELECT n.job_id, n.pos, n.number,
       CASE WHEN n.outcome = 'failed' AND n.reason = 'cancelled before submission' AND j.state = 'cancelled' THEN 'cancelled' ELSE n.outcome END,
       n.number_state, n.carrier_module, n.reason, n.error_json, n.next_job_id, n.updated_at
FROM job_numbers n LEFT JOIN jobs j ON j.id = n.job_id;

DROP TABLE job_numbers;
ALTER TABLE job_numbers_new RENAME TO job_numbers;
CREATE UNIQUE INDEX job_numbers_by_number ON job_numbers (job_id, number);

-- A cancelled part was never sent (only a queued part can be cancelled): nothing of it is done or failed.
UPDATE jobs SET done = 0, successes = 0, failures = 0 WHERE state = 'cancelled';
