#!/bin/bash
# Self-test of tests/server/testserver.py: starts it on a free port with a
# temporary document root and a faults file that uses every fault, drives it
# with curl and python, and checks the responses and the request log.
# Exit 0 when every check passes; otherwise each failed check is printed
# and the exit status is 1.  VERBOSE=1 also prints the passing checks.
# Needs python3 and curl; takes a few seconds.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SERVER="$HERE/testserver.py"
PY=${PYTHON:-python3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/winnow-testserver.XXXXXX")
SPID=""
BGPID=""

cleanup() {
  [ -n "$BGPID" ] && kill "$BGPID" 2>/dev/null
  [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; return 0; }
# check NAME GOT WANT: exact comparison
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got [$2], want [$3]"; fi; }
# check_re NAME GOT ERE
check_re() { if printf '%s' "$2" | tr '\n' ' ' | grep -Eq -- "$3"; then ok "$1"; else fail "$1: [$2] does not match /$3/"; fi; }
# check_ge NAME GOT MIN (numbers, decimals allowed)
check_ge() { if awk -v a="$2" -v b="$3" 'BEGIN { exit !(a + 0 >= b + 0) }'; then ok "$1"; else fail "$1: $2 < $3"; fi; }

# ---------------------------------------------------------------- fixtures
ROOT="$TMP/root"
mkdir -p "$ROOT/a.test/dir" "$ROOT/b.test"
cat > "$ROOT/a.test/index.html" <<'EOF'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>A home</title></head>
<body><h1>A site</h1><a href="/page1.html">one</a> <a href="http://b.test:{{port}}/">b</a></body></html>
EOF
printf '<!DOCTYPE html><html><body><p>Page one</p></body></html>\n' > "$ROOT/a.test/page1.html"
printf '<!DOCTYPE html><html><body><p>Page two</p></body></html>\n' > "$ROOT/a.test/page2.html"
printf '<!DOCTYPE html><html><body><p>Busy page</p></body></html>\n' > "$ROOT/a.test/busy.html"
printf '<!DOCTYPE html><html><body><p>Do not index</p></body></html>\n' > "$ROOT/a.test/noindex.html"
printf '<!DOCTYPE html><html><body><p>No length</p></body></html>\n' > "$ROOT/a.test/nolen.html"
printf '<!DOCTYPE html><html><body><p>Cut short</p></body></html>\n' > "$ROOT/a.test/partial.html"
printf '<!DOCTYPE html><html><body><p>Caf\xc3\xa9 na\xc3\xafve \xe2\x80\x9cquoted\xe2\x80\x9d</p></body></html>\n' > "$ROOT/a.test/latin.html"
printf '<!DOCTYPE html><html><body><p>dir index</p></body></html>\n' > "$ROOT/a.test/dir/index.html"
printf '<html><body>\xe9t\xe9</body></html>\n' > "$ROOT/a.test/iso.html"
printf 'Content-Type: text/html; charset=iso-8859-1\nX-Sidecar: yes\n' > "$ROOT/a.test/iso.html.headers"
printf 'User-agent: *\nDisallow: /private/\n' > "$ROOT/a.test/robots.txt"
printf '<?xml version="1.0"?><rss version="2.0"><channel><title>A</title></channel></rss>\n' > "$ROOT/a.test/feed.rss"
printf '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a.test/page1.html</loc></url></urlset>\n' > "$ROOT/a.test/sitemap.xml"
gzip -c "$ROOT/a.test/sitemap.xml" > "$ROOT/a.test/sitemap.xml.gz"
touch -d '2020-01-02 03:04:05 UTC' "$ROOT/a.test/page1.html"
printf '<!DOCTYPE html><html><body><h1>B site</h1></body></html>\n' > "$ROOT/b.test/index.html"
printf 'User-agent: *\nDisallow:\n' > "$ROOT/b.test/robots.txt"

cat > "$TMP/faults.json" <<'EOF'
{
  "#": "every fault of testserver.py, used by selftest.sh",
  "a.test/delay.html":   {"delay": 0.4, "content": "<p>late</p>"},
  "a.test/busy.html":    {"status": 429, "retry_after": 7, "times": 2},
  "a.test/down.html":    {"status": 503, "retry_after": "Wed, 21 Oct 2015 07:28:00 GMT"},
  "a.test/error.html":   {"status": 500},
  "a.test/reset.html":   {"reset": true},
  "a.test/partial.html": {"reset": true, "reset_after_bytes": 30},
  "a.test/loop-a":       {"redirect": "/loop-b"},
  "a.test/loop-b":       {"redirect": "http://a.test:{{port}}/loop-a", "redirect_status": 301},
  "a.test/to-b":         {"redirect": "http://b.test:{{port}}/", "redirect_status": 307},
  "a.test/big.html":     {"body_bytes": 3000000},
  "a.test/bomb.html":    {"gzip_bomb": 20000000},
  "a.test/api":          {"content": "{\"ok\": true}", "content_type": "application/json"},
  "a.test/latin.html":   {"charset_bytes": "windows-1252"},
  "a.test/trickle.html": {"slow_body": 4000, "body_bytes": 2000},
  "a.test/hang.html":    {"hang": true},
  "a.test/nolen.html":   {"no_content_length": true},
  "a.test/noindex.html": {"x_robots_tag": "noindex", "headers": {"X-Extra": "1"}},
  "a.test/search?q=*":   {"status": 500},
  "*/combo*":            {"delay": 0.2, "status": 503, "retry_after": 1, "times": 1}
}
EOF

LOG="$TMP/log.jsonl"
PORTFILE="$TMP/port"
"$PY" "$SERVER" --root "$ROOT" --faults "$TMP/faults.json" --log "$LOG" \
  --port 0 --port-file "$PORTFILE" --idle-timeout 5 -q 2> "$TMP/server.err" &
SPID=$!
for _ in $(seq 1 100); do [ -s "$PORTFILE" ] && break; sleep 0.05; done
if [ ! -s "$PORTFILE" ]; then
  echo "FAIL the server did not start:"; cat "$TMP/server.err"; exit 1
fi
P=$(cat "$PORTFILE")
ok "server listening on port $P"

RES="--resolve a.test:$P:127.0.0.1 --resolve b.test:$P:127.0.0.1 --resolve c.test:$P:127.0.0.1"
C() { curl -sS $RES --max-time 10 "$@"; }
A="http://a.test:$P"
B="http://b.test:$P"
H="$TMP/headers"
hdr() { tr -d '\r' < "$H" | grep -i "^$1:" | head -1 | sed 's/^[^:]*: *//'; }

# ---------------------------------------------------------------- keep-alive, vhosts, types
out=$(C -A ka -w '%{http_code} %{num_connects}\n' -o /dev/null -o /dev/null -o /dev/null \
  "$A/" "$A/page1.html" "$A/robots.txt")
check "keep-alive: 3 URLs in one curl, one connection" "$(echo $out)" "200 1 200 0 200 0"
check_re "log line written before the client sees the end of the response" \
  "$(tail -1 "$LOG")" '"path": "/robots.txt".*"user_agent": "ka"'
check_re "{{port}} in a served page is the port" "$(C "$A/")" "http://b.test:$P/"
check_re "vhost b.test" "$(C "$B/")" "B site"
check "unknown host -> 421" "$(C -o /dev/null -w '%{http_code}' "http://c.test:$P/")" 421
check "missing file -> 404" "$(C -o /dev/null -w '%{http_code}' "$A/nope.html")" 404
check "directory without / -> 301 /dir/" \
  "$(C -o /dev/null -w '%{http_code} %{redirect_url}' "$A/dir")" "301 http://a.test:$P/dir/"
check_re "dir/ serves dir/index.html" "$(C "$A/dir/")" "dir index"
for t in "/:text/html; charset=utf-8" "/robots.txt:text/plain" "/feed.rss:application/rss+xml" \
         "/sitemap.xml:application/xml" "/sitemap.xml.gz:application/gzip" \
         "/iso.html:text/html; charset=iso-8859-1"; do
  check "Content-Type of ${t%%:*}" "$(C -o /dev/null -w '%{content_type}' "$A${t%%:*}")" "${t#*:}"
done
C -D "$H" -o /dev/null "$A/iso.html"
check "sidecar .headers adds headers" "$(hdr X-Sidecar)" "yes"
check "sidecar files are not served" "$(C -o /dev/null -w '%{http_code}' "$A/iso.html.headers")" 404
C -o "$TMP/sm.gz" "$A/sitemap.xml.gz"
check "a .gz file is served as is" "$(gzip -dc "$TMP/sm.gz" | cmp - "$ROOT/a.test/sitemap.xml" && echo same)" same

# ---------------------------------------------------------------- validators, 304, HEAD
C -A cond1 -D "$H" -o /dev/null "$A/page1.html"
ETAG=$(hdr ETag)
LM=$(hdr Last-Modified)
check_re "strong ETag" "$ETAG" '^"[0-9a-f]+"$'
check "Last-Modified is the file mtime" "$LM" "Thu, 02 Jan 2020 03:04:05 GMT"
check "If-None-Match -> 304" \
  "$(C -A cond2 -H "If-None-Match: $ETAG" -w '%{http_code} %{size_download}' -o /dev/null "$A/page1.html")" "304 0"
check "If-None-Match (other tag) -> 200" \
  "$(C -H 'If-None-Match: "x"' -w '%{http_code}' -o /dev/null "$A/page1.html")" 200
check "If-Modified-Since = Last-Modified -> 304" \
  "$(C -A cond3 -H "If-Modified-Since: $LM" -w '%{http_code}' -o /dev/null "$A/page1.html")" 304
check "If-Modified-Since older -> 200" \
  "$(C -H 'If-Modified-Since: Mon, 01 Jan 2018 00:00:00 GMT' -w '%{http_code}' -o /dev/null "$A/page1.html")" 200
check "HEAD -> 200, Content-Length of the file" \
  "$(C -A head -I -o /dev/null -w '%{http_code}' "$A/page1.html") $(C -I "$A/page1.html" | tr -d '\r' | grep -i '^content-length' | cut -d' ' -f2)" \
  "200 $(wc -c < "$ROOT/a.test/page1.html" | tr -d ' ')"

# ---------------------------------------------------------------- status faults
out=$(C -A busy -D "$H" -w '%{http_code}\n' -o /dev/null -o /dev/null -o /dev/null \
  "$A/busy.html" "$A/busy.html" "$A/busy.html")
check "429 with times=2 then 200" "$(echo $out)" "429 429 200"
check "Retry-After: 7" "$(hdr Retry-After)" 7
C -D "$H" -o /dev/null "$A/down.html"
check "503 with an HTTP-date Retry-After" "$(head -1 "$H" | tr -d '\r') / $(hdr Retry-After)" \
  "HTTP/1.1 503 Service Unavailable / Wed, 21 Oct 2015 07:28:00 GMT"
check "500" "$(C -o /dev/null -w '%{http_code}' "$A/error.html")" 500
check "query pattern search?q=* -> 500" "$(C -o /dev/null -w '%{http_code}' "$A/search?q=x")" 500
check "query pattern not matched -> 404" "$(C -o /dev/null -w '%{http_code}' "$A/search?p=1")" 404
out=$(C -A combo -D "$H" -w '%{http_code} %{time_starttransfer}\n' -o /dev/null "$B/combo1")
check "*/combo* on b.test: 503 with Retry-After 1" "$(echo "$out" | cut -d' ' -f1) $(hdr Retry-After)" "503 1"
check_ge "*/combo* delay >= 0.2 s" "$(echo "$out" | cut -d' ' -f2)" 0.2
check "*/combo* times=1: then served normally (404)" "$(C -o /dev/null -w '%{http_code}' "$B/combo1")" 404

# ---------------------------------------------------------------- delay, trickle, hang
out=$(C -A delay -w '%{http_code} %{time_starttransfer}' "$A/delay.html")
check_re "delay + content" "$out" '^<p>late</p>200 '
check_ge "delay >= 0.4 s" "${out##* }" 0.4
out=$(C -A trickle -w ' %{size_download} %{time_total}' -o /dev/null "$A/trickle.html")
check "slow_body: whole body" "$(echo "$out" | cut -d' ' -f2)" 2000
check_ge "slow_body 2000 B at 4000 B/s takes >= 0.4 s" "$(echo "$out" | cut -d' ' -f3)" 0.4
C -A hang --max-time 1 -o /dev/null "$A/hang.html" 2>/dev/null
check "hang: curl times out (28)" "$?" 28

# ---------------------------------------------------------------- resets
C -A reset -o /dev/null "$A/reset.html" 2>/dev/null
check_re "reset: curl error 52/56" "$?" '^(52|56)$'
C -A partial -o /dev/null "$A/partial.html" 2>/dev/null
check_re "reset_after_bytes: curl error 52/56/8" "$?" '^(52|56|8)$'

# ---------------------------------------------------------------- redirects
C -A loop -L --max-redirs 5 -o /dev/null "$A/loop-a" 2>/dev/null
check "redirect loop: curl gives up (47)" "$?" 47
out=$(C -A tob -L -w ' %{http_code} %{url_effective} %{num_redirects}' "$A/to-b")
check_re "redirect to another host (307)" "$out" "B site.* 200 http://b.test:$P/ 1\$"
C -D "$H" -o /dev/null "$A/loop-a"
check "redirect default status 302 and Location as given" "$(head -1 "$H" | cut -d' ' -f2) $(hdr Location)" "302 /loop-b"

# ---------------------------------------------------------------- bodies
check "body_bytes: 3000000 bytes" "$(C -A big -o /dev/null -w '%{size_download}' "$A/big.html")" 3000000
C -A bomb -D "$H" -o "$TMP/bomb" "$A/bomb.html"
check "gzip_bomb: Content-Encoding: gzip" "$(hdr Content-Encoding)" gzip
check_re "gzip_bomb: small on the wire (< 100000)" "$(wc -c < "$TMP/bomb")" '^ *[0-9]{1,5}$'
check "gzip_bomb: inflates to 20000000" "$(gzip -dc < "$TMP/bomb" | wc -c | tr -d ' ')" 20000000
check "content + content_type" "$(C -w ' %{content_type}' "$A/api")" '{"ok": true} application/json'
C -D "$H" -o "$TMP/latin" "$A/latin.html"
check "charset_bytes: Content-Type charset" "$(hdr Content-Type)" "text/html; charset=windows-1252"
check_re "charset_bytes: e-acute is one byte 0xE9, quotes 0x93/0x94" "$(od -An -tx1 "$TMP/latin" | tr -d '\n')" \
  '43 61 66 e9 20 6e 61 ef 76 65 20 93 71 75 6f 74 65 64 94'
C -D "$H" -o "$TMP/nolen" "$A/nolen.html"
check "no_content_length: no Content-Length, Connection: close" "[$(hdr Content-Length)] $(hdr Connection)" "[] close"
check "no_content_length: whole body" "$(cmp "$TMP/nolen" "$ROOT/a.test/nolen.html" && echo same)" same
C -D "$H" -o /dev/null "$A/noindex.html"
check "x_robots_tag + headers" "$(hdr X-Robots-Tag) $(hdr X-Extra)" "noindex 1"

# ---------------------------------------------------------------- python client: robustness, concurrency, speed
cat > "$TMP/client.py" <<'EOF'
import socket, sys, threading, time
port = int(sys.argv[1])
fails = 0
def res(name, good, detail=""):
    global fails
    if good:
        print("ok   " + name)
    else:
        fails += 1
        print("FAIL %s %s" % (name, detail))

def raw(data, read=True, timeout=5):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    if read:
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    break
                out += d
        except socket.timeout:
            pass
    s.close()
    return out

def head(host, path, extra=""):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: pyclient\r\n%s\r\n" % (path, host, extra)).encode()

r = raw(b"THIS IS NOT HTTP\r\n\r\n")
res("garbage request line -> 400", r.startswith(b"HTTP/1.1 400 "), r[:40])
r = raw(b"GET / HTTP/1.1\r\nHost a.test\r\n\r\n")
res("bad header line -> 400", r.startswith(b"HTTP/1.1 400 "), r[:40])
r = raw(b"GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n")
res("HTTP/1.1 without Host -> 400", r.startswith(b"HTTP/1.1 400 "), r[:40])
r = raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)) + b"\r\n\r\n")
res("TLS hello / binary -> 400", r.startswith(b"HTTP/1.1 400 "), r[:40])
r = raw(b"POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
res("POST -> 405", r.startswith(b"HTTP/1.1 405 "), r[:40])
# half-open / abandoned connections
raw(b"GET /page1.html HTTP/1.1\r\nHost: a.t", read=False)
s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"GET / HTTP/1.1\r\n"); s.shutdown(socket.SHUT_WR); s.close()
s = socket.create_connection(("127.0.0.1", port)); s.close()
# HTTP/1.0: closes unless keep-alive asked
r = raw(b"GET /robots.txt HTTP/1.0\r\nHost: a.test\r\n\r\n")
res("HTTP/1.0 -> response then close", r.startswith(b"HTTP/1.1 200 ") and b"Connection: close" in r, r[:60])
# pipelining: two requests in one packet, two responses on one connection
r = raw(head("a.test", "/page1.html") + head("a.test", "/robots.txt", "Connection: close\r\n"))
res("pipelined requests", r.count(b"HTTP/1.1 200 ") == 2 and r.endswith(b"Disallow: /private/\n"), r[-60:])
# absolute-form request target
r = raw(b"GET http://b.test/ HTTP/1.1\r\nHost: ignored\r\nConnection: close\r\n\r\n")
res("absolute-form target picks the host", b"B site" in r, r[:60])

