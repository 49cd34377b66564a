#!/usr/bin/env python3
"""winnow test HTTP server.

A threaded HTTP/1.1 server for the crawler's tests: it serves virtual hosts
from a folder, injects faults read from a JSON file and logs every request
as one JSON line.  Python 3.11 standard library only.  See README.md next to
this file for the command line, the faults format and the log format.
"""

import argparse
import codecs
import email.utils
import hashlib
import http
import itertools
import json
import os
import re
import select
import signal
import socket
import stat
import struct
import sys
import threading
import time
import traceback
import zlib
from urllib.parse import unquote_to_bytes

SERVER_NAME = "winnow-testserver/1"
MAX_LINE = 8192             # longest request line / header line
MAX_HEADERS = 100           # most header lines in one request
MAX_DISCARD = 1 << 20       # request bodies longer than this close the connection
CHUNK = 65536               # streaming chunk size
PORT_TOKEN = "{{port}}"     # replaced by the listening port (see README)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xhtml": "application/xhtml+xml",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".txt": "text/plain",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".css": "text/css",
    ".js": "application/javascript",
    ".csv": "text/csv",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}
DEFAULT_TYPE = "application/octet-stream"
TEXT_EXTS = {".html", ".htm", ".xhtml", ".xml", ".txt", ".rss", ".atom",
             ".json", ".css", ".js", ".csv", ".svg"}

TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
VERSION_RE = re.compile(r"HTTP/1\.[01]\Z")
HOST_RE = re.compile(r"([a-z0-9_\-.]+|\[[0-9a-f:.]+\])\Z")

STOP = threading.Event()    # set when the server shuts down


def reason(code):
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Status %d" % code


class DateCache:
    """The Date header value, recomputed at most once a second."""

    def __init__(self):
        self.sec = -1
        self.value = ""

    def get(self):
        now = int(time.time())
        if now != self.sec:
            self.value = email.utils.formatdate(now, usegmt=True)
            self.sec = now
        return self.value


DATE = DateCache()


class ConfigError(Exception):
    pass


class BadRequest(Exception):
    """Answer 400 (or the given status) and close the connection."""

    def __init__(self, msg, status=400):
        super().__init__(msg)
        self.status = status


class ClientGone(Exception):
    """The client closed, reset or timed out; nothing more can be sent."""


class ResetNow(Exception):
    """reset_after_bytes reached: abort the connection now (with a RST, or
    with a FIN when rst is False)."""

    def __init__(self, rst=True):
        super().__init__("reset")
        self.rst = rst


# --------------------------------------------------------------------------
# Faults

def glob_re(pat, flags=0):
    """A regex for a glob where only '*' is special (it matches anything,
    '/' included); everything else, '?' and '[' too, is literal."""
    parts = re.split(r"(\*)", pat)
    return re.compile("".join(".*" if p == "*" else re.escape(p)
                              for p in parts) + r"\Z", re.S | flags)


def _num(v, name, pattern, minimum=0, integer=False):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ConfigError("%s: %s must be a number" % (pattern, name))
    if integer and not (isinstance(v, int) or float(v).is_integer()):
        raise ConfigError("%s: %s must be an integer" % (pattern, name))
    if v < minimum:
        raise ConfigError("%s: %s must be >= %s" % (pattern, name, minimum))
    return int(v) if integer else v


def _str(v, name, pattern):
    if not isinstance(v, str):
        raise ConfigError("%s: %s must be a string" % (pattern, name))
    return v


def _bool(v, name, pattern):
    if not isinstance(v, bool):
        raise ConfigError("%s: %s must be true or false" % (pattern, name))
    return v


FAULT_KEYS = {"delay", "status", "retry_after", "times", "reset",
              "reset_after_bytes", "redirect", "redirect_status",
              "body_bytes", "gzip_bomb", "content_type", "content",
              "charset_bytes", "slow_body", "hang", "no_content_length",
              "x_robots_tag", "headers", "connection_close"}


