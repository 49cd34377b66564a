#!/bin/bash
# Page-level robots directives: <meta name="robots"> and X-Robots-Tag
# noindex (fetched, links followed, no record), nofollow (a record, links
# not followed), none (both); the same for <meta name="winnow"> and
# "X-Robots-Tag: winnow: ..."; another agent's directives are not ours;
# links with rel=nofollow are not followed.
. "$(dirname "$0")/lib.sh"

time_limit 15

# mpage PATH HEAD_HTML LINKS_HTML: a page of a.test with more in <head>
mpage() {
  article "Page $1" "$3" | sed "s|<meta charset=\"utf-8\">|<meta charset=\"utf-8\">$2|" | page a.test "$1"
}

article "Home" '<a href="/noindex.html">1</a> <a href="/nofollow.html">2</a>
<a href="/none.html">3</a> <a href="/meta-winnow.html">4</a> <a href="/meta-other.html">5</a>
<a href="/xnoindex.html">6</a> <a href="/xnofollow.html">7</a> <a href="/xwinnow.html">8</a>
<a href="/xother.html">9</a> <a rel="nofollow" href="/relnf.html">10</a>
<a rel="external NoFollow" href="/relnf2.html">11</a>' | page a.test /index.html
mpage /noindex.html '<meta name="robots" content="noindex">' '<a href="/from-noindex.html">x</a>'
mpage /nofollow.html '<meta name="robots" content="follow, NOFOLLOW">' '<a href="/from-nofollow.html">x</a>'
mpage /none.html '<meta name="robots" content="none">' '<a href="/from-none.html">x</a>'
mpage /meta-winnow.html '<meta name="winnow" content="noindex, nofollow">' '<a href="/from-meta-winnow.html">x</a>'
mpage /meta-other.html '<meta name="otherbot" content="noindex, nofollow">' '<a href="/from-meta-other.html">x</a>'
mpage /xnoindex.html '' '<a href="/from-xnoindex.html">x</a>'
mpage /xnofollow.html '' '<a href="/from-xnofollow.html">x</a>'
mpage /xwinnow.html '' '<a href="/from-xwinnow.html">x</a>'
mpage /xother.html '' '<a href="/from-xother.html">x</a>'
for p in noindex nofollow none meta-winnow meta-other xnoindex xnofollow xwinnow xother; do
  article "From $p" | page a.test "/from-$p.html"
done
article "Rel nofollow" | page a.test /relnf.html
article "Rel nofollow 2" | page a.test /relnf2.html

server_start '{
  "a.test/xnoindex.html": {"x_robots_tag": "noindex"},
  "a.test/xnofollow.html": {"x_robots_tag": "nofollow"},
  "a.test/xwinnow.html": {"x_robots_tag": "winnow: noindex, nofollow"},
  "a.test/xother.html": {"x_robots_tag": "otherbot: noindex, nofollow"}
}'
crawl --delay 0.05 --out "$T/out.jsonl" --stats "$T/stats.json" "$(url a.test /)"
check "exit status" "$rc" 0
pycheck "pages fetched: noindex ones too, nofollow ones not followed" '
got = sorted(r["path"] for r in LOG if r["path"] != "/robots.txt")
want = sorted(["/", "/noindex.html", "/nofollow.html", "/none.html", "/meta-winnow.html",
               "/meta-other.html", "/xnoindex.html", "/xnofollow.html", "/xwinnow.html",
               "/xother.html",
               "/from-noindex.html", "/from-meta-other.html", "/from-xnoindex.html",
               "/from-xother.html"])
assert got == want, (sorted(set(got) - set(want)), sorted(set(want) - set(got)))
'
pycheck "records: none for noindex pages" '
got = sorted(r["url"].split(":%d" % PORT)[1] for r in RECS)
want = sorted(["/", "/nofollow.html", "/meta-other.html", "/xnofollow.html", "/xother.html",
               "/from-noindex.html", "/from-meta-other.html", "/from-xnoindex.html",
               "/from-xother.html"])
assert got == want, (sorted(set(got) - set(want)), sorted(set(want) - set(got)))
s = json.load(open(T + "/stats.json"))
assert s["noindex"] == 5, s
'
finish