# 200 concurrent connections, all open at once, 2 requests each
N = 200
socks = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(N)]
results = [None] * N
def worker(i):
    s = socks[i]
    try:
        s.sendall(head("a.test", "/page2.html") + head("b.test", "/robots.txt", "Connection: close\r\n"))
        out = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
        results[i] = out.count(b"HTTP/1.1 200 ")
    except Exception as e:
        results[i] = repr(e)
    finally:
        s.close()
ts = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
for t in ts: t.start()
for t in ts: t.join()
bad = [r for r in results if r != 2]
res("%d concurrent connections x 2 requests" % N, not bad, bad[:3])

# throughput: one keep-alive connection, sequential requests
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
f = s.makefile("rb")
req = b"GET /robots.txt HTTP/1.1\r\nHost: a.test\r\nUser-Agent: speed\r\n\r\n"
n = 3000
t0 = time.time()
good = 0
for _ in range(n):
    s.sendall(req)
    status = f.readline()
    length = 0
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    f.read(length)
    good += status.startswith(b"HTTP/1.1 200")
dt = time.time() - t0
s.close()
rate = n / dt
print("throughput: %d requests on one keep-alive connection in %.2f s = %.0f requests/s" % (n, dt, rate))
res("throughput >= 500 requests/s", good == n and rate >= 500, "%d ok, %.0f/s" % (good, rate))
sys.exit(1 if fails else 0)
EOF
"$PY" "$TMP/client.py" "$P" > "$TMP/client.out" 2>&1
while IFS= read -r line; do
  case "$line" in
    "ok   "*) ok "${line#ok   }" ;;
    throughput:*) echo "$line" ;;
    "FAIL "*) fail "python client: ${line#FAIL }" ;;
    *) fail "python client: $line" ;;
  esac
