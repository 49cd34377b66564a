#!/bin/bash
# Pages in legacy encodings give correct UTF-8 records: windows-1252 named
# by the Content-Type, by the label iso-8859-1 (which means windows-1252,
# so 0x80 is the euro sign), by <meta charset> only, by <meta http-equiv>
# only; the Content-Type beats a contradicting <meta>; Shift_JIS by
# <meta>; UTF-16 with its BOM; a UTF-8 BOM beats the Content-Type. The
# test server re-encodes the UTF-8 files (fault charset_bytes).
. "$(dirname "$0")/lib.sh"

# FR, JA: the words every page must give back (one title, one paragraph)
python3 - "$T/root/a.test" <<'EOF'
import os, random, sys
d = sys.argv[1]
os.makedirs(d)
FR = "Café crème, naïve façade, œuvre à 5 € — «déjà vu» “cité” ‘Noël’ … Ÿ"
JA = "日本語のページです。東京の天気は晴れ。"
def page(name, title, head, text):
    r = random.Random(name)
    words = " ".join("".join(r.choice("abcdefghijklmnoprstuvwy")
                             for _ in range(r.randint(3, 9))) for _ in range(60))
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html><head>%s<title>%s</title></head><body>'
                '<article><h1>%s</h1><p>%s %s.</p><p>%s.</p></article>'
                '</body></html>\n' % (head, title, title, text, words, words[::-1]))
names = ["w1252.html", "latin1label.html", "meta.html", "httpequiv.html",
         "conflict.html", "sjis.html", "utf16.html", "bom.html"]
with open(os.path.join(d, "index.html"), "w") as f:
    f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Index'
            '</title></head><body>%s</body></html>\n'
            % " ".join('<a href="/%s">%s</a>' % (n, n) for n in names))
page("w1252.html", "Crème brûlée", "", FR)
page("latin1label.html", "Crème brûlée 2", "", FR)
page("meta.html", "Crème brûlée 3", '<meta charset="windows-1252">', FR)
page("httpequiv.html", "Crème brûlée 4",
     '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', FR)
page("conflict.html", "Crème brûlée 5", '<meta charset="utf-8">', FR)
page("sjis.html", "日本語", '<meta charset="shift_jis">', JA)
page("utf16.html", "Crème brûlée 6", "", FR + " " + JA)
page("bom.html", "Crème brûlée 7", "", FR)
with open(os.path.join(d, "bom.html"), "rb+") as f:
    b = f.read()
    f.seek(0)
    f.write(b"\xef\xbb\xbf" + b)
EOF

server_start '{
  "a.test/w1252.html": {"charset_bytes": "windows-1252"},
  "a.test/latin1label.html": {"charset_bytes": "windows-1252",
                              "content_type": "text/html; charset=iso-8859-1"},
  "a.test/meta.html": {"charset_bytes": "windows-1252", "content_type": "text/html"},
  "a.test/httpequiv.html": {"charset_bytes": "windows-1252", "content_type": "text/html"},
  "a.test/conflict.html": {"charset_bytes": "windows-1252"},
  "a.test/sjis.html": {"charset_bytes": "shift_jis", "content_type": "text/html"},
  "a.test/utf16.html": {"charset_bytes": "utf-16"},
  "a.test/bom.html": {"content_type": "text/html; charset=windows-1252"}
}'
crawl --delay 0 --out "$T/out.jsonl" "$(url a.test /)"
check "exit status" "$rc" 0

pycheck "the pages were served in their encodings" '
for p in ("/w1252.html", "/meta.html", "/sjis.html", "/utf16.html"):
    r = reqs("a.test", p)
    assert len(r) == 1 and r[0]["status"] == 200 and r[0]["fault"], (p, r)
'
pycheck "the records are valid UTF-8 JSON" '
raw = open(T + "/out.jsonl", "rb").read()
raw.decode("utf-8")
assert len(RECS) == 9, [r["url"] for r in RECS]
'
pycheck "every page gives back its text and title" '
FR = "Café crème, naïve façade, œuvre à 5 € — «déjà vu» “cité” ‘Noël’ … Ÿ"
JA = "日本語のページです。東京の天気は晴れ。"
by = {r["url"].split(":%d" % PORT)[1]: r for r in RECS}
want = {"/w1252.html": ("Crème brûlée", FR),
        "/latin1label.html": ("Crème brûlée 2", FR),
        "/meta.html": ("Crème brûlée 3", FR),
        "/httpequiv.html": ("Crème brûlée 4", FR),
        "/conflict.html": ("Crème brûlée 5", FR),
        "/sjis.html": ("日本語", JA),
        "/utf16.html": ("Crème brûlée 6", FR + " " + JA),
        "/bom.html": ("Crème brûlée 7", FR)}
bad = []
for p, (title, text) in want.items():
    r = by.get(p)
    if r is None:
        bad.append((p, "no record"))
    elif r["title"] != title or text not in r["text"]:
        bad.append((p, r["title"], r["text"][:90]))
    elif "\ufffd" in r["text"] or "Ã" in r["text"]:
        bad.append((p, "replacement or mojibake", r["text"][:90]))
assert not bad, bad
'
finish
