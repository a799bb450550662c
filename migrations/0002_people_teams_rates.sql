CREATE TYPE "public"."activity_unit" AS ENUM('hour', 'session');--> statement-breakpoint
CREATE TYPE "public"."benefit_guard" AS ENUM('none', 'esa_permitted_work', 'universal_credit', 'custom');--> statement-breakpoint
CREATE TYPE "public"."guard_policy" AS ENUM('warn', 'block');--> statement-breakpoint
CREATE TYPE "public"."holiday_pay_mode" AS ENUM('rolled_up', 'accrued');--> statement-breakpoint
CREATE TYPE "public"."payment_mode" AS ENUM('payroll', 'voucher', 'declined');--> statement-breakpoint
CREATE TYPE "public"."rate_scope" AS ENUM('default', 'team', 'worker');--> statement-breakpoint
CREATE TABLE "activity_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"pay_element_code" text NOT NULL,
	"unit" "activity_unit" NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "activity_types_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "benefit_thresholds" (
	"effective_from" date PRIMARY KEY NOT NULL,
	"esa_permitted_work_weekly_pence" integer NOT NULL,
	"esa_permitted_work_weekly_hours" integer NOT NULL,
	"uc_work_allowance_monthly_pence" integer NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "benefit_thresholds_positive_check" CHECK ("benefit_thresholds"."esa_permitted_work_weekly_pence" > 0 and "benefit_thresholds"."esa_permitted_work_weekly_hours" > 0 and "benefit_thresholds"."uc_work_allowance_monthly_pence" > 0)
);
--> statement-breakpoint
CREATE TABLE "minimum_wage_rates" (
	"effective_from" date PRIMARY KEY NOT NULL,
	"age_21_and_over_pence" integer NOT NULL,
	"age_18_to_20_pence" integer NOT NULL,
	"age_16_to_17_pence" integer NOT NULL,
	"apprentice_pence" integer NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "minimum_wage_rates_positive_check" CHECK ("minimum_wage_rates"."age_21_and_over_pence" > 0 and "minimum_wage_rates"."age_18_to_20_pence" > 0 and "minimum_wage_rates"."age_16_to_17_pence" > 0 and "minimum_wage_rates"."apprentice_pence" > 0)
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"activity_type_id" uuid NOT NULL,
	"scope" "rate_scope" NOT NULL,
	"team_id" uuid,
	"worker_id" uuid,
	"pence_per_unit" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "rates_scope_check" CHECK (("rates"."scope" = 'default' and "rates"."team_id" is null and "rates"."worker_id" is null)
    or ("rates"."scope" = 'team' and "rates"."team_id" is not null and "rates"."worker_id" is null)
    or ("rates"."scope" = 'worker' and "rates"."worker_id" is not null and "rates"."team_id" is null)),
	CONSTRAINT "rates_positive_check" CHECK ("rates"."pence_per_unit" > 0),
	CONSTRAINT "rates_dates_check" CHECK ("rates"."valid_to" is null or "rates"."valid_to" >= "rates"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "team_managers" (
	"team_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "team_managers_team_id_person_id_pk" PRIMARY KEY("team_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" uuid NOT NULL,
	"worker_id" uuid NOT NULL,
	CONSTRAINT "team_members_team_id_worker_id_pk" PRIMARY KEY("team_id","worker_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"cost_centre" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "teams_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "workers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payroll_reference" text,
	"date_of_birth" date NOT NULL,
	"apprentice" boolean DEFAULT false NOT NULL,
	"apprenticeship_start_date" date,
	"payment_mode" "payment_mode" NOT NULL,
	"holiday_pay_mode" "holiday_pay_mode" NOT NULL,
	"benefit_guard" "benefit_guard" DEFAULT 'none' NOT NULL,
	"benefit_cap_pence" integer,
	"benefit_policy" "guard_policy" DEFAULT 'warn' NOT NULL,
	"engagement_start_date" date NOT NULL,
	"engagement_end_date" date,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "workers_payroll_reference_unique" UNIQUE("payroll_reference"),
	CONSTRAINT "workers_engagement_dates_check" CHECK ("workers"."engagement_end_date" is null or "workers"."engagement_end_date" >= "workers"."engagement_start_date"),
	CONSTRAINT "workers_benefit_cap_check" CHECK (("workers"."benefit_guard" = 'custom') = ("workers"."benefit_cap_pence" is not null) and ("workers"."benefit_cap_pence" is null or "workers"."benefit_cap_pence" > 0))
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "person_id" uuid;--> statement-breakpoint
ALTER TABLE "rates" ADD CONSTRAINT "rates_activity_type_id_activity_types_id_fk" FOREIGN KEY ("activity_type_id") REFERENCES "public"."activity_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rates" ADD CONSTRAINT "rates_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rates" ADD CONSTRAINT "rates_worker_id_workers_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."workers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_managers" ADD CONSTRAINT "team_managers_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_managers" ADD CONSTRAINT "team_managers_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_worker_id_workers_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."workers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workers" ADD CONSTRAINT "workers_id_people_id_fk" FOREIGN KEY ("id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_types_created_idx" ON "activity_types" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "people_created_idx" ON "people" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "rates_lookup_idx" ON "rates" USING btree ("activity_type_id","scope","valid_from");--> statement-breakpoint
CREATE INDEX "rates_created_idx" ON "rates" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "team_managers_person_idx" ON "team_managers" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "team_members_worker_idx" ON "team_members" USING btree ("worker_id");--> statement-breakpoint
CREATE INDEX "teams_created_idx" ON "teams" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "workers_created_idx" ON "workers" USING btree ("created_at","id");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_person_check" CHECK ("api_keys"."role" not in ('worker', 'manager') or "api_keys"."person_id" is not null);