#!/bin/bash
# --seeds FILE: comments and blank lines ignored, lines that are not
# http(s) URLs (binary junk, ftp:, over-long lines, NUL bytes) skipped
# with a warning naming file and line (printable, shortened), the valid
# ones crawled; a file with no valid line is a usage error (exit 2).
. "$(dirname "$0")/lib.sh"

article "Seed page" | page a.test /index.html
article "Second seed" | page b.test /index.html
server_start
{
  printf '# seeds\n\n'
  printf '   %s   \n' "$(url a.test /)"
  head -c 3000 /dev/urandom | tr -d '\n'
  printf '\nftp://a.test/file\n'
  printf 'http://a.test/%s\n' "$(head -c 70000 /dev/zero | tr '\0' x)"
  printf 'http://b.test:%s/\0junk\n' "$PORT"
  printf '%s\r\n' "$(url b.test /)"
} > "$T/seeds.txt"

crawl --delay 0 --seeds "$T/seeds.txt" --out "$T/out.jsonl"
check "exit status" "$rc" 0
pycheck "the two valid seeds crawled, nothing else asked" '
assert sorted(r["url"] for r in RECS) == sorted(["http://a.test:%d/" % PORT, "http://b.test:%d/" % PORT]), [r["url"] for r in RECS]
assert sorted(r["path"] for r in LOG) == ["/", "/", "/robots.txt", "/robots.txt"], sorted(r["path"] for r in LOG)
'
pycheck "a warning per bad line, naming it, printable and short" '
err = open(T + "/crawl.err", "rb").read()
lines = [l for l in err.split(b"\n") if l]
assert all(b"not an http(s) URL, skipped" in l for l in lines), lines
assert len(lines) == 4, lines
for l in lines:
    t = l.decode("utf-8")
    assert all(c >= " " for c in t) and len(t) < 220, t
assert any(b"seeds.txt:4:" in l for l in lines), lines
'
printf 'mailto:x@y\n# only junk\n' > "$T/bad.txt"
crawl --seeds "$T/bad.txt"
check "no valid seed: usage error" "$rc" 2
crawl --seeds "$T/missing.txt"
check "missing seeds file: usage error" "$rc" 2
finish
