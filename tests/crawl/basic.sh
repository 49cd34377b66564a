#!/bin/bash
# A small two-host site: robots.txt before anything else on each host,
# nothing disallowed fetched, per-host gaps >= --delay, one connection
# per host, one record per allowed page with the crawl fields.
. "$(dirname "$0")/lib.sh"
export SCHEMA_DIR="$(cd "$(dirname "$0")/../../docs" && pwd)"

page a.test /robots.txt "$(printf 'User-agent: *\nDisallow: /private/\n\nUser-agent: winnow\nDisallow: /nowinnow/\nDisallow: /private/\n')"
article "Home of A" '<a href="/one.html">one</a> <a href="/two.html#frag">two</a> <a href="/private/secret.html">secret</a> <a href="/nowinnow/x.html">x</a> <a href="http://b.test:{{port}}/">b</a>' | page a.test /index.html
article "Story one" '<a href="/">home</a> <a href="/two.html?utm_source=feed">two</a>' | page a.test /one.html
article "Story two" '<a href="/">home</a>' | page a.test /two.html
article "Secret" | page a.test /private/secret.html
article "Not for winnow" | page a.test /nowinnow/x.html
page b.test /robots.txt "$(printf 'User-agent: *\nDisallow:\n')"
article "Home of B" '<a href="/b1.html">b1</a>' | page b.test /index.html
article "B one" | page b.test /b1.html

server_start
crawl --delay 0.3 --out "$T/out.jsonl" --scope any --stats "$T/stats.json" "$(url a.test /)"
check "exit status" "$rc" 0

pycheck "robots.txt first on each host, once" '
for h in ("a.test", "b.test"):
    rs = reqs(h)
    assert rs, h
    first = min(rs, key=lambda r: r["t_start"])
    assert first["path"] == "/robots.txt", (h, first["path"])
    assert len(reqs(h, "/robots.txt")) == 1, h
'
pycheck "nothing disallowed fetched" '
bad = [r["path"] for r in LOG if r["path"].startswith(("/private/", "/nowinnow/"))]
assert not bad, bad
'
pycheck "gaps between request starts >= delay, one connection per host" '
for h in ("a.test", "b.test"):
    t = sorted(r["t_start"] for r in reqs(h))
    gaps = [y - x for x, y in zip(t, t[1:])]
    assert all(g >= 0.3 - 0.005 for g in gaps), (h, gaps)
    assert len({r["conn"] for r in reqs(h)}) == 1, h
'
pycheck "one record per page, URLs normalised" '
urls = sorted(r["url"] for r in RECS)
want = sorted("http://%s:%d%s" % (h, PORT, p) for h, p in
              [("a.test", "/"), ("a.test", "/one.html"), ("a.test", "/two.html"),
               ("b.test", "/"), ("b.test", "/b1.html")])
assert urls == want, urls
'
pycheck "crawl fields of the records" '
for r in RECS:
    assert r["status"] == 200, r["status"]
    assert r["content_type"].startswith("text/html"), r["content_type"]
    assert r["final_url"] == r["url"], r
    assert r["fetched_at"].endswith("Z") and len(r["fetched_at"]) == 20, r["fetched_at"]
    assert isinstance(r["depth"], int)
    assert r["title"], r
home = [r for r in RECS if r["url"].endswith("a.test:%d/" % PORT)][0]
assert home["depth"] == 0 and home["referrer"] is None, home
one = [r for r in RECS if r["url"].endswith("/one.html")][0]
assert one["depth"] == 1 and one["referrer"] == home["url"], one
'
pycheck "records carry their text, with the fields of docs/record.schema.json" '
schema = json.load(open(os.path.join(os.environ["SCHEMA_DIR"], "record.schema.json")))
props, required = set(schema["properties"]), set(schema["required"])
crawl = {"fetched_at", "status", "content_type", "depth", "referrer", "final_url"}
for r in RECS:
    assert "subject of this article" in r["text"], (r["url"], r["text"][:80])
    assert set(r) <= props, set(r) - props
    assert required | crawl <= set(r), (required | crawl) - set(r)
'
pycheck "user agent" '
assert all(r["user_agent"].startswith("winnow/") for r in LOG), {r["user_agent"] for r in LOG}
'
pycheck "stats" '
s = json.load(open(T + "/stats.json"))
assert s["records"] == 5 and s["pages"] == 5, s
assert s["skipped_robots"] == 2, s
assert s["failed"] == 0, s
'
finish
