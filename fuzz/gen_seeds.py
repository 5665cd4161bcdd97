#!/usr/bin/env python3
"""Write the committed seed corpora fuzz/seeds/<target>/ from the test vectors.

Sources: core/tests/data (tokens and keys made by scripts/gen_fixtures.py),
examples/, and ../shared/testvectors (Wycheproof JWS/JWK, RFC 7520). Kept
small (well under 1 MB in total): libFuzzer grows its own corpus from these.
Run from anywhere: python3 fuzz/gen_seeds.py
"""
import base64
import hashlib
import json
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")
DATA = os.path.join(ROOT, "core", "tests", "data")
VECTORS = os.path.join(os.path.dirname(ROOT), "shared", "testvectors")


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    # Content-addressed like libFuzzer's own corpus files: no duplicates.
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def read(*parts):
    with open(os.path.join(*parts), "rb") as f:
        return f.read()


def pem_der(pem):
    lines = [l for l in pem.decode().splitlines() if l and not l.startswith("-----")]
    return base64.b64decode("".join(lines))


def main():
    # Only the generated (content-addressed) seeds are replaced: inputs kept
    # by hand from fuzzing runs (regress*/regression*) stay.
    for d, _, files in os.walk(SEEDS):
        for f in files:
            if len(f) == 40 and all(c in "0123456789abcdef" for c in f):
                os.remove(os.path.join(d, f))
    rng = random.Random(7)
    tokens = json.loads(read(DATA, "tokens.json"))["cases"]
    jws_vectors = []
    wp = os.path.join(VECTORS, "wycheproof", "json_web_signature_test.json")
    if os.path.exists(wp):
        doc = json.loads(read(wp))
        for g in doc["testGroups"]:
            jws_vectors += [t["jws"] for t in g["tests"] if isinstance(t.get("jws"), str)]
            for k in ("private", "public"):
                if isinstance(g.get(k), dict):
                    write("keys", b"\x01" + json.dumps(g[k]).encode())
                    write("json", json.dumps(g[k]))
    all_tokens = [c["token"] for c in tokens] + jws_vectors
    for name in ("clerk.jwt", "logto.jwt"):
        all_tokens.append(read(ROOT, "examples", "tokens", name).decode().strip())

    # verify_token: one token per case kind (valid, tampered, ...) and algorithm.
    seen = set()
    for c in tokens:
        kind = " ".join(c["name"].split()[:2])
        key = (kind, c["token"].split(".")[0])
        if key not in seen:
            seen.add(key)
            write("verify_token", c["token"])
    for t in jws_vectors[::6]:
        write("verify_token", t)
    for name in ("clerk.jwt", "logto.jwt"):
        write("verify_token", read(ROOT, "examples", "tokens", name).strip())

    # json: every distinct header and payload, key documents, edge cases.
    docs = set()
    for t in all_tokens:
        for seg in t.split(".")[:2]:
            try:
                docs.add(b64d(seg))
            except Exception:
                pass
    for d in sorted(docs)[:150]:
        write("json", d)
    for f in ("jwks.json",):
        write("json", read(DATA, "keys", f))
    for f in ("clerk-jwks.json", "logto-jwks.json"):
        write("json", read(ROOT, "examples", "keys", f))
    edge = [
        "{}", "[]", '""', "0", "-0", "1.5e-3", "1e400", "-1e400", "123456789012345678901234567890",
        '{"a":1,"a":2}', '{"a":1,"\\u0061":2}', '{"a":{"b":1,"b":2}}',
        "[" * 32 + "]" * 32, "[" * 33 + "]" * 33, '{"a":' * 32 + "1" + "}" * 32,
        "{" + ",".join('"k%d":%d' % (i, i) for i in range(256)) + "}",
        "{" + ",".join('"k%d":%d' % (i, i) for i in range(257)) + "}",
        '"\\ud83d\\ude00"', '"\\ud800"', '"\\udc00"', '"\\ud800\\u0041"', '"\\u0000"',
        '"\t"', '"\x7f"', '"\xc3\xa9"', "\ufeff{}", " { } ", '{"a":[1,2,{"b":null}],"c":true}',
        "01", "1.", ".5", "+1", "1e", "--1", "[1,]", '{"a":1,}', "nul", "truex", "[1 2]",
    ]
    for e in edge:
        write("json", e)
    cb = os.path.join(VECTORS, "jose-cookbook")
    if os.path.isdir(cb):
        for f in sorted(os.listdir(cb)):
            if f.endswith(".json"):
                text = read(cb, f)
                if len(text) < 8192:
                    write("json", text)

    # keys: first byte picks the loader (0 JWKS, 1 JWK, 2 PEM, 3 SPKI DER, 4 cert DER or X.509 map, 5 HMAC).
    for jwks in (read(DATA, "keys", "jwks.json"),
                 read(ROOT, "examples", "keys", "clerk-jwks.json"),
                 read(ROOT, "examples", "keys", "logto-jwks.json")):
        write("keys", b"\x00" + jwks)
        for k in json.loads(jwks)["keys"]:
            write("keys", b"\x01" + json.dumps(k).encode())
    pems = [read(DATA, "keys", f) for f in sorted(os.listdir(os.path.join(DATA, "keys"))) if f.endswith(".pem")]
    pems.append(read(ROOT, "examples", "keys", "clerk.pem"))
    for pem in pems:
        write("keys", b"\x02" + pem)
        der = pem_der(pem)
        write("keys", (b"\x04" if b"CERTIFICATE" in pem else b"\x03") + der)
    # 4 with '{' first: an X.509 map (Firebase's kid -> PEM certificate form).
    for f in ("map.json", "map_ec.json", "map_duplicate.json", "map_malformed.json"):
        write("keys", b"\x04" + read(DATA, "x509", f))
    for f in sorted(os.listdir(os.path.join(DATA, "keys"))):
        if f.endswith(".secret.b64url"):
            write("keys", b"\x05" + b64d(read(DATA, "keys", f).decode().strip()))

    # Structure-aware targets read their input through `arbitrary`: seeds are
    # just varied byte strings for libFuzzer to start from.
    for target in ("verify_structured", "rsa_diff", "ecdsa_diff", "ffi"):
        for n in (16, 64, 256, 1024):
            for _ in range(3):
                write(target, bytes(rng.getrandbits(8) for _ in range(n)))


if __name__ == "__main__":
    main()
