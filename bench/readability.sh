#!/usr/bin/env bash
# Article-body accuracy of `winnow extract` on Mozilla Readability's test
# pages (../shared/bench/readability; read its SOURCE.md: the truth is
# Readability's own output, and 31 of the 122 pages are hand-made fixtures).
# Prints scores for all pages and for the 91 real pages.
#
#   bench/readability.sh [--work DIR] [--per-page TSV] [--json] [--no-url]
#
# Same options and environment as bench/aeb.sh (page ids are the file
# names up to the first dot; URLs come from ground-truth.json's url field).
exec "$(dirname "${BASH_SOURCE[0]}")/aeb.sh" --set readability "$@"