done < "$TMP/client.out"

# curl throughput: 2000 URLs over one keep-alive connection
for _ in $(seq 1 2000); do printf 'url = "%s/robots.txt"\noutput = "/dev/null"\n' "$A"; done > "$TMP/urls.cfg"
t0=$(date +%s.%N)
C -A curlspeed -K "$TMP/urls.cfg"
t1=$(date +%s.%N)
echo "throughput: 2000 requests in one curl (keep-alive): $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 2000 / (b - a) }') requests/s"

# ---------------------------------------------------------------- SIGTERM with a hanging request open
C -A hang2 --max-time 20 -o /dev/null "$A/hang.html" 2>/dev/null &
BGPID=$!
sleep 0.3
kill -TERM "$SPID"
t0=$(date +%s.%N)
wait "$SPID"
rc=$?
t1=$(date +%s.%N)
SPID=""
check "SIGTERM: exit status 0" "$rc" 0
check_ge "SIGTERM: exits within 4 s" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print 4 - (b - a) }')" 0
wait "$BGPID" 2>/dev/null
BGPID=""
[ -s "$TMP/server.err" ] && fail "server stderr: $(head -c 600 "$TMP/server.err")"

# ---------------------------------------------------------------- the log
cat > "$TMP/logcheck.py" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
fails = 0
def res(name, good, detail=""):
    global fails
    if good:
        print("ok   log: " + name)
    else:
        fails += 1
        print("FAIL log: %s %s" % (name, detail))
