#!/bin/bash
# Only HTML is extracted: by Content-Type (any case, XHTML too), then by
# sniffing the body when the Content-Type is missing or vague
# (application/octet-stream, text/plain). JSON, PDF, images, CSS, plain
# text and binary bodies get no record, whatever the link looked like;
# the records of HTML pages carry the Content-Type as sent (null when
# there was none).
. "$(dirname "$0")/lib.sh"

# The pages have made-up words: pages that say the same thing look like
# boilerplate to the template learner, which would then empty their text.
python3 - "$T/root/a.test" <<'EOF'
import os, random, sys
d = sys.argv[1]
os.makedirs(d)
def article(title, links=""):
    r = random.Random(title)
    def para():
        return " ".join("".join(r.choice("abcdefghijklmnoprstuvwy")
                                for _ in range(r.randint(3, 9)))
                        for _ in range(50))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<title>%s</title></head><body><nav>%s</nav><article><h1>%s</h1>'
            '<p>%s is the subject of this article. %s.</p><p>%s.</p>'
            '</article></body></html>\n'
            % (title, links, title, title, para(), para())).encode()
def put(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
names = ("typed.html upper.html page.xhtml noct.html bomct.html "
         "commentct.html octet plainhtml.txt data.json doc.pdf pic.png "
         "style.css notes.txt jsonct.html blob noctjson.html "
         "pdfhtml.html").split()
put("index.html", article("Home", " ".join('<a href="/%s">%s</a>' % (n, n)
                                           for n in names)))
put("typed.html", article("Typed page"))
put("upper.html", article("Upper case type"))
put("page.xhtml", article("An XHTML page").replace(
    b'<html lang="en">', b'<html xmlns="http://www.w3.org/1999/xhtml" lang="en">'))
put("noct.html", article("No content type"))
put("bomct.html", b"\xef\xbb\xbf  \n" + article("Byte order mark"))
put("commentct.html", b"<!-- saved from a content system -->\n" +
    article("Comment first"))
put("octet", article("Octet stream"))
put("plainhtml.txt", article("Plain text label"))
put("data.json", '{"title": "Data", "text": "<p>not a page, a JSON document '
    'with a lot of text in it that could look like prose</p>"}')
put("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> "
    b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
put("pic.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0"
    b"\x1f\x15\xc4\x89\0\0\0\x0bIDATx\x9cc\0\1\0\0\x05\0\1\r\n-\xb4\0\0\0\0"
    b"IEND\xaeB`\x82")
put("style.css", "body { color: black; } /* <html> */\n")
put("notes.txt", "Notes about the site.\n\nThese are plain text notes, "
    "several sentences long, which tell a story\nof no importance to anyone "
    "who reads them, and which are not HTML.\n")
put("jsonct.html", article("JSON said the server"))
put("blob", b"\x00\x01\x02binary\xff\xfe junk <html> later\n")
put("noctjson.html", '{"a": [1, 2, 3], "html": "<html><body>no</body></html>"}')
put("pdfhtml.html", article("PDF said the server"))
EOF

server_start '{
  "a.test/upper.html": {"content_type": "TEXT/HTML; Charset=UTF-8"},
  "a.test/noct.html": {"headers": {"Content-Type": null}},
  "a.test/bomct.html": {"headers": {"Content-Type": null}},
  "a.test/commentct.html": {"headers": {"Content-Type": null}},
  "a.test/jsonct.html": {"content_type": "application/json"},
  "a.test/noctjson.html": {"headers": {"Content-Type": null}},
  "a.test/pdfhtml.html": {"content_type": "application/pdf"}
}'
crawl --delay 0 --out "$T/out.jsonl" "$(url a.test /)"
check "exit status" "$rc" 0

pycheck "every linked resource was asked for once" '
paths = sorted(r["path"] for r in LOG if r["path"] not in ("/", "/robots.txt"))
assert len(paths) == len(set(paths)) == 17, paths
'
pycheck "records: the HTML pages, and only them" '
got = sorted(r["url"].split(":%d" % PORT)[1] for r in RECS)
want = sorted(["/", "/typed.html", "/upper.html", "/page.xhtml", "/noct.html",
               "/bomct.html", "/commentct.html", "/octet", "/plainhtml.txt"])
assert got == want, ("missing", sorted(set(want) - set(got)),
                     "extra", sorted(set(got) - set(want)))
'
pycheck "records carry the Content-Type as sent" '
ct = {r["url"].split(":%d" % PORT)[1]: r["content_type"] for r in RECS}
assert ct["/typed.html"] == "text/html; charset=utf-8", ct
assert ct["/upper.html"] == "TEXT/HTML; Charset=UTF-8", ct
assert ct["/page.xhtml"] == "application/xhtml+xml", ct
assert ct["/octet"] == "application/octet-stream", ct
assert ct["/plainhtml.txt"] == "text/plain", ct
assert ct["/noct.html"] is None, ct
'
pycheck "pages typed or sniffed are extracted alike" '
by = {r["url"].split(":%d" % PORT)[1]: r for r in RECS}
for p, title in (("/typed.html", "Typed page"),
                 ("/upper.html", "Upper case type"),
                 ("/page.xhtml", "An XHTML page"),
                 ("/noct.html", "No content type"),
                 ("/bomct.html", "Byte order mark"),
                 ("/commentct.html", "Comment first"),
                 ("/octet", "Octet stream"),
                 ("/plainhtml.txt", "Plain text label")):
    if p in by:
        assert by[p]["title"] == title, (p, by[p]["title"])
        assert by[p]["text"].startswith(title + " is the subject"), (p, by[p]["text"][:60])
'
finish
