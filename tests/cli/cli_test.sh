#!/bin/sh
# End-to-end checks of `winnow extract` options and output formats.
#   cli_test.sh WINNOW REPO_ROOT
# Each check prints what failed; the script exits 1 if any did.
set -u
bin=$1
root=$2
fx="$root/tests/fixtures/extract"
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

has() {
  grep -q -F -- "$1" "$tmp/out" || fail "output lacks '$1' ($2)"
}

lacks() {
  grep -q -F -- "$1" "$tmp/out" && fail "output has '$1' ($2)"
}

page="$fx/tables-and-lists/page.html"
url=$(cat "$fx/tables-and-lists/url")

# --help, --version, usage errors
expect 0 "$bin" --help
has "extract" "--help lists commands"
expect 0 "$bin" --version
has "winnow " "--version"
expect 2 "$bin"
expect 2 "$bin" frobnicate
expect 0 "$bin" extract --help
has "--format" "extract --help"
expect 2 "$bin" extract --format yaml "$page"
expect 2 "$bin" extract --bogus "$page"
expect 2 "$bin" extract "$page" --url "$url"

# text: the body only, no JSON
expect 0 "$bin" extract --format text --url "$url" "$page"
has "The energy price cap will rise by 1.2% on 1 January" "text body"
has "North West England	57.31" "text table row with tab-separated cells"
lacks '"title"' "text is not JSON"
lacks "We use cookies" "text has no boilerplate"

# markdown: title, headings, lists, table, quote
expect 0 "$bin" extract --format markdown --url "$url" "$page"
has "# Energy price cap: what January’s change means in each region" "markdown title"
has "## What is changing" "markdown heading"
has "- the unit rate" "markdown list item"
has "| Region | Standing charge (p/day) |" "markdown table header"
has "| --- |" "markdown table rule"
has "> Households in areas" "markdown quote"

# two formats' record separator: a form feed line between inputs
expect 0 "$bin" extract --format text "$page" "$page"
[ "$(grep -c "$(printf '\f')" "$tmp/out")" = 1 ] || fail "one form feed between two text records"

# stdin, and --url alone applying to stdin
expect 0 sh -c "\"$bin\" extract --url '$url' < '$page'"
has "\"url\":\"$url\"" "--url applies to stdin"
expect 0 sh -c "\"$bin\" extract - < '$page'"
has '"url":null' "stdin without --url"

# --url applies to the next FILE only
expect 0 "$bin" extract --url "$url" "$page" "$page"
[ "$(grep -c "\"url\":\"$url\"" "$tmp/out")" = 1 ] || fail "--url must apply to one FILE"
[ "$(wc -l < "$tmp/out")" = 2 ] || fail "two inputs, two records"

# --charset wins over <meta charset>: bytes 0xE9 read as windows-1252 by
# meta, as UTF-8 (invalid, replaced) when the header says so
printf '<html><head><meta charset="windows-1252"></head><body><p>caf\351 au lait, un caf\351 tr\350s chaud et tr\350s bon pour tout le monde ici.</p></body></html>' > "$tmp/p.html"
expect 0 "$bin" extract --format text "$tmp/p.html"
has "café au lait" "meta charset windows-1252"
expect 0 "$bin" extract --format text --charset utf-8 "$tmp/p.html"
lacks "café" "--charset utf-8 overrides meta"

# gzip input, and a missing file among good ones
gzip -c "$page" > "$tmp/p.html.gz"
expect 1 "$bin" extract "$tmp/p.html.gz" "$tmp/missing.html" "$page"
[ "$(wc -l < "$tmp/out")" = 2 ] || fail "records of readable inputs still written"
grep -q "missing.html" "$tmp/err" || fail "stderr names the missing file"

# the seed page: its site rule applies by default; the generic rules alone
# still cut its self-promotional closing paragraph (kind seo)
seed="$root/demo/sites/www.charente-expo.com/2024/10/guerre-ukraine-soldats-nord-coreens.html"
seed_url=https://www.charente-expo.com/2024/10/guerre-ukraine-soldats-nord-coreens.html
expect 0 "$bin" extract --url "$seed_url" "$seed"
has '"rules":["charente-expo.com"]' "site rule applies"
expect 0 "$bin" extract --no-site-rules --url "$seed_url" "$seed"
has '"rules":[]' "--no-site-rules"
has '{"kind":"seo","text":"Cet écrit a été rendu du mieux possible.' "generic SEO detection on the seed"
lacks '"text":"Selon l’agence du renseignement sud-coréen, la Corée du Nord a décidé d’envoyer jusqu’à 12 000 soldats pour aider la Russie. Quelque 1 500 soldats des forces spéciales nord-coréennes se trouvent déjà en Russie pour s’acclimater et devraient bientôt se rendre sur le front.\n\nSur le même sujet' "related marker not in text"

# --rules with a broken file: exit 2 and the problem on stderr
printf '{"site": "x.org", "hosts": ["x.org"], "bdy": "p"}' > "$tmp/bad.json"
expect 2 "$bin" extract --rules "$tmp/bad.json" "$page"
grep -q "bdy: unknown key" "$tmp/err" || fail "--rules error message"
# --rules adds a site rule that overrides the generic title
printf '{"site": "gridwatch", "hosts": ["*.gridwatch-report.co.uk", "gridwatch-report.co.uk"], "title": "h2"}' > "$tmp/site.json"
expect 0 "$bin" extract --rules "$tmp/site.json" --url "$url" "$page"
has '"title":"What is changing"' "--rules title selector"
has '"rules":["gridwatch"]' "--rules listed"

if [ "$fails" -ne 0 ]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all checks passed"
