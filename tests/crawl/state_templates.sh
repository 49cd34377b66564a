#!/bin/bash
# Learned templates across runs: a paragraph that every page of a site
# repeats is cut as a template once seen on enough pages, and the counts
# are kept in the state per host name: two origins of one host (two
# ports here) share them, and each run adds its own pages once (not the
# saved counts again).
. "$(dirname "$0")/lib.sh"

server_start
P1=$PORT
python3 "$SERVER" --root "$T/root" --log "$T/log2.jsonl" --port-file "$T/port2" -q &
S2=$!
for _ in $(seq 200); do [ -s "$T/port2" ] && break; sleep 0.05; done
P2=$(cat "$T/port2")
mkdir -p "$T/root/a.test"
gen() {
  local i
  for i in 1 2 3 4; do
    printf '<html><body><article><h1>Story %s</h1><p>%s, %s: the body of this story in run %s.</p><p>This newspaper is published by the same small company every single day of the week.</p></article><a href="/p%s.html">next</a></body></html>\n' \
      "$i" "$(words "$i$1")" "$(words "x$i$1")" "$1" "$((i % 4 + 1))" > "$T/root/a.test/p$i.html"
  done
}
for run in 1 2 3; do
  gen $run
  "$WINNOW" crawl --resolve "*.test:$P1:127.0.0.1" --resolve "*.test:$P2:127.0.0.1" \
    --allow-private --state "$T/state.db" -q --delay 0 --recrawl-after 0 \
    --out "$T/out.jsonl" "http://a.test:$P1/p1.html" "http://a.test:$P2/p1.html"
  check "run $run: exit status" "$?" 0
  export RUN=$run; pycheck "run $run: one count per host name, 8 pages more per run" '
import sqlite3, struct
c = sqlite3.connect(T + "/state.db")
rows = [(k, struct.unpack("<4sII", b[:12])) for k, b in c.execute("select origin, blob from templates")]
assert len(rows) == 1 and rows[0][0] == "a.test", rows
assert rows[0][1][1] == 8 * int(os.environ["RUN"]), rows
'
done
kill -TERM "$S2"; wait "$S2"
pycheck "the repeated paragraph is a template, not body text, once learned" '
# the same page on the second origin has the same text: one record a page
last = RECS[-4:]
assert len(RECS) == 12, len(RECS)
for r in last:
    assert "same small company" not in r["text"], r["text"]
    assert any(b["kind"] == "template" and "same small company" in b["text"]
               for b in r["boilerplate"]), r["boilerplate"]
    assert "the body of this story in run 3" in r["text"], r["text"]
'
finish
