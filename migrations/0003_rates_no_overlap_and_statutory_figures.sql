-- Two rates for the same activity and scope (everyone, one team, one worker) never cover the
-- same day: the database refuses it, so no code path (or concurrent request) can make a rate
-- card ambiguous. valid_to is inclusive; null means open-ended.
ALTER TABLE rates ADD CONSTRAINT rates_no_overlap EXCLUDE USING gist (
  activity_type_id WITH =,
  scope WITH =,
  (coalesce(team_id, worker_id, '00000000-0000-0000-0000-000000000000'::uuid)) WITH =,
  daterange(valid_from, valid_to, '[]') WITH &&
);
--> statement-breakpoint
-- National Minimum Wage / National Living Wage, pence per hour (README, UK rules). Later years are
-- added by an admin through POST /statutory/minimum-wage-rates.
INSERT INTO minimum_wage_rates (effective_from, age_21_and_over_pence, age_18_to_20_pence, age_16_to_17_pence, apprentice_pence, source) VALUES
  ('2024-04-01', 1144, 860, 640, 640, 'Low Pay Commission / gov.uk, April 2024'),
  ('2025-04-01', 1221, 1000, 755, 755, 'Low Pay Commission / gov.uk, April 2025'),
  ('2026-04-01', 1271, 1085, 800, 800, 'Autumn Budget 26 Nov 2025, April 2026');
--> statement-breakpoint
-- Benefit figures (README, UK rules). ESA permitted work higher limit per week and its 16-hour rule;
-- Universal Credit work allowance per month, the lower (with housing costs) figure.
INSERT INTO benefit_thresholds (effective_from, esa_permitted_work_weekly_pence, esa_permitted_work_weekly_hours, uc_work_allowance_monthly_pence, source) VALUES
  ('2024-04-01', 18350, 16, 40400, 'ESA higher limit 2024/25 (gov.uk); UC work allowance 2024/25 with housing costs'),
  ('2025-04-01', 19550, 16, 41100, 'ESA higher limit 2025/26 (gov.uk); UC work allowance 2025/26 with housing costs'),
  ('2026-04-01', 20350, 16, 41100, 'ESA 16 x NLW (unconfirmed, see the README); UC 2025/26 figure carried forward until the 2026/27 figure is added');
