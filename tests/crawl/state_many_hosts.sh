#!/bin/bash
# 700 hosts, more than the crawl keeps in memory (HOST_CACHE, 512, plus
# the active ones): idle hosts are dropped and come back from the state
# with their robots.txt rules and learned templates. Every host's
# robots.txt is asked once, nothing disallowed is fetched (also after a
# host came back), every page gives one record, and a second run asks
# no robots.txt and gets 304s only.
. "$(dirname "$0")/lib.sh"

python3 - "$T/root" <<'PY'
import hashlib, os, sys
root = sys.argv[1]
def words(seed):
    x = hashlib.md5(seed.encode()).hexdigest() * 2
    t = str.maketrans("0123456789abcdef", "bcdfghjklmnprstv")
    return " ".join(x[i:i + 5].translate(t) for i in range(0, 60, 5))
for k in range(700):
    h = "h%03d.test" % k
    d = os.path.join(root, h)
    os.makedirs(d)
    open(os.path.join(d, "robots.txt"), "w").write("User-agent: *\nDisallow: /no/\n")
    for name, link in (("index.html", '<a href="/a.html">a</a> <a href="/no/x.html">x</a>'),
                       ("a.html", '<a href="/">home</a> <a href="/no/y.html">y</a>')):
        open(os.path.join(d, name), "w").write(
            "<html><body><article><h1>%s %d</h1><p>The page %s tells a story.</p>"
            "<p>%s</p></article>%s</body></html>" % (name, k, words(h + name), words(name + h), link))
PY
server_start
python3 -c "
for k in range(700): print('http://h%03d.test:$PORT/' % k)" > "$T/seeds.txt"

crawl --delay 0 --concurrency 32 --seeds "$T/seeds.txt" --out "$T/out.jsonl" --stats "$T/stats.json"
check "first run: exit status" "$rc" 0
pycheck "first run: one robots.txt per host, nothing disallowed, every page once" '
robots = [r["host"] for r in LOG if r["path"] == "/robots.txt"]
assert len(robots) == 700 and len(set(robots)) == 700, len(robots)
assert not [r for r in LOG if r["path"].startswith("/no/")]
urls = [r["url"] for r in RECS]
assert len(urls) == 1400 and len(set(urls)) == 1400, (len(urls), len(set(urls)))
'
n=$(wc -l < "$T/log.jsonl")
crawl --delay 0 --concurrency 32 --seeds "$T/seeds.txt" --out "$T/out.jsonl" \
  --stats "$T/stats.json" --recrawl-after 0
check "second run: exit status" "$rc" 0
export N="$n"; pycheck "second run: no robots.txt, conditional requests, 304s, no record" '
second = LOG[int(os.environ["N"]):]
assert len(second) == 1400, len(second)
assert all(r["status"] == 304 and r["if_none_match"] for r in second), \
    {(r["path"], r["status"]) for r in second if r["status"] != 304}
assert len(RECS) == 1400, len(RECS)
s = json.load(open(T + "/stats.json"))
assert s["robots_fetched"] == 0 and s["not_modified"] == 1400, s
'
# --max-pages-per-host holds for hosts dropped from memory and seen again
# (a page links to the next host): one page request per host, no more.
python3 - "$T/root" "$PORT" <<'PY'
import os, sys
root, port = sys.argv[1], sys.argv[2]
for k in range(700):
    d = os.path.join(root, "h%03d.test" % k)
    nxt = "http://h%03d.test:%s/" % ((k + 1) % 700, port)
    prv = "http://h%03d.test:%s/a.html" % ((k + 699) % 700, port)
    with open(os.path.join(d, "index.html"), "a") as f:
        f.write('<a href="%s">next</a> <a href="%s">prev</a>' % (nxt, prv))
PY
rm -f "$T"/state.db*
n=$(wc -l < "$T/log.jsonl")
export N="$n"
crawl --delay 0 --concurrency 32 --scope any --max-pages-per-host 1 \
  --seeds "$T/seeds.txt" --out "$T/out3.jsonl"
check "per-host limit: exit status" "$rc" 0
pycheck "per-host limit: one page request per host, even after being dropped" '
third = LOG[int(os.environ["N"]):]
pages = [r for r in third if r["path"] != "/robots.txt"]
per = {}
for r in pages:
    per[r["host"]] = per.get(r["host"], 0) + 1
assert len(per) == 700 and max(per.values()) == 1, sorted(per.items(), key=lambda x: -x[1])[:5]
assert len([r for r in third if r["path"] == "/robots.txt"]) == 700
'
finish
