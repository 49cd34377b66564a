#!/bin/bash
# The same command again later (cron): with the default --recrawl-after
# (7d) or 1h nothing is fetched, robots.txt included (cached 24 h in the
# state); with --recrawl-after 0 every page is asked again with
# If-None-Match / If-Modified-Since, a 304 writes no record, a page
# changed on disk writes a new record (and its new links are followed),
# an unchanged page without validators writes none (one without text
# neither), a page now gone writes none. A robots.txt older than 24 h is
# fetched again.
. "$(dirname "$0")/lib.sh"

# words SEED: 60 made-up words, the same for the same seed, different for
# each seed (text from a small vocabulary would look like boilerplate to
# the template learner)
words() {
  local letters=abcdefghijklmnoprstuvwy sum out="" w i k n
  sum=$(printf '%s' "$1" | cksum)
  RANDOM=${sum%% *}
  for ((i = 0; i < 60; i++)); do
    w=""
    n=$((3 + RANDOM % 7))
    for ((k = 0; k < n; k++)); do w+=${letters:RANDOM % 23:1}; done
    out+="$w "
  done
  printf '%s' "${out% }"
}

# prose_page TITLE SEED [LINKS]: an article of three paragraphs
prose_page() {
  printf '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s</title></head><body><nav>%s</nav><article><h1>%s</h1>' "$1" "${3:-}" "$1"
  printf '<p>%s.</p><p>%s.</p><p>%s.</p></article></body></html>\n' \
    "$(words "$2.1")" "$(words "$2.2")" "$(words "$2.3")"
}

page a.test /robots.txt "$(printf 'User-agent: *\nDisallow: /private/\n')"
prose_page "Home" home '<a href="/same.html">same</a> <a href="/changed.html">changed</a> <a href="/edited.html">edited</a> <a href="/lm.html">lm</a> <a href="/lmchanged.html">lmchanged</a> <a href="/novalid.html">novalid</a> <a href="/gone.html">gone</a> <a href="/links.html">links</a>' | page a.test /index.html
prose_page "Same" same | page a.test /same.html
prose_page "Changed" changed | page a.test /changed.html
# edited.html: one word of a long text changes
prose_page "Edited" edited | page a.test /edited.html
# lm.html, lmchanged.html: Last-Modified only; novalid.html: no validators
prose_page "Only last modified" lm | page a.test /lm.html
prose_page "Last modified, changed" lmc | page a.test /lmchanged.html
prose_page "No validators" novalid | page a.test /novalid.html
prose_page "Gone" gone | page a.test /gone.html
# links.html: no prose (its record has no text), no validators
page a.test /links.html '<!DOCTYPE html><html><head><title>Links</title></head><body><ul><li><a href="/same.html">same</a></li><li><a href="/lm.html">lm</a></li></ul></body></html>'
touch -d '2020-01-01 00:00:00 UTC' "$T/root/a.test/lm.html" \
  "$T/root/a.test/lmchanged.html"

server_start '{
  "a.test/lm.html": {"headers": {"ETag": null}},
  "a.test/lmchanged.html": {"headers": {"ETag": null}},
  "a.test/novalid.html": {"headers": {"ETag": null, "Last-Modified": null}},
  "a.test/links.html": {"headers": {"ETag": null, "Last-Modified": null}}
}'
SEED=$(url a.test /)
ALL="/ /same.html /changed.html /edited.html /lm.html /lmchanged.html /novalid.html /gone.html /links.html"

# mark: the current end of the request log and of the output
mark() {
  log_mark=$(wc -l < "$T/log.jsonl")
  out_mark=$(wc -l < "$T/out.jsonl")
}

crawl --delay 0 --out "$T/out.jsonl" "$SEED"
check "first run: exit status" "$rc" 0
pycheck "first run: one record per page" '
urls = sorted(r["url"] for r in RECS)
want = sorted("http://a.test:%d%s" % (PORT, p) for p in "'"$ALL"'".split())
assert urls == want, urls
'

mark
crawl --delay 0 --out "$T/out.jsonl" "$SEED"
check "second run (default 7d): exit status" "$rc" 0
crawl --delay 0 --recrawl-after 1h --out "$T/out.jsonl" "$SEED"
check "third run (--recrawl-after 1h): exit status" "$rc" 0
pycheck "runs before the pages are due: no request at all, no record" '
new = LOG['"$log_mark"':]
assert not new, [(r["path"], r["status"]) for r in new]
assert len(RECS) == '"$out_mark"', len(RECS)
'

# changes on disk: a new text (and a new link), one word, a new
# Last-Modified, a page removed
prose_page "Changed again" changed2 '<a href="/new.html">new</a>' |
  page a.test /changed.html
