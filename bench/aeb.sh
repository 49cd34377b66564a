#!/usr/bin/env bash
# Article-body accuracy of `winnow extract` on a shared benchmark set.
#
#   bench/aeb.sh [--set aeb|readability] [--work DIR] [--per-page TSV]
#                [--json] [--no-url]
#
# Runs ONE `winnow extract` process over every page of the set, passing
# each page as `--url URL FILE` (URL from ground-truth.json), maps the
# JSON Lines output back to page ids by input order, writes
# predictions.jsonl ({"id", "text"}) and scores it with score.py
# (precision, recall, accuracy, F1 of 4-token shingles).
#
# Environment:
#   WINNOW_SHARED     shared data (default: <repo>/../shared)
#   WINNOW_BIN        the winnow binary (default: <repo>/build/winnow)
#   WINNOW_BENCH_DIR  parent of the work directory (default /tmp/winnow-bench;
#                     the work directory is $WINNOW_BENCH_DIR/<set>)
# Options:
#   --set NAME       aeb (default) or readability (bench/readability.sh)
#   --work DIR       work directory (predictions, raw records, stderr)
#   --per-page TSV   also write per-page scores (score.py --per-page)
#   --json           print the scores as JSON (score.py --json)
#   --no-url         do not pass --url (measures URL-independent rules)
# Exit: 0 scored, 1 winnow or scoring failed, 2 bad usage or missing data.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || dirname "$here")

set_name=aeb
work=
per_page=
json=
use_url=1

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case $1 in
  --set) set_name=${2:?--set needs a value}; shift 2 ;;
  --work) work=${2:?--work needs a value}; shift 2 ;;
  --per-page) per_page=${2:?--per-page needs a value}; shift 2 ;;
  --json) json=1; shift ;;
  --no-url) use_url=; shift ;;
  -h | --help) usage; exit 0 ;;
  *) echo "aeb.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

shared=${WINNOW_SHARED:-$root/../shared}
bin=${WINNOW_BIN:-$root/build/winnow}
data=$shared/bench/$set_name
truth=$data/ground-truth.json
scorer=$shared/bench/score.py
work=${work:-${WINNOW_BENCH_DIR:-/tmp/winnow-bench}/$set_name}

for f in "$truth" "$scorer"; do
  if [ ! -f "$f" ]; then
    echo "aeb.sh: missing $f (set WINNOW_SHARED?)" >&2
    exit 2
  fi
done
if [ ! -x "$bin" ]; then
  echo "aeb.sh: no winnow binary at $bin" >&2
  echo "  build it: cmake -S $root -B $root/build && cmake --build $root/build --target winnow" >&2
  echo "  or set WINNOW_BIN" >&2
  exit 2
fi
mkdir -p "$work"

# Plan the run: ids.txt (one id per input, in order) and args.bin (the
# NUL-separated arguments of `winnow extract`).
python3 - "$data" "$work" "$use_url" <<'EOF'
import json, os, sys

data, work, use_url = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
with open(os.path.join(data, "ground-truth.json"), encoding="utf-8") as f:
    truth = json.load(f)
html = os.path.join(data, "html")
ids, files, args, seen = [], [], [], set()
for name in sorted(os.listdir(html)):
    if not (name.endswith(".html") or name.endswith(".html.gz")):
        continue
    pid = name.split(".", 1)[0]
    if pid not in truth:
        print("aeb.sh: %s: not in ground-truth.json, skipped" % name,
              file=sys.stderr)
        continue
    if pid in seen:
        print("aeb.sh: %s: second file for id %s, skipped" % (name, pid),
              file=sys.stderr)
        continue
    seen.add(pid)
    url = truth[pid].get("url") if isinstance(truth[pid], dict) else None
    if use_url and isinstance(url, str) and url:
        args += ["--url", url]
    args.append(os.path.join(html, name))
    ids.append(pid)
    files.append(args[-1])
missing = sorted(set(truth) - seen)
if missing:
    print("aeb.sh: %d id(s) without a page, scored as empty (e.g. %s)"
          % (len(missing), missing[0]), file=sys.stderr)
for a in args:
    if "\0" in a:
        sys.exit("aeb.sh: argument with a NUL byte: %r" % a)
with open(os.path.join(work, "ids.txt"), "w", encoding="utf-8") as f:
    f.write("".join(i + "\n" for i in ids))
with open(os.path.join(work, "files.txt"), "w", encoding="utf-8") as f:
    f.write("".join(p + "\n" for p in files))
with open(os.path.join(work, "args.bin"), "wb") as f:
    f.write(b"".join(a.encode("utf-8") + b"\0" for a in args))