class Fault:
    def __init__(self, pattern, spec, port):
        if not isinstance(spec, dict):
            raise ConfigError("%s: the behaviour must be a JSON object" % pattern)
        host_pat, sep, path_pat = pattern.partition("/")
        if not sep or not host_pat:
            raise ConfigError("%s: a pattern is HOST/PATH or */PATH" % pattern)
        self.pattern = pattern
        self.host_re = glob_re(host_pat.lower())
        self.path_re = glob_re("/" + path_pat)
        self.with_query = "?" in path_pat
        sub = lambda s: s.replace(PORT_TOKEN, str(port))

        spec = {k: v for k, v in spec.items() if not k.startswith("#")}
        unknown = sorted(set(spec) - FAULT_KEYS)
        if unknown:
            raise ConfigError("%s: unknown key(s) %s (known: %s)" % (
                pattern, ", ".join(unknown), ", ".join(sorted(FAULT_KEYS))))
        g = spec.get
        self.delay = _num(g("delay", 0), "delay", pattern)
        self.status = g("status")
        if self.status is not None:
            self.status = _num(self.status, "status", pattern, 100, True)
            if self.status > 999:
                raise ConfigError("%s: status must be 100..999" % pattern)
        ra = g("retry_after")
        if ra is None:
            self.retry_after = None
        elif isinstance(ra, str):
            self.retry_after = ra
        else:
            ra = _num(ra, "retry_after", pattern, -1e18)
            self.retry_after = str(int(ra)) if float(ra).is_integer() else repr(ra)
        self.times = g("times")
        if self.times is not None:
            self.times = _num(self.times, "times", pattern, 1, True)
        reset = g("reset", False)
        if reset not in (True, False, "fin"):
            raise ConfigError('%s: reset must be true, false or "fin"' % pattern)
        self.reset = reset
        self.reset_after_bytes = g("reset_after_bytes")
        if self.reset_after_bytes is not None:
            if not reset:
                raise ConfigError("%s: reset_after_bytes needs reset" % pattern)
            self.reset_after_bytes = _num(self.reset_after_bytes,
                                          "reset_after_bytes", pattern, 0, True)
        self.redirect = g("redirect")
        if self.redirect is not None:
            self.redirect = sub(_str(self.redirect, "redirect", pattern))
        self.redirect_status = g("redirect_status")
        if self.redirect_status is not None:
            if self.redirect is None:
                raise ConfigError("%s: redirect_status needs redirect" % pattern)
            self.redirect_status = _num(self.redirect_status, "redirect_status",
                                        pattern, 100, True)
        else:
            self.redirect_status = 302
        self.body_bytes = g("body_bytes")
        if self.body_bytes is not None:
            self.body_bytes = _num(self.body_bytes, "body_bytes", pattern, 0, True)
        self.gzip_bomb = g("gzip_bomb")
        if self.gzip_bomb is not None:
            self.gzip_bomb = _num(self.gzip_bomb, "gzip_bomb", pattern, 0, True)
        self.content_type = g("content_type")
        if self.content_type is not None:
            _str(self.content_type, "content_type", pattern)
        self.charset = g("charset_bytes")
        if self.charset is not None:
            _str(self.charset, "charset_bytes", pattern)
            try:
                codecs.lookup(self.charset)
            except LookupError:
                raise ConfigError("%s: unknown charset %r" % (pattern, self.charset))
        content = g("content")
        self.content = None
        if content is not None:
            content = sub(_str(content, "content", pattern))
            self.content = content.encode(self.charset or "utf-8",
                                          "xmlcharrefreplace")
            self.content_etag = etag_of(self.content)
        self.slow_body = g("slow_body")
        if self.slow_body is not None:
            self.slow_body = _num(self.slow_body, "slow_body", pattern, 1e-9)
        self.hang = _bool(g("hang", False), "hang", pattern)
        self.no_content_length = _bool(g("no_content_length", False),
                                       "no_content_length", pattern)
        self.connection_close = _bool(g("connection_close", False),
                                      "connection_close", pattern)
        self.x_robots_tag = g("x_robots_tag")
        if self.x_robots_tag is not None:
            _str(self.x_robots_tag, "x_robots_tag", pattern)
        hdrs = g("headers", {})
        if not isinstance(hdrs, dict):
            raise ConfigError("%s: headers must be an object" % pattern)
        self.headers = []
        for k, v in hdrs.items():
            if not TOKEN_RE.match(k):
                raise ConfigError("%s: bad header name %r" % (pattern, k))
            if v is not None and not isinstance(v, (str, int, float)):
                raise ConfigError("%s: header %s must be a string or null" % (pattern, k))
            self.headers.append((k, None if v is None else sub(str(v))))

        bodies = [k for k in ("content", "body_bytes", "gzip_bomb", "redirect")
                  if g(k) is not None]
        if len(bodies) > 1:
            raise ConfigError("%s: %s cannot be combined" % (pattern, " and ".join(bodies)))
        if self.status is not None and self.redirect is not None:
            raise ConfigError("%s: use redirect_status, not status, with redirect" % pattern)
        if self.charset and (self.body_bytes is not None or self.gzip_bomb is not None):
            raise ConfigError("%s: charset_bytes applies to files and content only" % pattern)

    def matches(self, host, path, path_noq):
        return (self.host_re.match(host) is not None and
                self.path_re.match(path if self.with_query else path_noq) is not None)


