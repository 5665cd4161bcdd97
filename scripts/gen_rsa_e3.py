#!/usr/bin/env python3
"""A 2048-bit RSA key with e = 3 and its RS256 / PS256 signatures, made by
Python's `cryptography` (independent of libverifier), for rsa.rs's
`e3_key_verifies`: every exponent path of the 2048-bit class (on the host,
and with the `rsa-d13` feature the WebAssembly build's 13-bit digits) must
accept an independent signer's e = 3 signatures, not only e = 65537.

Writes core/tests/data/rsa_e3.json: n (hex, 256 bytes), the message, and
the PKCS#1 v1.5 and PSS (salt = 32) signatures over its SHA-256 (hex); and
core/tests/data/rsa_e3_tokens.json, for go/rsa_e3_test.go (both Go backends,
so also the WebAssembly build's 13-bit digits in the real module): the key as
a JWK and an RS256 and a PS256 token signed with it (compact JWS made here,
RFC 7515).

Run: pip install cryptography && python3 scripts/gen_rsa_e3.py
The key is fresh on every run; the output is committed.
"""
import base64
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "core", "tests", "data", "rsa_e3.json")
MSG = b"libverifier: a 2048-bit key with e = 3"

key = rsa.generate_private_key(public_exponent=3, key_size=2048)
n = key.public_key().public_numbers().n
assert n.bit_length() == 2048
pkcs1 = key.sign(MSG, padding.PKCS1v15(), hashes.SHA256())
pss = key.sign(
    MSG,
    padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
    hashes.SHA256(),
)


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def jws(alg, pad):
    header = {"alg": alg, "typ": "JWT", "kid": "e3"}
    claims = {"iss": "https://e3.example", "sub": "user-e3", "iat": 1764000000, "exp": 1764000600}
    signing_input = (
        b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64(json.dumps(claims, separators=(",", ":")).encode())
    )
    return signing_input + "." + b64(key.sign(signing_input.encode(), pad, hashes.SHA256()))


tokens = {
    "now": 1764000300,
    "jwk": {"kty": "RSA", "kid": "e3", "n": b64(n.to_bytes(256, "big")), "e": b64(b"\x03")},
    "rs256": jws("RS256", padding.PKCS1v15()),
    "ps256": jws("PS256", padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)),
}

with open(OUT, "w") as f:
    json.dump(
        {
            "n": n.to_bytes(256, "big").hex(),
            "e": 3,
            "msg": MSG.decode(),
            "rs256": pkcs1.hex(),
            "ps256_salt32": pss.hex(),
        },
        f,
        indent=1,
    )
    f.write("\n")
tokens_out = os.path.join(ROOT, "core", "tests", "data", "rsa_e3_tokens.json")
with open(tokens_out, "w") as f:
    json.dump(tokens, f, indent=1)
    f.write("\n")
