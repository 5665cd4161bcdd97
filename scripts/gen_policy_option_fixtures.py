#!/usr/bin/env python3
"""Tokens for the policy options of issue 25 item 4 (expected subject, every
audience required, azp required, scopes) and for routing by issuer, signed by
an independent implementation (PyJWT over `cryptography`).

Two issuers, as a team serving Clerk and Logto from one verifier would have:
  A  https://clerk.example.com      RS256, kid "a-rsa"            (jwks-a.json)
  B  https://tenant.logto.app/oidc  ES384, kid "b-ec", and an RSA
                                    key "b-rsa" (a rotated tenant) (jwks-b.json)

Writes core/tests/data/policyopts/:
  jwks-a.json, jwks-b.json   the public keys
  tokens.json                {now, tokens: {name: token}}; the names say what
                             each token is; the tests assert the verdicts.

Run: pip install pyjwt cryptography && python3 scripts/gen_policy_option_fixtures.py
Keys are fresh on every run; the outputs are committed, so tests need no Python.
"""
import base64
import json
import os

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "core", "tests", "data", "policyopts")
NOW = 1764000000
IAT = NOW - 60
EXP = NOW + 3600

ISS_A = "https://clerk.example.com"
ISS_B = "https://tenant.logto.app/oidc"
APP = "https://app.example.com"
API = "https://api.example.com"
BILLING = "https://billing.example.com"


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def uint(n: int, size=None) -> bytes:
    size = size or (n.bit_length() + 7) // 8
    return n.to_bytes(size, "big")


def rsa_jwk(key, kid):
    n = key.public_key().public_numbers()
    return {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
            "n": b64u(uint(n.n)), "e": b64u(uint(n.e))}


def ec_jwk(key, kid):
    n = key.public_key().public_numbers()
    return {"kty": "EC", "kid": kid, "use": "sig", "alg": "ES384", "crv": "P-384",
            "x": b64u(uint(n.x, 48)), "y": b64u(uint(n.y, 48))}


a_rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
b_ec = ec.generate_private_key(ec.SECP384R1())
b_rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)

tokens = {}


def tok(name, claims, key, alg, kid, typ):
    headers = {"kid": kid}
    if typ:
        headers["typ"] = typ
    tokens[name] = jwt.encode(claims, key, algorithm=alg, headers=headers)


def clerk(**extra):
    c = {"iss": ISS_A, "sub": "user_123", "azp": APP, "sid": "sess_1",
         "iat": IAT, "nbf": IAT - 10, "exp": EXP}
    c.update(extra)
    return {k: v for k, v in c.items() if v is not None}


def logto(**extra):
    c = {"iss": ISS_B, "sub": "u-42", "aud": API, "client_id": "app-1",
         "jti": "j-1", "scope": "read:x", "iat": IAT, "exp": EXP}
    c.update(extra)
    return {k: v for k, v in c.items() if v is not None}


# Issuer A (Clerk session tokens).
tok("a_user", clerk(), a_rsa, "RS256", "a-rsa", "JWT")
tok("a_no_azp", clerk(azp=None), a_rsa, "RS256", "a-rsa", "JWT")
tok("a_no_sub", clerk(sub=None), a_rsa, "RS256", "a-rsa", "JWT")
tok("a_other_sub", clerk(sub="user_999"), a_rsa, "RS256", "a-rsa", "JWT")

# Issuer B (Logto access tokens).
tok("b_one_aud", logto(), b_ec, "ES384", "b-ec", "at+jwt")
tok("b_two_aud", logto(aud=[API, BILLING], scope="read:x write:x"), b_ec, "ES384", "b-ec", "at+jwt")
tok("b_other_aud", logto(aud="https://other.example.com"), b_ec, "ES384", "b-ec", "at+jwt")
# Okta's form: scopes as an array in `scp`, no `scope`.
tok("b_scp_array", logto(scope=None, scp=["read:x", "write:x"]), b_ec, "ES384", "b-ec", "at+jwt")
tok("b_expired", logto(iat=NOW - 7200, exp=NOW - 3600), b_ec, "ES384", "b-ec", "at+jwt")

# Routing: a token claiming issuer A, signed by B's RSA key. With A's kid it
# reaches A's key, which refuses the signature; with B's kid, A has no such key.
tok("iss_a_signed_by_b", clerk(), b_rsa, "RS256", "a-rsa", "JWT")
tok("iss_a_signed_by_b_kid_b", clerk(), b_rsa, "RS256", "b-rsa", "JWT")
# An issuer no route names, signed by B's key.
tok("iss_unknown", logto(iss="https://evil.example.com"), b_ec, "ES384", "b-ec", "at+jwt")
# No `iss` at all.
tok("no_iss", clerk(iss=None), a_rsa, "RS256", "a-rsa", "JWT")

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "jwks-a.json"), "w") as f:
    json.dump({"keys": [rsa_jwk(a_rsa, "a-rsa")]}, f, indent=1)
    f.write("\n")
with open(os.path.join(OUT, "jwks-b.json"), "w") as f:
    json.dump({"keys": [ec_jwk(b_ec, "b-ec"), rsa_jwk(b_rsa, "b-rsa")]}, f, indent=1)
    f.write("\n")
with open(os.path.join(OUT, "tokens.json"), "w") as f:
    json.dump({"now": NOW, "tokens": tokens}, f, indent=1)
    f.write("\n")
for name, t in tokens.items():
    with open(os.path.join(OUT, name + ".jwt"), "w") as f:
        f.write(t + "\n")
print(f"wrote {len(tokens)} tokens to {OUT}")
