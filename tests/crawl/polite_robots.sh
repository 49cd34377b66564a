#!/bin/bash
# robots.txt (RFC 9309), what it says: fetched before any other URL of an
# origin (scheme, host and port: a second server on another port is
# another origin with its own rules), once per run, cached 24 h in the
# state (a second run within the day does not ask again, a run after the
# day does); a 4xx robots.txt allows everything (even with a body that
# would disallow it); groups naming the agent are merged and win over
# "*"; --robots-agent picks the group; Sitemap lines are fetched and the
# sitemap's URLs crawled (not with --no-sitemaps).
. "$(dirname "$0")/lib.sh"

time_limit 20

# restart: a new server (empty log) and a new state.
SPID2=""
trap 'if [ -n "$SPID2" ]; then kill -TERM "$SPID2" 2>/dev/null; wait "$SPID2" 2>/dev/null; fi; cleanup' EXIT

# ---- origins: robots.txt first, once per run, per scheme+host+port -------
page a.test /robots.txt "$(printf 'User-agent: *\nDisallow: /x/\n')"
article "A home" '<a href="/a1.html">a1</a> <a href="/a2.html">a2</a> <a href="/x/a.html">xa</a> <a href="http://a.test:{{port2}}/">other port</a>' | page a.test /index.html
article "A one" '<a href="/">home</a> <a href="/a2.html">a2</a>' | page a.test /a1.html
article "A two" '<a href="/a1.html">a1</a>' | page a.test /a2.html
article "A x" | page a.test /x/a.html

server_start
# a second server: the same host name on another port is another origin
mkdir -p "$T/root2/a.test"
printf 'User-agent: *\nDisallow: /y/\n' > "$T/root2/a.test/robots.txt"
article "Port two home" '<a href="/x/p.html">x on port two</a> <a href="/y/p.html">y on port two</a>' > "$T/root2/a.test/index.html"
mkdir -p "$T/root2/a.test/x" "$T/root2/a.test/y"
article "Port two x" > "$T/root2/a.test/x/p.html"
article "Port two y" > "$T/root2/a.test/y/p.html"
python3 "$SERVER" --root "$T/root2" --log "$T/log2.jsonl" \
  --port-file "$T/port2" --idle-timeout 10 -q &
SPID2=$!
for _ in $(seq 200); do [ -s "$T/port2" ] && break; sleep 0.05; done
PORT2=$(cat "$T/port2" 2>/dev/null)
[ -n "$PORT2" ] || { echo "FAIL the second test server did not start"; exit 1; }
sed -i "s/{{port2}}/$PORT2/" "$T/root/a.test/index.html"

crawl --delay 0.1 --out "$T/out.jsonl" --resolve "*.test:$PORT2:127.0.0.1" \
  "$(url a.test /)"
check "origins: exit status" "$rc" 0
pycheck "origins: robots.txt first and once on each origin" '
LOG2 = load(T + "/log2.jsonl")
for name, log in (("port 1", LOG), ("port 2", LOG2)):
    assert log, (name, "no request")
    first = min(log, key=lambda r: r["t_start"])
    assert first["path"] == "/robots.txt", (name, first["path"])
    rob = [r for r in log if r["path"] == "/robots.txt"]
    assert len(rob) == 1, (name, len(rob))
    # the robots.txt answer came back before the next request started
    others = [r["t_start"] for r in log if r["path"] != "/robots.txt"]
    assert others and rob[0]["t_end"] <= min(others), name
'
pycheck "origins: each origin has its own rules" '
LOG2 = load(T + "/log2.jsonl")
p1 = sorted(r["path"] for r in LOG)
p2 = sorted(r["path"] for r in LOG2)
assert p1 == ["/", "/a1.html", "/a2.html", "/robots.txt"], p1
assert p2 == ["/", "/robots.txt", "/x/p.html"], p2
'
n1=$(wc -l < "$T/log.jsonl")

# ---- the cache: a second run within the day does not ask again -----------
crawl --delay 0.1 --out "$T/out.jsonl" --recrawl-after 0 \
  --resolve "*.test:$PORT2:127.0.0.1" "$(url a.test /)"
check "cache: exit status of the second run" "$rc" 0
pycheck "cache: the second run fetches pages, not robots.txt" "
run2 = LOG[$n1:]
paths = sorted(r['path'] for r in run2)
assert paths == ['/', '/a1.html', '/a2.html'], paths
"
n2=$(wc -l < "$T/log.jsonl")

# the cached copy is 25 hours old: the third run asks again
python3 - "$T/state.db" <<'EOF'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
n = db.execute("UPDATE hosts SET robots_fetched_at = ? WHERE robots_status > 0",
               (time.time() - 25 * 3600,)).rowcount
db.commit()
assert n >= 1, n
EOF
crawl --delay 0.1 --out "$T/out.jsonl" --recrawl-after 0 \
  --resolve "*.test:$PORT2:127.0.0.1" "$(url a.test /)"
check "cache: exit status of the third run" "$rc" 0
pycheck "cache: a robots.txt older than a day is fetched again, first" "
run3 = sorted(LOG[$n2:], key=lambda r: r['t_start'])
assert run3 and run3[0]['path'] == '/robots.txt', [r['path'] for r in run3]
assert sum(r['path'] == '/robots.txt' for r in run3) == 1, run3
"
kill -TERM "$SPID2" 2>/dev/null
wait "$SPID2" 2>/dev/null
SPID2=""

