CREATE TABLE "export_file_codes" (
	"batch_id" uuid NOT NULL,
	"format" text NOT NULL,
	"line_no" integer NOT NULL,
	"department_code" integer NOT NULL,
	"element_code" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "export_file_codes_batch_id_format_line_no_pk" PRIMARY KEY("batch_id","format","line_no")
);
--> statement-breakpoint
ALTER TABLE "activity_types" ADD COLUMN "sage_payment_number" integer;--> statement-breakpoint
ALTER TABLE "export_entries" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "export_entries" ADD COLUMN "activity_type_id" uuid;--> statement-breakpoint
ALTER TABLE "export_lines" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "export_lines" ADD COLUMN "activity_type_id" uuid;--> statement-breakpoint
ALTER TABLE "pay_schedules" ADD COLUMN "sage_holiday_payment_number" integer;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "sage_department" integer;--> statement-breakpoint
ALTER TABLE "export_file_codes" ADD CONSTRAINT "export_file_codes_batch_id_line_no_export_lines_batch_id_line_no_fk" FOREIGN KEY ("batch_id","line_no") REFERENCES "public"."export_lines"("batch_id","line_no") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_types" ADD CONSTRAINT "activity_types_sage_payment_number_check" CHECK ("activity_types"."sage_payment_number" between 1 and 999);--> statement-breakpoint
ALTER TABLE "pay_schedules" ADD CONSTRAINT "pay_schedules_sage_holiday_payment_number_check" CHECK ("pay_schedules"."sage_holiday_payment_number" between 1 and 999);--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_sage_department_check" CHECK ("teams"."sage_department" between 0 and 999);--> statement-breakpoint
-- The vendor codes a file printed are part of what was paid, like its digest: never updated or
-- deleted (exports_append_only, migration 0008).
CREATE TRIGGER export_file_codes_append_only BEFORE UPDATE OR DELETE ON export_file_codes
  FOR EACH ROW EXECUTE FUNCTION exports_append_only();
