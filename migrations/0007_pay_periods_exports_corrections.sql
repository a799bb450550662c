CREATE TYPE "public"."pay_frequency" AS ENUM('weekly', 'fortnightly', 'four_weekly', 'monthly');--> statement-breakpoint
CREATE TYPE "public"."pay_period_state" AS ENUM('open', 'closed', 'exported');--> statement-breakpoint
CREATE TABLE "export_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "export_batches_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"pay_period_id" uuid NOT NULL,
	"pay_schedule_id" uuid NOT NULL,
	"pay_schedule_name" text NOT NULL,
	"payroll_calendar_code" text NOT NULL,
	"holiday_pay_element_code" text NOT NULL,
	"period_start_date" date NOT NULL,
	"period_end_date" date NOT NULL,
	"pay_date" date NOT NULL,
	"entry_count" integer NOT NULL,
	"worker_count" integer NOT NULL,
	"minutes" integer NOT NULL,
	"gross_pence" bigint NOT NULL,
	"payroll_gross_pence" bigint NOT NULL,
	"voucher_gross_pence" bigint NOT NULL,
	"holiday_pay_pence" bigint NOT NULL,
	"late_entry_count" integer NOT NULL,
	"created_by_key_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "export_batches_pay_period_id_unique" UNIQUE("pay_period_id")
);
--> statement-breakpoint
CREATE TABLE "export_entries" (
	"entry_id" uuid PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"line_no" integer,
	"kind" "entry_kind" NOT NULL,
	"corrects_entry_id" uuid,
	"worker_id" uuid NOT NULL,
	"payroll_reference" text,
	"worker_name" text NOT NULL,
	"department" text NOT NULL,
	"cost_centre" text NOT NULL,
	"activity_code" text NOT NULL,
	"activity_name" text NOT NULL,
	"pay_element_code" text NOT NULL,
	"work_date" date NOT NULL,
	"start_time" text,
	"end_time" text,
	"starts_at" timestamp (3) with time zone,
	"break_minutes" integer NOT NULL,
	"minutes" integer NOT NULL,
	"unit" "activity_unit" NOT NULL,
	"line_unit" text NOT NULL,
	"rate_pence" integer NOT NULL,
	"gross_pence" integer NOT NULL,
	"payment_mode" "payment_mode" NOT NULL,
	"holiday_pay_mode" "holiday_pay_mode" NOT NULL,
	"late" boolean NOT NULL,
	"approved_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "export_files" (
	"batch_id" uuid NOT NULL,
	"format" text NOT NULL,
	"sha256" text NOT NULL,
	"bytes" bigint NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "export_files_batch_id_format_pk" PRIMARY KEY("batch_id","format")
);
--> statement-breakpoint
CREATE TABLE "export_lines" (
	"batch_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"kind" text NOT NULL,
	"payment_mode" "payment_mode" NOT NULL,
	"worker_id" uuid NOT NULL,
	"payroll_reference" text NOT NULL,
	"worker_name" text NOT NULL,
	"department" text NOT NULL,
	"cost_centre" text NOT NULL,
	"pay_element_code" text NOT NULL,
	"description" text NOT NULL,
	"unit" text NOT NULL,
	"minutes" integer NOT NULL,
	"sessions" integer NOT NULL,
	"rate_pence" integer,
	"gross_pence" bigint NOT NULL,
	"hours_hundredths" integer,
	"hours_text" text,
	"payroll_computed_pence" bigint,
	"difference_pence" bigint,
	"late" boolean NOT NULL,
	"entry_count" integer NOT NULL,
	CONSTRAINT "export_lines_batch_id_line_no_pk" PRIMARY KEY("batch_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "pay_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pay_schedule_id" uuid NOT NULL,
	"period_index" integer NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"pay_date" date NOT NULL,
	"state" "pay_period_state" DEFAULT 'open' NOT NULL,
	"closed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pay_periods_dates_check" CHECK ("pay_periods"."end_date" >= "pay_periods"."start_date")
);
--> statement-breakpoint
CREATE TABLE "pay_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"frequency" "pay_frequency" NOT NULL,
	"anchor_date" date NOT NULL,
	"pay_date_offset_days" integer DEFAULT 0 NOT NULL,
	"payroll_calendar_code" text NOT NULL,
	"holiday_pay_element_code" text NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pay_schedules_name_unique" UNIQUE("name"),
	CONSTRAINT "pay_schedules_offset_check" CHECK ("pay_schedules"."pay_date_offset_days" between 0 and 60)
);
--> statement-breakpoint
ALTER TABLE "timesheet_entries" DROP CONSTRAINT "entries_span_check";--> statement-breakpoint
ALTER TABLE "timesheet_entries" DROP CONSTRAINT "entries_minutes_check";--> statement-breakpoint
DROP INDEX "entries_team_idx";--> statement-breakpoint
DROP INDEX "entries_worker_idx";--> statement-breakpoint
ALTER TABLE "timesheet_entries" ALTER COLUMN "start_time" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ALTER COLUMN "end_date" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ALTER COLUMN "end_time" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ALTER COLUMN "starts_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ALTER COLUMN "ends_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD COLUMN "sort_at" timestamp (3) with time zone GENERATED ALWAYS AS (coalesce(starts_at, created_at)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD COLUMN "corrects_entry_id" uuid;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD COLUMN "adjustment_pence" integer;--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD COLUMN "correction_reason" text;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "pay_schedule_id" uuid;--> statement-breakpoint
ALTER TABLE "export_batches" ADD CONSTRAINT "export_batches_pay_period_id_pay_periods_id_fk" FOREIGN KEY ("pay_period_id") REFERENCES "public"."pay_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_batches" ADD CONSTRAINT "export_batches_pay_schedule_id_pay_schedules_id_fk" FOREIGN KEY ("pay_schedule_id") REFERENCES "public"."pay_schedules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_entries" ADD CONSTRAINT "export_entries_entry_id_timesheet_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."timesheet_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_entries" ADD CONSTRAINT "export_entries_batch_id_export_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."export_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_files" ADD CONSTRAINT "export_files_batch_id_export_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."export_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_lines" ADD CONSTRAINT "export_lines_batch_id_export_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."export_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pay_periods" ADD CONSTRAINT "pay_periods_pay_schedule_id_pay_schedules_id_fk" FOREIGN KEY ("pay_schedule_id") REFERENCES "public"."pay_schedules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "export_entries_batch_seq_unique" ON "export_entries" USING btree ("batch_id","seq");--> statement-breakpoint
CREATE INDEX "export_entries_batch_worker_idx" ON "export_entries" USING btree ("batch_id","worker_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pay_periods_schedule_index_unique" ON "pay_periods" USING btree ("pay_schedule_id","period_index");--> statement-breakpoint
CREATE INDEX "pay_periods_dates_idx" ON "pay_periods" USING btree ("pay_schedule_id","start_date");--> statement-breakpoint
CREATE UNIQUE INDEX "pay_schedules_one_default" ON "pay_schedules" USING btree ("is_default") WHERE "pay_schedules"."is_default";--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD CONSTRAINT "timesheet_entries_corrects_entry_id_timesheet_entries_id_fk" FOREIGN KEY ("corrects_entry_id") REFERENCES "public"."timesheet_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workers" ADD CONSTRAINT "workers_pay_schedule_id_pay_schedules_id_fk" FOREIGN KEY ("pay_schedule_id") REFERENCES "public"."pay_schedules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entries_order_idx" ON "timesheet_entries" USING btree ("work_date" DESC NULLS FIRST,"sort_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "entries_corrects_idx" ON "timesheet_entries" USING btree ("corrects_entry_id");--> statement-breakpoint
CREATE INDEX "entries_team_idx" ON "timesheet_entries" USING btree ("team_id","work_date" DESC NULLS FIRST,"sort_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "entries_worker_idx" ON "timesheet_entries" USING btree ("worker_id","work_date" DESC NULLS FIRST,"sort_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD CONSTRAINT "entries_adjustment_check" CHECK (("timesheet_entries"."kind" = 'adjustment') = ("timesheet_entries"."corrects_entry_id" is not null and "timesheet_entries"."correction_reason" is not null)
    and ("timesheet_entries"."kind" = 'work' or ("timesheet_entries"."starts_at" is null and "timesheet_entries"."ends_at" is null and ("timesheet_entries"."adjustment_pence" is null) <> ("timesheet_entries"."worked_minutes" = 0))));--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD CONSTRAINT "entries_span_check" CHECK ("timesheet_entries"."kind" <> 'work' or ("timesheet_entries"."starts_at" is not null and "timesheet_entries"."ends_at" is not null and "timesheet_entries"."start_time" is not null and "timesheet_entries"."end_time" is not null and "timesheet_entries"."end_date" is not null
    and "timesheet_entries"."ends_at" > "timesheet_entries"."starts_at" and "timesheet_entries"."ends_at" - "timesheet_entries"."starts_at" <= interval '24 hours'));--> statement-breakpoint
ALTER TABLE "timesheet_entries" ADD CONSTRAINT "entries_minutes_check" CHECK ("timesheet_entries"."break_minutes" >= 0 and ("timesheet_entries"."kind" <> 'work' or "timesheet_entries"."worked_minutes" > 0));