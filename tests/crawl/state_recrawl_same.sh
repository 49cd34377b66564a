#!/bin/bash
# Pages served again byte for byte, without validators (so every recrawl
# gets a 200 and extracts them again), write no new record, whatever the
# crawler learned meanwhile: the pages are alike (their words come from
# one small vocabulary), so the template counts kept in the state grow
# from run to run and change what the extraction keeps of them.
. "$(dirname "$0")/lib.sh"

python3 - "$T/root/a.test" <<'EOF'
import os, random, sys
d = sys.argv[1]
os.makedirs(d)
w = ("river stone copper lantern harbor meadow falcon orchard violet ember "
     "glacier thunder saddle prism cobalt juniper quartz willow canyon ferry "
     "marble pepper summit tundra velvet walnut zephyr anchor basalt").split()
def para(seed):
    r = random.Random(seed)
    return " ".join(r.choice(w) for _ in range(60))
names = ["p%d.html" % i for i in range(8)]
with open(os.path.join(d, "index.html"), "w") as f:
    f.write('<!DOCTYPE html><html><head><title>Index</title></head><body>%s'
            '</body></html>\n' % " ".join('<a href="/%s">%s</a>' % (n, n)
                                          for n in names))
for n in names:
    with open(os.path.join(d, n), "w") as f:
        f.write('<!DOCTYPE html><html><head><title>%s</title></head><body>'
                '<article><h1>%s</h1><p>%s.</p><p>%s.</p><p>%s.</p></article>'
                '</body></html>\n' % (n, n, para(n + "1"), para(n + "2"),
                                      para(n + "3")))
EOF
server_start '{"a.test/*": {"headers": {"ETag": null, "Last-Modified": null}}}'

crawl --delay 0 --out "$T/out.jsonl" "$(url a.test /)"
check "first run: exit status" "$rc" 0
first=$(wc -l < "$T/out.jsonl")
check "first run: a record per page" "$first" 9
for n in 2 3 4; do
  crawl --delay 0 --recrawl-after 0 --out "$T/out.jsonl" "$(url a.test /)"
  check "recrawl $n: exit status" "$rc" 0
done
pycheck "every page fetched 4 times, always the same bytes" '
import collections
c = collections.Counter((r["path"], r["status"], r["bytes"]) for r in LOG
                        if r["path"] != "/robots.txt")
assert len(c) == 9 and set(c.values()) == {4}, c
'
pycheck "no record after the first run" '
new = RECS['"$first"':]
assert not new, ["%s (text of %d chars)" % (r["url"], len(r["text"])) for r in new]
'
finish
