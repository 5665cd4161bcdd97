#!/usr/bin/env python3
"""A JWKS endpoint for the tests, on loopback only, with knobs the tests turn.

    jwks_server.py PORT_FILE JWKS_FILE [MAX_AGE]

Serves GET /jwks.json with an ETag (a hash of the body) and
`Cache-Control: max-age=MAX_AGE`, and 304 for a matching If-None-Match.
Control, for the test driving it:
    GET /admin/set?file=PATH      serve another JWKS document from now on
    GET /admin/fail?n=N           answer the next N JWKS requests with 500
    GET /admin/garbage?n=N        answer the next N with 200 and a body that is not a JWKS
    GET /admin/max-age?s=S        change the max-age
    GET /admin/stats              {"requests": .., "ok": .., "not_modified": .., "failed": ..}
It picks a free port and writes it to PORT_FILE once listening. Python's
standard library only, so CI needs nothing beyond python3: a test server in
C would be more code than the component it tests, and this one is easy to
steer between steps."""
import hashlib
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

state = {"doc": b"", "etag": "", "max_age": 60, "fail": 0, "garbage": 0,
         "requests": 0, "ok": 0, "not_modified": 0, "failed": 0}
lock = threading.Lock()


def load(path):
    with open(path, "rb") as f:
        doc = f.read()
    state["doc"] = doc
    state["etag"] = '"' + hashlib.sha256(doc).hexdigest()[:16] + '"'


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

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        with lock:
            if url.path == "/jwks.json":
                state["requests"] += 1
                if state["fail"] > 0:
                    state["fail"] -= 1
                    state["failed"] += 1
                    return self.send(500, b"down\n")
                if state["garbage"] > 0:
                    state["garbage"] -= 1
                    return self.send(200, b'{"keys": "not a list"}', [("ETag", '"garbage"')])
                cache = [("ETag", state["etag"]), ("Cache-Control", "max-age=%d" % state["max_age"])]
                if self.headers.get("If-None-Match") == state["etag"]:
                    state["not_modified"] += 1
                    return self.send(304, b"", cache)
                state["ok"] += 1
                return self.send(200, state["doc"], cache + [("Content-Type", "application/json")])
            if url.path == "/admin/set":
                load(q["file"])
            elif url.path == "/admin/fail":
                state["fail"] = int(q["n"])
            elif url.path == "/admin/garbage":
                state["garbage"] = int(q["n"])
            elif url.path == "/admin/max-age":
                state["max_age"] = int(q["s"])
            elif url.path == "/admin/stats":
                pass
            else:
                return self.send(404)
            stats = {k: state[k] for k in ("requests", "ok", "not_modified", "failed")}
            return self.send(200, json.dumps(stats).encode() + b"\n")


def main():
    port_file, jwks = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3:
        state["max_age"] = int(sys.argv[3])
    load(jwks)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
