#!/usr/bin/env bash
# Kill -9 soak of `winnow crawl` on the shared crawl fixture (nginx on
# 127.0.0.1, 50 hosts x 200 pages; see bench/crawl.sh): the same command
# is started again and again and killed with SIGKILL after a random
# 0.2 to 3 s (--max-wait), until a run ends by itself. Opt-in (make soak), not part of
# make test.
#
#   bench/soak_kill.sh [--max-rounds N] [--seed N] [--delay S] [--max-wait S]
#
# After each kill it reads, from the state file, the output size the state
# acknowledges, and the records up to that size: those pages must never be
# requested again (the issue's "no page whose record was written is
# fetched again"). At the end it checks: the last run's exit status is 0;
# every line of the output is one JSON record; no URL has two records;
# the records are exactly the fixture's allowed pages; no robots.txt
# violation and at most one connection per host (report.py). It prints
# the kills, the page requests, and the pages fetched more than once
# (batches lost to a kill are done again: that is the price of a kill).
#
# Environment: WINNOW_BIN (default <repo>/build/winnow), WINNOW_SHARED
# (default <repo>/../shared), WINNOW_BENCH_DIR (default /tmp/winnow-bench),
# PORT (8080). Exit: 0 all checks passed, 1 a check failed, 2 setup.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/crawl_fixture.sh"
max_rounds=300 seed=$$ delay=0 max_wait=3

while [ $# -gt 0 ]; do
  case $1 in
  --max-rounds) max_rounds=${2:?}; shift 2 ;;
  --seed) seed=${2:?}; shift 2 ;;
  --delay) delay=${2:?}; shift 2 ;;
  --max-wait) max_wait=${2:?}; shift 2 ;;
  -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "soak_kill.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -x "$bin" ] || { echo "soak_kill.sh: no $bin; build winnow first" >&2; exit 2; }
[ -f "$harness/serve.sh" ] || { echo "soak_kill.sh: no $harness" >&2; exit 2; }
command -v nginx >/dev/null || { echo "soak_kill.sh: needs nginx" >&2; exit 2; }

site=$work/site
out=$work/soak
fixture "$site" "$port"
log=$site/run-$port/access.log
rm -rf "$out"
mkdir -p "$out"
log_start=$(stat -c %s "$log")
RANDOM=$seed

# acked ROUND: the acknowledged size of the output and the log offset now
acked() {
  python3 - "$out/state.db" "$out/records.jsonl" "$(stat -c %s "$log")" "$1" <<'EOF' >>"$out/acked.jsonl"
import json, sqlite3, sys
db, recs, log_off, rnd = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
size = 0
try:
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    row = c.execute("select value from meta where key like 'out:%'").fetchone()
    size = int(row[0]) if row else 0
except sqlite3.Error:
    pass  # killed before the state existed
try:
    data = open(recs, "rb").read()[:size]
except FileNotFoundError:
    data = b""
urls = [json.loads(l)["url"] for l in data.split(b"\n") if l.strip()]
print(json.dumps({"round": rnd, "acked": size, "log_off": log_off, "urls": urls}))
EOF
}

rounds=0 kills=0 rc=-1
while [ $rounds -lt "$max_rounds" ]; do
  rounds=$((rounds + 1))
  "$bin" crawl --resolve "*.test:$port:127.0.0.1" --allow-private \
    --state "$out/state.db" --out "$out/records.jsonl" --stats "$out/stats.json" -q \
    --delay "$delay" --per-host 1 --concurrency 16 --seeds "$site/seeds.txt" \
    2>>"$out/crawler.log" &
  pid=$!
  # 0.2 s to max_wait
  sleep "$(awk -v r=$RANDOM -v m="$max_wait" 'BEGIN { printf "%.2f", 0.2 + (m - 0.2) * r / 32767 }')"
  if kill -0 $pid 2>/dev/null; then
    kill -KILL $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    kills=$((kills + 1))
    acked $rounds
  else
    set +e
    wait $pid
    rc=$?
    set -e
    break
  fi
done
sleep 0.3 # nginx writes its last lines
tail -c +$((log_start + 1)) "$log" >"$out/access.log"
python3 "$harness/report.py" "$out/access.log" --site "$site" --json "$out/report.json" \
  >"$out/report.txt" || true

python3 - "$out" "$site" "$log_start" "$rc" "$rounds" "$kills" <<'EOF'
import json, sys
from urllib.parse import urlsplit
out, site, log_start, rc, rounds, kills = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
fail = 0
def verdict(name, ok, detail):
    global fail
    print("%s %s (%s)" % ("PASS" if ok else "FAIL", name, detail))
    fail |= not ok

# requests: (absolute log offset of the line, host, path)
reqs = []
off = log_start
with open(out + "/access.log", "rb") as f:
    for line in f:
        cols = line.decode("utf-8", "replace").split("\t")
        if len(cols) > 7 and cols[5] == "GET":
            reqs.append((off, cols[1], cols[6]))
        off += len(line)
pages = [(o, h, p) for o, h, p in reqs if p != "/robots.txt"]

bad_json, urls = 0, []
for l in open(out + "/records.jsonl", "rb"):
    try:
        urls.append(json.loads(l)["url"])
    except (ValueError, KeyError):
        bad_json += 1
man = json.load(open(site + "/manifest.json"))
allowed = {(h, p) for h, v in man["hosts"].items() for p, pg in v["pages"].items() if pg["allowed"]}
got = [(urlsplit(u).hostname, urlsplit(u).path or "/") for u in urls]

refetched_acked = checked = 0
for a in map(json.loads, open(out + "/acked.jsonl")) if kills else []:
    done = {(urlsplit(u).hostname, urlsplit(u).path or "/") for u in a["urls"]}
    checked += len(done)
    refetched_acked += sum(1 for o, h, p in pages if o >= a["log_off"] and (h, p) in done)
seen, again = set(), 0
for o, h, p in pages:
    again += (h, p) in seen
    seen.add((h, p))
r = json.load(open(out + "/report.json"))["summary"]
print("rounds %d, kills %d, page requests %d, pages fetched more than once %d, records %d; "
      "acknowledged records checked after the kills: %d" % (rounds, kills, len(pages), again,
                                                              len(urls), checked))
verdict("the last run ended by itself with exit status 0", rc == 0, "rc %d" % rc)
verdict("every line one JSON record", bad_json == 0, "%d bad" % bad_json)
verdict("no URL with two records", len(got) == len(set(got)), "%d records, %d URLs" % (len(got), len(set(got))))
verdict("the records are the allowed pages", set(got) == allowed,
        "%d of %d, %d extra" % (len(set(got) & allowed), len(allowed), len(set(got) - allowed)))
verdict("no acknowledged page fetched again", refetched_acked == 0, "%d" % refetched_acked)
verdict("0 robots violations", r["disallowed_fetched"] == 0, r["disallowed_fetched"])
verdict("at most 1 connection per host", r["max_concurrent_per_host"] <= 1, r["max_concurrent_per_host"])
sys.exit(1 if fail else 0)
EOF
