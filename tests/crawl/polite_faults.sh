#!/bin/bash
# Faults: connection resets and hangs (--timeout) are retried a bounded
# number of times (MAX_TRIES, 3 attempts), then the URL fails (exit
# status 1); one reset or hang is forgiven; redirect chains are followed
# up to MAX_REDIRECTS (5) hops, longer ones fail; redirect loops end and
# fail; a redirect to another host goes through that host's robots.txt
# (a disallowed target is not fetched).
. "$(dirname "$0")/lib.sh"

time_limit 30

# site HOST PATH...: a home page linking to the paths
site() {
  local h=$1 links="" p
  shift
  for p in "$@"; do links="$links <a href=\"$p\">$p</a>"; done
  article "$h home" "$links" | page "$h" /index.html
}

site a.test /reset.html /a1.html
article "a reset" | page a.test /reset.html
article "a one" | page a.test /a1.html
site b.test /reset1.html /cut.html
article "b reset once" | page b.test /reset1.html
article "b cut" | page b.test /cut.html
site d.test /hang.html /d1.html
article "d hang" | page d.test /hang.html
article "d one" | page d.test /d1.html
site e.test /hang1.html
article "e hang once" | page e.test /hang1.html
site f.test /loop-a /self
site g.test /c1 /ok1
article "g end" | page g.test /end.html
printf 'User-agent: *\nDisallow: /secret/\n' | page i.test /robots.txt
article "i secret" | page i.test /secret/x.html
article "i ok" | page i.test /ok.html

fault_json='{
  "a.test/reset.html": {"reset": true},
  "b.test/reset1.html": {"reset": true, "times": 1},
  "b.test/cut.html": {"reset": true, "reset_after_bytes": 100, "times": 1},
  "d.test/hang.html": {"hang": true},
  "e.test/hang1.html": {"hang": true, "times": 1},
  "f.test/loop-a": {"redirect": "/loop-b"},
  "f.test/loop-b": {"redirect": "http://f.test:{{port}}/loop-a", "redirect_status": 301},
  "f.test/self": {"redirect": "/self", "redirect_status": 307},'
for k in 1 2 3 4 5 6 7; do
  fault_json="$fault_json \"g.test/c$k\": {\"redirect\": \"/c$((k + 1))\"},"
done
for k in 1 2 3 4; do
  fault_json="$fault_json \"g.test/ok$k\": {\"redirect\": \"/ok$((k + 1))\", \"redirect_status\": 301},"
done
fault_json="$fault_json"' "g.test/ok5": {"redirect": "/end.html"},
  "g.test/c8": {"redirect": "/end.html"},
  "h.test/moved": {"redirect": "http://i.test:{{port}}/secret/x.html", "redirect_status": 301},
  "h.test/moved2": {"redirect": "http://i.test:{{port}}/ok.html", "redirect_status": 308}
}'
server_start "$fault_json"
crawl --delay 0.1 --max-delay 0.3 --timeout 1 --out "$T/out.jsonl" \
  --stats "$T/stats.json" \
  "$(url a.test /)" "$(url b.test /)" "$(url d.test /)" "$(url e.test /)" \
  "$(url f.test /)" "$(url g.test /)" "$(url h.test /moved)" \
  "$(url h.test /moved2)"
check "faults: exit status (some URLs failed)" "$rc" 1
server_stop
pycheck "reset: 3 attempts, then the URL fails; the rest of the host is done" '
rs = reqs("a.test", "/reset.html")
assert len(rs) == 3 and all(r["error"] == "reset" for r in rs), [r["error"] for r in rs]
assert sorted(r["path"] for r in reqs("a.test")) == ["/", "/a1.html", "/reset.html", "/reset.html", "/reset.html", "/robots.txt"]
assert not any(r["url"].endswith("/reset.html") for r in RECS)
'
pycheck "reset, hang: the retries keep the delay (>= 0.1 s between starts)" "$GAPS"'
for h in ("a.test", "b.test", "d.test", "e.test"):
    gaps_ok(reqs(h), 0.1)
'
pycheck "reset once, cut once: retried, then recorded" '
for p in ("/reset1.html", "/cut.html"):
    rs = sorted(reqs("b.test", p), key=lambda r: r["t_start"])
    assert [r["status"] for r in rs][-1:] == [200] and len(rs) == 2, (p, [(r["status"], r["error"]) for r in rs])
    assert any(r["url"].endswith(p) for r in RECS), p
'
pycheck "hang: 3 attempts of --timeout (1 s) each, then the URL fails" '
rs = reqs("d.test", "/hang.html")
assert len(rs) == 3, len(rs)
for r in rs:
    assert r["status"] == 0 and r["t_end"] - r["t_start"] >= 1 - 0.05, r
assert sorted(r["path"] for r in reqs("d.test") if r["path"] != "/hang.html") == ["/", "/d1.html", "/robots.txt"]
assert not any(r["url"].endswith("/hang.html") for r in RECS)
'
pycheck "hang once: retried, then recorded" '
rs = sorted(reqs("e.test", "/hang1.html"), key=lambda r: r["t_start"])
assert [r["status"] for r in rs] == [0, 200], [r["status"] for r in rs]
assert any(r["url"].endswith("/hang1.html") for r in RECS)
'
pycheck "redirect loops end: few requests, no record" '
for p in ("/loop-a", "/loop-b", "/self"):
    n = len(reqs("f.test", p))
    assert 1 <= n <= 6, (p, n)
assert not [r for r in RECS if "f.test" in r["url"] and not r["url"].endswith(":%d/" % PORT)]
'
pycheck "redirect loops fail (counted as failed URLs)" '
s = json.load(open(T + "/stats.json"))
# reset.html, hang.html, /c1 (too many hops), /loop-a and /self
assert s["failed"] >= 5, s
'
pycheck "redirect chain: MAX_REDIRECTS (5) hops followed, then the URL fails" '
got = {r["path"] for r in reqs("g.test")}
assert {"/c1", "/c2", "/c3", "/c4", "/c5", "/c6"} <= got, sorted(got)
assert "/c7" not in got, sorted(got)
assert not any(r["url"].endswith("/c1") for r in RECS)
'
pycheck "redirect chain of 5: followed; the record names the first URL" '
got = [r["path"] for r in sorted(reqs("g.test"), key=lambda r: r["t_start"])]
chain = [p for p in got if p.startswith("/ok") or p == "/end.html"]
assert chain == ["/ok1", "/ok2", "/ok3", "/ok4", "/ok5", "/end.html"], chain
rec = [r for r in RECS if r["url"].endswith("/ok1")]
assert len(rec) == 1 and rec[0]["final_url"].endswith("/end.html"), rec
'
pycheck "redirect to another host: its robots.txt first, a disallowed target not fetched" '
rs = sorted(reqs("i.test"), key=lambda r: r["t_start"])
assert [r["path"] for r in rs] == ["/robots.txt", "/ok.html"], [r["path"] for r in rs]
assert sorted(r["path"] for r in reqs("h.test")) == ["/moved", "/moved2", "/robots.txt"]
s = json.load(open(T + "/stats.json"))
assert s["skipped_robots"] == 1, s
'
finish
