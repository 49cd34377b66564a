#!/bin/sh
# robots.txt conformance: run `winnow robots` on every vector of
# conformance/robots/vectors.jsonl (google/robotstxt's assertions as data)
# and on the aux_vectors.jsonl checks that are observable through the CLI.
#
# usage: conformance.sh WINNOW [REPO]
#   WINNOW  the winnow binary
#   REPO    the source tree (default: this script's ../..); the vectors are
#           read from ${WINNOW_SHARED:-REPO/../shared}/conformance/robots,
#           or from the copy in REPO/tests/robots/vectors when that is absent
#
# Prints "plain RFC 9309: N/128 pass; Google-only: M/17 pass" and every
# failure's name. Exit 1 when a plain vector or an aux check fails (the
# Google-only ones are reported only), 2 when the vectors are missing.
set -eu

if [ $# -lt 1 ]; then
  echo "usage: conformance.sh WINNOW [REPO]" >&2
  exit 2
fi
winnow=$1
repo=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
dir=${WINNOW_SHARED:-$repo/../shared}/conformance/robots
if [ ! -f "$dir/vectors.jsonl" ]; then
  # a checkout away from ../shared: the copy kept in the tree
  dir=$repo/tests/robots/vectors
fi
if [ ! -f "$dir/vectors.jsonl" ]; then
  echo "conformance.sh: no vectors at $dir (set WINNOW_SHARED)" >&2
  exit 2
fi
echo "vectors: $dir" 

exec python3 - "$winnow" "$dir" <<'EOF'
import json
import os
import subprocess
import sys
import tempfile

winnow, vdir = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="winnow-robots-")


def run(robots, agent, urls, info=False):
    """Write robots (bytes) to a file, run winnow robots on urls; return
    (exit code, stdout lines)."""
    path = os.path.join(tmp, "robots.txt")
    with open(path, "wb") as f:
        f.write(robots)
    cmd = [winnow, "robots", "--agent", agent, "--robots", path]
    if info:
        cmd.append("--info")
    cmd += ["--"] + urls
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    out = p.stdout.decode("utf-8", "surrogateescape")
    if p.stderr:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
    return p.returncode, out.split("\n")[:-1] if out else []


def verdict(robots, agent, url):
    """True/False for allowed/disallowed, or an error string."""
    rc, lines = run(robots, agent, [url])
    if rc != 0 or len(lines) != 1:
        return "exit %d, output %r" % (rc, lines)
    if lines[0] == "allowed " + url:
        return True
    if lines[0] == "disallowed " + url:
        return False
    return "unexpected output %r" % lines[0]


def robots_bytes(v):
    if "robots_hex" in v:
        return bytes.fromhex(v["robots_hex"])
    return v["robots"].encode("utf-8")


plain = [0, 0]
google = [0, 0]
failures = []
google_failures = []
try:
    with open(os.path.join(vdir, "vectors.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            v = json.loads(line)
            got = verdict(robots_bytes(v), v["agent"], v["url"])
            ok = got is v["allowed"]
            tally = google if v["google_only"] else plain
            tally[1] += 1
            if ok:
                tally[0] += 1
                continue
            what = "%s: want %s, got %s" % (
                v["name"], "allowed" if v["allowed"] else "disallowed",
                got if isinstance(got, str)
                else "allowed" if got else "disallowed")
            if v["google_only"]:
                google_failures.append(what + "  [" + v.get("note", "") + "]")
            else:
                failures.append(what)

    # aux_vectors.jsonl: helper behaviour, checked through what it decides.
    aux = [0, 0]
    star = b"user-agent: *\ndisallow: /\n"
    with open(os.path.join(vdir, "aux_vectors.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            v = json.loads(line)
            kind, name = v["kind"], v["name"]
            checks = []  # (robots, agent, url, want)
            if kind == "valid_user_agent_to_obey":
                # An agent is obeyed when a group naming it exactly applies.
                robots = ("user-agent: %s\ndisallow: /\n" % v["agent"]).encode()
                checks.append((robots, v["agent"], "http://h/x",
                               not v["expected"]))
            elif kind == "path_params_query":
                # "allow: EXPECTED$" beats "disallow: /" only for that path.
                robots = star + ("allow: %s$\n" % v["expected"]).encode()
                checks.append((robots, "FooBot", v["input"], True))
            elif kind == "escape_pattern":
                # The rule written as the input matches the expected escape.
                robots = star + ("allow: /%s$\n" % v["input"]).encode()
                checks.append((robots, "FooBot", "http://h/" + v["expected"],
                               True))
            elif kind == "parse_stats" and "last_line_seen" in v["expected"]:
                # Lines 1-6: foo allows /some/path, bar's "Disallow: /" is
                # on the last line, after two empty ones.
                robots = robots_bytes(v)
                checks.append((robots, "bar", "http://h/x", False))
                checks.append((robots, "foo", "http://h/some/path", True))
            elif kind == "parse_stats":
                # Two valid lines: foo's group allows /AnyValue before the
                # "*" group. One: foo falls under "*" (or "Allow" joins
                # nothing), so /AnyValue is disallowed.
                robots = robots_bytes(v) + b"User-agent: *\nDisallow: /\n"
                checks.append((robots, "foo", "http://h/AnyValue",
                               v["expected"]["valid_directives"] == 2))
            elif kind == "sitemap":
                rc, lines = run(robots_bytes(v), "foo", [], info=True)
                aux[1] += 1
                if rc == 0 and ("sitemap " + v["expected"]) in lines:
                    aux[0] += 1
                else:
                    failures.append("aux %s: want sitemap %s, got %r" %
                                    (name, v["expected"], lines))
                continue
            else:
                failures.append("aux %s: unknown kind %s" % (name, kind))
                continue
            aux[1] += 1
            bad = []
            for robots, agent, url, want in checks:
                got = verdict(robots, agent, url)
                if got is not want:
                    bad.append("%s %r: want %s, got %s" % (
                        agent, url, "allowed" if want else "disallowed",
                        got if isinstance(got, str)
                        else "allowed" if got else "disallowed"))
            if bad:
                failures.append("aux %s: %s" % (name, "; ".join(bad)))
            else:
                aux[0] += 1
finally:
    for name in os.listdir(tmp):
        os.unlink(os.path.join(tmp, name))
    os.rmdir(tmp)

print("plain RFC 9309: %d/%d pass; Google-only: %d/%d pass; aux: %d/%d pass"
      % (plain[0], plain[1], google[0], google[1], aux[0], aux[1]))
for what in failures:
    print("FAIL " + what)
for what in google_failures:
    print("google-only (not required) " + what)
sys.exit(1 if failures or plain[1] == 0 else 0)
EOF
