#!/bin/bash
# Where records go: standard output (default, and --out -) holds only the
# records, as valid JSON Lines, the same as a file would; --stats writes
# valid JSON whose counts match the records and the request log. An
# output that cannot be opened exits 5 with a message, before any
# request; an output that fails while written (a full disk: here a file
# size limit with SIGXFSZ ignored, so write() fails with EFBIG) exits 5
# with a message naming it, and the next run, once it can write, loses
# no record.
. "$(dirname "$0")/lib.sh"

# article TITLE [LINKS_HTML]: as lib.sh's, with made-up words (pages that
# say nearly the same thing look like boilerplate to the template learner
# and may share a text fingerprint)
article() {
  local letters=abcdefghijklmnoprstuvwy sum out="" w i k n
  sum=$(printf '%s' "$1" | cksum)
  RANDOM=${sum%% *}
  for ((i = 0; i < 80; i++)); do
    w=""
    n=$((3 + RANDOM % 7))
    for ((k = 0; k < n; k++)); do w+=${letters:RANDOM % 23:1}; done
    out+="$w "
  done
  printf '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s</title></head><body><nav>%s</nav><article><h1>%s</h1><p>%s is the subject of this article. %s.</p></article></body></html>\n' \
    "$1" "${2:-}" "$1" "$1" "${out% }"
}

page a.test /robots.txt "$(printf 'User-agent: *\nDisallow: /private/\n')"
article "Home" '<a href="/one.html">one</a> <a href="/two.html">two</a> <a href="/moved">moved</a> <a href="/missing.html">missing</a> <a href="/data.json">data</a> <a href="/private/x.html">x</a> <a href="/dup.html">dup</a> <a href="/noindex.html">noindex</a>' | page a.test /index.html
article "Story one" | page a.test /one.html
article "Story two" | page a.test /two.html
article "Story three" | page a.test /three.html
article "Private" | page a.test /private/x.html
article "Story one" | sed 's|<head>|<head><link rel="canonical" href="/one.html">|' |
  page a.test /dup.html
article "Not to index" | sed 's|<head>|<head><meta name="robots" content="noindex">|' |
  page a.test /noindex.html
page a.test /data.json '{"title": "not a page"}'
server_start '{"a.test/moved": {"redirect": "/three.html", "redirect_status": 301}}'
SEED=$(url a.test /)

# records FILE NAME: check that FILE is valid JSON Lines of records
records() {
  pycheck "$2: only records, valid JSON Lines" '
raw = open("'"$1"'", "rb").read()
assert raw.endswith(b"\n"), raw[-80:]
for n, line in enumerate(raw.split(b"\n")[:-1]):
    r = json.loads(line)
    assert isinstance(r, dict) and r["url"].startswith("http://"), (n, line[:80])
'
}

"$WINNOW" crawl --resolve "*.test:$PORT:127.0.0.1" --allow-private \
  --state "$T/state.db" -q --delay 0 --stats "$T/stats.json" "$SEED" \
  > "$T/out.jsonl" 2>"$T/crawl.err"
check "default output (stdout): exit 0" "$?" 0
records "$T/out.jsonl" "default output (stdout)"
pycheck "stdout: the records of the site" '
urls = sorted(r["url"] for r in RECS)
want = sorted("http://a.test:%d%s" % (PORT, p) for p in
              ("/", "/one.html", "/two.html", "/moved"))
assert urls == want, urls
moved = [r for r in RECS if r["url"].endswith("/moved")][0]
assert moved["final_url"] == "http://a.test:%d/three.html" % PORT, moved["final_url"]
assert moved["title"] == "Story three", moved["title"]
'
pycheck "--stats: valid JSON, counts match the records and the requests" '
s = json.load(open(T + "/stats.json"))
got = {k: s[k] for k in ("requests", "pages", "records", "not_modified",
                         "redirects", "duplicates", "noindex",
                         "robots_fetched", "sitemaps", "skipped_robots",
                         "skipped_other", "errors", "failed")}
html = [r for r in LOG if r["status"] == 200 and r["path"] != "/robots.txt"
        and r["path"] != "/data.json"]
want = {"requests": len(LOG), "pages": len(html), "records": len(RECS),
        "not_modified": len([r for r in LOG if r["status"] == 304]),
        "redirects": len([r for r in LOG if 300 <= r["status"] < 400]),
        "duplicates": 1, "noindex": 1,
        "robots_fetched": len([r for r in LOG if r["path"] == "/robots.txt"]),
        "sitemaps": 0, "skipped_robots": 1, "skipped_other": 1, "errors": 0,
        "failed": 0}
assert got == want, (got, want)
assert len(LOG) == 10 and len(RECS) == 4, (len(LOG), len(RECS))
'

