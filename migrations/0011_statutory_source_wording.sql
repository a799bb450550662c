-- The 2026 benefit figures were seeded with a source naming a file that is not part of this
-- repository; they now point at the README's "UK rules the service applies", which gives the
-- sources. Only the wording of that one seeded row changes.
UPDATE benefit_thresholds
SET source = 'ESA 16 x NLW (unconfirmed, see the README); UC 2025/26 figure carried forward until the 2026/27 figure is added'
WHERE effective_from = '2026-04-01' AND source LIKE 'ESA 16 x NLW (unconfirmed, %' AND source NOT LIKE '%see the README%';
