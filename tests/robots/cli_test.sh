#!/bin/sh
# End-to-end checks of `winnow robots`: output, exit codes, file reading.
#   cli_test.sh WINNOW
# Each check prints what failed; the script exits 1 if any did.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

# expect CODE CMD...: run CMD, check its exit code; stdout in $tmp/out
expect() {
  want=$1
  shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  [ "$got" = "$want" ] || fail "exit $got, want $want: $*"
}

# same FILE TEXT: FILE holds exactly TEXT (printf format)
same() {
  printf "$2" >"$tmp/want"
  cmp -s "$1" "$tmp/want" || fail "$1 is '$(cat "$1")', want '$(cat "$tmp/want")'"
}

printf 'User-agent: *\r\nDisallow: /private\r\nAllow: /private/ok\r\n' >"$tmp/r.txt"
printf 'Crawl-delay: 2.5\r\nSitemap: https://h/s.xml\r\n' >>"$tmp/r.txt"

# verdicts, one line per URL, in order; an empty URL is "/"
expect 0 "$bin" robots --agent winnow --robots "$tmp/r.txt" \
  http://h/private/x /private/ok/y /public ""
same "$tmp/out" 'disallowed http://h/private/x\nallowed /private/ok/y\nallowed /public\nallowed \n'
# options after URLs, --opt=value, "--" before a URL starting with '-'
expect 0 "$bin" robots http://h/private --robots="$tmp/r.txt" --agent=winnow -- -x
same "$tmp/out" 'disallowed http://h/private\nallowed -x\n'
# --info
expect 0 "$bin" robots --agent winnow --robots "$tmp/r.txt" --info
same "$tmp/out" 'crawl-delay 2.5\nsitemap https://h/s.xml\n'
printf 'User-agent: *\nDisallow: /\n' | expect 0 "$bin" robots --agent w --robots - --info /x
same "$tmp/out" 'crawl-delay none\ndisallowed /x\n'

# the file is bytes: NULs end a line's content, CRs end lines
printf 'User-agent: *\rDisallow: /a\000tail\rDisallow: /b\r' >"$tmp/nul.txt"
expect 0 "$bin" robots --agent w --robots "$tmp/nul.txt" /a /b /tail
same "$tmp/out" 'disallowed /a\ndisallowed /b\nallowed /tail\n'
# invalid UTF-8 and a BOM
printf '\357\273\277User-agent: *\nDisallow: /\377\n' >"$tmp/bad.txt"
expect 0 "$bin" robots --agent w --robots "$tmp/bad.txt" /%FF /x
same "$tmp/out" 'disallowed /%%FF\nallowed /x\n'

# help
expect 0 "$bin" robots --help
grep -q -- "--agent TOKEN" "$tmp/out" || fail "--help lacks --agent"
# usage errors: exit 2, a message, nothing on stdout
for args in "--robots $tmp/r.txt /x" "--agent w /x" "--agent w --robots $tmp/r.txt" \
  "--agent w --robots $tmp/r.txt --bogus /x" "--agent"; do
  # shellcheck disable=SC2086
  expect 2 "$bin" robots $args
  [ -s "$tmp/out" ] && fail "stdout not empty: $args"
  grep -q "winnow robots:" "$tmp/err" || fail "no message: $args"
done
# unreadable file: exit 1, one line naming the file
expect 1 "$bin" robots --agent w --robots "$tmp/missing.txt" /x
grep -q "missing.txt" "$tmp/err" || fail "the error does not name the file"
[ -s "$tmp/out" ] && fail "stdout not empty for a missing file"
expect 1 "$bin" robots --agent w --robots "$tmp" /x

if [ "$fails" -gt 0 ]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "robots CLI: all checks passed"
