# Sourced by bench/crawl.sh and bench/soak_kill.sh: the paths of the
# shared crawl fixture (../shared/bench/crawl) and `fixture DIR PORT
# [gen_site options]`, which generates a site once and serves it with
# nginx; the servers it started are stopped when the script exits.
#
# Environment: WINNOW_BIN (default <repo>/build/winnow), WINNOW_SHARED
# (default <repo>/../shared), WINNOW_BENCH_DIR (default /tmp/winnow-bench),
# PORT (8080).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || dirname "$here")
shared=${WINNOW_SHARED:-$root/../shared}
bin=${WINNOW_BIN:-$root/build/winnow}
work=${WINNOW_BENCH_DIR:-/tmp/winnow-bench}/crawl
port=${PORT:-8080}
harness=$shared/bench/crawl

started=()
fixture_cleanup() {
  local s
  for s in "${started[@]}"; do "$harness/serve.sh" stop $s >/dev/null || true; done
}
trap fixture_cleanup EXIT

# fixture DIR PORT [gen_site options]: generate (once) and serve.
fixture() {
  local dir=$1 p=$2
  shift 2
  mkdir -p "$work"
  if [ ! -f "$dir/manifest.json" ] || ! grep -q ":$p/" "$dir/seeds.txt" 2>/dev/null; then
    rm -rf "$dir"
    python3 "$harness/gen_site.py" --out "$dir" --port "$p" "$@" >/dev/null
  fi
  if ! "$harness/serve.sh" status "$dir" "$p" >/dev/null 2>&1; then
    "$harness/serve.sh" start "$dir" "$p" >/dev/null
    started+=("$dir $p")
  fi
}
