#!/bin/sh
# make demo: serve the demo sites (demo/sites/<host>/) on 127.0.0.1 with the
# test server, crawl them politely from their home pages, and write one
# record per page to demo/out/records.jsonl. Nothing leaves the machine:
# every host name is resolved to 127.0.0.1 by the crawler (--resolve),
# --include keeps the pages on the local server's port, and --exclude
# keeps the sites' absolute https:// links and their https:// sitemap URL
# from being fetched (--include chooses pages only: sitemaps and feeds are
# read whatever their URL).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-"$here/../build/winnow"}
out=${DEMO_OUT:-"$here/out"}
server="$here/../tests/server/testserver.py"
mkdir -p "$out"
rm -f "$out/state.db" "$out/state.db-wal" "$out/state.db-shm" "$out/state.db.lock" \
  "$out/records.jsonl" "$out/port" "$out/requests.jsonl"

python3 "$server" --root "$here/sites" --port-file "$out/port" \
  --log "$out/requests.jsonl" -q &
spid=$!
trap 'kill -TERM $spid 2>/dev/null; wait $spid 2>/dev/null || true' EXIT
i=0
while [ ! -s "$out/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$out/port")
echo "demo sites served on 127.0.0.1:$port by tests/server/testserver.py"

set +e
"$bin" crawl --resolve "*:$port:127.0.0.1" --allow-private \
  --include "^http://[^/]+:$port/" --exclude '^https://' --delay 0.1 \
  --state "$out/state.db" --out "$out/records.jsonl" --stats "$out/stats.json" \
  "http://www.charente-expo.com:$port/" \
  "http://www.ashcombe-herald.co.uk:$port/" \
  "http://www.kuechenzettel-blog.de:$port/"
status=$?
set -e

n=$(wc -l < "$out/records.jsonl")
echo "winnow crawled the demo sites (exit status $status): $n records written to demo/out/records.jsonl"
echo "crawl statistics in demo/out/stats.json, the server's request log in demo/out/requests.jsonl"
echo "one line per record: title | body words | related links | boilerplate blocks"
if command -v python3 >/dev/null 2>&1; then
  python3 - "$out/records.jsonl" "$out/stats.json" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    print("  %-60.60s | %5d | %3d | %3d" % (r["title"] or r["url"], len(r["text"].split()),
          len(r["related"]), len(r["boilerplate"])))
s = json.load(open(sys.argv[2]))
print("requests %d, pages %d, records %d, robots.txt %d, disallowed by robots.txt %d, "
      "failed %d, %.1f s" % (s["requests"], s["pages"], s["records"], s["robots_fetched"],
                             s["skipped_robots"], s["failed"], s["seconds"]))
PY
fi
exit $status
