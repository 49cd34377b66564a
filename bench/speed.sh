#!/usr/bin/env bash
# Speed and memory of `winnow extract` against a bare Gumbo parse.
#
#   bench/speed.sh [-n N]
#
# Over all AEB pages (../shared/bench/aeb/html, 181 gzipped pages), each
# in ONE process, N times (default 3; the best wall time counts):
#   baseline        bench/parse_baseline: read, gunzip, Gumbo-parse with
#                   kGumboDefaultOptions, walk, destroy
#   tuned baseline  the same with max_errors = 0 (no error recording)
#   winnow          winnow extract FILE..., output to /dev/null
# Prints pages/s of each, winnow/baseline and winnow/tuned ratios, winnow's
# peak RSS, and PASS/FAIL against the targets:
#   pages/s ratio winnow/baseline >= 0.80, winnow peak RSS <= 64 MiB.
#
# Builds nothing. Build first, without sanitizers:
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
#   cmake --build build -j --target winnow parse_baseline runlimit
# Wall time and peak RSS come from build/tests/badinput/runlimit (wait4);
# /usr/bin/time is used when runlimit is not built.
#
# Environment: WINNOW_BUILD (default <repo>/build), WINNOW_BIN (default
# $WINNOW_BUILD/winnow), WINNOW_SHARED (default <repo>/../shared),
# WINNOW_BENCH_DIR (default /tmp/winnow-bench; logs in .../speed).
# Exit: 0 both targets met, 1 a target missed or a run failed, 2 setup.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || dirname "$here")

repeats=3
while [ $# -gt 0 ]; do
  case $1 in
  -n) repeats=${2:?-n needs a value}; shift 2 ;;
  -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "speed.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
case $repeats in
'' | *[!0-9]* | 0) echo "speed.sh: -n wants a positive count" >&2; exit 2 ;;
esac

build=${WINNOW_BUILD:-$root/build}
bin=${WINNOW_BIN:-$build/winnow}
baseline=$build/bench/parse_baseline
runlimit=$build/tests/badinput/runlimit
shared=${WINNOW_SHARED:-$root/../shared}
work=${WINNOW_BENCH_DIR:-/tmp/winnow-bench}/speed

for f in "$bin" "$baseline"; do
  if [ ! -x "$f" ]; then
    echo "speed.sh: $f not built; build first:" >&2
    echo "  cmake -S $root -B $build -DCMAKE_BUILD_TYPE=Release" >&2
    echo "  cmake --build $build -j --target winnow parse_baseline runlimit" >&2
    exit 2
  fi
done
if [ -x "$runlimit" ]; then
  timer="runlimit"
elif [ -x /usr/bin/time ]; then
  timer=gnu-time
else
  echo "speed.sh: need $runlimit (cmake --build $build --target runlimit)" >&2
  exit 2
fi
if ldd "$bin" 2>/dev/null | grep -q 'libasan\|libubsan'; then
  echo "speed.sh: warning: $bin is a sanitizer build; figures are meaningless" >&2
fi

shopt -s nullglob
pages=("$shared"/bench/aeb/html/*.html.gz)
shopt -u nullglob
if [ ${#pages[@]} -eq 0 ]; then
  echo "speed.sh: no pages in $shared/bench/aeb/html (set WINNOW_SHARED?)" >&2
  exit 2
fi
mkdir -p "$work"
rm -f "$work"/*.report "$work"/*.log
cat "${pages[@]}" >/dev/null # warm the page cache

# measure LABEL CMD...: one timed run, appending to $work/LABEL.report.
measure() {
  local label=$1 report=$work/$1.report log=$work/$1.log
  shift
  if [ "$timer" = runlimit ]; then
    if ! "$runlimit" --timeout 600 --max-rss 65536 --expect-exit 0 \
      --stdout /dev/null --report "$report" -- "$@" 2>"$log"; then
      echo "speed.sh: $label run failed:" >&2
      head -n 30 "$log" >&2
      exit 1
    fi
  else
    if ! /usr/bin/time -a -o "$report" \
      -f 'wall_s=%e maxrss_kib=%M status=exit:%x' "$@" >/dev/null 2>"$log"; then
      echo "speed.sh: $label run failed:" >&2
      head -n 30 "$log" >&2
      exit 1
    fi
  fi
}

echo "speed.sh: ${#pages[@]} pages, $repeats run(s) each, timer: $timer" >&2
for ((i = 1; i <= repeats; i++)); do
  # Interleaved, so drift in machine load hits all three alike.
  measure baseline "$baseline" "${pages[@]}"
  measure tuned "$baseline" --tuned "${pages[@]}"
  measure winnow "$bin" extract "${pages[@]}"
done

python3 - "$work" "${#pages[@]}" <<'EOF'
import os, sys

work, n = sys.argv[1], int(sys.argv[2])

def load(label):
    walls, rss = [], []
    with open(os.path.join(work, label + ".report")) as f:
        for line in f:
            kv = dict(p.split("=", 1) for p in line.split())
            walls.append(float(kv["wall_s"]))
            rss.append(int(kv["maxrss_kib"]))
    return min(walls), max(rss) / 1024.0

res = {label: load(label) for label in ("baseline", "tuned", "winnow")}
pps = {k: (n / w if w > 0 else float("inf")) for k, (w, _) in res.items()}
names = {"baseline": "parse_baseline", "tuned": "parse_baseline --tuned",
         "winnow": "winnow extract"}
print("%-24s %9s %9s %12s" % ("", "best s", "pages/s", "peak RSS MiB"))
for k in ("baseline", "tuned", "winnow"):
    print("%-24s %9.3f %9.1f %12.1f" % (names[k], res[k][0], pps[k], res[k][1]))
ratio = pps["winnow"] / pps["baseline"]
ratio_tuned = pps["winnow"] / pps["tuned"]
rss = res["winnow"][1]
ok_speed, ok_rss = ratio >= 0.80, rss <= 64.0
print("ratio winnow/baseline        %.3f  (target >= 0.80)  %s"
      % (ratio, "PASS" if ok_speed else "FAIL"))
print("ratio winnow/tuned baseline  %.3f  (no target)" % ratio_tuned)
print("winnow peak RSS          %.1f MiB  (target <= 64 MiB)  %s"
      % (rss, "PASS" if ok_rss else "FAIL"))
sys.exit(0 if ok_speed and ok_rss else 1)
EOF
