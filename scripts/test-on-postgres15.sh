#!/usr/bin/env bash
# Runs the database-heavy tests against Debian's PostgreSQL 15 (the oldest supported major) instead of the
# embedded PostgreSQL: a throwaway cluster (initdb as the postgres user into a mktemp folder under /tmp, trust
# authentication on 127.0.0.1 only, a free port), the suite pointed at it with LMC_TEST_DATABASE_URL, and the
# cluster stopped and removed at exit whatever happens.
# Needs the Debian package postgresql-15 (its binaries in /usr/lib/postgresql/15/bin; PG_BIN overrides) and a
# postgres system user (the package creates it). Run as root (the cluster runs as postgres) or as postgres.
# Usage: scripts/test-on-postgres15.sh [vitest paths ...]   Results: test-results/pg15.json.
set -uo pipefail
cd "$(dirname "$0")/.."
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 is not installed in $PG_BIN (Debian package: postgresql-15)" >&2; exit 2; }
id postgres >/dev/null 2>&1 || { echo "no postgres system user (the Debian package postgresql-15 creates it)" >&2; exit 2; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

dir=$(mktemp -d /tmp/lmc-pg15-XXXXXX)
chown postgres "$dir" 2>/dev/null || true
cleanup() {
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# /tmp is readable by postgres: the cluster, its socket and its log live in $dir.
as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust --auth-host=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# Throwaway cluster: no fsync; enough connections for vitest's parallel files (each opens a pool).
as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=256MB" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

export LMC_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL: $("$PG_BIN/psql" -At "$LMC_TEST_DATABASE_URL" -c 'select version()')"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(tests/engine tests/user-import tests/reports tests/xapi-export tests/xapi-import)
mkdir -p test-results
start=$(date +%s)
npx vitest run "${files[@]}" --reporter=default --reporter=json --outputFile.json=test-results/pg15.json
rc=$?
echo "vitest on PostgreSQL 15: exit $rc in $(( $(date +%s) - start )) s"
exit $rc