def by(ua=None, path=None):
    return [r for r in recs if (ua is None or r["user_agent"] == ua) and (path is None or r["path"] == path)]

KEYS = ["t_start", "t_end", "conn", "conn_req", "host", "method", "path", "status", "bytes",
        "if_none_match", "if_modified_since", "user_agent", "accept_encoding", "fault"]
res("every line has the fields", all(all(k in r for k in KEYS) for r in recs))
res("t_start <= t_end", all(r["t_start"] <= r["t_end"] for r in recs))

ka = by("ka")
res("keep-alive: same conn, conn_req 1,2,3",
    len(ka) == 3 and len({r["conn"] for r in ka}) == 1 and [r["conn_req"] for r in ka] == [1, 2, 3], ka)
res("host and path", [(r["host"], r["path"], r["status"]) for r in ka] ==
    [("a.test", "/", 200), ("a.test", "/page1.html", 200), ("a.test", "/robots.txt", 200)])
res("conn ids are distinct per connection", len({r["conn"] for r in recs}) > 100)

c2 = by("cond2")
res("if_none_match logged, 304, 0 bytes", len(c2) == 1 and c2[0]["if_none_match"] and c2[0]["status"] == 304 and c2[0]["bytes"] == 0, c2)
c3 = by("cond3")
res("if_modified_since logged", len(c3) == 1 and c3[0]["if_modified_since"] == "Thu, 02 Jan 2020 03:04:05 GMT" and c3[0]["status"] == 304, c3)
hd = by("head")
res("HEAD logged with 0 bytes", len(hd) == 1 and hd[0]["method"] == "HEAD" and hd[0]["bytes"] == 0 and hd[0]["status"] == 200, hd)

