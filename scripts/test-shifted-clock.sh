#!/usr/bin/env bash
# Runs the date-sensitive tests again with the machine's clock moved by libfaketime (Debian's faketime), to prove
# that no test depends on the day it runs. Shifts (each a faketime offset relative to now, so every process of the
# run, including the embedded PostgreSQL and Chromium, moves by the same amount):
#   +400d         a year and more ahead
#   spring-paris  the next night Europe/Paris changes to summer time, a minute before the change
#   autumn-paris  the next night it changes back to winter time, a minute before the change
#   year-end      a minute before the next New Year in UTC
# Usage: scripts/test-shifted-clock.sh [shift ...]   (default: all four); extra vitest files via LMC_CLOCK_TEST_FILES.
# Each shift's results go to test-results/shifted-<shift>.json.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "faketime is not installed (Debian package: faketime)" >&2; exit 2; }

files=(${LMC_CLOCK_TEST_FILES:-tests/engine tests/reports tests/xapi-export tests/xapi-import tests/platform/trainings-enrollments-api.test.ts tests/web/connector-flow.e2e.test.ts})
shifts=("$@")
[ ${#shifts[@]} -gt 0 ] || shifts=(+400d spring-paris autumn-paris year-end)

# Seconds from now to the target instant of a named shift (luxon: the product's own date library).
offset_of() {
  node --input-type=module -e '
    import { DateTime } from "luxon";
    const now = DateTime.utc();
    const lastSunday = (y, m) => { let d = DateTime.utc(y, m, 1).endOf("month").startOf("day"); while (d.weekday !== 7) d = d.minus({ days: 1 }); return d; };
    const next = (f) => { let t = f(now.year); if (t <= now) t = f(now.year + 1); return t; };
    // Europe/Paris changes at 01:00 UTC on the last Sunday of March and of October.
    const at = { "spring-paris": () => next((y) => lastSunday(y, 3).set({ hour: 0, minute: 59 })),
                 "autumn-paris": () => next((y) => lastSunday(y, 10).set({ hour: 0, minute: 59 })),
                 "year-end": () => next((y) => DateTime.utc(y, 12, 31, 23, 59)) }[process.argv[1]];
    if (!at) { console.error("unknown shift " + process.argv[1]); process.exit(2); }
    console.log(Math.round(at().diff(now, "seconds").seconds));
  ' "$1"
}

mkdir -p test-results
status=0
for s in "${shifts[@]}"; do
  if [[ "$s" == [+-]* ]]; then spec="$s"; else off=$(offset_of "$s") || exit 2; spec="+${off}s"; fi
  echo "== clock shifted: $s (faketime -f '$spec')"
  faketime -f "$spec" node -e 'console.log("   the tests see " + new Date().toISOString())'
  faketime -f "$spec" npx vitest run "${files[@]}" --reporter=default --reporter=json --outputFile.json="test-results/shifted-${s#+}.json" || status=1
done
exit $status
