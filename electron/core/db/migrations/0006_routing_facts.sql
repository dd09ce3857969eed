-- What each cluster told us about routing (routing-spec §10), read at pull for the routing simulator: the Kazoo
-- flavor, the classifier table in runtime order, the stepswitch and number_manager system configs (when the login
-- may read them) and the account tree. One row per (cluster, kind); a failed read keeps the last good data.
CREATE TABLE routing_facts (
  cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('flavor', 'classifiers', 'stepswitch', 'number_manager', 'accounts')),
  -- 'ok': data_json holds the last good reply; 'not_readable': this login may not read it;
  -- 'failed': never read successfully (error_json says why)
  status TEXT NOT NULL CHECK (status IN ('ok', 'not_readable', 'failed')),
  -- flavor: {flavor, version}; classifiers: [[name, entry], ...] in runtime order; stepswitch / number_manager:
  -- {settings, nodes}; accounts: [{id, parent_id, name}]
  data_json TEXT,
  -- when data_json / status was last confirmed by the cluster
  fetched_at INTEGER,
  -- the last failed read (the data above is kept), cleared by the next good one
  error_json TEXT,
  failed_at INTEGER,
  PRIMARY KEY (cluster_id, kind)
) STRICT;
