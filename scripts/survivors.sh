#!/usr/bin/env bash
# SURVIVORS_DIR=DIR survivors.sh — lists the processes still alive that belong to a test run whose temporary files all live under
# DIR (the run exports TMPDIR=DIR): a `reglament serve`, a throwaway PostgreSQL, Postfix or Dovecot, a browser. They are
# recognised by DIR in their command line (data directory, -D, -c) or as their working directory (Postfix's master
# works in its queue directory), so processes of other runs on the same machine are never counted.
# DIR comes in the environment, not as an argument, so that this script's own command line does not name it.
# Waits up to SURVIVOR_GRACE seconds (10) for processes that are already stopping, then prints "PID command" per
# survivor and exits 1, or exits 0 when none is left.
set -uo pipefail
dir=${SURVIVORS_DIR:?usage: SURVIVORS_DIR=DIR survivors.sh}
grace=${SURVIVOR_GRACE:-10}
list() {
  local p pid cmd cwd
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    { cmd=$(tr '\0' ' ' < "$p/cmdline"); } 2>/dev/null || continue
    cwd=$(readlink "$p/cwd" 2>/dev/null) || cwd=
    case "$cmd" in *"$dir"*) echo "$pid $cmd"; continue ;; esac
    case "$cwd/" in "$dir"/*) echo "$pid $cmd (in $cwd)" ;; esac
  done
}
for ((i = 0; i <= grace; i++)); do
  found=$(list)
  [ -z "$found" ] && exit 0
  [ "$i" -lt "$grace" ] && sleep 1
done
echo "$found"
exit 1