busy = by("busy")
res("times: fault named twice, then null",
    [(r["status"], r["fault"]) for r in busy] == [(429, "a.test/busy.html"), (429, "a.test/busy.html"), (200, None)], busy)
combo = [r for r in recs if r["path"] == "/combo1"]
res("*/combo* fault on b.test", len(combo) == 2 and combo[0]["fault"] == "*/combo*" and combo[0]["host"] == "b.test"
    and combo[1]["fault"] is None, combo)
d = by("delay")
res("delay: t_end - t_start >= 0.4", len(d) == 1 and d[0]["t_end"] - d[0]["t_start"] >= 0.4, d)
tr = by("trickle")
res("slow_body: 2000 bytes over >= 0.4 s", len(tr) == 1 and tr[0]["bytes"] == 2000 and tr[0]["t_end"] - tr[0]["t_start"] >= 0.4, tr)

h = by("hang")
res("hang: status 0 after the client gave up", len(h) == 1 and h[0]["status"] == 0 and h[0]["fault"] == "a.test/hang.html"
    and h[0]["t_end"] - h[0]["t_start"] >= 0.9, h)
h2 = by("hang2")
res("hang: logged at shutdown", len(h2) == 1 and h2[0]["status"] == 0, h2)
rs = by("reset")
res("reset: status 0, 0 bytes", len(rs) == 1 and rs[0]["status"] == 0 and rs[0]["bytes"] == 0 and rs[0]["fault"] == "a.test/reset.html", rs)
pr = by("partial")
res("reset_after_bytes: status line sent, no body", len(pr) == 1 and pr[0]["status"] == 200 and pr[0]["bytes"] == 0, pr)