class Faults:
    def __init__(self, faults=()):
        self.faults = list(faults)
        self.counts = {}
        self.lock = threading.Lock()

    @classmethod
    def load(cls, path, port):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            raise ConfigError("%s: %s" % (path, e))
        if not isinstance(data, dict):
            raise ConfigError("%s: the faults file is a JSON object" % path)
        return cls(Fault(p, s, port) for p, s in data.items()
                   if not p.startswith("#"))

    def match(self, host, path):
        """The fault for this request (first matching pattern in file
        order), or None.  Counts the request for 'times'."""
        if not self.faults:
            return None
        path_noq = path.split("?", 1)[0]
        for f in self.faults:
            if f.matches(host, path, path_noq):
                if f.times is not None:
                    key = (f.pattern, host, path)
                    with self.lock:
                        n = self.counts.get(key, 0) + 1
                        self.counts[key] = n
                    if n > f.times:
                        return None
                return f
        return None


# --------------------------------------------------------------------------
# Bodies

def etag_of(data):
    return '"%s"' % hashlib.sha1(data).hexdigest()[:24]


GEN_PREFIX = (b'<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
              b'<title>Generated page</title></head><body>\n')
GEN_PARA = (b"<p>All work and no play makes Jack a dull boy. "
            b"The quick brown fox jumps over the lazy dog.</p>\n")
