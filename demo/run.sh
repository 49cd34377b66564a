#!/bin/sh
# make demo: extract every page of the demo site (demo/pages.tsv) in one
# winnow process and write the records to demo/out/records.jsonl.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-"$here/../build/winnow"}
out="$here/out"
mkdir -p "$out"

set --
while IFS="$(printf '\t')" read -r path url; do
  [ -n "$path" ] || continue
  set -- "$@" --url "$url" "$here/sites/$path"
done < "$here/pages.tsv"

"$bin" extract "$@" > "$out/records.jsonl"

n=$(wc -l < "$out/records.jsonl")
echo "winnow extracted $n demo pages; records written to demo/out/records.jsonl"
echo "one line per page: title | body words | related links | boilerplate blocks"
if command -v python3 >/dev/null 2>&1; then
  python3 - "$out/records.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    print("  %-60.60s | %5d | %3d | %3d" % (r["title"] or r["url"], len(r["text"].split()),
          len(r["related"]), len(r["boilerplate"])))
PY
fi
