-- Which aggregates changed, so that every running host sees what another process on the same data folder wrote
-- (issue 14): each write to a watched table moves its (area, ref) to the next sequence number. A host polls
-- PRAGMA data_version (O(1)); only after another connection committed does it read the rows past the last sequence it
-- saw, drop what it cached and emit the same events a change of its own emits. One row per (area, ref): the table
-- stays as small as the number of things that exist, and a host that was busy sees each changed thing once.
CREATE TABLE change_log (
  area TEXT NOT NULL,
  ref TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (area, ref)
) STRICT, WITHOUT ROWID;
CREATE INDEX change_log_seq ON change_log (seq);

CREATE TRIGGER clusters_changed_insert AFTER INSERT ON clusters BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('clusters', NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER clusters_changed_update AFTER UPDATE OF name, base_url, auth_kind, account_name, username, auth_hash, secret_sealed, ca_file, tls_insecure, flavor, version, super_duper, account_id, probe_json, probed_at, reachability, login, last_error_json, checked_at ON clusters BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('clusters', NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER clusters_changed_delete AFTER DELETE ON clusters BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('clusters', OLD.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER settings_changed_insert AFTER INSERT ON settings BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('settings', NEW.key, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER settings_changed_update AFTER UPDATE ON settings BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('settings', NEW.key, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER settings_changed_delete AFTER DELETE ON settings BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('settings', OLD.key, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER drafts_changed_insert AFTER INSERT ON drafts BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('drafts', NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER drafts_changed_update AFTER UPDATE ON drafts BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('drafts', NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER drafts_changed_delete AFTER DELETE ON drafts BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('drafts', OLD.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER draft_versions_changed_insert AFTER INSERT ON draft_versions BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('drafts', NEW.draft_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER draft_targets_changed_insert AFTER INSERT ON draft_targets BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('drafts', NEW.draft_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER draft_targets_changed_update AFTER UPDATE ON draft_targets BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('drafts', NEW.draft_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER draft_targets_changed_delete AFTER DELETE ON draft_targets BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('drafts', OLD.draft_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER outbox_changed_insert AFTER INSERT ON outbox BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('outbox', NEW.target_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER outbox_changed_update AFTER UPDATE OF state, attempts, next_attempt_at, reason ON outbox BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('outbox', NEW.target_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER outbox_changed_delete AFTER DELETE ON outbox BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('outbox', OLD.target_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER remote_snapshots_changed_insert AFTER INSERT ON remote_snapshots BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('snapshots', NEW.cluster_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER remote_snapshots_changed_update AFTER UPDATE OF name, enabled, doc_json, revision ON remote_snapshots BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('snapshots', NEW.cluster_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER remote_snapshots_changed_delete AFTER DELETE ON remote_snapshots BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('snapshots', OLD.cluster_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER jobs_changed_insert AFTER INSERT ON jobs BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('jobs', NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER jobs_changed_update AFTER UPDATE OF state, remote_id, remote_status, done, successes, failures, note, last_error, finished_at ON jobs BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('jobs', NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER jobs_changed_delete AFTER DELETE ON jobs BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('jobs', OLD.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER number_lists_changed_insert AFTER INSERT ON number_lists BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('lists', NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER number_lists_changed_update AFTER UPDATE ON number_lists BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('lists', NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER number_lists_changed_delete AFTER DELETE ON number_lists BEGIN
  INSERT INTO change_log (area, ref, seq) VALUES ('lists', OLD.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM change_log))
    ON CONFLICT (area, ref) DO UPDATE SET seq = excluded.seq;
END;
