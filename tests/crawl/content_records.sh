#!/bin/bash
# Records and URLs: links written differently to the same page (scheme
# and host case, dot segments, relative, scheme-relative, escapes of
# unreserved characters, lower-case hex, raw UTF-8, fragments, tracking
# parameters utm_* fbclid gclid) give one fetch and one record under the
# normalised URL; other query parameters are kept. A redirect gives one
# record whose url is the first URL and final_url the last (a chain too),
# and the target is not fetched twice when also linked. A page whose
# <link rel=canonical> names another page, and a page with the same text
# as another, give no record of their own. The crawl fields: fetched_at,
# status, content_type, depth, referrer (the normalised URL of the page
# that linked), final_url.
. "$(dirname "$0")/lib.sh"

python3 - "$T/root/a.test" <<'EOF'
import os, random, sys
d = sys.argv[1]
os.makedirs(d)
def article(title, links="", head=""):
    r = random.Random(title)
    para = lambda: " ".join("".join(r.choice("abcdefghijklmnoprstuvwy")
                                    for _ in range(r.randint(3, 9)))
                            for _ in range(60))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">%s'
            '<title>%s</title></head><body><nav>%s</nav><article><h1>%s</h1>'
            '<p>%s.</p><p>%s.</p></article></body></html>\n'
            % (head, title, links, title, para(), para()))
def put(name, text):
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(text)
one = ["HTTP://A.TEST:{{port}}/one.html", "http://a.test:{{port}}/x/../one.html",
       "./one.html", "x/./../one.html", "//a.test:{{port}}/one.html",
       "/%6Fne.html", "/one.html#top", "/one.html?utm_source=feed&utm_medium=rss",
       "/one.html?fbclid=IwAR123", "/one.html?gclid=abc&utm_campaign=x",
       "/one.html?", "http://A.test:{{port}}/./one.html#again"]
links = " ".join('<a href="%s">one %d</a>' % (u, k) for k, u in enumerate(one))
links += (' <a href="/two.html?id=7&utm_source=x">two</a>'
          ' <a href="/caf%c3%a9.html">cafe 1</a> <a href="/café.html">cafe 2</a>'
          ' <a href="/caf%C3%A9.html#x">cafe 3</a>'
          ' <a href="/old">old</a> <a href="/new.html">new</a>'
          ' <a href="/moved">moved</a> <a href="/dupb.html">dup b</a>'
          ' <a href="/canon.html">canon</a>'
          ' <a href="/r1">chain</a> <a href="/dup.html">dup</a>'
          ' <a href="/copy.html">copy</a> <a href="/deep.html">deep</a>')
put("index.html", article("Home", links))
put("one.html", article("Story one"))
put("two.html", article("Story two"))
put("café.html", article("Café page"))
put("new.html", article("New home of old"))
put("target.html", article("Target of moved"))
put("r3.html", article("End of the chain"))
put("dup.html", article("Duplicate of one", head='<link rel="canonical" '
                        'href="http://a.test:{{port}}/one.html">'))
# dupb.html, linked before the page it names canonical
put("dupb.html", article("Duplicate of canon", head='<link rel="canonical" '
                         'href="/canon.html">'))
put("canon.html", article("Canonical"))
put("deep.html", article("Deep", '<a href="/deeper.html?utm_term=z#f">deeper</a>'))
put("deeper.html", article("Deeper"))
two = open(os.path.join(d, "two.html"), encoding="utf-8").read()
put("copy.html", two)
EOF

server_start '{
  "a.test/old": {"redirect": "/new.html", "redirect_status": 301},
  "a.test/moved": {"redirect": "target.html", "redirect_status": 301},
  "a.test/r1": {"redirect": "/r2", "redirect_status": 302},
  "a.test/r2": {"redirect": "http://a.test:{{port}}/r3.html", "redirect_status": 308}
}'
crawl --delay 0 --out "$T/out.jsonl" "$(url A.TEST /index.html#start)"
check "exit status" "$rc" 0

pycheck "one fetch per page, whatever the spelling of the link" '
import collections
c = collections.Counter(r["path"] for r in LOG)
twice = {p: n for p, n in c.items() if n > 1}
assert not twice, twice
assert c["/one.html"] == 1 and c["/two.html?id=7"] == 1, c
assert sum(n for p, n in c.items() if p.startswith("/caf")) == 1, c
assert c["/deeper.html"] == 1, c
assert c["/new.html"] == 1 and c["/target.html"] == 1, c
assert c["/dup.html"] == 1 and c["/copy.html"] == 1 and c["/dupb.html"] == 1, c
'
pycheck "records: one per page, under normalised URLs" '
got = sorted(r["url"].split(":%d" % PORT)[1] for r in RECS)
# /old redirects to /new.html, also linked: whichever came first; one
# of /canon.html and /dupb.html (see below for which)
got = sorted(["/old" if u == "/new.html" else
              "/canon.html" if u == "/dupb.html" else u for u in got])
want = sorted(["/index.html", "/one.html", "/two.html?id=7", "/caf%C3%A9.html",
               "/old", "/moved", "/r1", "/deep.html", "/deeper.html",
               "/canon.html"])
assert got == want, ("missing", sorted(set(want) - set(got)),
                     "extra", sorted(set(got) - set(want)))
'
pycheck "canonical: one record for a page and its canonical URL, whichever came first, naming it" '
got = [r["url"].split(":%d" % PORT)[1] for r in RECS]
pair = [r for r in RECS if r["url"].split(":%d" % PORT)[1] in ("/canon.html", "/dupb.html")]
assert len(pair) == 1, [(r["url"], r["canonical_url"]) for r in pair]
assert pair[0]["canonical_url"] in (None, "http://a.test:%d/canon.html" % PORT), pair[0]["canonical_url"]
assert ("/dupb.html" in got) == (pair[0]["canonical_url"] is not None)
'
pycheck "redirects: url is the first URL, final_url the last" '
by = {r["url"].split(":%d" % PORT)[1]: r for r in RECS}
base = "http://a.test:%d" % PORT
assert by["/moved"]["final_url"] == base + "/target.html", by["/moved"]["final_url"]
assert by["/moved"]["title"] == "Target of moved", by["/moved"]["title"]
new = [r for r in RECS if r["final_url"] == base + "/new.html"]
assert len(new) == 1 and new[0]["title"] == "New home of old", new
assert by["/r1"]["final_url"] == base + "/r3.html", by["/r1"]["final_url"]
assert by["/r1"]["title"] == "End of the chain", by["/r1"]["title"]
assert by["/r1"]["status"] == 200, by["/r1"]["status"]
'
pycheck "crawl fields" '
import re
by = {r["url"].split(":%d" % PORT)[1]: r for r in RECS}
base = "http://a.test:%d" % PORT
home = by["/index.html"]
assert home["url"] == base + "/index.html", home["url"]
assert home["depth"] == 0 and home["referrer"] is None, home
for p in ("/one.html", "/deep.html", "/moved", "/r1", "/two.html?id=7"):
    assert by[p]["depth"] == 1 and by[p]["referrer"] == base + "/index.html", (p, by[p]["depth"], by[p]["referrer"])
assert by["/deeper.html"]["depth"] == 2, by["/deeper.html"]
assert by["/deeper.html"]["referrer"] == base + "/deep.html", by["/deeper.html"]["referrer"]
for r in RECS:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["fetched_at"]), r["fetched_at"]
    assert r["status"] == 200 and r["content_type"] == "text/html; charset=utf-8", r
    if r["url"] not in (base + "/old", base + "/moved", base + "/r1"):
        assert r["final_url"] == r["url"], r
'
finish
