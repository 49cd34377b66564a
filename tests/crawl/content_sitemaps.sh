#!/bin/bash
# Discovery beyond links: the Sitemap: line of robots.txt leads to a
# sitemap index, which leads to a sitemap and a gzipped sitemap (.xml.gz,
# served as application/gzip), whose pages are otherwise not linked; an
# RSS feed and an Atom feed named by <link rel=alternate> lead to pages
# not otherwise linked. Sitemaps and feeds give no record. --no-sitemaps
# and --no-feeds (each on a fresh state) turn each off, not the other.
. "$(dirname "$0")/lib.sh"

python3 - "$T/root/a.test" <<'EOF'
import gzip, os, random, sys
d = sys.argv[1]
os.makedirs(d)
def article(title, head=""):
    r = random.Random(title)
    para = lambda: " ".join("".join(r.choice("abcdefghijklmnoprstuvwy")
                                    for _ in range(r.randint(3, 9)))
                            for _ in range(60))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">%s'
            '<title>%s</title></head><body><article><h1>%s</h1><p>%s.</p>'
            '<p>%s.</p></article></body></html>\n'
            % (head, title, title, para(), para()))
def put(name, text):
    data = text if isinstance(text, bytes) else text.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
base = "http://a.test:{{port}}"
put("robots.txt", "User-agent: *\nDisallow: /private/\n\n"
    "Sitemap: %s/sitemap_index.xml\n" % base)
put("index.html", article("Home", '<link rel="alternate" type="application/rss+xml" '
    'href="/feed.rss" title="RSS"><link rel="alternate" '
    'type="application/atom+xml" href="/feed.atom" title="Atom">'))
put("sitemap_index.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    '<sitemap><loc>%s/sitemap1.xml</loc></sitemap>'
    '<sitemap><loc>%s/sitemap2.xml.gz</loc></sitemap></sitemapindex>\n'
    % (base, base))
put("sitemap1.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    '<url><loc>%s/sm1.html</loc><lastmod>2024-01-01</lastmod></url>'
    '<url><loc>%s/sm2.html</loc></url></urlset>\n' % (base, base))
# the port is not replaced inside a .gz: the server's port goes in later
put("sitemap2.xml.tmpl", '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    '<url><loc>%s/sm3.html</loc></url></urlset>\n' % base)
put("feed.rss", '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">'
    '<channel><title>Feed</title><link>%s/</link><item><title>One</title>'
    '<link>%s/rss1.html?utm_source=rss</link></item><item><title>Two</title>'
    '<link>%s/rss2.html</link></item></channel></rss>\n' % (base, base, base))
put("feed.atom", '<?xml version="1.0" encoding="utf-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>'
    '<entry><title>A</title><link href="%s/atom1.html"/><id>urn:a</id>'
    '<updated>2024-01-01T00:00:00Z</updated></entry></feed>\n' % base)
for n in ("sm1", "sm2", "sm3", "rss1", "rss2", "atom1"):
    put(n + ".html", article("Page " + n))
EOF

server_start
python3 - "$T/root/a.test" "$PORT" <<'EOF'
import gzip, os, sys
d, port = sys.argv[1], sys.argv[2]
tmpl = os.path.join(d, "sitemap2.xml.tmpl")
with open(tmpl) as f:
    xml = f.read().replace("{{port}}", port)
os.remove(tmpl)
with open(os.path.join(d, "sitemap2.xml.gz"), "wb") as f:
    f.write(gzip.compress(xml.encode()))
EOF
SEED=$(url a.test /)

# run NAME ARGS...: a crawl on a fresh state, its records in $T/NAME.jsonl
# and its requests in $T/NAME.log
run() {
  local name=$1 n0
  shift
  n0=$(wc -l < "$T/log.jsonl")
  rm -f "$T/state.db"
  crawl --delay 0 --out "$T/$name.jsonl" "$@" "$SEED"
  check "$name: exit status" "$rc" 0
  tail -n +"$((n0 + 1))" "$T/log.jsonl" > "$T/$name.log"
}

run all
run nositemaps --no-sitemaps
run nofeeds --no-feeds

# discovered NAME: python giving the paths NAME asked for and recorded
discovered='
def paths(name):
    asked = {r["path"] for r in load(T + "/" + name + ".log")}
    recs = sorted(r["url"].split(":%d" % PORT)[1] for r in load(T + "/" + name + ".jsonl"))
    return asked, recs
sm = ["/sm1.html", "/sm2.html", "/sm3.html"]
feed = ["/atom1.html", "/rss1.html", "/rss2.html"]
'
pycheck "sitemaps and feeds: their pages recorded, not theirs" "$discovered"'
asked, recs = paths("all")
for p in ("/sitemap_index.xml", "/sitemap1.xml", "/sitemap2.xml.gz",
          "/feed.rss", "/feed.atom"):
    assert p in asked, (p, sorted(asked))
assert recs == sorted(["/"] + sm + feed), recs
'
pycheck "--no-sitemaps: no sitemap asked for, the feeds still followed" "$discovered"'
asked, recs = paths("nositemaps")
assert not [p for p in asked if "sitemap" in p or p.startswith("/sm")], sorted(asked)
assert recs == sorted(["/"] + feed), recs
'
pycheck "--no-feeds: no feed asked for, the sitemaps still followed" "$discovered"'
asked, recs = paths("nofeeds")
assert not [p for p in asked if "feed" in p or p.startswith(("/rss", "/atom"))], sorted(asked)
assert recs == sorted(["/"] + sm), recs
'
finish
