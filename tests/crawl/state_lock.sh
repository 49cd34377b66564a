#!/bin/bash
# One crawl per state file: a second crawl on a state in use exits 3 with
# a message and touches nothing (no request, the first crawl's output
# intact), also when it names the state through a symbolic link; once the
# first crawl ended, the same command works. A state file that is not a
# usable state (random bytes, text, a truncated copy of a real state,
# another program's SQLite database, a state of a newer schema) exits 4
# with a message naming the file, without a request and without changing
# the file.
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

article "Home" '<a href="/one.html">one</a> <a href="/two.html">two</a> <a href="/three.html">three</a>' | page a.test /index.html
article "Story one" | page a.test /one.html
article "Story two" | page a.test /two.html
article "Story three" | page a.test /three.html
page a.test /robots.txt "$(printf 'User-agent: *\nDisallow:\n')"
# every page takes 0.4 s: the first crawl holds the state about 2 s
server_start '{"a.test/*.html": {"delay": 0.4}, "a.test/": {"delay": 0.4}}'
SEED=$(url a.test /)

# crawl_state STATE ARGS...: like crawl, with another --state
crawl_state() {
  local st=$1
  shift
  "$WINNOW" crawl --resolve "*.test:$PORT:127.0.0.1" --allow-private \
    --state "$st" -q "$@" 2>"$T/crawl.err"
  rc=$?
}

# requests: the number of lines of the request log (once no crawl runs)
requests() { wc -l < "$T/log.jsonl"; }

"$WINNOW" crawl --resolve "*.test:$PORT:127.0.0.1" --allow-private \
  --state "$T/state.db" -q --delay 0 --out "$T/out.jsonl" "$SEED" \
  2>"$T/first.err" &
first=$!
# wait for the first crawl's first page request
for _ in $(seq 100); do
  [ -s "$T/log.jsonl" ] && grep -q '"path": "/"' "$T/log.jsonl" && break
  sleep 0.05
done
sleep 0.2

# the second crawls have their own user agent, to tell their requests
crawl --user-agent second/1 --delay 0 --out "$T/out.jsonl" "$SEED"
check "second crawl on a state in use: exit 3" "$rc" 3
pycheck "the message says the state is in use" '
err = open(T + "/crawl.err").read()
assert "state.db" in err and "in use" in err, err
'
ln -s "$T/state.db" "$T/link.db"
crawl_state "$T/link.db" --user-agent second/1 --delay 0 \
  --out "$T/out2.jsonl" "$SEED"
check "second crawl on a state in use, through a symlink: exit 3" "$rc" 3
wait "$first"
check "first crawl: exit 0" "$?" 0
pycheck "the second crawls made no request" '
assert not [r for r in LOG if r["user_agent"] == "second/1"], \
    [r["path"] for r in LOG if r["user_agent"] == "second/1"]
'
pycheck "first crawl: every page once" '
urls = sorted(r["url"] for r in RECS)
want = sorted("http://a.test:%d%s" % (PORT, p) for p in
              ("/", "/one.html", "/two.html", "/three.html"))
assert urls == want, urls
'
crawl --delay 0 --out "$T/out.jsonl" "$SEED"
check "the same command after the first crawl ended: exit 0" "$rc" 0

# unusable state files
python3 - "$T" <<'EOF'
import os, random, shutil, sqlite3, sys
t = sys.argv[1]
r = random.Random(7)
open(t + "/random.db", "wb").write(bytes(r.randrange(256) for _ in range(8192)))
open(t + "/text.db", "w").write("this is not a database\n" * 200)
# a real state, closed (WAL checkpointed), cut in half
shutil.copy(t + "/state.db", t + "/trunc.db")
size = os.path.getsize(t + "/trunc.db")
assert size >= 8192, size
with open(t + "/trunc.db", "r+b") as f:
    f.truncate(size // 2)
# only the first page left: the header and the schema, no tables
shutil.copy(t + "/state.db", t + "/head.db")
with open(t + "/head.db", "r+b") as f:
    f.truncate(4096)
# another program's database
db = sqlite3.connect(t + "/other.db")
db.execute("CREATE TABLE urls(x INTEGER, y BLOB)")
db.execute("CREATE TABLE meta(k, v)")
db.execute("INSERT INTO urls VALUES(1, x'00ff')")
db.commit()
db.close()
# a state of a newer schema
shutil.copy(t + "/state.db", t + "/newer.db")
db = sqlite3.connect(t + "/newer.db")
db.execute("UPDATE meta SET value = 99 WHERE key = 'schema'")
db.commit()
db.close()
EOF
for f in random text trunc head other newer; do
  cp "$T/$f.db" "$T/$f.orig"
  n0=$(requests)
  crawl_state "$T/$f.db" --delay 0 --out "$T/bad.jsonl" "$SEED"
  check "unusable state ($f): exit 4" "$rc" 4
  check "unusable state ($f): no request" "$(requests)" "$n0"
  if grep -q "$f.db" "$T/crawl.err"; then
    ok "unusable state ($f): the message names the file"
  else
    fail "unusable state ($f): the message names the file: $(cat "$T/crawl.err")"
  fi
  if cmp -s "$T/$f.db" "$T/$f.orig"; then
    ok "unusable state ($f): the file is left as it was"
  else
    fail "unusable state ($f): the file was changed"
  fi
done
finish
