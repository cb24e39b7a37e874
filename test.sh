#!/usr/bin/env bash
# Runs every test: installs the missing system packages (idempotent), builds, runs all test projects.
# The PostgreSQL tests start their own throwaway cluster (scripts/pgstack.sh) unless
# REGLAMENT_TEST_POSTGRES points at one. At the end, a process the tests started and did not stop (a `reglament
# serve`, PostgreSQL, Postfix, Dovecot, a browser) fails the run: it is listed, then stopped.
set -euo pipefail
cd "$(dirname "$0")"
# Every temporary directory of this run lives under one, so what this run started can be told apart from what other
# runs on the machine started (scripts/survivors.sh). World-traversable: PostgreSQL and Dovecot run as their own users.
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/reglament-run.XXXXXX")
chmod 755 "$run_tmp"
trap 'rm -rf "$run_tmp"' EXIT
export TMPDIR=$run_tmp
bash scripts/deps.sh
dotnet tool restore >/dev/null
dotnet restore
dotnet build --no-restore -c Release
rm -rf TestResults
rc=0
dotnet test --no-build -c Release --logger trx --results-directory TestResults || rc=$?
p=0; f=0; s=0
for x in TestResults/*.trx; do
  [ -e "$x" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$x")
  p=$((p + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$c")))
  f=$((f + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$c")))
  s=$((s + $(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$c")))
done
echo "$p passed, $f failed, $s skipped"
[ "$p" -gt 0 ] || { echo "no tests ran" >&2; rc=1; }
if ! left=$(SURVIVORS_DIR=$run_tmp bash scripts/survivors.sh); then
  echo "processes the tests started are still running (a fixture did not stop them):" >&2
  echo "$left" >&2
  # Ours, found by this run's directory: stopped by their ids so they do not outlive the run.
  cut -d' ' -f1 <<<"$left" | xargs -r kill 2>/dev/null || true
  rc=1
fi
exit $rc
