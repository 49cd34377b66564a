#!/usr/bin/env bash
# Throughput and politeness of `winnow crawl` on the shared crawl fixture
# (../shared/bench/crawl: nginx on 127.0.0.1, 50 hosts x 200 pages), with
# Scrapy run in the same session as the baseline when it is installed.
#
#   bench/crawl.sh [--no-scrapy] [--no-polite] [--runs N]
#
# 1. Throughput: winnow crawl --delay 0 --per-host 1 --concurrency 16
#    from the 50 home pages, extraction on, records to a file; N runs
#    (default 1), the best counts. Then Scrapy (run_peer.sh scrapy, same
#    settings) unless --no-scrapy or not installed.
# 2. Politeness: the 5 x 10 fixture with --delay 1 (unless --no-polite).
# Prints, per run: pages/s (from the server's log), CPU seconds, peak RSS,
# the politeness report (robots violations, connections per host, gaps),
# the winnow/Scrapy ratio, and PASS/FAIL against the targets:
#   pages/s >= 3 x Scrapy's (when Scrapy ran), 0 robots violations, at
#   most 1 connection per host, all 9,718 allowed pages, no duplicates,
#   peak RSS <= 256 MiB; with --delay 1 the minimum per-host gap >= 0.99 s.
#
# Needs nginx and python3 (and python3-scrapy for the baseline): run as
# root, it installs them with apt-get; otherwise it says what to install.
# Generates the fixtures when missing (gen_site.py; ~415 MB in
# $WINNOW_BENCH_DIR/crawl), serves them on ports 8080 and 8081 (stops the
# servers it started). Builds nothing: build winnow first (Release).
#
# Environment: WINNOW_BIN (default <repo>/build/winnow), WINNOW_SHARED
# (default <repo>/../shared), WINNOW_BENCH_DIR (default /tmp/winnow-bench),
# PORT (8080), POLITE_PORT (8081).
# Exit: 0 every target met, 1 a target missed or a run failed, 2 setup.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/crawl_fixture.sh"
polite_port=${POLITE_PORT:-8081}

scrapy=1 polite=1 runs=1
while [ $# -gt 0 ]; do
  case $1 in
  --no-scrapy) scrapy=0; shift ;;
  --no-polite) polite=0; shift ;;
  --runs) runs=${2:?--runs needs a value}; shift 2 ;;
  -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "crawl.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

[ -x "$bin" ] || { echo "crawl.sh: no $bin; build winnow first" >&2; exit 2; }
[ -f "$harness/serve.sh" ] || { echo "crawl.sh: no $harness" >&2; exit 2; }
need=()
command -v nginx >/dev/null || need+=(nginx)
[ -x /usr/bin/time ] || need+=(time)
if [ $scrapy = 1 ] && ! /usr/bin/python3 -c 'import scrapy' 2>/dev/null; then
  need+=(python3-scrapy)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
  else
    echo "crawl.sh: missing ${need[*]}: run  sudo apt-get install -y ${need[*]}" >&2
    exit 2
  fi
fi
if [ $scrapy = 1 ] && ! /usr/bin/python3 -c 'import scrapy' 2>/dev/null; then
  echo "crawl.sh: Scrapy is not installed: no baseline" >&2
  scrapy=0
fi

mkdir -p "$work"

# winnow_run SITE PORT OUT_DIR ARGS...: one crawl, its log slice, report.
winnow_run() {
  local site=$1 p=$2 out=$3
  shift 3
  local log=$site/run-$p/access.log off
  rm -rf "$out"
  mkdir -p "$out"
  off=$(stat -c %s "$log")
  set +e
  /usr/bin/time -v -o "$out/time.txt" timeout -k 10 1800 "$bin" crawl \
    --resolve "*.test:$p:127.0.0.1" --allow-private --state "$out/state.db" \
    --out "$out/records.jsonl" --stats "$out/stats.json" -q \
    --seeds "$site/seeds.txt" "$@" 2>"$out/crawler.log"
  echo $? >"$out/rc"
  set -e
  sleep 0.3 # nginx writes the last lines
  tail -c +$((off + 1)) "$log" >"$out/access.log"
  python3 "$harness/report.py" "$out/access.log" --site "$site" --per-host \
    --json "$out/report.json" >"$out/report.txt" || true
}

