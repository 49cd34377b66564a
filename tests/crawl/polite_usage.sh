#!/bin/bash
# Exit status: 2 for bad usage (bad values, unknown flags, no seed), with
# a message on stderr and no request made; there is no flag to ignore
# robots.txt; 0 when everything was done, 1 when some URL failed.
. "$(dirname "$0")/lib.sh"

time_limit 15

article "Home" '<a href="/bad.html">bad</a>' | page a.test /index.html
article "Bad" | page a.test /bad.html
server_start '{"a.test/bad.html": {"status": 500}}'

# usage NAME ARGS...: the crawl must refuse with status 2 and a message
usage() {
  local name=$1
  shift
  crawl --delay 0.05 --max-delay 0.05 "$@"
  check "usage: $name: exit status" "$rc" 2
  if [ -s "$T/crawl.err" ]; then ok "usage: $name: message"; else fail "usage: $name: no message on stderr"; fi
}

seed=$(url a.test /)
usage "--delay -1" --delay -1 "$seed"
usage "--delay abc" --delay abc "$seed"
usage "--delay 1e9" --delay 1e9 "$seed"
usage "--max-delay -1" --max-delay -1 "$seed"
usage "--timeout 0" --timeout 0 "$seed"
usage "--concurrency 0" --concurrency 0 "$seed"
usage "--concurrency -3" --concurrency -3 "$seed"
usage "--per-host 0" --per-host 0 "$seed"
usage "--scope bogus" --scope bogus "$seed"
usage "--max-pages -1" --max-pages -1 "$seed"
usage "--max-depth x" --max-depth x "$seed"
usage "--max-pages-per-host 1.5" --max-pages-per-host 1.5 "$seed"
usage "--include bad regex" --include '(' "$seed"
usage "--exclude bad regex" --exclude '[a-' "$seed"
usage "--robots-agent with a space" --robots-agent 'win now' "$seed"
usage "--robots-agent empty" --robots-agent '' "$seed"
usage "unknown flag" --frobnicate "$seed"
usage "--ignore-robots" --ignore-robots "$seed"
usage "--no-robots" --no-robots "$seed"
usage "--ignore-robots-txt" --ignore-robots-txt "$seed"
usage "--robots off" --robots off "$seed"
usage "missing value" "$seed" --delay
usage "no seed" --delay 0.1
usage "not an http URL" "ftp://a.test:$PORT/"
pycheck "usage: no request made" '
assert LOG == [], LOG
'
help=$("$WINNOW" crawl --help)
check "help: exit status" "$?" 0
if printf '%s\n' "$help" | grep -i -e '--[a-z-]*robots' | grep -v -q -e '--robots-agent'; then
  fail "help: a flag about robots.txt other than --robots-agent"
else
  ok "help: no flag to ignore robots.txt"
fi

crawl --delay 0.05 --max-delay 0.05 --out "$T/out.jsonl" "$seed"
check "exit status 1: a URL failed" "$rc" 1
pycheck "exit status 1: the failed URL was tried" '
assert len(reqs("a.test", "/bad.html")) == 3, len(reqs("a.test", "/bad.html"))
'
rm -f "$T"/state.db*
crawl --delay 0.05 --out "$T/out.jsonl" --exclude 'bad' "$seed"
check "exit status 0: done" "$rc" 0
finish
