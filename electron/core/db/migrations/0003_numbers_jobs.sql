-- Number lists (drafts of numbers to import) and bulk number jobs tracked by the watcher.

CREATE TABLE number_lists (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  default_country TEXT NOT NULL,
  -- file path, or 'pasted text'
  source TEXT NOT NULL,
  -- 1-based column the numbers were taken from; NULL when the source has one column
  column_index INTEGER,
  has_header INTEGER NOT NULL DEFAULT 0 CHECK (has_header IN (0, 1)),
  -- 'importing' while a worker writes rows, then 'ready'; 'failed' or 'cancelled' keep what was written
  state TEXT NOT NULL DEFAULT 'importing' CHECK (state IN ('importing', 'ready', 'failed', 'cancelled')),
  error TEXT,
  total_rows INTEGER NOT NULL DEFAULT 0,
  valid_count INTEGER NOT NULL DEFAULT 0,
  invalid_count INTEGER NOT NULL DEFAULT 0,
  duplicate_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- One row per source line that held a value. seq is the dense position in line order (paging without
-- OFFSET scans); vseq is the dense position among rows of the same verdict (paging a filtered view).
CREATE TABLE number_list_rows (
  list_id TEXT NOT NULL REFERENCES number_lists (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  line INTEGER NOT NULL,
  raw TEXT NOT NULL,
  e164 TEXT,
  verdict TEXT NOT NULL CHECK (verdict IN ('valid', 'invalid', 'duplicate')),
  vseq INTEGER NOT NULL,
  reason TEXT,
  duplicate_of_line INTEGER,
  PRIMARY KEY (list_id, seq)
) STRICT, WITHOUT ROWID;

CREATE INDEX number_list_rows_by_verdict ON number_list_rows (list_id, verdict, vseq);

-- A submission: one list sent to one cluster/scope/resource, split into jobs of chunk_size numbers.
CREATE TABLE job_batches (
  id TEXT PRIMARY KEY,
  list_id TEXT REFERENCES number_lists (id) ON DELETE SET NULL,
  list_name TEXT NOT NULL,
  cluster_id TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  -- account id of the target; NULL means global (imports into the master account)
  account_id TEXT,
  resource_id TEXT NOT NULL,
  chunk_size INTEGER NOT NULL,
  total_numbers INTEGER NOT NULL,
  skipped_present INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) STRICT;

-- Numbers left out of a batch because the cluster already had them (kept so no number goes unaccounted).
CREATE TABLE job_batch_skips (
  batch_id TEXT NOT NULL REFERENCES job_batches (id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (batch_id, number)
) STRICT, WITHOUT ROWID;

-- One Kazoo resource job as tracked locally. The state machine (jobs/machine.ts) owns state transitions.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  batch_id TEXT NOT NULL REFERENCES job_batches (id) ON DELETE CASCADE,
  cluster_id TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
  account_id TEXT,
  resource_id TEXT NOT NULL,
  -- 'chunk' (from the list), 'remainder' (numbers a stalled job never reached), 'retry' (failed numbers)
  kind TEXT NOT NULL CHECK (kind IN ('chunk', 'remainder', 'retry')),
  parent_job_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
  seq INTEGER NOT NULL,
  -- client tag 'cd-<16 hex>', also inside name: finds the job on the cluster after a lost PUT reply
  tag TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  remote_id TEXT,
  state TEXT NOT NULL,
  remote_status TEXT,
  total INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  successes INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  submit_attempts INTEGER NOT NULL DEFAULT 0,
  submit_started_at INTEGER,
  error_streak INTEGER NOT NULL DEFAULT 0,
  not_found_streak INTEGER NOT NULL DEFAULT 0,
  interval_ms INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_progress_at INTEGER,
  last_polled_at INTEGER,
  last_error TEXT,
  note TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;

CREATE INDEX jobs_by_state ON jobs (state, next_at);
CREATE INDEX jobs_by_batch ON jobs (batch_id, seq);
CREATE INDEX jobs_by_parent ON jobs (parent_job_id);

-- Every number of every job and its outcome. 'moved' = handed to a remainder job (next_job_id).
CREATE TABLE job_numbers (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  pos INTEGER NOT NULL,
  number TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'success', 'failed', 'moved')),
  number_state TEXT,
  carrier_module TEXT,
  reason TEXT,
  error_json TEXT,
  next_job_id TEXT,
  updated_at INTEGER,
  PRIMARY KEY (job_id, pos)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX job_numbers_by_number ON job_numbers (job_id, number);

-- Progress time series per job (for the rate/ETA chart).
CREATE TABLE job_progress (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  done INTEGER NOT NULL,
  PRIMARY KEY (job_id, at)
) STRICT, WITHOUT ROWID;

-- Which process drives the watcher (one at a time per data folder).
CREATE TABLE watcher_lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  owner TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
