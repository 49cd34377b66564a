#!/bin/bash
# SSRF safety: without --allow-private, a host that resolves to a
# loopback address (through --resolve, the system resolver or an IP
# literal) is refused: no request reaches the server, the crawl ends,
# and the URLs are given up (failed or skipped, not left queued as if
# the host were only down). With --allow-private the same crawl works.
. "$(dirname "$0")/lib.sh"

time_limit 20

article "Home" '<a href="/one.html">one</a>' | page a.test /index.html
article "One" | page a.test /one.html
server_start

start=$(date +%s.%N)
# not the harness's crawl: it adds --allow-private
"$WINNOW" crawl --resolve "*.test:$PORT:127.0.0.1" --state "$T/state.db" -q \
  --delay 0.1 --max-delay 0.2 --out "$T/out.jsonl" --stats "$T/stats.json" \
  "http://a.test:$PORT/" "http://127.0.0.1:$PORT/" "http://localhost:$PORT/" \
  "http://2130706433:$PORT/" 2>"$T/crawl.err"
rc=$?
took=$(python3 -c "import time; print(time.time() - $start < 15)")
server_stop
check "refused: the crawl ends (< 15 s)" "$took" True
case $rc in
  0 | 1) ok "refused: exit status 0 or 1" ;;
  *) fail "refused: exit status: got [$rc], want [0 or 1]" ;;
esac
pycheck "refused: no request reached the server" '
assert LOG == [], LOG
assert RECS == [], RECS
'
pycheck "refused: the URLs are given up, not left queued" '
s = json.load(open(T + "/stats.json"))
assert s["queued"] == 0 and s["failed"] + s["skipped_other"] >= 3, s
'

# the same crawl with --allow-private (the harness adds it) does reach it
rm -f "$T"/state.db* "$T/out.jsonl"
server_start
crawl --delay 0.1 --out "$T/out.jsonl" "$(url a.test /)"
check "allowed: exit status" "$rc" 0
pycheck "allowed: --allow-private reaches the server" '
assert sorted(r["path"] for r in LOG) == ["/", "/one.html", "/robots.txt"], LOG
assert len(RECS) == 2, RECS
'
finish