# --out - on another state: the same records
mv "$T/out.jsonl" "$T/default.jsonl"
n0=$(wc -l < "$T/log.jsonl")
"$WINNOW" crawl --resolve "*.test:$PORT:127.0.0.1" --allow-private \
  --state "$T/state2.db" -q --delay 0 --out - "$SEED" \
  > "$T/dash.jsonl" 2>"$T/crawl.err"
check "--out -: exit 0" "$?" 0
records "$T/dash.jsonl" "--out -"
pycheck "--out - gives the records of the default output" '
a = sorted((r["url"], r["title"], r["text"]) for r in load(T + "/default.jsonl"))
b = sorted((r["url"], r["title"], r["text"]) for r in load(T + "/dash.jsonl"))
assert a == b, (a, b)
'

# a recrawl: every page answers 304, the stats say so
n0=$(wc -l < "$T/log.jsonl")
"$WINNOW" crawl --resolve "*.test:$PORT:127.0.0.1" --allow-private \
  --state "$T/state.db" -q --delay 0 --recrawl-after 0 \
  --stats "$T/stats2.json" "$SEED" > "$T/again.jsonl" 2>"$T/crawl.err"
check "recrawl to stdout: exit 0" "$?" 0
check "recrawl to stdout: no record" "$(wc -c < "$T/again.jsonl")" 0
pycheck "recrawl --stats: not_modified counts the 304s" '
s = json.load(open(T + "/stats2.json"))
new = LOG['"$n0"':]
n304 = len([r for r in new if r["status"] == 304])
assert n304 >= 6, [(r["path"], r["status"]) for r in new]
assert s["not_modified"] == n304 and s["records"] == 0, s
assert s["requests"] == len(new), (s, len(new))
'

# outputs that cannot be opened
mkdir "$T/adir"
: > "$T/afile"
for out in no/such/dir/out.jsonl adir afile/out.jsonl; do
  n0=$(wc -l < "$T/log.jsonl")
  crawl --delay 0 --out "$T/$out" "$SEED"
  check "output $out: exit 5" "$rc" 5
  check "output $out: no request" "$(wc -l < "$T/log.jsonl")" "$n0"
  if grep -qF "$T/$out" "$T/crawl.err"; then
    ok "output $out: the message names it"
  else
    fail "output $out: the message names it: $(cat "$T/crawl.err")"
  fi
done

# a write error in the middle of the crawl: 100 pages of about 20 KB of
# text; the first batch of records (64 pages) passes the 1000 KB limit
# while the state's files stay well below it
python3 - "$T/root/w.test" <<'EOF'
import os, random, sys
d = sys.argv[1]
os.makedirs(d)
for i in range(100):
    r = random.Random(i)
    links = "".join('<a href="/p%d.html">p</a> ' % k
                    for k in range(4 * i + 1, 4 * i + 5) if k < 100)
    paras = "".join("<p>%s.</p>" % " ".join(
        "".join(r.choice("abcdefghijklmnoprstuvwy")
                for _ in range(r.randint(3, 9))) for _ in range(100))
        for _ in range(30))
    with open(os.path.join(d, "index.html" if i == 0 else "p%d.html" % i),
              "w") as f:
        f.write("<!DOCTYPE html><html><head><title>w %d</title></head><body>"
                "<nav>%s</nav><article><h1>w %d</h1>%s</article></body>"
                "</html>\n" % (i, links, i, paras))
EOF
n0=$(wc -l < "$T/log.jsonl")
(
  trap '' XFSZ
  ulimit -f 1000
  exec "$WINNOW" crawl --resolve "*.test:$PORT:127.0.0.1" --allow-private \
    --state "$T/w.db" -q --delay 0 --out "$T/w.jsonl" "$(url w.test /)" \
    2>"$T/crawl.err"
)
check "output write error (EFBIG): exit 5" "$?" 5
check "output write error: the output did reach the limit" \
  "$(wc -c < "$T/w.jsonl")" 1024000
pycheck "output write error: the message names the output" '
err = open(T + "/crawl.err").read()
assert "w.jsonl" in err, err
'
crawl --delay 0 --state "$T/w.db" --out "$T/w.jsonl" "$(url w.test /)"
check "the run after the write error: exit 0" "$rc" 0
pycheck "after the write error: every page exactly once, valid JSON Lines" '
raw = open(T + "/w.jsonl", "rb").read()
urls = [json.loads(l)["url"] for l in raw.split(b"\n") if l]
want = {"http://w.test:%d/" % PORT} | {"http://w.test:%d/p%d.html" % (PORT, i)
                                       for i in range(1, 100)}
assert len(urls) == len(set(urls)), "records written twice"
missing = sorted(want - set(urls), key=len)
assert not missing, "%d pages lost: %s" % (len(missing), missing[:5])
'
finish
