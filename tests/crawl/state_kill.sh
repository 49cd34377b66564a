#!/bin/bash
# Crashes at many points, then the same command again until it exits 0:
# the output holds every page of the site exactly once, as valid JSON
# Lines; what the state acknowledged before a crash is never lost, never
# rewritten, and its pages are never fetched again; once the crawl is
# done, crashed and repeated runs change nothing and fetch nothing.
#
# A site of 3 hosts x 40 pages (a tree of links; b.test and c.test are
# found on a page of a.test). Two sequences of crashes, each with its own
# state and output:
#   kill    --delay 0.06: SIGKILL after 1 ms (startup) to 1.5 s, and
#           "w" kills right after the output grew (records written, the
#           state committing them); the last ones land after the end;
#   fsize   --delay 0: a file size limit (ulimit -f) kills the crawler
#           with SIGXFSZ in the middle of the write that crosses it, in
#           the output (a torn record) or in SQLite's files.
# After each crash the state (file and WAL, not the shared memory index)
# and the output are copied aside: the copy of the state says which
# records were acknowledged.
. "$(dirname "$0")/lib.sh"

NPAGES=40
python3 - "$T/root" "$NPAGES" <<'EOF'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
for host in ("a.test", "b.test", "c.test"):
    d = os.path.join(root, host)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "robots.txt"), "w") as f:
        f.write("User-agent: *\nDisallow: /private/\n")
    for i in range(n):
        name = "index.html" if i == 0 else "p%d.html" % i
        links = "".join('<a href="/p%d.html">p%d</a> ' % (k, k)
                        for k in range(4 * i + 1, 4 * i + 5) if k < n)
        if host == "a.test" and i == 2:
            links += ('<a href="http://b.test:{{port}}/">b</a> '
                      '<a href="http://c.test:{{port}}/">c</a>')
        # made-up words: no two pages share a text fingerprint, and no
        # paragraph looks like boilerplate to the template learner
        rnd = random.Random("%s/%d" % (host, i))
        paras = "".join("<p>%s.</p>" % " ".join(
            "".join(rnd.choice("abcdefghijklmnoprstuvwy")
                    for _ in range(rnd.randint(3, 9))) for _ in range(40))
            for _ in range(3))
        title = "%s page %d" % (host, i)
        with open(os.path.join(d, name), "w") as f:
            f.write('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                    '<title>%s</title></head><body><nav>%s</nav><article>'
                    '<h1>%s</h1>%s</article></body></html>\n'
                    % (title, links, title, paras))
EOF

# The write killer: runs the command and SIGKILLs it as soon as the output
# file grows (records written, the state not yet committing them, or in
# the middle of it); exits with the command's status (128 + signal when
# killed).
cat > "$T/wkill.py" <<'EOF'
import os, signal, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
def size():
    try:
        return os.stat(out).st_size
    except FileNotFoundError:
        return 0
before = size()
p = subprocess.Popen(cmd)
while p.poll() is None and size() <= before:
    time.sleep(0.00002)
if p.poll() is None:
    p.send_signal(signal.SIGKILL)
st = p.wait()
sys.exit(128 - st if st < 0 else st)
EOF

server_start
SEED=$(url a.test /)

