#!/usr/bin/env python3
"""A JWKS endpoint for the tests, on loopback only, with knobs the tests turn.

    jwks_server.py PORT_FILE JWKS_FILE [MAX_AGE] [--bind HOST] [--port P] [--tls CERT KEY]

Serves GET /jwks.json with an ETag (a hash of the body) and
`Cache-Control: max-age=MAX_AGE`, and 304 for a matching If-None-Match.
--bind picks the loopback address (default 127.0.0.1; 127.0.0.2 is "another
host" for the redirect tests); --tls serves https with that certificate; --port a fixed port (default: any free one).
Control, for the test driving it (each misbehaviour applies to the next N
JWKS requests, then the server is well behaved again):
    GET /admin/set?file=PATH      serve another JWKS document from now on
    GET /admin/fail?n=N           answer with 500
    GET /admin/garbage?n=N        answer with 200 and a body that is not a JWKS
    GET /admin/max-age?s=S        change the max-age
    GET /admin/cache-control?v=V  send `Cache-Control: V` verbatim (v= empty: back to max-age)
    GET /admin/etag?v=V           send this ETag instead of the hash (v= empty: back to the hash)
    GET /admin/hang?n=N           accept the request and never answer
    GET /admin/redirect?n=N&to=URL  answer 302 to URL
    GET /admin/big?n=N&bytes=B&length=0|1  a B-byte body, with or without Content-Length
    GET /admin/drip?n=N&ms=MS     send the document one byte every MS milliseconds
    GET /admin/headers?n=N&kb=K   send K KiB of extra headers before the document
    GET /admin/discovery?issuer=I&jwks_uri=U&pad=N  the discovery document (below) names
                                  these (a parameter left out: that member left out; pad:
                                  an N-byte "pad" member); no parameter: back to the default
    GET /admin/discovery?raw=TEXT serve TEXT as the discovery document
    GET /admin/stats              {"requests": .., "ok": .., "not_modified": .., "failed": ..,
                                   "discovery": ..}
Any path ending in /.well-known/openid-configuration is an OpenID Connect
discovery document, by default {"issuer": <this server's base URL + the path
before /.well-known>, "jwks_uri": <base>/jwks.json}; the JWKS document may be
an X.509 map (Firebase's form) just as well, served as it is.
It picks a free port and writes it to PORT_FILE once listening. Python's
standard library only, so CI needs nothing beyond python3: a test server in
C would be more code than the component it tests, and this one is easy to
steer between steps."""
import hashlib
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

state = {"doc": b"", "etag": "", "max_age": 60, "cache_control": "", "etag_override": "",
         "requests": 0, "ok": 0, "not_modified": 0, "failed": 0, "discovery": 0,
         "disc": None, "tls": False}
DISCOVERY = "/.well-known/openid-configuration"
# Misbehaviours: name -> [remaining count, parameters].
modes = {}
lock = threading.Lock()


def load(path):
    with open(path, "rb") as f:
        doc = f.read()
    state["doc"] = doc
    state["etag"] = '"' + hashlib.sha256(doc).hexdigest()[:16] + '"'


