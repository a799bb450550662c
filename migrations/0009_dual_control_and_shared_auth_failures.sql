CREATE TABLE "auth_failures" (
	"client" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_ends_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "auth_failures_count_check" CHECK ("auth_failures"."failures" > 0)
);
--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD COLUMN "first_approved_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD COLUMN "first_approved_by_key_id" uuid;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD COLUMN "first_approved_by_person_id" uuid;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD COLUMN "dual_control_reason" text;--> statement-breakpoint
CREATE INDEX "auth_failures_window_idx" ON "auth_failures" USING btree ("window_ends_at");--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD CONSTRAINT "entries_dual_control_check" CHECK (("timesheet_entries"."first_approved_at" is null) = ("timesheet_entries"."dual_control_reason" is null)
    and ("timesheet_entries"."first_approved_at" is null or "timesheet_entries"."first_approved_by_key_id" is not null)
    and ("timesheet_entries"."first_approved_at" is null or "timesheet_entries"."state" not in ('approved', 'exported') or (
      "timesheet_entries"."decided_by_key_id" is distinct from "timesheet_entries"."first_approved_by_key_id"
      and ("timesheet_entries"."decided_by_person_id" is null or "timesheet_entries"."decided_by_person_id" is distinct from "timesheet_entries"."first_approved_by_person_id"))));
--> statement-breakpoint
-- The frozen-entry guard covers the dual-control columns too: who approved first, and why a
-- second approval was needed, stay as they were once an entry is approved.
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
        NEW.created_at, NEW.first_approved_at, NEW.first_approved_by_key_id, NEW.first_approved_by_person_id,
        NEW.dual_control_reason)
       IS DISTINCT FROM
       (OLD.worker_id, OLD.activity_type_id, OLD.team_id, OLD.kind, OLD.work_date, OLD.start_time, OLD.end_date,
        OLD.end_time, OLD.starts_at, OLD.ends_at, OLD.break_minutes, OLD.worked_minutes, OLD.corrects_entry_id,
        OLD.adjustment_pence, OLD.correction_reason, OLD.override_reason, OLD.rate_id, OLD.rate_pence_per_unit,
        OLD.rate_unit, OLD.rate_source, OLD.gross_pence, OLD.payment_mode, OLD.decided_at, OLD.decided_by_key_id,
        OLD.decided_by_person_id, OLD.recorded_by_key_id, OLD.notes, OLD.submitted_at, OLD.rejection_reason,
        OLD.created_at, OLD.first_approved_at, OLD.first_approved_by_key_id, OLD.first_approved_by_person_id,
        OLD.dual_control_reason)
  ) THEN
    RAISE EXCEPTION 'an approved entry cannot change; record a correction instead'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'timesheet_entries_frozen';
  END IF;
  RETURN NEW;
END;
$$;