# run PHASE WHEN [FSIZE_KB]: run the crawl of PHASE (state $T/PHASE.db,
# output $T/PHASE.out), SIGKILLed after WHEN seconds or at its first
# write ("w"), under a file size limit of FSIZE_KB; note the run in
# $T/PHASE.runs (number, start, end, status, when, limit) and, after a
# crash, copy the state and the output to $T/snap-PHASE/NUMBER/. The
# status is in $rc.
run() {
  local ph=$1 when=$2 fsize=${3:-unlimited} f n t0 delay=0
  local cmd=("$WINNOW" crawl --resolve "*.test:$PORT:127.0.0.1"
    --allow-private --state "$T/$ph.db" -q --scope any --out "$T/$ph.out")
  [ "$ph" = kill ] && delay=0.06
  n=$(($(wc -l < "$T/$ph.runs") + 1))
  t0=$EPOCHREALTIME
  if [ "$when" = w ]; then
    python3 "$T/wkill.py" "$T/$ph.out" "${cmd[@]}" --delay "$delay" "$SEED" \
      2>>"$T/crawl.err"
    rc=$?
  else
    # timeout -s KILL exits 137 when it killed, 128 + N when the crawler
    # died of signal N (the shell's report of it is silenced)
    {
      (
        ulimit -c 0
        ulimit -f "$fsize"
        exec timeout -s KILL "$when" "${cmd[@]}" --delay "$delay" "$SEED" \
          2>>"$T/crawl.err"
      )
      rc=$?
    } 2>/dev/null
  fi
  echo "$n $t0 $EPOCHREALTIME $rc $when $fsize" >> "$T/$ph.runs"
  if [ "$rc" -gt 128 ]; then
    mkdir -p "$T/snap-$ph/$n"
    for f in "$ph.db" "$ph.db-wal" "$ph.out"; do
      if [ -e "$T/$f" ]; then cp "$T/$f" "$T/snap-$ph/$n/$f"; fi
    done
  fi
}

# complete PHASE: run until exit 0 (5 tries), then two kills during the
# startup of a finished crawl and a last run; $T/PHASE.done is the output
# at the end, $T/PHASE.end the time it was reached.
complete() {
  local tries=0
  rc=1
  while [ "$rc" != 0 ] && [ "$tries" -lt 5 ]; do
    run "$1" 60
    tries=$((tries + 1))
  done
  check "$1: the repeated command ends with exit 0" "$rc" 0
  touch "$T/$1.out"
  cp "$T/$1.out" "$T/$1.done"
  date +%s.%N > "$T/$1.end"
  run "$1" 0.005
  run "$1" 0.03
  run "$1" 60
  check "$1: a run after the end exits 0" "$rc" 0
}

# Batches are committed every 0.5 s: kills before that redo the run, later
# kills land at different points of the batch cycle.
: > "$T/kill.runs"
for k in 0.001 0.005 0.02 0.05 0.1 0.2 0.35 0.5 w 0.53 0.56 0.6 w 0.7 0.85 w \
  1.0 w 1.5; do
  run kill "$k"
done
complete kill

# Limits from inside SQLite's first writes to past the first batch of
# records (64 pages, about 160 KB): some runs die in the state, some in
# the output; runs under a limit the files already pass die at once.
: > "$T/fsize.runs"
for kb in 16 32 40 48 64 96 128 160 200 240 280 320; do
  run fsize 60 "$kb"
done
complete fsize
server_stop

