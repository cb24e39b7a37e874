#!/usr/bin/env bash
# pgstack.sh start|stop — a throwaway PostgreSQL cluster on 127.0.0.1, state in one temp dir.
#   start prints PGTEST_DIR=... and ConnectionString=...; stop needs PGTEST_DIR. PGTEST_PORT (default 55432).
# initdb refuses root, so as root the binaries run as the 'postgres' system user.
set -euo pipefail
cmd=${1:-start}; PORT=${PGTEST_PORT:-55432}; D=${PGTEST_DIR:-}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "pgstack: PostgreSQL is not installed; run scripts/deps.sh" >&2; exit 1
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ "$(id -u)" = 0 ]; then
  getent passwd postgres >/dev/null || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  AS=(runuser -u postgres --)
else AS=(); fi
if [ "$cmd" = stop ]; then
  [ -n "$D" ] || { echo "pgstack: PGTEST_DIR needed" >&2; exit 2; }
  "${AS[@]}" "$BIN/pg_ctl" -D "$D" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi
[ -n "$D" ] || D=$(mktemp -d "${TMPDIR:-/tmp}/pgtest.XXXXXX")
[ "$(id -u)" = 0 ] && chown postgres: "$D"
chmod 700 "$D"
if [ ! -f "$D/PG_VERSION" ]; then
  "${AS[@]}" "$BIN/initdb" -D "$D" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
# Durability off: a test cluster, thrown away after the run. Daemon stdio to /dev/null so callers reading
# this script's output through a pipe are not kept waiting.
"${AS[@]}" "$BIN/pg_ctl" -D "$D" -l "$D/server.log" -w -t 30 start \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $D -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  </dev/null >/dev/null 2>&1 || { cat "$D/server.log" >&2; exit 1; }
echo "PGTEST_DIR=$D"
echo "ConnectionString=Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"
