#!/bin/sh
# One rule-file case of the loader's broken-input suite.
#   check_rule_file.sh WINNOW FILE.json bad|good
# bad: `winnow rules check` must exit 1, within 20 s, and its stderr must
#      hold the one-line substring of FILE.expect;
# good: it must exit 0 (within 20 s, also for catastrophic patterns).
set -u
bin=$1
file=$2
mode=$3
err=$(mktemp)
trap 'rm -f "$err"' EXIT

timeout 20 "$bin" rules check "$file" >/dev/null 2>"$err"
rc=$?
if [ "$rc" -ge 124 ]; then
  echo "FAIL: $file: rules check hung or crashed (exit $rc)"
  cat "$err"
  exit 1
fi
if [ "$mode" = good ]; then
  if [ "$rc" -ne 0 ]; then
    echo "FAIL: $file: valid file rejected (exit $rc):"
    cat "$err"
    exit 1
  fi
  exit 0
fi
want=$(head -n 1 "${file%.json}.expect")
if [ "$rc" -ne 1 ]; then
  echo "FAIL: $file: exit $rc, want 1"
  cat "$err"
  exit 1
fi
if ! grep -q -F -- "$want" "$err"; then
  echo "FAIL: $file: stderr lacks '$want':"
  cat "$err"
  exit 1
fi
exit 0