EOF

mapfile -d '' args <"$work/args.bin"
# Readability's synthetic test pages all live on http://fakehost/ and share
# lorem-ipsum paragraphs: they are not one site, so learning site templates
# across them would be wrong. The AEB pages come from distinct sites.
if [ "$set_name" = readability ]; then
  args=(--no-templates "${args[@]}")
fi
n_pages=$(wc -l <"$work/ids.txt")

start=$(date +%s.%N)
set +e
"$bin" extract "${args[@]}" >"$work/records.jsonl" 2>"$work/stderr.log"
rc=$?
set -e
end=$(date +%s.%N)

if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  echo "aeb.sh: winnow exited with $rc; stderr:" >&2
  head -n 20 "$work/stderr.log" >&2
  exit 1
fi

# Map records to ids. With exit 1 some inputs produced no record; the
# stderr line naming each such input tells which ones to skip.
python3 - "$work" "$rc" "$start" "$end" "$n_pages" <<'EOF'
import json, os, sys

work, rc = sys.argv[1], int(sys.argv[2])
secs = float(sys.argv[4]) - float(sys.argv[3])
n_pages = int(sys.argv[5])
with open(os.path.join(work, "ids.txt"), encoding="utf-8") as f:
    ids = f.read().split()
with open(os.path.join(work, "files.txt"), encoding="utf-8") as f:
    files = f.read().splitlines()
with open(os.path.join(work, "records.jsonl"), "rb") as f:
    lines = f.read().splitlines()
with open(os.path.join(work, "stderr.log"), encoding="utf-8",
          errors="replace") as f:
    err = f.read()
failed = []
if len(lines) != len(ids):
    failed = [i for i, p in zip(ids, files) if p in err]
    kept = [i for i in ids if i not in set(failed)]
    if len(kept) != len(lines):
        sys.exit("aeb.sh: %d records for %d pages (exit %d) and stderr does "
                 "not say which pages failed; see %s"
                 % (len(lines), len(ids), rc,
                    os.path.join(work, "stderr.log")))
    ids = kept
empty = 0
with open(os.path.join(work, "predictions.jsonl"), "w",
          encoding="utf-8") as out:
    for n, (pid, line) in enumerate(zip(ids, lines), 1):
        try:
            rec = json.loads(line)
        except ValueError as e:
            sys.exit("aeb.sh: record %d (%s) is not JSON: %s" % (n, pid, e))
        text = rec.get("text") if isinstance(rec, dict) else None
        if not isinstance(text, str):
            text = ""
        empty += not text.strip()
        out.write(json.dumps({"id": pid, "text": text},
                             ensure_ascii=False) + "\n")
print("winnow: %d pages in %.2f s (%.1f pages/s), exit %d, %d unreadable, "
      "%d empty texts" % (n_pages, secs, n_pages / secs if secs > 0 else 0,
                          rc, len(failed), empty), file=sys.stderr)
for pid in failed:
    print("  unreadable: %s" % pid, file=sys.stderr)
EOF

score_args=(--truth "$truth" --pred "$work/predictions.jsonl")
[ -n "$json" ] && score_args+=(--json)
[ -n "$per_page" ] && score_args+=(--per-page "$per_page")
echo "== $set_name: all pages" >&2
python3 "$scorer" "${score_args[@]}"

# Readability's set mixes saved web pages with hand-made fixtures
# (synthetic: true) that test Readability quirks; report both.
if python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); sys.exit(0 if any(isinstance(v,dict) and "synthetic" in v for v in t.values()) else 1)' "$truth"; then
  python3 - "$truth" "$work" "$set_name" <<'EOF'
import json, os, sys
with open(sys.argv[1], encoding="utf-8") as f:
    t = json.load(f)
work = sys.argv[2]
real = {k: v for k, v in t.items() if not v.get("synthetic")}
with open(os.path.join(work, "truth-real.json"), "w", encoding="utf-8") as f:
    json.dump(real, f)
with open(os.path.join(work, "predictions.jsonl"), encoding="utf-8") as f, \
        open(os.path.join(work, "predictions-real.jsonl"), "w",
             encoding="utf-8") as out:
    for line in f:
        if json.loads(line)["id"] in real:
            out.write(line)
print("== %s: real pages only (%d of %d)" % (sys.argv[3], len(real), len(t)),
      file=sys.stderr)
EOF
  real_args=(--truth "$work/truth-real.json" --pred "$work/predictions-real.jsonl")
  [ -n "$json" ] && real_args+=(--json)
  python3 "$scorer" "${real_args[@]}"
fi
echo "predictions: $work/predictions.jsonl" >&2
