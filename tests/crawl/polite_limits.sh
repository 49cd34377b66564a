#!/bin/bash
# Limits and scope, read on the request log: --max-pages (in all),
# --max-pages-per-host, --max-depth, --scope host|domain|any (no request,
# not even robots.txt, to a host out of scope; "notex.test" is not in the
# domain of "ex.test"), --include / --exclude REGEX on the links.
. "$(dirname "$0")/lib.sh"

time_limit 15

# pages_of HOST: the pages fetched from HOST, robots.txt aside (python)
P='def pages_of(h):
    return sorted(r["path"] for r in reqs(h) if r["path"] != "/robots.txt")
'

# ---- --max-pages, --max-pages-per-host -----------------------------------------
links=""
for k in 1 2 3 4 5; do
  links="$links <a href=\"/p$k.html\">p$k</a>"
  article "A page $k" | page a.test "/p$k.html"
  article "B page $k" | page b.test "/p$k.html"
done
article "A home" "$links <a href=\"http://b.test:{{port}}/\">b</a>" | page a.test /index.html
article "B home" "$links" | page b.test /index.html

restart
crawl --delay 0.05 --scope any --max-pages 3 --out "$T/out.jsonl" \
  --stats "$T/stats.json" "$(url a.test /)"
check "--max-pages 3: exit status" "$rc" 0
pycheck "--max-pages 3: three pages fetched in all, the rest stays queued" "$P"'
n = len(pages_of("a.test")) + len(pages_of("b.test"))
assert n == 3, (pages_of("a.test"), pages_of("b.test"))
assert len(RECS) == 3, len(RECS)
s = json.load(open(T + "/stats.json"))
assert s["queued"] >= 3, s
'

restart
crawl --delay 0.05 --scope any --max-pages-per-host 2 --out "$T/out.jsonl" \
  "$(url a.test /)"
check "--max-pages-per-host 2: the crawl ends (exit status)" "$rc" 0
pycheck "--max-pages-per-host 2: two pages on each host" "$P"'
a, b = pages_of("a.test"), pages_of("b.test")
assert len(a) == 2 and len(b) == 2, (a, b)
assert "/" in a and "/" in b, (a, b)
'

# ---- --max-depth -------------------------------------------------------------
article "C home" '<a href="/l1.html">l1</a>' | page c.test /index.html
article "C l1" '<a href="/l2.html">l2</a>' | page c.test /l1.html
article "C l2" '<a href="/l3.html">l3</a>' | page c.test /l2.html
article "C l3" | page c.test /l3.html
for depth in 0 1 2; do
  restart
  crawl --delay 0.05 --max-depth "$depth" --out "$T/out.jsonl" "$(url c.test /)"
  check "--max-depth $depth: exit status" "$rc" 0
  pycheck "--max-depth $depth: the pages up to that depth" "$P"'
want = ["/", "/l1.html", "/l2.html", "/l3.html"][:'"$depth"' + 1]
assert pages_of("c.test") == sorted(want), pages_of("c.test")
'
done

# ---- --scope -------------------------------------------------------------------
article "Ex www" '<a href="/w1.html">w1</a>
<a href="http://sub.ex.test:{{port}}/">sub</a> <a href="http://ex.test:{{port}}/">apex</a>
<a href="http://notex.test:{{port}}/">notex</a> <a href="http://b.test:{{port}}/p1.html">b</a>' | page www.ex.test /index.html
article "Ex www one" | page www.ex.test /w1.html
article "Ex sub" | page sub.ex.test /index.html
article "Ex apex" | page ex.test /index.html
article "Not ex" | page notex.test /index.html

# scope_run SCOPE HOSTS: the hosts that must see requests (all others none)
scope_run() {
  restart
  crawl --delay 0.05 --scope "$1" --out "$T/out.jsonl" "$(url www.ex.test /)"
  check "--scope $1: exit status" "$rc" 0
  pycheck "--scope $1: requests to $2 only" "
got = sorted({r['host'] for r in LOG})
assert got == sorted('$2'.split()), got
for h in got:
    first = min(reqs(h), key=lambda r: r['t_start'])
    assert first['path'] == '/robots.txt', (h, first['path'])
"
}
scope_run host "www.ex.test"
scope_run domain "www.ex.test sub.ex.test ex.test"
scope_run any "www.ex.test sub.ex.test ex.test notex.test b.test"
pycheck "--scope any: every page" "$P"'
assert pages_of("www.ex.test") == ["/", "/w1.html"], pages_of("www.ex.test")
for h in ("sub.ex.test", "ex.test", "notex.test"):
    assert pages_of(h) == ["/"], (h, pages_of(h))
assert pages_of("b.test") == ["/p1.html"], pages_of("b.test")
'

# ---- --include / --exclude -------------------------------------------------------
article "D home" '<a href="/keep/1.html">k1</a> <a href="/keep/2.html?x=1">k2</a>
<a href="/drop/1.html">d1</a> <a href="/keep/skip-me.html">skip</a>' | page d.test /index.html
article "D keep 1" '<a href="/other.html">other</a> <a href="/keep/3.html">k3</a>' | page d.test /keep/1.html
article "D keep 2" | page d.test /keep/2.html
article "D keep 3" | page d.test /keep/3.html
article "D skip" | page d.test /keep/skip-me.html
article "D drop" | page d.test /drop/1.html
article "D other" | page d.test /other.html
restart
crawl --delay 0.05 --include '/keep/' --exclude 'skip|x=1' --out "$T/out.jsonl" \
  "$(url d.test /)"
check "--include/--exclude: exit status" "$rc" 0
pycheck "--include/--exclude: only links that match the one and not the other" "$P"'
assert pages_of("d.test") == ["/", "/keep/1.html", "/keep/3.html"], pages_of("d.test")
'
restart
crawl --delay 0.05 --exclude '/drop/' --out "$T/out.jsonl" "$(url d.test /)"
check "--exclude alone: exit status" "$rc" 0
pycheck "--exclude alone: everything else" "$P"'
assert pages_of("d.test") == ["/", "/keep/1.html", "/keep/2.html?x=1", "/keep/3.html",
                              "/keep/skip-me.html", "/other.html"], pages_of("d.test")
'
# --include chooses pages only: a sitemap it does not match is read, and
# its entries are chosen; --exclude holds for every URL, sitemaps too
page e.test /robots.txt 'User-agent: *
Allow: /
Sitemap: http://e.test:{{port}}/sitemap.xml
Sitemap: http://e.test:{{port}}/drop/sitemap.xml'
sm() {
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
  for p in "$@"; do printf '<url><loc>http://e.test:{{port}}%s</loc></url>' "$p"; done
  printf '</urlset>\n'
}
sm /keep/a.html /other-a.html | page e.test /sitemap.xml
sm /keep/b.html | page e.test /drop/sitemap.xml
article "E home" | page e.test /index.html
for p in /keep/a.html /keep/b.html /other-a.html; do article "E $p" | page e.test "$p"; done
restart
crawl --delay 0.05 --include '/keep/' --exclude '/drop/' --out "$T/out.jsonl" \
  "$(url e.test /)"
check "--include/--exclude and sitemaps: exit status" "$rc" 0
pycheck "--include/--exclude and sitemaps: the sitemap read, the excluded one not" "$P"'
assert pages_of("e.test") == ["/", "/keep/a.html", "/sitemap.xml"], pages_of("e.test")
'
finish
