# The README's first minute with the demo, step by step (test/operations/demo-flow.test.ts runs
# this file and checks that the README shows it verbatim). Needs the lines `npm run cli -- demo`
# printed (MANAGER, FINANCE, BASE) pasted into the shell, the service running, curl and node.
set -euo pipefail
api () { curl -sS --fail-with-body -H "Authorization: Bearer $1" "${@:2}"; }             # a call as a role
field () { node -p "JSON.parse(require('fs').readFileSync(0, 'utf8'))$1"; }           # a JSON field
etag () { api "$1" -o /dev/null -D - "$2" | tr -d '\r' | sed -n 's/^etag: //Ip'; }   # a resource's ETag

# 1. the manager approves a submitted entry (a state change needs the entry's ETag in If-Match)
entry=$(api "$MANAGER" "$BASE/entries?state=submitted&limit=1" | field '.items[0].id')
api "$MANAGER" -X POST -H "If-Match: $(etag "$MANAGER" "$BASE/entries/$entry")" "$BASE/entries/$entry/approve"
echo
# 2. finance closes this month's period
schedule=$(api "$FINANCE" "$BASE/pay-schedules" | field '.items[0].id')
period_url="$BASE/pay-schedules/$schedule/period-for-date?date=$(TZ=Europe/London date +%F)"
period=$(api "$FINANCE" "$period_url" | field '.id')
api "$FINANCE" -X POST -H "If-Match: $(etag "$FINANCE" "$period_url")" "$BASE/pay-periods/$period/close"
echo
# 3. and exports it (an Idempotency-Key makes a retry safe)
batch=$(api "$FINANCE" -X POST -H "Idempotency-Key: export-$period" "$BASE/pay-periods/$period/exports" | field '.id')
echo "export batch $batch"
# 4. then downloads it in the payroll software's format (saved under the name the service gives)
api "$FINANCE" -OJ "$BASE/exports/$batch/files/sage50"
