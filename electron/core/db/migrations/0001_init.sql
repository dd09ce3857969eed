-- Cluster profiles and application settings.
CREATE TABLE clusters (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  base_url TEXT NOT NULL,
  auth_kind TEXT NOT NULL CHECK (auth_kind IN ('api_key', 'user')),
  account_name TEXT,
  username TEXT,
  auth_hash TEXT NOT NULL DEFAULT 'md5' CHECK (auth_hash IN ('md5', 'sha')),
  -- the api key or the password, sealed by the SecretBox; never clear text
  secret_sealed TEXT NOT NULL,
  ca_file TEXT,
  tls_insecure INTEGER NOT NULL DEFAULT 0 CHECK (tls_insecure IN (0, 1)),
  -- cached auth token, sealed, with its expiry (ms epoch)
  token_sealed TEXT,
  token_account_id TEXT,
  token_expires_at INTEGER,
  -- last probe
  flavor TEXT,
  version TEXT,
  super_duper INTEGER,
  account_id TEXT,
  probe_json TEXT,
  probed_at INTEGER,
  -- reachability as last seen by any request: 'online' | 'offline' | 'unknown'
  reachability TEXT NOT NULL DEFAULT 'unknown',
  last_error_json TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