# check_phase PHASE STATUS: the checks of one sequence of crashes whose
# crashed runs exit with STATUS (137 SIGKILL, 153 SIGXFSZ).
check_phase() {
  local pre="ph = '$1'; crash = '$2'; npages = $NPAGES"

  pycheck "$1: runs crashed at different points" "$pre"'
runs = [l.split() for l in open(T + "/" + ph + ".runs")]
crashed = [r for r in runs if r[3] == crash]
assert len(crashed) >= 8, runs
bad = [r for r in runs if r[3] not in ("0", "137", crash)]
assert not bad, (bad, open(T + "/crawl.err").read()[-2000:])
'

  pycheck "$1: final output is valid JSON Lines, every page exactly once" "$pre"'
import collections
raw = open(T + "/" + ph + ".out", "rb").read()
assert raw.endswith(b"\n"), "no newline at the end: %r" % raw[-80:]
urls = []
for n, line in enumerate(raw.split(b"\n")[:-1]):
    try:
        urls.append(json.loads(line)["url"])
    except Exception:
        raise AssertionError("line %d is not one record: %r ... %r"
                             % (n + 1, line[:60], line[-60:])) from None
want = set()
for h in ("a.test", "b.test", "c.test"):
    want.add("http://%s:%d/" % (h, PORT))
    want.update("http://%s:%d/p%d.html" % (h, PORT, i) for i in range(1, npages))
twice = sorted(u for u, c in collections.Counter(urls).items() if c > 1)
assert not twice, ("%d records, %d written twice" % (len(urls), len(twice)), twice[:6])
assert set(urls) == want, ("missing", sorted(want - set(urls))[:6],
                           "extra", sorted(set(urls) - want)[:6])
'

  pycheck "$1: after each crash, acknowledged records are kept verbatim, none lost, their pages not fetched again" "$pre"'
import sqlite3, urllib.parse
final = open(T + "/" + ph + ".out", "rb").read()
runs = [l.split() for l in open(T + "/" + ph + ".runs")]
mine = [r for r in LOG if any(float(a) <= r["t_start"] <= float(b)
                              for _, a, b, *_ in runs)]
problems = []
for n, t0, t1, st, *_ in runs:
    snap = "%s/snap-%s/%s/" % (T, ph, n)
    if st != crash or not os.path.exists(snap + ph + ".db"):
        continue
    db = sqlite3.connect(snap + ph + ".db")
    try:
        acked = [v for k, v in db.execute("SELECT key, value FROM meta")
                 if k.startswith("out:")]
        done = {u for (u,) in db.execute("SELECT url FROM urls WHERE state = 1 "
                                         "AND kind = 0 AND status = 200")}
    except sqlite3.OperationalError:
        acked, done = [], set()  # died before the schema was committed
    db.close()
    acked = int(acked[0]) if acked else 0
    try:
        out = open(snap + ph + ".out", "rb").read()
    except FileNotFoundError:
        out = b""
    if len(out) < acked:
        problems.append("run %s: output (%d bytes) shorter than acknowledged (%d)"
                        % (n, len(out), acked))
        continue
    if final[:acked] != out[:acked]:
        problems.append("run %s: the %d acknowledged bytes changed later" % (n, acked))
        continue
    if acked and not out[:acked].endswith(b"\n"):
        problems.append("run %s: acknowledged size %d is inside a line" % (n, acked))
        continue
    recs = {json.loads(l)["url"] for l in out[:acked].split(b"\n") if l}
    lost = sorted(done - recs)
    if lost:
        problems.append("run %s: pages done in the state, no acknowledged record: %s"
                        % (n, lost[:4]))
    for u in sorted(recs):
        p = urllib.parse.urlsplit(u)
        again = [r for r in mine if r["host"] == p.hostname and r["path"] == p.path
                 and r["t_start"] > float(t1)]
        if again:
            problems.append("run %s: %s acknowledged, fetched again %d times"
                            % (n, u, len(again)))
assert not problems, problems[:10]
'

  pycheck "$1: no page fetched twice within one run" "$pre"'
import collections
for n, t0, t1, *_ in (l.split() for l in open(T + "/" + ph + ".runs")):
    c = collections.Counter((r["host"], r["path"]) for r in LOG
                            if float(t0) <= r["t_start"] <= float(t1)
                            and r["status"] == 200)
    twice = [k for k, v in c.items() if v > 1]
    assert not twice, (n, twice)
'

  pycheck "$1: after the end, nothing fetched and the output unchanged" "$pre"'
end = float(open(T + "/" + ph + ".end").read())
runs = [l.split() for l in open(T + "/" + ph + ".runs")]
late = [(r["host"], r["path"]) for r in LOG if r["t_start"] > end and
        any(float(t0) <= r["t_start"] <= float(t1) for _, t0, t1, *_ in runs)]
assert not late, late
assert open(T + "/" + ph + ".out", "rb").read() == open(T + "/" + ph + ".done", "rb").read()
'
}

check_phase kill 137
check_phase fsize 153
finish