GEN_BLOCK = GEN_PARA * (CHUNK // len(GEN_PARA))


def generated_body(n):
    """Chunks of exactly n bytes of generated HTML."""
    first = GEN_PREFIX[:n]
    if first:
        yield first
    left = n - len(first)
    while left > 0:
        c = GEN_BLOCK if left >= len(GEN_BLOCK) else GEN_BLOCK[:left]
        yield c
        left -= len(c)


class BombCache:
    def __init__(self):
        self.cache = {}
        self.lock = threading.Lock()

    def get(self, n):
        with self.lock:
            data = self.cache.get(n)
            if data is None:
                c = zlib.compressobj(9, zlib.DEFLATED, 16 + 15, 9)
                head = GEN_PREFIX[:n]
                out = [c.compress(head)]
                left = n - len(head)
                block = b" " * (1 << 20)
                while left > 0:
                    k = min(left, len(block))
                    out.append(c.compress(block if k == len(block) else block[:k]))
                    left -= k
                out.append(c.flush())
                data = self.cache[n] = b"".join(out)
            return data


class Entry:
    __slots__ = ("sig", "data", "etag", "last_modified", "mtime", "ctype",
                 "headers", "status")


DIRECTORY = object()


class FileCache:
    """File contents, ETag and headers, reloaded when the file (or its
    .headers sidecar) changes."""

    def __init__(self, port):
        self.port = str(port).encode()
        self.cache = {}

    def get(self, fs, charset):
        try:
            st = os.stat(fs)
        except (OSError, ValueError):
            return None
        if stat.S_ISDIR(st.st_mode):
            return DIRECTORY
        if not stat.S_ISREG(st.st_mode):
            return None
        side = fs + ".headers"
        try:
            sst = os.stat(side)
            ssig = (sst.st_mtime_ns, sst.st_size)
        except OSError:
            ssig = None
        sig = (st.st_mtime_ns, st.st_size, st.st_ino, ssig)
        key = (fs, charset)
        e = self.cache.get(key)
        if e is not None and e.sig == sig:
            return e
        try:
            with open(fs, "rb") as f:
                data = f.read()
        except OSError:
            return None
        ext = os.path.splitext(fs)[1].lower()
        if ext in TEXT_EXTS and PORT_TOKEN.encode() in data:
            data = data.replace(PORT_TOKEN.encode(), self.port)
        ctype = CONTENT_TYPES.get(ext, DEFAULT_TYPE)
        headers = []
        status = None
        if ssig is not None:
            try:
                with open(side, encoding="utf-8") as f:
                    lines = f.read().splitlines()
            except (OSError, UnicodeDecodeError):
                lines = []
            for line in lines:
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                name, _, value = line.partition(":")
                name, value = name.strip(), value.strip()
                if name.lower() == "content-type":
                    ctype = value
                elif name.lower() == "status":
                    try:
                        status = int(value.split()[0])
                    except (ValueError, IndexError):
                        pass
                elif TOKEN_RE.match(name):
                    headers.append((name, value))
        if charset:
            data = data.decode("utf-8", "replace").encode(charset, "xmlcharrefreplace")
        e = Entry()
        e.sig = sig
        e.data = data
        e.etag = etag_of(data)
        e.mtime = int(st.st_mtime)
        e.last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        e.ctype = ctype
        e.headers = headers
        e.status = status
        self.cache[key] = e
        return e


def error_page(code):
    r = "%d %s" % (code, reason(code))
    return ("<!DOCTYPE html>\n<html><head><title>%s</title></head>"
            "<body><h1>%s</h1></body></html>\n" % (r, r)).encode()


# --------------------------------------------------------------------------
# Log

class Log:
    def __init__(self, path):
        self.lock = threading.Lock()
        if path is None:
            self.f = None
        elif path == "-":
            self.f = sys.stdout
        else:
            self.f = open(path, "w", encoding="utf-8")

    def write(self, rec):
        if self.f is None:
            return
        line = json.dumps(rec, ensure_ascii=False) + "\n"
        with self.lock:
            if self.f is not None:
                self.f.write(line)
                self.f.flush()

    def close(self):
        with self.lock:
            if self.f is not None and self.f is not sys.stdout:
                self.f.close()
            self.f = None


class Record:
    """One request's log line; written once."""

    __slots__ = ("log", "done", "t_start", "t_end", "conn", "conn_req", "host",
                 "method", "path", "version", "status", "bytes",
                 "if_none_match", "if_modified_since", "user_agent",
                 "accept_encoding", "fault", "error")

    def __init__(self, log, conn, conn_req):
        self.log = log
        self.done = False
        self.t_start = time.time()
        self.t_end = None
        self.conn = conn
        self.conn_req = conn_req
        self.host = self.method = self.path = self.version = None
        self.status = 0
        self.bytes = 0
        self.if_none_match = self.if_modified_since = None
        self.user_agent = self.accept_encoding = None
        self.fault = None
        self.error = None

    def finish(self):
        if self.done:
            return
        self.done = True
        if self.t_end is None:
            self.t_end = time.time()
        self.log.write({
            "t_start": round(self.t_start, 6), "t_end": round(self.t_end, 6),
            "conn": self.conn, "conn_req": self.conn_req, "host": self.host,
            "method": self.method, "path": self.path, "status": self.status,
            "bytes": self.bytes, "if_none_match": self.if_none_match,
            "if_modified_since": self.if_modified_since,
            "user_agent": self.user_agent,
            "accept_encoding": self.accept_encoding, "fault": self.fault,
            "version": self.version, "error": self.error,
        })


# --------------------------------------------------------------------------
# Server

def parse_host(value):
    h = value.strip().lower()
    if h.startswith("["):
        end = h.find("]")
        if end < 0:
            return None
        name, rest = h[:end + 1], h[end + 1:]
        if rest and not re.fullmatch(r":\d*", rest):
            return None
    else:
        name, _, port = h.partition(":")
        if port and not port.isdigit():
            return None
    name = name.rstrip(".") if not name.startswith("[") else name
    return name if HOST_RE.match(name) else None


class Server:
    def __init__(self, args):
        self.args = args
        self.root = os.path.abspath(args.root) if args.root else None
        self.idle_timeout = args.idle_timeout
        self.keep_alive = not args.no_keep_alive
        self.log = Log(args.log)
        self.ids = itertools.count(1)
        self.conns = {}
        self.conns_lock = threading.Lock()
        self.threads = set()
        self.bombs = BombCache()
        self.faults = Faults()
        self.files = None

    # ---- lifecycle -------------------------------------------------------

    def bind(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.args.bind, self.args.port))
        s.listen(1024)
        s.setblocking(False)
        self.lsock = s
        self.port = s.getsockname()[1]
        self.files = FileCache(self.port)
        if self.args.faults:
            self.faults = Faults.load(self.args.faults, self.port)

    def serve(self):
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        stop = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, frame: stop.append(signum))
        if hasattr(signal, "SIGPIPE"):
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)

        if self.args.port_file:
            tmp = self.args.port_file + ".tmp"
            with open(tmp, "w") as f:
                f.write("%d\n" % self.port)
            os.replace(tmp, self.args.port_file)
        if not self.args.quiet:
            print("testserver: listening on %s:%d" % (self.args.bind, self.port),
                  file=sys.stderr, flush=True)

        deadline = (time.monotonic() + self.args.max_seconds
                    if self.args.max_seconds else None)
        while not stop:
            timeout = 1.0
            if deadline is not None:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    break
                timeout = min(timeout, 1.0)
            try:
                r, _, _ = select.select([self.lsock, wake_r], [], [], timeout)
            except InterruptedError:
                continue
            if wake_r in r:
                try:
                    os.read(wake_r, 512)
                except OSError:
                    pass
            if self.lsock in r:
                self.accept_all()
        self.shutdown()

    def accept_all(self):
        while True:
            try:
                sock, addr = self.lsock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:          # EMFILE and friends: back off
                time.sleep(0.01)
                return
            cid = next(self.ids)
            t = threading.Thread(target=self.connection, args=(sock, cid),
                                 name="conn-%d" % cid, daemon=True)
            with self.conns_lock:
                self.conns[cid] = sock
                self.threads.add(t)
            try:
                t.start()
            except RuntimeError:     # cannot start a thread
                with self.conns_lock:
                    self.conns.pop(cid, None)
                    self.threads.discard(t)
                sock.close()

    def shutdown(self):
        STOP.set()
        try:
            self.lsock.close()
        except OSError:
            pass
        with self.conns_lock:
            socks = list(self.conns.values())
            threads = list(self.threads)
        for s in socks:           # wakes threads blocked in recv
            try:
                s.shutdown(socket.SHUT_RD)
            except OSError:
                pass
        deadline = time.monotonic() + 3.0
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        self.log.close()

    # ---- one connection --------------------------------------------------

    def connection(self, sock, cid):
        rfile = None
        try:
            sock.settimeout(self.idle_timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            rfile = sock.makefile("rb", CHUNK)
            nreq = 0
            while not STOP.is_set():
                try:
                    line = rfile.readline(MAX_LINE + 1)
                except (OSError, ValueError):
                    break
                if not line:
                    break
                if line in (b"\r\n", b"\n"):
                    continue    # stray CRLF between requests (RFC 9112 2.2)
                nreq += 1
                rec = Record(self.log, cid, nreq)
                keep = False
                try:
                    keep = self.request(sock, rfile, line, rec)
                except ClientGone as e:
                    rec.error = rec.error or str(e)
                except ResetNow as e:
                    rec.error = "reset"
                    rec.finish()
                    abort(sock, e.rst)
                except Exception:
                    rec.error = "server error: " + traceback.format_exc(limit=3).strip().splitlines()[-1]
                    traceback.print_exc()
                rec.finish()
                if not keep:
                    break
        except Exception:
            traceback.print_exc()
        finally:
            with self.conns_lock:
                self.conns.pop(cid, None)
                self.threads.discard(threading.current_thread())
            try:
                if rfile is not None:
                    rfile.close()
            except OSError:
                pass
            try:
                sock.close()
            except OSError:
                pass

    def request(self, sock, rfile, line, rec):
        """Handles one request; True to keep the connection open."""
        try:
            return self._request(sock, rfile, line, rec)
        except BadRequest as e:
            rec.error = str(e)
            self.send(sock, rec, e.status, {}, error_page(e.status),
                      head_only=False, fault=None, keep=False)
            return False

    def _request(self, sock, rfile, line, rec):
        text = line.decode("latin-1")
        if not line.endswith(b"\n"):
            raise BadRequest("request line too long", 414)
        parts = text.rstrip("\r\n").split(" ")
        if len(parts) != 3 or not TOKEN_RE.match(parts[0]) or not VERSION_RE.match(parts[2]):
            raise BadRequest("bad request line: %r" % text[:100])
        method, target, version = parts
        rec.method, rec.version = method, version
        rec.path = target

        headers = {}
        for _ in range(MAX_HEADERS + 1):
            try:
                h = rfile.readline(MAX_LINE + 1)
            except (TimeoutError, socket.timeout):
                raise ClientGone("timeout reading headers")
            except OSError as e:
                raise ClientGone("connection error reading headers: %s" % e)
            if not h:
                raise ClientGone("client closed during headers")
            if h in (b"\r\n", b"\n"):
                break
            if not h.endswith(b"\n"):
                raise BadRequest("header line too long", 431)
            if h[:1] in (b" ", b"\t"):
                raise BadRequest("obsolete header line folding")
            name, sep, value = h.decode("latin-1").partition(":")
            if not sep or not TOKEN_RE.match(name):
                raise BadRequest("bad header line: %r" % h[:100])
            name = name.lower()
            value = value.strip(" \t\r\n")
            if name in headers:
                if name in ("host", "content-length"):
                    raise BadRequest("duplicate %s header" % name)
                headers[name] += ", " + value
            else:
                headers[name] = value
        else:
            raise BadRequest("too many header lines", 431)

        g = headers.get
        rec.if_none_match = g("if-none-match")
        rec.if_modified_since = g("if-modified-since")
        rec.user_agent = g("user-agent")
        rec.accept_encoding = g("accept-encoding")

        # request target: origin-form, or absolute-form (its host wins)
        host_value = g("host")
        if target.startswith("/"):
            path = target
        elif target[:7].lower() == "http://" or target[:8].lower() == "https://":
            rest = target.split("://", 1)[1]
            slash = [i for i in (rest.find("/"), rest.find("?")) if i >= 0]
            cut = min(slash) if slash else len(rest)
            host_value, path = rest[:cut], rest[cut:] or "/"
            if path.startswith("?"):
                path = "/" + path
        else:
            raise BadRequest("bad request target: %r" % target[:100])
        if "#" in path:
            path = path.split("#", 1)[0]
        rec.path = path
        if host_value is None:
            if version == "HTTP/1.1":
                raise BadRequest("missing Host header")
            host = ""
        else:
            host = parse_host(host_value)
            if host is None:
                raise BadRequest("bad Host header: %r" % host_value[:100])
        rec.host = host

        tokens = {t.strip().lower() for t in g("connection", "").split(",")}
        if version == "HTTP/1.1":
            keep = "close" not in tokens
        else:
            keep = "keep-alive" in tokens
        keep = keep and self.keep_alive

        if "transfer-encoding" in headers:
            raise BadRequest("chunked request bodies are not supported", 501)
        cl = g("content-length")
        if cl is not None:
            if not cl.isdigit():
                raise BadRequest("bad Content-Length")
            n = int(cl)
            if n > MAX_DISCARD:
                raise BadRequest("request body too large", 413)
            try:
                if n and len(rfile.read(n)) < n:
                    raise ClientGone("client closed during request body")
            except OSError as e:
                raise ClientGone("error reading request body: %s" % e)

        if method not in ("GET", "HEAD"):
            self.send(sock, rec, 405, {"allow": ("Allow", "GET, HEAD")},
                      error_page(405), head_only=False, fault=None, keep=keep,
                      version=version)
            return keep

        fault = self.faults.match(host, path)
        return self.respond(sock, rec, method, host, path, headers, fault,
                            keep, version)

    def respond(self, sock, rec, method, host, path, headers, fault, keep, version):
        head_only = method == "HEAD"
        if fault is not None:
            rec.fault = fault.pattern
            if fault.hang:
                self.hang(sock, rec)
                return False
            if fault.delay and STOP.wait(fault.delay):
                raise ClientGone("server stopped during delay")
            if fault.reset and fault.reset_after_bytes is None:
                rec.error = "reset"
                rec.finish()
                abort(sock, fault.reset is True)
                return False
            if fault.connection_close or fault.no_content_length:
                keep = False

        status, hdrs, body = self.build(host, path, headers, fault, rec)
        if fault is not None:
            if fault.content_type is not None:
                hdrs["content-type"] = ("Content-Type", fault.content_type)
            if fault.retry_after is not None:
                hdrs["retry-after"] = ("Retry-After", fault.retry_after)
            if fault.x_robots_tag is not None:
                hdrs["x-robots-tag"] = ("X-Robots-Tag", fault.x_robots_tag)
            for name, value in fault.headers:
                if value is None:
                    hdrs.pop(name.lower(), None)
                else:
                    hdrs[name.lower()] = (name, value)
        return self.send(sock, rec, status, hdrs, body, head_only, fault, keep, version)

    def build(self, host, path, headers, fault, rec):
        """(status, headers dict lower-name -> (Name, value), body) where
        body is bytes or a (length, chunk iterator) pair."""
        hdrs = {}
        html = ("Content-Type", "text/html; charset=utf-8")
        if fault is not None:
            if fault.redirect is not None:
                hdrs["content-type"] = html
                hdrs["location"] = ("Location", fault.redirect)
                loc = (fault.redirect.replace("&", "&amp;").replace('"', "&quot;")
                       .replace("<", "&lt;"))
                body = ('<!DOCTYPE html>\n<html><head><title>Moved</title></head>'
                        '<body><a href="%s">moved here</a></body></html>\n' % loc)
                return fault.redirect_status, hdrs, body.encode()
            status = fault.status or 200
            if fault.content is not None:
                ctype = "text/html; charset=%s" % (fault.charset or "utf-8")
                hdrs["content-type"] = ("Content-Type", ctype)
                if status == 200:
                    hdrs["etag"] = ("ETag", fault.content_etag)
                    if self.not_modified(headers, fault.content_etag, None):
                        return 304, hdrs, b""
                return status, hdrs, fault.content
            if fault.body_bytes is not None:
                hdrs["content-type"] = html
                return status, hdrs, (fault.body_bytes, generated_body(fault.body_bytes))
            if fault.gzip_bomb is not None:
                hdrs["content-type"] = html
                hdrs["content-encoding"] = ("Content-Encoding", "gzip")
                return status, hdrs, self.bombs.get(fault.gzip_bomb)
            if not 200 <= status < 300:
                hdrs["content-type"] = html
                return status, hdrs, error_page(status)

        # a file from the host's document root
        if self.root is None:
            return self.error(421, hdrs)
        docroot = os.path.join(self.root, host) if host else None
        if not host or host.startswith(".") or not os.path.isdir(docroot):
            return self.error(421, hdrs)
        raw, _, query = path.partition("?")
        try:
            decoded = unquote_to_bytes(raw)
        except Exception:
            return self.error(400, hdrs)
        if b"\0" in decoded:
            rec.error = "NUL in path"
            return self.error(400, hdrs)
        segs = os.fsdecode(decoded).split("/")
        if ".." in segs or any("\\" in s for s in segs):
            return self.error(404, hdrs)
        segs = [s for s in segs if s not in ("", ".")]
        if raw.endswith("/"):
            segs.append("index.html")
        if segs and segs[-1].endswith(".headers"):
            return self.error(404, hdrs)
        fs = os.path.join(docroot, *segs)
        charset = fault.charset if fault is not None else None
        e = self.files.get(fs, charset)
        if e is None:
            return self.error(404, hdrs)
        if e is DIRECTORY:
            hdrs["location"] = ("Location", raw + "/" + ("?" + query if query else ""))
            return self.error(301, hdrs)
        ctype = e.ctype
        if charset:
            ctype = ctype.split(";", 1)[0].strip() + "; charset=" + charset
        hdrs["content-type"] = ("Content-Type", ctype)
        status = e.status or 200
        if fault is not None and fault.status:
            status = fault.status
        hdrs["etag"] = ("ETag", e.etag)
        hdrs["last-modified"] = ("Last-Modified", e.last_modified)
        for name, value in e.headers:
            hdrs[name.lower()] = (name, value)
        if status == 200 and self.not_modified(headers, e.etag, e.mtime):
            return 304, hdrs, b""
        return status, hdrs, e.data

    def error(self, code, hdrs):
        hdrs["content-type"] = ("Content-Type", "text/html; charset=utf-8")
        return code, hdrs, error_page(code)

    @staticmethod
    def not_modified(headers, etag, mtime):
        inm = headers.get("if-none-match")
        if inm is not None:
            if inm.strip() == "*":
                return True
            for tag in inm.split(","):
                tag = tag.strip()
                if tag.startswith("W/"):
                    tag = tag[2:]
                if tag == etag:
                    return True
            return False
        ims = headers.get("if-modified-since")
        if ims is not None and mtime is not None:
            try:
                t = email.utils.parsedate_to_datetime(ims)
            except (TypeError, ValueError, IndexError):
                return False
            if t is None or t.tzinfo is None:
                return False
            return mtime <= t.timestamp()
        return False

    def hang(self, sock, rec):
        """Read the request, never answer; return when the client closes
        or the server stops."""
        rec.error = "hang"
        try:
            sock.settimeout(None)
            while sock.recv(CHUNK):
                pass
        except OSError:
            pass
        if STOP.is_set():
            rec.error = "hang (server stopped)"

    def send(self, sock, rec, status, hdrs, body, head_only, fault, keep,
             version="HTTP/1.1"):
        """Sends the response.  The log line is written before the last
        byte goes out, so a client that has the whole response can read its
        line in the log.  True to keep the connection open."""
        if isinstance(body, tuple):
            length, chunks = body
        else:
            length, chunks = len(body), None
        no_body_status = status < 200 or status in (204, 304)
        if no_body_status:
            length, chunks, body = 0, None, b""
        close_delimited = fault is not None and fault.no_content_length
        if close_delimited:
            keep = False
        if STOP.is_set():
            keep = False

        lines = ["HTTP/1.1 %d %s\r\n" % (status, reason(status)),
                 "Date: %s\r\n" % DATE.get(),
                 "Server: %s\r\n" % SERVER_NAME]
        if not close_delimited and not (status < 200 or status == 204):
            if status != 304:
                lines.append("Content-Length: %d\r\n" % length)
        for name, value in hdrs.values():
            lines.append("%s: %s\r\n" % (name, value))
        if not keep:
            lines.append("Connection: close\r\n")
        elif version == "HTTP/1.0":
            lines.append("Connection: keep-alive\r\n")
        lines.append("\r\n")
        status_len = len(lines[0])
        head = "".join(lines).encode("utf-8", "surrogateescape")
        if head_only:
            length, chunks, body = 0, None, b""

        limit = fault.reset_after_bytes if fault is not None and fault.reset else None
        rate = fault.slow_body if fault is not None else None
        if fault is not None and fault.reset:
            rec.error = "reset"

        try:
            if limit is None and rate is None and chunks is None and length <= 4 * CHUNK:
                # the common case: two send calls
                data = head + body
                sock.sendall(data[:-1])
                rec.status = status
                rec.bytes = len(body)
                rec.t_end = time.time()
                rec.finish()
                sock.sendall(data[-1:])
            else:
                w = Writer(sock, rec, status, status_len, limit, rate,
                           fault is None or fault.reset is True)
                pieces = [(head, False)]
                if chunks is not None:
                    pieces = itertools.chain(pieces, ((c, True) for c in chunks))
                elif body:
                    pieces.append((body, True))
                prev = None
                for p in pieces:
                    if prev is not None:
                        w.write(*prev)
                    prev = p
                data, is_body = prev
                w.write(data[:-1], is_body)
                rec.bytes = w.body_sent + (1 if is_body else 0)
                rec.t_end = time.time()
                if limit is not None and w.sent + 1 > limit:
                    rec.bytes = w.body_sent
                    raise ResetNow(w.rst)
                rec.finish()
                w.write(data[-1:], is_body, count=False)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            raise ClientGone("client closed during response")
        except (TimeoutError, socket.timeout):
            raise ClientGone("timeout sending response")
        except OSError as e:
            raise ClientGone("error sending response: %s" % e)

        if fault is not None and fault.reset:
            # reset_after_bytes was larger than the response
            abort(sock, fault.reset is True)
            return False
        if not keep:
            lingering_close(sock)
        return keep


class Writer:
    """Sends pieces of a response, counting bytes, trickling the body at
    slow_body bytes/s and stopping at reset_after_bytes."""

    def __init__(self, sock, rec, status, status_len, limit, rate, rst):
        self.sock = sock
        self.rst = rst
        self.rec = rec
        self.status = status
        self.status_len = status_len
        self.limit = limit
        self.rate = rate
        self.sent = 0
        self.body_sent = 0
        self.t0 = None

    def write(self, data, is_body, count=True):
        if not data:
            return
        if self.limit is not None and count:
            room = self.limit - self.sent
            if len(data) > room:
                self._send(data[:room], is_body)
                raise ResetNow(self.rst)
        self._send(data, is_body)

    def _send(self, data, is_body):
        if not data:
            return
        if is_body and self.rate:
            if self.t0 is None:
                self.t0 = time.monotonic()
            step = max(1, min(16384, int(self.rate / 20)))
            for i in range(0, len(data), step):
                piece = data[i:i + step]
                self.sock.sendall(piece)
                self._count(len(piece), True)
                wait = self.t0 + self.body_sent / self.rate - time.monotonic()
                if wait > 0 and STOP.wait(wait):
                    raise ClientGone("server stopped during slow body")
        else:
            self.sock.sendall(data)
            self._count(len(data), is_body)

    def _count(self, n, is_body):
        self.sent += n
        if is_body:
            self.body_sent += n
            self.rec.bytes = self.body_sent
        if not self.rec.status and self.sent >= self.status_len:
            self.rec.status = self.status


def lingering_close(sock):
    """Sends FIN, then reads what the client still sends for a moment, so
    that unread request bytes do not turn the close into a RST that could
    destroy the response before the client reads it."""
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(0.5)
        end = time.monotonic() + 1.0
        while time.monotonic() < end and sock.recv(CHUNK):
            pass
    except OSError:
        pass


def abort(sock, rst):
    """Closes the connection: with a TCP RST (rst=True) or a FIN."""
    try:
        if rst:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
        else:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="winnow test HTTP server (see tests/server/README.md)")
    ap.add_argument("--root", metavar="DIR",
                    help="DIR/<host>/ is the document root of each virtual host")
    ap.add_argument("--port", type=int, default=0,
                    help="port to listen on (0, the default: a free one)")
    ap.add_argument("--port-file", metavar="PATH",
                    help="write the port here once listening")
    ap.add_argument("--bind", default="127.0.0.1", metavar="ADDR",
                    help="address to listen on (default 127.0.0.1)")
    ap.add_argument("--faults", metavar="FILE", help="JSON faults file")
    ap.add_argument("--log", metavar="FILE",
                    help="JSON Lines request log (- for stdout); truncated at start")
    ap.add_argument("--max-seconds", type=float, default=0, metavar="S",
                    help="stop after S seconds (default: run until SIGTERM/SIGINT)")
    ap.add_argument("--idle-timeout", type=float, default=30.0, metavar="S",
                    help="close a connection idle (or stalled mid-request) for S seconds (default 30)")
    ap.add_argument("--no-keep-alive", action="store_true",
                    help="close the connection after every response")
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="no 'listening on' line on stderr")
    args = ap.parse_args(argv)
    if args.root and not os.path.isdir(args.root):
        print("testserver: --root %s: not a directory" % args.root, file=sys.stderr)
        return 2

    server = Server(args)
    try:
        server.bind()
    except ConfigError as e:
        print("testserver: %s" % e, file=sys.stderr)
        return 2
    except OSError as e:
        print("testserver: cannot listen on %s:%d: %s" % (args.bind, args.port, e),
              file=sys.stderr)
        return 2
    server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