prose_page "New page" newpage | page a.test /new.html
sed -i 's/<p>\([a-z]*\) /<p>\1 xylophone /' "$T/root/a.test/edited.html"
prose_page "Last modified, changed" lmc2 | page a.test /lmchanged.html
touch -d '2021-06-01 12:00:00 UTC' "$T/root/a.test/lmchanged.html"
rm "$T/root/a.test/gone.html"

mark
crawl --delay 0 --recrawl-after 0 --out "$T/out.jsonl" "$SEED"
check "recrawl (--recrawl-after 0): exit status" "$rc" 0
pycheck "recrawl: robots.txt not fetched (cached 24 h)" '
new = LOG['"$log_mark"':]
assert not [r for r in new if r["path"] == "/robots.txt"], [r["path"] for r in new]
'
pycheck "recrawl: every page asked again, once, with its validators" '
new = LOG['"$log_mark"':]
by = {}
for r in new:
    by.setdefault(r["path"], []).append(r)
for p in "'"$ALL"'".split():
    assert len(by.get(p, [])) == 1, (p, len(by.get(p, [])))
for p in ("/", "/same.html", "/changed.html", "/edited.html", "/gone.html"):
    r = by[p][0]
    assert r["if_none_match"] and r["if_none_match"].startswith("\""), (p, r["if_none_match"])
r = by["/lm.html"][0]
assert r["if_modified_since"] == "Wed, 01 Jan 2020 00:00:00 GMT", r["if_modified_since"]
assert r["if_none_match"] is None, r
for p in ("/novalid.html", "/links.html"):
    r = by[p][0]
    assert r["if_none_match"] is None and r["if_modified_since"] is None, r
'
pycheck "recrawl: unchanged pages answer 304, changed ones 200" '
st = {r["path"]: r["status"] for r in LOG['"$log_mark"':]}
want = {"/": 304, "/same.html": 304, "/lm.html": 304, "/changed.html": 200,
        "/edited.html": 200, "/lmchanged.html": 200, "/novalid.html": 200,
        "/links.html": 200, "/gone.html": 404, "/new.html": 200}
assert {p: st.get(p) for p in want} == want, st
'
pycheck "recrawl: records only for the changed pages and the new one" '
new = RECS['"$out_mark"':]
urls = sorted(r["url"] for r in new)
want = sorted("http://a.test:%d%s" % (PORT, p) for p in
              ("/changed.html", "/edited.html", "/lmchanged.html", "/new.html"))
assert urls == want, urls
by = {r["url"].split(str(PORT))[1]: r for r in new}
assert by["/changed.html"]["title"] == "Changed again", by["/changed.html"]["title"]
assert by["/changed.html"]["depth"] == 1, by["/changed.html"]
assert by["/new.html"]["referrer"] == "http://a.test:%d/changed.html" % PORT, by["/new.html"]
'
pycheck "recrawl: a page whose text changed by one word gets a new record" '
new = [r for r in RECS['"$out_mark"':] if r["url"].endswith("/edited.html")]
assert len(new) == 1, "no new record for edited.html (one word of its text changed)"
assert "xylophone" in new[0]["text"], new[0]["text"][:200]
'

mark
crawl --delay 0 --recrawl-after 0 --out "$T/out.jsonl" "$SEED"
check "second recrawl: exit status" "$rc" 0
pycheck "second recrawl: all 304 (the changed pages too), no record" '
new = LOG['"$log_mark"':]
st = {r["path"]: r["status"] for r in new}
assert all(s in (304, 404) for p, s in st.items()
           if p not in ("/novalid.html", "/links.html")), st
assert st.get("/changed.html") == 304 and st.get("/new.html") == 304, st
assert len(RECS) == '"$out_mark"', [r["url"] for r in RECS['"$out_mark"':]]
'

# robots.txt older than 24 h: the state is edited to make its copy of
# robots.txt 25 h old (hosts.robots_fetched_at; pages must be due for the
# host to be visited at all)
python3 - "$T/state.db" <<'EOF'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
n = db.execute("UPDATE hosts SET robots_fetched_at = ?",
               (time.time() - 25 * 3600,)).rowcount
db.commit()
assert n == 1, n
EOF
mark
crawl --delay 0 --recrawl-after 0 --out "$T/out.jsonl" "$SEED"
check "run with a stale robots.txt: exit status" "$rc" 0
pycheck "a robots.txt older than 24 h is fetched again, before the pages" '
new = sorted(LOG['"$log_mark"':], key=lambda r: r["t_start"])
assert new and new[0]["path"] == "/robots.txt", [r["path"] for r in new]
assert len([r for r in new if r["path"] == "/robots.txt"]) == 1
'
finish