# ---- 4xx: everything allowed -----------------------------------------------
restart
# a 403 with a body that would disallow everything: 4xx means no rules
page b.test /robots.txt "$(printf 'User-agent: *\nDisallow: /\n')"
page b.test /robots.txt.headers "Status: 403"
article "B home" '<a href="/b1.html">b1</a> <a href="http://c.test:{{port}}/">c</a>' | page b.test /index.html
article "B one" | page b.test /b1.html
# c.test has no robots.txt at all: 404
article "C home" '<a href="/private/c1.html">c1</a>' | page c.test /index.html
article "C one" | page c.test /private/c1.html
crawl --delay 0.1 --scope any --out "$T/out.jsonl" "$(url b.test /)"
check "4xx: exit status" "$rc" 0
pycheck "4xx: robots.txt asked first, answered 403 and 404" '
for h, st in (("b.test", 403), ("c.test", 404)):
    rs = sorted(reqs(h), key=lambda r: r["t_start"])
    assert rs and rs[0]["path"] == "/robots.txt" and rs[0]["status"] == st, (h, rs[:1])
'
pycheck "4xx: every page fetched" '
got = sorted((r["host"], r["path"]) for r in LOG if r["path"] != "/robots.txt")
want = [("b.test", "/"), ("b.test", "/b1.html"), ("c.test", "/"), ("c.test", "/private/c1.html")]
assert got == want, got
assert len(RECS) == 4, len(RECS)
'

# ---- groups: merged per agent, --robots-agent picks them -------------------
page d.test /robots.txt "$(printf '%s\n' \
  'User-agent: winnow' 'Disallow: /m1/' '' \
  'User-agent: otherbot' 'Disallow: /ob/' '' \
  'User-agent: *' 'Disallow: /star/' '' \
  'User-agent: WINNOW' 'Disallow: /m2/')"
article "D home" '<a href="/m1/p.html">m1</a> <a href="/m2/p.html">m2</a> <a href="/ob/p.html">ob</a> <a href="/star/p.html">star</a> <a href="/free.html">free</a>' | page d.test /index.html
for d in m1 m2 ob star; do article "D $d" | page d.test "/$d/p.html"; done
article "D free" | page d.test /free.html

# group_run NAME AGENT_ARGS WANT_PATHS: a crawl of d.test with a fresh state
group_run() {
  restart
  # shellcheck disable=SC2086 # AGENT_ARGS: none, or a flag and its value
  crawl --delay 0.1 --out "$T/out.jsonl" $2 "$(url d.test /)"
  check "groups ($1): exit status" "$rc" 0
  pycheck "groups ($1): pages fetched" "
got = sorted(r['path'] for r in LOG if r['path'] != '/robots.txt')
want = sorted(['/', '/free.html'] + '$3'.split())
assert got == want, got
"
}
group_run "winnow: both winnow groups merged, * ignored" "" "/ob/p.html /star/p.html"
group_run "--robots-agent otherbot" "--robots-agent otherbot" "/m1/p.html /m2/p.html /star/p.html"
group_run "--robots-agent nobody: the * group" "--robots-agent nobody" "/m1/p.html /m2/p.html /ob/p.html"

# ---- Sitemap lines ------------------------------------------------------------
restart
page e.test /robots.txt "$(printf 'User-agent: *\nDisallow: /no/\n\nSitemap: http://e.test:{{port}}/maps/sm.xml\n')"
page e.test /maps/sm.xml '<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://e.test:{{port}}/orphan1.html</loc></url>
<url><loc>http://e.test:{{port}}/orphan2.html</loc></url>
<url><loc>http://e.test:{{port}}/no/orphan3.html</loc></url>
</urlset>'
article "E home" | page e.test /index.html
article "E orphan one" | page e.test /orphan1.html
article "E orphan two" | page e.test /orphan2.html
article "E orphan three" | page e.test /no/orphan3.html
crawl --delay 0.1 --out "$T/out.jsonl" "$(url e.test /)"
check "sitemap: exit status" "$rc" 0
pycheck "sitemap: fetched after robots.txt, its URLs crawled (but disallowed ones)" '
rs = sorted(LOG, key=lambda r: r["t_start"])
assert rs[0]["path"] == "/robots.txt", rs[0]
got = sorted(r["path"] for r in rs[1:])
assert got == ["/", "/maps/sm.xml", "/orphan1.html", "/orphan2.html"], got
urls = sorted(r["url"] for r in RECS)
want = sorted("http://e.test:%d%s" % (PORT, p) for p in ("/", "/orphan1.html", "/orphan2.html"))
assert urls == want, urls
'
restart
crawl --delay 0.1 --no-sitemaps --out "$T/out.jsonl" "$(url e.test /)"
check "sitemap: exit status with --no-sitemaps" "$rc" 0
pycheck "sitemap: --no-sitemaps fetches no sitemap" '
got = sorted(r["path"] for r in LOG)
assert got == ["/", "/robots.txt"], got
'
finish
