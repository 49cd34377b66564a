#!/bin/bash
# make demo, as a test: demo/run.sh crawls the demo sites served on
# loopback; it must end with exit status 0 (nothing failed, no host left
# waiting: a request that tried to leave the machine would fail), write
# the eleven article and home-page records, and every request must be one
# the local server logged (robots.txt first on each host).
. "$(dirname "$0")/lib.sh"

DEMO_OUT="$T/demo" timeout -k 2 120 sh "$HERE_LIB/../../demo/run.sh" "$WINNOW" \
  >"$T/demo.log" 2>&1
rc=$?
check "demo: exit status" "$rc" 0
[ "$rc" = 0 ] || cat "$T/demo.log"
pycheck "demo: records, and every request on the local server" '
recs = load(T + "/demo/records.jsonl")
log = load(T + "/demo/requests.jsonl")
s = json.load(open(T + "/demo/stats.json"))
assert len(recs) == 11 and s["records"] == 11, (len(recs), s)
assert s["requests"] == len(log), (s["requests"], len(log))
assert s["failed"] == 0 and s["errors"] == 0 and s["hosts_parked"] == 0, s
for h in sorted({r["host"] for r in log}):
    first = sorted((r for r in log if r["host"] == h), key=lambda r: r["t_start"])[0]
    assert first["path"] == "/robots.txt", (h, first["path"])
titles = [r["title"] for r in recs]
assert any("Guerre en Ukraine" in t for t in titles), titles
'
finish
