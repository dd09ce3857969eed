-- Reachability and login are two facts (issue 14): whether the cluster answered at all (`reachability`), and whether
-- it accepted this profile's login (`login`). Both follow every request's outcome; `checked_at` is the last connection
-- check, whatever it concluded (probed_at stays the last successful one).
ALTER TABLE clusters ADD COLUMN login TEXT NOT NULL DEFAULT 'unknown' CHECK (login IN ('unknown', 'accepted', 'refused'));
ALTER TABLE clusters ADD COLUMN checked_at INTEGER;

-- What earlier versions stored says enough for most profiles: a refused login left its error, a probe needed a login.
UPDATE clusters SET login = CASE
    WHEN json_valid(last_error_json) AND json_extract(last_error_json, '$.code') IN ('auth_failed', 'account_disabled') THEN 'refused'
    WHEN probed_at IS NOT NULL THEN 'accepted'
    ELSE 'unknown'
  END,
  checked_at = probed_at;
