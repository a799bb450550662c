-- btree_gist lets exclusion constraints mix equality on plain columns with range overlap
-- (non-overlapping rates and timesheet entries). PGlite loads it in openDatabase().
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
-- The audit trail is evidence (NMW records, who approved what): rows are never changed or removed.
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
-- Deployments that run the service as a role other than the owner keep INSERT and SELECT only.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
