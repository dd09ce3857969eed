-- Drafts of resources with their versions and per-target sync state, the pulled snapshots, the outbox of
-- queued remote operations, the audit log and each cluster's cached schemas (issue 5).
-- Secrets inside every *_json document column are sealed ({"$sealed": "..."}), never clear text.

CREATE TABLE remote_snapshots (
  cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
  -- 'global' or an account id
  scope TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  name TEXT NOT NULL,
  enabled INTEGER CHECK (enabled IN (0, 1)),
  -- the document as the cluster sent it
  doc_json TEXT NOT NULL,
  revision TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (cluster_id, scope, resource_id)
) STRICT;

CREATE TABLE snapshot_scopes (
  cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  pulled_at INTEGER NOT NULL,
  PRIMARY KEY (cluster_id, scope)
) STRICT;

CREATE TABLE drafts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL DEFAULT 'resource' CHECK (kind IN ('resource')),
  current_version INTEGER NOT NULL,
  -- 1: delete the resource on every target
  deleted_mark INTEGER NOT NULL DEFAULT 0 CHECK (deleted_mark IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE draft_versions (
  draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  doc_json TEXT NOT NULL,
  -- hash of the canonical document (secrets included, before sealing)
  doc_hash TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  saved_at INTEGER NOT NULL,
  PRIMARY KEY (draft_id, version)
) STRICT;

CREATE TABLE draft_targets (
  id TEXT PRIMARY KEY,
  draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
  cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  -- chosen by the client before the first PUT, so a retried or resumed create finds its resource
  remote_id TEXT,
  -- the remote revision and document at the last sync; NULL = never confirmed on the cluster
  base_revision TEXT,
  base_doc_json TEXT,
  -- the draft's document at the last sync (the draft side's common ancestor of the three-way merge)
  base_mine_json TEXT,
  last_applied_hash TEXT,
  status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'in_sync', 'queued', 'in_flight', 'done', 'failed', 'stale', 'conflict')),
  last_error_json TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (draft_id, cluster_id, scope)
) STRICT;
CREATE INDEX draft_targets_remote ON draft_targets (cluster_id, scope, remote_id);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  target_id TEXT NOT NULL REFERENCES draft_targets(id) ON DELETE CASCADE,
  op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
  remote_id TEXT NOT NULL,
  -- what is sent (NULL for delete) and the draft document it came from (the next base_mine)
  doc_json TEXT,
  mine_json TEXT,
  expected_revision TEXT,
  content_hash TEXT,
  state TEXT NOT NULL CHECK (state IN ('queued', 'in_flight', 'done', 'failed', 'superseded')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  -- an in_flight row whose lease expired was abandoned by a dead process and may be taken again
  lease_until INTEGER,
  reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_state ON outbox (state, next_attempt_at);
CREATE INDEX outbox_target ON outbox (target_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  -- no foreign key: the audit outlives cluster profiles and drafts
  cluster_id TEXT NOT NULL,
  cluster_name TEXT NOT NULL,
  scope TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  draft_id TEXT,
  action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  -- field changes, secrets masked
  diff_json TEXT NOT NULL,
  before_hash TEXT,
  after_hash TEXT,
  request_id TEXT,
  result TEXT NOT NULL CHECK (result IN ('ok', 'failed')),
  error TEXT
) STRICT;
CREATE INDEX audit_log_cluster ON audit_log (cluster_id, at);

CREATE TABLE schema_cache (
  cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  schema_json TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (cluster_id, name)
) STRICT;
