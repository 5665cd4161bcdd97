#!/usr/bin/env python3
"""Generate the firmware's pinned keys and tokens with an independent signer
(Python `cryptography` + PyJWT), so the device check never trusts its own output.

Writes firmware/data/: es256.jwk.json, rs256.jwk.json (public JWKs) and one
token file per case, read by src/cases.rs with include_bytes!.

Run: pip install pyjwt cryptography && python3 firmware/gen_fixtures.py
Keys are fresh on every run; the outputs are committed, so builds need no Python.
"""
import base64
import hashlib
import hmac
import json
import os

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

NOW = 1764000000  # the `now` the firmware checks every case at (src/cases.rs)
ISS = "https://auth.example.com"
AUD = "https://devices.example.com"
AZP = "https://console.example.com"
CLIENT = "fleet-ota"
SUB = "device-7f3a9c"


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def uint(n: int, size=None) -> bytes:
    size = size or (n.bit_length() + 7) // 8
    return n.to_bytes(size, "big")


def jwk(kid, alg, pub):
    n = pub.public_numbers()
    if alg == "RS256":
        j = {"kty": "RSA", "n": b64u(uint(n.n)), "e": b64u(uint(n.e))}
    else:
        j = {"kty": "EC", "crv": "P-256", "x": b64u(uint(n.x, 32)), "y": b64u(uint(n.y, 32))}
    j.update({"kid": kid, "use": "sig", "alg": alg})
    return j


def claims(**over):
    c = {
        "iss": ISS,
        "sub": SUB,
        "aud": [AUD, "https://other.example.com"],
        "azp": AZP,
        "client_id": CLIENT,
        "scope": "read:telemetry write:config",
        "iat": NOW - 60,
        "nbf": NOW - 60,
        "exp": NOW + 600,
        "jti": "a1b2c3d4",
    }
    c.update(over)
    return c


def sign(payload, key, alg, kid):
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return jwt.api_jws.PyJWS().encode(raw, key, algorithm=alg, headers={"kid": kid, "typ": "at+jwt"})


def tamper_payload(token):
    """Same header and signature, payload with another subject: must fail the signature."""
    h, p, s = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    body["sub"] = "device-000000"
    return ".".join([h, b64u(json.dumps(body, separators=(",", ":")).encode()), s])


def main():
    os.makedirs(DATA, exist_ok=True)
    keys = {
        "es256": ("dev-ec-1", "ES256", ec.generate_private_key(ec.SECP256R1())),
        "rs256": ("dev-rsa-1", "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    }
    for name, (kid, alg, priv) in keys.items():
        with open(os.path.join(DATA, f"{name}.jwk.json"), "w") as f:
            json.dump(jwk(kid, alg, priv.public_key()), f, separators=(",", ":"))
        ok = sign(claims(), priv, alg, kid)
        cases = {
            "ok": ok,
            "tampered": tamper_payload(ok),
            "expired": sign(claims(iat=NOW - 7200, nbf=NOW - 7200, exp=NOW - 3600), priv, alg, kid),
            "wrong_aud": sign(claims(aud="https://elsewhere.example.com"), priv, alg, kid),
            "no_scope": sign(claims(scope="read:telemetry"), priv, alg, kid),
        }
        for case, token in cases.items():
            with open(os.path.join(DATA, f"{name}.{case}.jwt"), "w") as f:
                f.write(token)
    # Tokens no pinned key may accept, whatever the build carries.
    body = b64u(json.dumps(claims(), separators=(",", ":")).encode())
    unsigned = b64u(b'{"alg":"none","typ":"at+jwt"}') + "." + body + "."
    rsa_jwk = open(os.path.join(DATA, "rs256.jwk.json"), "rb").read()
    # The classic confusion: HS256 keyed with the RSA public key's bytes.
    # PyJWT refuses to do it, so it is signed by hand.
    head = b64u(b'{"alg":"HS256","kid":"dev-rsa-1","typ":"at+jwt"}')
    mac = hmac.new(rsa_jwk, f"{head}.{body}".encode(), hashlib.sha256).digest()
    confused = f"{head}.{body}.{b64u(mac)}"
    for case, token in {"alg_none": unsigned, "hs256_confusion": confused}.items():
        with open(os.path.join(DATA, f"any.{case}.jwt"), "w") as f:
            f.write(token)


if __name__ == "__main__":
    main()
