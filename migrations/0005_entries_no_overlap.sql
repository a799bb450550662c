-- A worker cannot be in two sessions at once. Rejected entries do not count (they are being
-- corrected); drafts, submitted, approved and exported ones do. Enforced here, so two
-- concurrent inserts cannot both win. '[)': one session may end as the next begins.
ALTER TABLE timesheet_entries ADD CONSTRAINT timesheet_entries_no_overlap EXCLUDE USING gist (
  worker_id WITH =,
  tstzrange(starts_at, ends_at, '[)') WITH &&
) WHERE (state <> 'rejected' AND kind = 'work');
--> statement-breakpoint
-- Approved pay never changes silently: once approved, an entry may only move on to exported,
-- with every frozen figure as it was; only drafts may be deleted. A correction is a new entry.
CREATE FUNCTION timesheet_entries_guard_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.state <> 'draft' THEN
      RAISE EXCEPTION 'only draft entries can be deleted (entry is %)', OLD.state
        USING ERRCODE = 'check_violation', CONSTRAINT = 'timesheet_entries_frozen';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.state IN ('approved', 'exported') AND (
       NOT (NEW.state = OLD.state OR (OLD.state = 'approved' AND NEW.state = 'exported'))
    OR (NEW.worker_id, NEW.activity_type_id, NEW.team_id, NEW.kind, NEW.work_date, NEW.starts_at, NEW.ends_at,
        NEW.break_minutes, NEW.worked_minutes, NEW.rate_id, NEW.rate_pence_per_unit, NEW.rate_unit, NEW.gross_pence,
        NEW.payment_mode, NEW.decided_at, NEW.decided_by_key_id)
       IS DISTINCT FROM
       (OLD.worker_id, OLD.activity_type_id, OLD.team_id, OLD.kind, OLD.work_date, OLD.starts_at, OLD.ends_at,
        OLD.break_minutes, OLD.worked_minutes, OLD.rate_id, OLD.rate_pence_per_unit, OLD.rate_unit, OLD.gross_pence,
        OLD.payment_mode, OLD.decided_at, OLD.decided_by_key_id)
  ) THEN
    RAISE EXCEPTION 'an approved entry cannot change; record a correction instead'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'timesheet_entries_frozen';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER timesheet_entries_guard_frozen
  BEFORE UPDATE OR DELETE ON timesheet_entries
  FOR EACH ROW EXECUTE FUNCTION timesheet_entries_guard_frozen();
