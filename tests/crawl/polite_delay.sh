#!/bin/bash
# Gaps between request starts on one host: Crawl-delay wins over a
# smaller --delay (from the robots.txt request on), is capped by
# --max-delay, and another agent's Crawl-delay is not ours; a slow host
# gets gaps of twice its (smoothed) response time (crawl_host_gap in crawler/hosts.c);
# --per-host N allows N requests in flight on a host, no more; a slow
# host does not hold up the others (their requests go on meanwhile).
. "$(dirname "$0")/lib.sh"

time_limit 30

# site HOST N: a home page linking to /p1.html ... /pN.html
site() {
  local links="" k
  for k in $(seq "$2"); do
    links="$links <a href=\"/p$k.html\">p$k</a>"
    article "$1 page $k" '<a href="/">home</a>' | page "$1" "/p$k.html"
  done
  article "$1 home" "$links" | page "$1" /index.html
}

# ---- Crawl-delay, its cap, another agent's; slow answers ---------------------
site a.test 3
printf 'User-agent: *\nCrawl-delay: 0.4\n' | page a.test /robots.txt
site b.test 2
printf 'User-agent: winnow\nCrawl-delay: 10\nDisallow: /nothing/\n' | page b.test /robots.txt
site c.test 3
printf 'User-agent: otherbot\nCrawl-delay: 5\n\nUser-agent: *\nDisallow: /nothing/\n' | page c.test /robots.txt
site s.test 5
restart '{"s.test/p*": {"delay": 0.3}, "s.test/": {"delay": 0.3}}'
crawl --delay 0.1 --max-delay 0.8 --out "$T/out.jsonl" \
  "$(url a.test /)" "$(url b.test /)" "$(url c.test /)" "$(url s.test /)"
check "delays: exit status" "$rc" 0
pycheck "delays: every page fetched" '
for h, n in (("a.test", 3), ("b.test", 2), ("c.test", 3), ("s.test", 5)):
    assert len(reqs(h)) == n + 2, (h, sorted(r["path"] for r in reqs(h)))
'
pycheck "Crawl-delay larger than --delay: gaps between pages >= Crawl-delay" "$GAPS"'
gaps_ok([r for r in reqs("a.test") if r["path"] != "/robots.txt"], 0.4)
'
pycheck "Crawl-delay: the first page waits Crawl-delay after robots.txt" "$GAPS"'
for h, cd in (("a.test", 0.4), ("b.test", 0.8)):
    rs = sorted(reqs(h), key=lambda r: r["t_start"])
    assert rs[0]["path"] == "/robots.txt", rs[0]
    g = rs[1]["t_start"] - rs[0]["t_start"]
    assert g >= cd - tol(rs[0]), (h, round(g, 3))
'
pycheck "Crawl-delay over --max-delay: capped (gaps >= 0.8 s, far below 10 s)" "$GAPS"'
rs = [r for r in reqs("b.test") if r["path"] != "/robots.txt"]
gaps_ok(rs, 0.8)
assert all(g < 4 for _, g in gaps(rs)), [round(g, 3) for _, g in gaps(rs)]
'
pycheck "the Crawl-delay of another agent is not ours" "$GAPS"'
gaps_ok(reqs("c.test"), 0.1)
assert all(g < 3 for _, g in gaps(reqs("c.test"))), [round(g, 3) for _, g in gaps(reqs("c.test"))]
'
pycheck "slow host: gap >= max(--delay, 2 x smoothed latency) (host_gap)" "$GAPS"'
rs = sorted(reqs("s.test"), key=lambda r: r["t_start"])
assert all(r["t_end"] - r["t_start"] >= 0.3 for r in rs if r["path"] != "/robots.txt")
# replay the rule: the smoothed latency of the page answers that had come
# back when a request started (the server sees a little less than the
# crawler does, so this is a lower bound of what the crawler knew)
wide = 0
for i, r in enumerate(rs[:-1]):
    lat = 0.0
    for d in sorted((x for x in rs if x["path"] != "/robots.txt" and x["t_end"] <= r["t_start"]),
                    key=lambda x: x["t_end"]):
        dt = d["t_end"] - d["t_start"]
        lat = 0.7 * lat + 0.3 * dt if lat > 0 else dt
    want = 0.1
    if lat > 0.1:
        want = max(want, min(2 * lat, 0.8))
    g = rs[i + 1]["t_start"] - r["t_start"]
    assert g >= want - tol(r), (r["path"], round(g, 3), round(want, 3))
    wide += g >= 0.6 - tol(r)
assert wide >= 3, ("gaps did not grow with the latency", wide)
'

# ---- --per-host; a slow host does not stall the others -----------------------
site p.test 10
site slow.test 1
site fast.test 4
# --max-delay caps the gap that the slow answers of p.test would get
restart '{"p.test/p*": {"delay": 0.3}, "slow.test/": {"delay": 1.5}}'
crawl --delay 0.05 --max-delay 0.05 --per-host 2 --out "$T/out.jsonl" \
  "$(url p.test /)" "$(url slow.test /)" "$(url fast.test /)"
check "per-host: exit status" "$rc" 0
pycheck "per-host 2: at most 2 requests (connections) in flight, and 2 reached" '
rs = reqs("p.test")
assert len(rs) == 12, len(rs)
most = 0
for r in rs:
    t = r["t_start"]
    live = [x for x in rs if x["t_start"] <= t < x["t_end"]]
    conns = {x["conn"] for x in live}
    assert len(live) <= 2 and len(conns) <= 2, [(x["path"], x["conn"]) for x in live]
    most = max(most, len(live))
assert most == 2, most
'
pycheck "per-host 2: robots.txt answered before the first page goes out" '
rs = sorted(reqs("p.test"), key=lambda r: r["t_start"])
assert rs[0]["path"] == "/robots.txt" and rs[0]["t_end"] <= rs[1]["t_start"], [r["path"] for r in rs[:2]]
'
pycheck "per-host 2: starts still >= --delay apart" "$GAPS"'
gaps_ok(reqs("p.test"), 0.05)
'
pycheck "a slow host does not stall the others: fast.test crawled meanwhile" '
slow = [r for r in reqs("slow.test", "/")]
assert len(slow) == 1 and slow[0]["t_end"] - slow[0]["t_start"] >= 1.5, slow
s0, s1 = slow[0]["t_start"], slow[0]["t_end"]
fast = reqs("fast.test")
assert len(fast) == 6, len(fast)
during = [r["path"] for r in fast if s0 < r["t_start"] < s1]
assert len(during) >= 3, (during, sorted(r["path"] for r in fast))
'
finish
