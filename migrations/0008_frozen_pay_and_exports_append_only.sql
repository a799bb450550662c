-- Money controls: the database, not only the service, keeps approved pay and payroll exports as
-- they were. An approved or exported entry may only move from approved to exported; every other
-- column (what was worked or paid, the rate and where it came from, adjustment, the entry a
-- correction corrects, the override of a cap, who recorded and decided, notes and times) stays
-- as it was. The list before this migration missed the local times, the rate source, adjustment
-- pence, the corrected entry, the correction's reason, the override reason, the deciding person,
-- the recorder, notes and the submitted, rejected and created details.
CREATE OR REPLACE FUNCTION timesheet_entries_guard_frozen() RETURNS trigger
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
    OR (NEW.worker_id, NEW.activity_type_id, NEW.team_id, NEW.kind, NEW.work_date, NEW.start_time, NEW.end_date,
        NEW.end_time, NEW.starts_at, NEW.ends_at, NEW.break_minutes, NEW.worked_minutes, NEW.corrects_entry_id,
        NEW.adjustment_pence, NEW.correction_reason, NEW.override_reason, NEW.rate_id, NEW.rate_pence_per_unit,
        NEW.rate_unit, NEW.rate_source, NEW.gross_pence, NEW.payment_mode, NEW.decided_at, NEW.decided_by_key_id,
        NEW.decided_by_person_id, NEW.recorded_by_key_id, NEW.notes, NEW.submitted_at, NEW.rejection_reason,
        NEW.created_at)
       IS DISTINCT FROM
       (OLD.worker_id, OLD.activity_type_id, OLD.team_id, OLD.kind, OLD.work_date, OLD.start_time, OLD.end_date,
        OLD.end_time, OLD.starts_at, OLD.ends_at, OLD.break_minutes, OLD.worked_minutes, OLD.corrects_entry_id,
        OLD.adjustment_pence, OLD.correction_reason, OLD.override_reason, OLD.rate_id, OLD.rate_pence_per_unit,
        OLD.rate_unit, OLD.rate_source, OLD.gross_pence, OLD.payment_mode, OLD.decided_at, OLD.decided_by_key_id,
        OLD.decided_by_person_id, OLD.recorded_by_key_id, OLD.notes, OLD.submitted_at, OLD.rejection_reason,
        OLD.created_at)
  ) THEN
    RAISE EXCEPTION 'an approved entry cannot change; record a correction instead'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'timesheet_entries_frozen';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- A payroll export is a record of what was paid: its claims, lines and file digests are never
-- updated or deleted. The batch row itself is written once more, in the claiming transaction,
-- to fill in its totals (it is inserted with an entry count of 0, and a batch that claims
-- nothing is rolled back); once it has entries it never changes.
CREATE FUNCTION exports_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'export_batches' AND TG_OP = 'UPDATE' THEN
    IF OLD.entry_count = 0 THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only: a payroll export is never changed (%)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'check_violation', CONSTRAINT = 'exports_append_only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER export_batches_append_only BEFORE UPDATE OR DELETE ON export_batches
  FOR EACH ROW EXECUTE FUNCTION exports_append_only();
--> statement-breakpoint
CREATE TRIGGER export_lines_append_only BEFORE UPDATE OR DELETE ON export_lines
  FOR EACH ROW EXECUTE FUNCTION exports_append_only();
--> statement-breakpoint
CREATE TRIGGER export_entries_append_only BEFORE UPDATE OR DELETE ON export_entries
  FOR EACH ROW EXECUTE FUNCTION exports_append_only();
--> statement-breakpoint
CREATE TRIGGER export_files_append_only BEFORE UPDATE OR DELETE ON export_files
  FOR EACH ROW EXECUTE FUNCTION exports_append_only();
--> statement-breakpoint
CREATE TRIGGER exports_no_truncate BEFORE TRUNCATE ON export_batches
  FOR EACH STATEMENT EXECUTE FUNCTION exports_append_only();
