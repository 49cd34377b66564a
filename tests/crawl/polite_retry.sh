#!/bin/bash
# Errors and back-off: 429 and 503 honour Retry-After (seconds and
# HTTP-date) for the whole host; a 5xx is retried after an exponential
# back-off (min(--max-delay, max(1, --delay) * 2^(errors-1))), at most
# MAX_TRIES (3) attempts per URL, then the URL fails (exit status 1);
# PARK_ERRORS (8) errors in a row park the host for the run; a
# Retry-After far beyond --max-delay parks it too (the crawl does not
# wait an hour).
. "$(dirname "$0")/lib.sh"

time_limit 30

# site HOST PATH...: a home page linking to the paths, each a page
site() {
  local h=$1 links="" p
  shift
  for p in "$@"; do
    links="$links <a href=\"$p\">$p</a>"
    article "$h $p" | page "$h" "$p"
  done
  article "$h home" "$links" | page "$h" /index.html
}

# ---- Retry-After, back-off, MAX_TRIES -----------------------------------------
site a.test /busy.html /a1.html /a2.html
site b.test /down.html /b1.html /b2.html
# only one page: a success between two errors would reset the host's count
site c.test /flaky.html
site d.test /broken.html /d1.html
read -r when http_date < <(python3 -c '
import email.utils, time
t = int(time.time()) + 4
print(t, email.utils.formatdate(t, usegmt=True))')
restart '{
  "a.test/busy.html": {"status": 429, "retry_after": 2, "times": 1},
  "b.test/down.html": {"status": 503, "retry_after": "'"$http_date"'", "times": 1},
  "c.test/flaky.html": {"status": 500, "times": 2},
  "d.test/broken.html": {"status": 500}
}'
crawl --delay 0.1 --max-delay 3 --out "$T/out.jsonl" --stats "$T/stats.json" \
  "$(url a.test /)" "$(url b.test /)" "$(url c.test /)" "$(url d.test /)"
check "retry: exit status (a URL failed)" "$rc" 1
pycheck "429 Retry-After: 2 s: the host waits 2 s, then the URL is fetched" '
rs = sorted(reqs("a.test"), key=lambda r: r["t_start"])
busy = [r for r in rs if r["path"] == "/busy.html"]
assert [r["status"] for r in busy] == [429, 200], [r["status"] for r in busy]
quiet_until = busy[0]["t_end"] + 2
assert busy[1]["t_start"] >= quiet_until - 0.005, round(busy[1]["t_start"] - busy[0]["t_end"], 3)
early = [r["path"] for r in rs if busy[0]["t_start"] < r["t_start"] < quiet_until - 0.005]
assert not early, ("requests during Retry-After", early)
assert sorted(r["path"] for r in rs) == sorted(["/robots.txt", "/", "/busy.html", "/busy.html", "/a1.html", "/a2.html"])
'
pycheck "503 Retry-After: HTTP-date: nothing on the host before that date" "
rs = sorted(reqs('b.test'), key=lambda r: r['t_start'])
down = [r for r in rs if r['path'] == '/down.html']
assert [r['status'] for r in down] == [503, 200], [r['status'] for r in down]
early = [r['path'] for r in rs if down[0]['t_start'] < r['t_start'] < $when - 0.005]
assert not early, ('requests before the Retry-After date', early)
"
pycheck "500 twice: retried with growing back-off (>= 1 s, then >= 2 s), then a record" '
rs = sorted(reqs("c.test", "/flaky.html"), key=lambda r: r["t_start"])
assert [r["status"] for r in rs] == [500, 500, 200], [r["status"] for r in rs]
g1 = rs[1]["t_start"] - rs[0]["t_end"]
g2 = rs[2]["t_start"] - rs[1]["t_end"]
assert g1 >= 1 - 0.005 and g2 >= 2 - 0.005, (round(g1, 3), round(g2, 3))
assert any(r["url"].endswith("/flaky.html") for r in RECS)
'
pycheck "500 always: MAX_TRIES (3) attempts, then the URL fails" '
rs = reqs("d.test", "/broken.html")
assert len(rs) == 3 and all(r["status"] == 500 for r in rs), [r["status"] for r in rs]
assert not any(r["url"].endswith("/broken.html") for r in RECS)
other = sorted(r["path"] for r in reqs("d.test") if r["path"] != "/broken.html")
assert other == ["/", "/d1.html", "/robots.txt"], other
s = json.load(open(T + "/stats.json"))
assert s["failed"] == 1, s
'

# ---- parking; Retry-After far away; retries bounded even with Retry-After ----
pages=""
for k in $(seq 10); do pages="$pages /p$k.html"; done
# shellcheck disable=SC2086
site f.test $pages
site g.test /later.html /g1.html
site h.test /always.html
restart '{
  "f.test/p*": {"status": 500},
  "g.test/later.html": {"status": 503, "retry_after": 3600},
  "h.test/always.html": {"status": 429, "retry_after": 0}
}'
start=$(date +%s.%N)
crawl --delay 0.05 --max-delay 0.2 --out "$T/out.jsonl" \
  "$(url f.test /)" "$(url g.test /)" "$(url h.test /)"
took=$(python3 -c "import time; print(round(time.time() - $start, 1))")
pycheck "park: PARK_ERRORS (8) errors in a row, then no request to the host" "$GAPS"'
rs = sorted(reqs("f.test"), key=lambda r: r["t_start"])
bad = [r for r in rs if r["status"] == 500]
assert len(bad) == 8, [(r["path"], r["status"]) for r in rs]
assert rs[-1]["status"] == 500, "requests after the host was parked"
# back-off: min(--max-delay, max(1, --delay) * 2^(errors-1)) = 0.2 s here
gaps_ok(bad, 0.2)
'
pycheck "Retry-After: 3600: the host is left for a later run" '
rs = [r["path"] for r in sorted(reqs("g.test"), key=lambda r: r["t_start"])]
assert rs[-1] == "/later.html" and rs.count("/later.html") == 1, rs
'
check "Retry-After: 3600: the crawl does not wait for it (< 15 s)" \
  "$(python3 -c "print($took < 15)")" True
pycheck "429 with Retry-After for ever: at most MAX_TRIES (3) attempts" '
n = len(reqs("h.test", "/always.html"))
assert n <= 3, ("attempts", n)
'
finish
