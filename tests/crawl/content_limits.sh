#!/bin/bash
# Bodies that do not fit: with --max-size 1M, a 200 MB page (with and
# without Content-Length) and a gzip bomb inflating to 1 GB are skipped
# without being downloaded or inflated whole, the crawl goes on and its
# memory stays bounded (max RSS < 200 MB); a page a little under the cap
# is kept, one a little over is skipped. A page with no Content-Length
# (the body ends with the connection) is extracted whole. A connection
# reset, or closed, in the middle of a body gives no record from the
# partial body: the page is asked again and recorded once, whole.
. "$(dirname "$0")/lib.sh"

python3 - "$T/root/a.test" <<'EOF'
import os, random, sys
d = sys.argv[1]
os.makedirs(d)
def article(title, links=""):
    r = random.Random(title)
    para = lambda: " ".join("".join(r.choice("abcdefghijklmnoprstuvwy")
                                    for _ in range(r.randint(3, 9)))
                            for _ in range(80))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<title>%s</title></head><body><nav>%s</nav><article><h1>%s</h1>'
            '<p>%s.</p><p>%s.</p><p>%s. The end of %s.</p></article></body>'
            '</html>\n' % (title, links, title, para(), para(), para(), title))
names = ("huge.html hugenocl.html bomb.html under.html over.html nocl.html "
         "reset.html cut.html after.html").split()
pages = {"index.html": article("Home", " ".join('<a href="/%s">%s</a>' % (n, n)
                                                for n in names)),
         "nocl.html": article("No length"),
         "reset.html": article("Reset once"),
         "cut.html": article("Cut once"),
         "after.html": article("After the big ones")}
for n in names:
    with open(os.path.join(d, n), "w") as f:
        f.write(pages.get(n, "<p>served by a fault</p>\n"))
with open(os.path.join(d, "index.html"), "w") as f:
    f.write(pages["index.html"])
EOF

server_start '{
  "a.test/huge.html": {"body_bytes": 200000000},
  "a.test/hugenocl.html": {"body_bytes": 200000000, "no_content_length": true},
  "a.test/bomb.html": {"gzip_bomb": 1000000000},
  "a.test/under.html": {"body_bytes": 1000000},
  "a.test/over.html": {"body_bytes": 1100000},
  "a.test/nocl.html": {"no_content_length": true},
  "a.test/reset.html": {"reset": true, "reset_after_bytes": 700, "times": 1},
  "a.test/cut.html": {"reset": "fin", "reset_after_bytes": 700, "times": 1}
}'

# the crawl, through python for its peak memory (ru_maxrss of children)
python3 - "$WINNOW" "$PORT" "$T" <<'EOF'
import resource, subprocess, sys
winnow, port, t = sys.argv[1:]
with open(t + "/crawl.err", "wb") as err:
    rc = subprocess.call([winnow, "crawl", "--resolve", "*.test:%s:127.0.0.1" % port,
                          "--allow-private", "--state", t + "/state.db", "-q",
                          "--delay", "0", "--max-size", "1M", "--timeout", "20",
                          "--out", t + "/out.jsonl", "--stats", t + "/stats.json",
                          "http://a.test:%s/" % port], stderr=err)
with open(t + "/result", "w") as f:
    f.write("%d %d\n" % (rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
EOF
read -r rc rss_kb < "$T/result"
check "exit status" "$rc" 0
if [ "$rss_kb" -lt 204800 ]; then
  ok "max RSS ${rss_kb} KB < 200 MB"
else
  fail "max RSS ${rss_kb} KB, want < 200 MB"
fi
server_stop

pycheck "records: the pages that fit, whole, once" '
got = sorted(r["url"].split(":%d" % PORT)[1] for r in RECS)
want = sorted(["/", "/under.html", "/nocl.html", "/reset.html", "/cut.html",
               "/after.html"])
assert got == want, got
by = {r["url"].split(":%d" % PORT)[1]: r for r in RECS}
for p, title in (("/nocl.html", "No length"), ("/reset.html", "Reset once"),
                 ("/cut.html", "Cut once")):
    assert by[p]["text"].endswith("The end of %s." % title), (p, by[p]["text"][-60:])
'
pycheck "big bodies: asked once, never downloaded whole" '
for p in ("/huge.html", "/hugenocl.html", "/bomb.html", "/over.html"):
    r = reqs("a.test", p)
    assert len(r) == 1, (p, len(r))
    assert p not in ("/huge.html", "/hugenocl.html") or r[0]["bytes"] < 50e6, \
        (p, r[0]["bytes"])
'
pycheck "cut bodies: asked again, whole (not conditionally: nothing was received)" '
for p in ("/reset.html", "/cut.html"):
    r = sorted(reqs("a.test", p), key=lambda r: r["t_start"])
    got = [(x["status"], x["error"], x["if_none_match"]) for x in r]
    assert len(r) == 2 and r[0]["error"] and r[1]["status"] == 200, (p, got)
'
pycheck "stats: the skipped bodies" '
s = json.load(open(T + "/stats.json"))
assert s["skipped_other"] == 4 and s["records"] == 6, s
'
finish
