#!/bin/bash
# robots.txt that cannot be had (RFC 9309 2.3.1): a 5xx, a timeout or a
# network error means everything is disallowed; it is asked again later
# (with back-off) and the host's pages wait for it; a host whose
# robots.txt keeps failing is parked for the run and its pages are done
# by a later run. Redirects of robots.txt: five are followed (also to
# another host, the rules applying to the first), more are not, and
# the hops keep the host's delay.
. "$(dirname "$0")/lib.sh"

time_limit 30

# site HOST: a home page linking to /ok.html and /secret/s.html
site() {
  article "$1 home" '<a href="/ok.html">ok</a> <a href="/secret/s.html">secret</a>' | page "$1" /index.html
  article "$1 ok" | page "$1" /ok.html
  article "$1 secret" | page "$1" /secret/s.html
}
for h in e.test f.test g.test h.test i.test j.test k.test; do site "$h"; done
printf 'User-agent: *\nDisallow: /secret/\n' | page e.test /robots.txt
printf 'User-agent: *\nDisallow: /secret/\n' | page f.test /robots.txt
printf 'User-agent: *\nDisallow: /secret/\n' | page i.test /robots-final.txt
printf 'User-agent: *\nDisallow: /\n' | page j.test /robots-final.txt
printf 'User-agent: *\nDisallow: /secret/\n' | page l.test /robots.txt

# ---- 5xx then 200; redirects ------------------------------------------------
restart '{
  "e.test/robots.txt": {"status": 500, "times": 2},
  "i.test/robots.txt": {"redirect": "/r1"},
  "i.test/r1": {"redirect": "/r2", "redirect_status": 301},
  "i.test/r2": {"redirect": "/r3", "redirect_status": 307},
  "i.test/r3": {"redirect": "/r4", "redirect_status": 308},
  "i.test/r4": {"redirect": "/robots-final.txt"},
  "j.test/robots.txt": {"redirect": "/r1"},
  "j.test/r1": {"redirect": "/r2"},
  "j.test/r2": {"redirect": "/r3"},
  "j.test/r3": {"redirect": "/r4"},
  "j.test/r4": {"redirect": "/r5"},
  "j.test/r5": {"redirect": "/robots-final.txt"},
  "k.test/robots.txt": {"redirect": "http://l.test:{{port}}/robots.txt", "redirect_status": 301}
}'
crawl --delay 0.3 --max-delay 0.6 --out "$T/out.jsonl" \
  "$(url e.test /)" "$(url i.test /)" "$(url j.test /)" "$(url k.test /)"
check "5xx/redirects: exit status" "$rc" 0
pycheck "5xx: robots.txt asked again with back-off, pages only after a 200" "$GAPS"'
rob = sorted(reqs("e.test", "/robots.txt"), key=lambda r: r["t_start"])
assert [r["status"] for r in rob] == [500, 500, 200], [r["status"] for r in rob]
# back-off after an error: min(--max-delay, max(1, --delay) * 2^(errors-1))
gaps_ok(rob, 0.6)
pages = [r for r in reqs("e.test") if r["path"] != "/robots.txt"]
assert pages and min(r["t_start"] for r in pages) >= rob[-1]["t_end"], "a page before robots.txt was had"
assert sorted(r["path"] for r in pages) == ["/", "/ok.html"], sorted(r["path"] for r in pages)
'
pycheck "redirects: five hops followed, the rules of where they lead apply" '
got = [r["path"] for r in sorted(reqs("i.test"), key=lambda r: r["t_start"])]
assert got[:6] == ["/robots.txt", "/r1", "/r2", "/r3", "/r4", "/robots-final.txt"], got
assert sorted(got[6:]) == ["/", "/ok.html"], got
'
pycheck "redirects: a sixth hop is not followed (robots.txt unavailable: no rules)" '
got = [r["path"] for r in sorted(reqs("j.test"), key=lambda r: r["t_start"])]
assert "/robots-final.txt" not in got, got
assert got[:6] == ["/robots.txt", "/r1", "/r2", "/r3", "/r4", "/r5"], got
assert sorted(got[6:]) == ["/", "/ok.html", "/secret/s.html"], got
'
pycheck "redirects: to another host, whose file rules the first host" '
got = [r["path"] for r in sorted(reqs("k.test"), key=lambda r: r["t_start"])]
assert got[0] == "/robots.txt", got
assert sorted(got[1:]) == ["/", "/ok.html"], got
l = reqs("l.test")
assert [r["path"] for r in l] == ["/robots.txt"], l
assert l[0]["t_end"] <= min(r["t_start"] for r in reqs("k.test") if r["path"] != "/robots.txt")
'
pycheck "redirects: the hops on one host keep its delay" "$GAPS"'
for h in ("i.test", "j.test"):
    gaps_ok(reqs(h), 0.3)
'

# ---- 5xx for the whole run: parked, the pages wait for a later run ---------
restart '{"f.test/robots.txt": {"status": 503, "times": 8}}'
crawl --delay 0.1 --max-delay 0.2 --out "$T/out.jsonl" "$(url f.test /)"
# exit 1: the host was parked with its pages left for a later run
check "5xx all run: the crawl ends (exit status)" "$rc" 1
pycheck "5xx all run: asked PARK_ERRORS (8) times, no page fetched" '
paths = [r["path"] for r in LOG]
assert set(paths) == {"/robots.txt"}, paths
assert len(paths) == 8, len(paths)
assert all(r["status"] == 503 for r in LOG), [r["status"] for r in LOG]
'
n1=$(wc -l < "$T/log.jsonl")
crawl --delay 0.1 --max-delay 0.2 --out "$T/out.jsonl" "$(url f.test /)"
check "5xx all run: exit status of the next run" "$rc" 0
pycheck "5xx all run: the next run asks again, then fetches the pages" "
run2 = sorted(LOG[$n1:], key=lambda r: r['t_start'])
assert run2 and run2[0]['path'] == '/robots.txt' and run2[0]['status'] == 200, run2[:1]
assert sorted(r['path'] for r in run2[1:]) == ['/', '/ok.html'], [r['path'] for r in run2]
"

# ---- timeouts and resets: disallowed, parked after 3 -----------------------
restart '{
  "g.test/robots.txt": {"hang": true},
  "h.test/robots.txt": {"reset": true}
}'
crawl --delay 0.1 --max-delay 0.2 --timeout 1 --out "$T/out.jsonl" \
  "$(url g.test /)" "$(url h.test /)"
check "timeout/reset: the crawl ends (exit status)" "$rc" 1
server_stop
pycheck "timeout/reset: robots.txt asked 3 times (PARK_NET_ERRORS), no page" '
for h, err in (("g.test", "hang"), ("h.test", "reset")):
    rs = reqs(h)
    assert {r["path"] for r in rs} == {"/robots.txt"}, (h, [r["path"] for r in rs])
    assert len(rs) == 3, (h, len(rs))
    assert all((r["error"] or "").startswith(err) for r in rs), (h, [r["error"] for r in rs])
'
pycheck "timeout: each attempt waited --timeout" '
for r in reqs("g.test"):
    assert r["t_end"] - r["t_start"] >= 1 - 0.05, r
'
finish