def take(name):
    """The parameters of misbehaviour `name` if it applies to this request."""
    m = modes.get(name)
    if not m or m[0] <= 0:
        return None
    m[0] -= 1
    return m[1]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def jwks(self):
        """The /jwks.json answer: (action, args) decided under the lock, acted on outside it."""
        state["requests"] += 1
        for name in ("hang", "redirect", "big", "drip", "headers"):
            p = take(name)
            if p is not None:
                return name, p
        if take("fail") is not None:
            state["failed"] += 1
            return "send", (500, b"down\n", [])
        if take("garbage") is not None:
            return "send", (200, b'{"keys": "not a list"}', [("ETag", '"garbage"')])
        etag = state["etag_override"] or state["etag"]
        cc = state["cache_control"] or "max-age=%d" % state["max_age"]
        cache = [("ETag", etag), ("Cache-Control", cc)]
        if self.headers.get("If-None-Match") == etag:
            state["not_modified"] += 1
            return "send", (304, b"", cache)
        state["ok"] += 1
        return "send", (200, state["doc"], cache + [("Content-Type", "application/json")])

    def discovery(self, path):
        """The discovery document for the issuer at path (before /.well-known)."""
        state["discovery"] += 1
        disc = state["disc"]
        if isinstance(disc, bytes):
            return disc
        base = ("https" if state["tls"] else "http") + "://" + self.headers.get("Host", "")
        doc = {"issuer": base + path[:-len(DISCOVERY)], "jwks_uri": base + "/jwks.json",
               "id_token_signing_alg_values_supported": ["RS256"]}
        if disc is not None:
            doc = {k: disc[k] for k in ("issuer", "jwks_uri") if k in disc}
            if "pad" in disc:
                doc["pad"] = "p" * int(disc["pad"])
        return json.dumps(doc).encode()

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path.endswith(DISCOVERY):
            with lock:
                body = self.discovery(url.path)
            return self.send(200, body, [("Content-Type", "application/json")])
        if url.path == "/jwks.json":
            with lock:
                action, p = self.jwks()
                doc = state["doc"]
            if action == "send":
                return self.send(*p)
            if action == "hang":
                time.sleep(3600)  # the connection stays open, unanswered
                return None
            if action == "redirect":
                return self.send(302, b"", [("Location", p["to"])])
            if action == "big":
                n = int(p["bytes"])
                self.send_response(200)
                if p.get("length", "1") == "1":
                    self.send_header("Content-Length", str(n))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                chunk = b" " * 65536
                try:
                    while n > 0:
                        self.wfile.write(chunk[:n])
                        n -= len(chunk)
                except OSError:
                    pass
                return None
            if action == "drip":
                self.send_response(200)
                self.send_header("Content-Length", str(len(doc)))
                self.end_headers()
                try:
                    for b in doc:
                        self.wfile.write(bytes([b]))
                        self.wfile.flush()
                        time.sleep(int(p.get("ms", "100")) / 1000)
                except OSError:
                    pass
                return None
            if action == "headers":
                pad = [("X-Pad-%d" % i, "p" * 1000) for i in range(int(p["kb"]))]
                return self.send(200, doc, pad)
        with lock:
            if url.path == "/admin/set":
                load(q["file"])
            elif url.path == "/admin/max-age":
                state["max_age"] = int(q["s"])
            elif url.path == "/admin/cache-control":
                state["cache_control"] = q.get("v", "")
            elif url.path == "/admin/etag":
                state["etag_override"] = q.get("v", "")
            elif url.path.startswith("/admin/") and url.path[7:] in (
                    "fail", "garbage", "hang", "redirect", "big", "drip", "headers"):
                modes[url.path[7:]] = [int(q.get("n", "1")), q]
            elif url.path == "/admin/discovery":
                state["disc"] = q["raw"].encode() if "raw" in q else (q or None)
            elif url.path == "/admin/stats":
                pass
            else:
                return self.send(404)
            stats = {k: state[k] for k in ("requests", "ok", "not_modified", "failed", "discovery")}
            return self.send(200, json.dumps(stats).encode() + b"\n")


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that hangs up early (the tests' limits) is no news


class TLSServer(Server):
    """The TLS handshake in the connection's thread: a client that gives up
    half-way (a failed verification) cannot hold up the next one."""

    def finish_request(self, request, client_address):
        try:
            request = self.ctx.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        super().finish_request(request, client_address)


def main():
    args = sys.argv[1:]
    bind, tls, port = "127.0.0.1", None, 0
    if "--port" in args:
        i = args.index("--port")
        port = int(args[i + 1])
        del args[i:i + 2]
    if "--bind" in args:
        i = args.index("--bind")
        bind = args[i + 1]
        del args[i:i + 2]
    if "--tls" in args:
        i = args.index("--tls")
        tls = args[i + 1:i + 3]
        del args[i:i + 3]
    port_file, jwks = args[0], args[1]
    if len(args) > 2:
        state["max_age"] = int(args[2])
    load(jwks)
    state["tls"] = tls is not None
    server = (TLSServer if tls else Server)((bind, port), Handler)
    server.daemon_threads = True
    if tls:
        server.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.ctx.load_cert_chain(tls[0], tls[1])
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