# summary OUT_DIR NAME: one line of figures; sets the globals of the run.
summary() {
  python3 - "$1" "$2" <<'EOF'
import json, re, sys
out, name = sys.argv[1], sys.argv[2]
r = json.load(open(out + "/report.json"))["summary"]
t = open(out + "/time.txt").read()
def field(label):
    m = re.search(r"%s: ([0-9.:]+)" % re.escape(label), t)
    return m.group(1) if m else "0"
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rss = int(field("Maximum resident set size (kbytes)")) / 1024
rc = open(out + "/rc").read().strip()
lines = sum(1 for _ in open(out + "/records.jsonl")) if name != "scrapy" else "-"
print("%-8s rc=%s pages=%s/%s dup=%s records=%s wall_s=%s pages_per_s=%s cpu_s=%.1f "
      "peak_rss_mib=%.0f disallowed=%s max_conc_per_host=%s connections=%s "
      "robots_txt=%s min_gap_s=%s"
      % (name, rc, r["pages_fetched"], r.get("expected_pages"), r["duplicates"], lines,
         r.get("wall_s"), r.get("pages_per_s"), cpu, rss, r["disallowed_fetched"],
         r["max_concurrent_per_host"], r.get("connections"), r.get("robots_txt_requests"),
         r.get("min_gap_per_host_s")))
json.dump({"rc": int(rc), "pages": r["pages_fetched"], "expected": r.get("expected_pages"),
           "dup": r["duplicates"], "pps": r.get("pages_per_s") or 0, "cpu": cpu, "rss": rss,
           "disallowed": r["disallowed_fetched"], "cc": r["max_concurrent_per_host"],
           "min_gap": r.get("min_gap_per_host_s"), "records": lines},
          open(out + "/figures.json", "w"))
EOF
}

fail=0
verdict() { # verdict NAME OK(0/1) DETAIL
  if [ "$2" = 1 ]; then echo "PASS $1 ($3)"; else echo "FAIL $1 ($3)"; fail=1; fi
}
get() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }' && echo 1 || echo 0; }

echo "== throughput: 50 hosts x 200 pages, --delay 0 --per-host 1 --concurrency 16"
site=$work/site
fixture "$site" "$port"
best=""
for n in $(seq "$runs"); do
  winnow_run "$site" "$port" "$work/winnow-$n" --delay 0 --per-host 1 --concurrency 16
  summary "$work/winnow-$n" winnow
  if [ -z "$best" ] || [ "$(ge "$(get "$work/winnow-$n/figures.json" pps)" \
    "$(get "$best/figures.json" pps)")" = 1 ]; then best=$work/winnow-$n; fi
done
w_pps=$(get "$best/figures.json" pps)
if [ $scrapy = 1 ]; then
  rm -rf "$work/scrapy"
  "$harness/run_peer.sh" scrapy "$site" "$port" "$work/scrapy" >/dev/null 2>&1 || true
  echo 0 >"$work/scrapy/rc"
  : >"$work/scrapy/records.jsonl"
  summary "$work/scrapy" scrapy
  s_pps=$(get "$work/scrapy/figures.json" pps)
  ratio=$(awk -v a="$w_pps" -v b="$s_pps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  echo "ratio winnow/scrapy pages/s: $ratio"
  verdict "throughput >= 3x Scrapy" "$(ge "$ratio" 3)" "$w_pps vs $s_pps pages/s"
fi
f=$best/figures.json
verdict "exit status 0" "$([ "$(get "$f" rc)" = 0 ] && echo 1 || echo 0)" "rc $(get "$f" rc)"
verdict "every allowed page, no duplicates" \
  "$([ "$(get "$f" pages)" = "$(get "$f" expected)" ] && [ "$(get "$f" dup)" = 0 ] && echo 1 || echo 0)" \
  "$(get "$f" pages)/$(get "$f" expected), dup $(get "$f" dup)"
verdict "0 robots violations" "$([ "$(get "$f" disallowed)" = 0 ] && echo 1 || echo 0)" \
  "$(get "$f" disallowed)"
verdict "at most 1 connection per host at a time" "$([ "$(get "$f" cc)" -le 1 ] && echo 1 || echo 0)" \
  "max $(get "$f" cc)"
verdict "peak RSS <= 256 MiB" "$(ge 256 "$(get "$f" rss)")" "$(get "$f" rss) MiB"

if [ $polite = 1 ]; then
  echo "== politeness: 5 hosts x 10 pages, --delay 1"
  psite=$work/polite
  fixture "$psite" "$polite_port" --hosts 5 --pages 10
  winnow_run "$psite" "$polite_port" "$work/polite-run" --delay 1 --per-host 1 --concurrency 16
  summary "$work/polite-run" winnow
  f=$work/polite-run/figures.json
  verdict "minimum per-host gap >= 0.99 s" "$(ge "$(get "$f" min_gap)" 0.99)" "$(get "$f" min_gap) s"
  verdict "0 robots violations (delay 1)" "$([ "$(get "$f" disallowed)" = 0 ] && echo 1 || echo 0)" \
    "$(get "$f" disallowed)"
fi
echo "runs in $work"
exit $fail
