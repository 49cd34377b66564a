#!/bin/sh
# `winnow rules learn` on four pages of one site: the suggestion names the
# body container, carries the disclaimer the pages repeat as a template
# pattern, and is itself a valid rule file.
set -u
bin=$1
dir=$2
out=$(mktemp --suffix=.json)
trap 'rm -f "$out"' EXIT
cd "$dir" || exit 1
if ! "$bin" rules learn --host www.copperleaf-money.com page-1.html \
    page-2.html page-3.html page-4.html >"$out"; then
  echo "FAIL: rules learn exited non-zero"
  exit 1
fi
for want in '"body": "section.gh-content"' '"kind": "template"' \
    '^Important: the information in this article is general'; do
  if ! grep -q -F -- "$want" "$out"; then
    echo "FAIL: suggestion lacks $want:"
    cat "$out"
    exit 1
  fi
done
# every page's own opening paragraph is not a template
if grep -q -F 'Households that pay for gas and electricity' "$out"; then
  echo "FAIL: a page's own text was learned as a template"
  exit 1
fi
"$bin" rules check "$out" || exit 1
# usage errors
"$bin" rules learn page-1.html >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: learn without --host must exit 2"; exit 1; }
"$bin" rules nope >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: unknown rules command must exit 2"; exit 1; }
echo "ok"
