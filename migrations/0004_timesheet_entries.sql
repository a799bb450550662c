CREATE TYPE "public"."entry_kind" AS ENUM('work', 'adjustment');--> statement-breakpoint
CREATE TYPE "public"."entry_state" AS ENUM('draft', 'submitted', 'approved', 'rejected', 'exported');--> statement-breakpoint
CREATE TABLE "timesheet_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"worker_id" uuid NOT NULL,
	"activity_type_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"kind" "entry_kind" DEFAULT 'work' NOT NULL,
	"work_date" date NOT NULL,
	"start_time" text NOT NULL,
	"end_date" date NOT NULL,
	"end_time" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"break_minutes" integer DEFAULT 0 NOT NULL,
	"worked_minutes" integer NOT NULL,
	"notes" text,
	"state" "entry_state" NOT NULL,
	"recorded_by_key_id" uuid,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by_key_id" uuid,
	"decided_by_person_id" uuid,
	"rejection_reason" text,
	"override_reason" text,
	"rate_id" uuid,
	"rate_pence_per_unit" integer,
	"rate_unit" "activity_unit",
	"rate_source" "rate_scope",
	"gross_pence" integer,
	"payment_mode" "payment_mode",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "entries_span_check" CHECK ("timesheet_entries"."ends_at" > "timesheet_entries"."starts_at" and "timesheet_entries"."ends_at" - "timesheet_entries"."starts_at" <= interval '24 hours'),
	CONSTRAINT "entries_minutes_check" CHECK ("timesheet_entries"."break_minutes" >= 0 and "timesheet_entries"."worked_minutes" > 0),
	CONSTRAINT "entries_frozen_check" CHECK (("timesheet_entries"."state" in ('approved', 'exported')) = ("timesheet_entries"."gross_pence" is not null and "timesheet_entries"."rate_pence_per_unit" is not null and "timesheet_entries"."payment_mode" is not null)),
	CONSTRAINT "entries_rejection_check" CHECK ("timesheet_entries"."state" <> 'rejected' or "timesheet_entries"."rejection_reason" is not null)
);
--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD CONSTRAINT "timesheet_entries_worker_id_workers_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."workers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD CONSTRAINT "timesheet_entries_activity_type_id_activity_types_id_fk" FOREIGN KEY ("activity_type_id") REFERENCES "public"."activity_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD CONSTRAINT "timesheet_entries_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD CONSTRAINT "timesheet_entries_rate_id_rates_id_fk" FOREIGN KEY ("rate_id") REFERENCES "public"."rates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entries_team_idx" ON "timesheet_entries" USING btree ("team_id","work_date" DESC NULLS LAST,"starts_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "entries_worker_idx" ON "timesheet_entries" USING btree ("worker_id","work_date" DESC NULLS LAST,"starts_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "entries_state_idx" ON "timesheet_entries" USING btree ("state","work_date");