loop = by("loop")
res("redirect loop a -> b -> a ...", len(loop) == 6 and [r["path"] for r in loop] == ["/loop-a", "/loop-b"] * 3
    and [r["status"] for r in loop] == [302, 301] * 3, [(r["path"], r["status"]) for r in loop])
tob = by("tob")
res("redirect to b.test", [(r["host"], r["path"], r["status"]) for r in tob] == [("a.test", "/to-b", 307), ("b.test", "/", 200)], tob)

big = by("big")
res("body_bytes: bytes 3000000", len(big) == 1 and big[0]["bytes"] == 3000000, big)
bomb = by("bomb")
res("gzip_bomb: bytes on the wire < 100000", len(bomb) == 1 and 0 < bomb[0]["bytes"] < 100000, bomb)
res("curl keep-alive speed run: one connection",
    len(by("curlspeed")) == 2000 and len({r["conn"] for r in by("curlspeed")}) == 1)
bad = [r for r in recs if r["status"] == 400]
res("400s logged", len(bad) >= 4, len(bad))
sys.exit(1 if fails else 0)
EOF
"$PY" "$TMP/logcheck.py" "$LOG" > "$TMP/logcheck.out" 2>&1
while IFS= read -r line; do
  case "$line" in
    "ok   "*) ok "${line#ok   }" ;;
    "FAIL "*) fail "${line#FAIL }" ;;
    *) fail "$line" ;;
  esac
done < "$TMP/logcheck.out"

# ---------------------------------------------------------------- command line
echo '{"a.test/x": {"dely": 1}}' > "$TMP/badfaults.json"
"$PY" "$SERVER" --faults "$TMP/badfaults.json" -q 2> "$TMP/bad.err"
rc=$?
check "a faults file with an unknown key: exit 2" "$rc" 2
check_re "... and says which key" "$(cat "$TMP/bad.err")" "dely"
t0=$(date +%s.%N)
"$PY" "$SERVER" --root "$ROOT" --max-seconds 0.3 -q
rc=$?
t1=$(date +%s.%N)
check "--max-seconds: exits 0 by itself" "$rc" 0
check_ge "--max-seconds 0.3: within 2 s" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print 2 - (b - a) }')" 0

echo "testserver selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
