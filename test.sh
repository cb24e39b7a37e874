#!/usr/bin/env bash
# Runs every test: installs the missing system packages (idempotent), builds, runs all test projects.
# The PostgreSQL tests start their own throwaway cluster (scripts/pgstack.sh) unless
# REGLAMENT_TEST_POSTGRES points at one.
set -euo pipefail
cd "$(dirname "$0")"
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
exit $rc
