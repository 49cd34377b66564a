# Shared helpers of the crawl tests (sourced by tests/crawl/*.sh).
#
# Each test gets a temporary folder $T with a document root $T/root
# (DIR/<host>/ per virtual host, as tests/server/testserver.py serves),
# starts the test server with server_start [FAULTS_JSON], runs the crawler
# with crawl ARGS... (adds --resolve '*.test:PORT:127.0.0.1',
# --allow-private, --state $T/state.db, -q; the exit status is in $rc),
# and checks the request log $T/log.jsonl with python (pycheck).
#
#   WINNOW   the winnow binary (first argument of every test)
#   PORT     the server's port once started
#
# check helpers count failures; finish prints a summary and exits 1 when
# anything failed.

set -u
WINNOW=${1:?usage: $0 WINNOW}
HERE_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVER="$HERE_LIB/../server/testserver.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/winnow-crawl.XXXXXX")
mkdir -p "$T/root"
SPID=""
PORT=""
rc=0
failed=0
passed=0

cleanup() {
  if [ -n "$SPID" ]; then
    kill -TERM "$SPID" 2>/dev/null
    wait "$SPID" 2>/dev/null
  fi
  if [ -z "${KEEP:-}" ]; then rm -rf "$T"; else echo "kept $T"; fi
}
trap cleanup EXIT

ok() { passed=$((passed + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; return 0; }
# check NAME GOT WANT
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got [$2], want [$3]"; fi; }

# page HOST PATH [BODY_HTML]: write a page of the document root.
page() {
  mkdir -p "$(dirname "$T/root/$1$2")"
  if [ $# -ge 3 ]; then
    printf '%s\n' "$3" > "$T/root/$1$2"
  else
    cat > "$T/root/$1$2"
  fi
}

# words SEED: twelve lower-case pseudo-words derived from SEED, so that
# the pages of a test site do not look like one repeated template.
words() {
  local h
  h=$(printf '%s' "$1" | md5sum | cut -c1-32)$(printf '%s.' "$1" | md5sum | cut -c1-32)
  h=$(printf '%s' "$h" | tr '0-9a-f' 'bcdfghjklmnprstv')
  printf '%s %s %s %s %s %s %s %s %s %s %s %s' "${h:0:5}" "${h:5:4}" "${h:9:6}" \
    "${h:15:3}" "${h:18:5}" "${h:23:4}" "${h:27:6}" "${h:33:5}" "${h:38:4}" \
    "${h:42:6}" "${h:48:5}" "${h:53:7}"
}

# article TITLE [LINKS_HTML]: a page with enough prose to make a record
# (its text is its own: see words).
article() {
  printf '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s</title></head><body><nav>%s</nav><article><h1>%s</h1>' "$1" "${2:-}" "$1"
  printf '<p>%s is the subject of this article, which tells at some length what happened: %s.</p>' "$1" "$(words "$1")"
  printf '<p>A second paragraph about %s adds detail, in ordinary prose text: %s.</p></article></body></html>\n' "$1" "$(words "2$1")"
}

# server_start [FAULTS_JSON]: start the server on a free port.
server_start() {
  local faults=()
  if [ $# -ge 1 ] && [ -n "$1" ]; then
    printf '%s\n' "$1" > "$T/faults.json"
    faults=(--faults "$T/faults.json")
  fi
  rm -f "$T/port"
  python3 "$SERVER" --root "$T/root" "${faults[@]}" --log "$T/log.jsonl" \
    --port-file "$T/port" --idle-timeout 10 -q &
  SPID=$!
  for _ in $(seq 200); do [ -s "$T/port" ] && break; sleep 0.05; done
  PORT=$(cat "$T/port" 2>/dev/null)
  [ -n "$PORT" ] || { echo "FAIL the test server did not start"; exit 1; }
}

# server_stop: stop the server (its log is then complete).
server_stop() {
  if [ -n "$SPID" ]; then
    kill -TERM "$SPID" 2>/dev/null
    wait "$SPID" 2>/dev/null
    SPID=""
  fi
}

# crawl ARGS...: run winnow crawl against the server; status in $rc,
# stderr in $T/crawl.err.
crawl() {
  "$WINNOW" crawl --resolve "*.test:$PORT:127.0.0.1" --allow-private \
    --state "$T/state.db" -q "$@" 2>"$T/crawl.err"
  rc=$?
}

# url HOST PATH: the URL of a page on the test server.
url() { printf 'http://%s:%s%s' "$1" "$PORT" "$2"; }

# pycheck NAME PYTHON: run python with LOG (the request log, a list of
# dicts), RECS (the records of $T/out.jsonl, when it exists), PORT, T;
# the code asserts; a failed assertion fails the check NAME.
pycheck() {
  local name=$1 code=$2 out
  if out=$(T="$T" PORT="$PORT" python3 - 2>&1 <<PYEOF
import json, os, sys
T = os.environ["T"]; PORT = int(os.environ["PORT"] or 0)
def load(p):
    try:
        return [json.loads(l) for l in open(p, encoding="utf-8") if l.strip()]
    except FileNotFoundError:
        return []
LOG = load(T + "/log.jsonl")
RECS = load(T + "/out.jsonl")
def reqs(host=None, path=None):
    return [r for r in LOG if (host is None or r["host"] == host) and
            (path is None or r["path"] == path)]
$code
PYEOF
  ); then ok "$name"; else fail "$name: $out"; fi
}

# time_limit SECS: every later winnow run is cut after SECS seconds, so
# that a crawler that hangs fails the test instead of stalling the suite.
time_limit() {
  printf '#!/bin/sh\nexec timeout -k 2 %s "%s" "$@"\n' "$1" "$WINNOW" \
    >"$T/winnow.limited"
  chmod +x "$T/winnow.limited"
  WINNOW=$T/winnow.limited
}

# restart [FAULTS_JSON]: a fresh server (new log) and a fresh state and
# output.
restart() {
  server_stop
  rm -f "$T"/state.db* "$T/out.jsonl" "$T/stats.json"
  server_start "$@"
}

# GAPS: python helpers for pycheck on gaps between request starts. The
# server stamps a request when it has read its request line; on a new
# connection that waits for the thread the server starts for it, a few ms
# late on a loaded machine, so the gap after such a request may look that
# much shorter.
GAPS='
def tol(r):
    return 0.02 if r["conn_req"] == 1 else 0.005
def gaps(rs):
    rs = sorted(rs, key=lambda r: r["t_start"])
    return [(x, y["t_start"] - x["t_start"]) for x, y in zip(rs, rs[1:])]
def gaps_ok(rs, want):
    bad = [(x["path"], round(g, 3)) for x, g in gaps(rs) if g < want - tol(x)]
    assert not bad, ("gaps below %s s after" % want, bad)
'

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
