#!/usr/bin/env python3
"""Generate the benchmark keys and tokens with PyJWT/`cryptography` (never with
the code under test). Writes benches/data/cases.json; the output is committed
so benchmarks need no Python. Run: python3 benches/gen_data.py

Tokens expire in 2100 so every library can check them against its own clock.
"""
import base64
import json
import os

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
IAT = 1764000000
EXP = 4102444800


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def uint(n, size=None):
    size = size or (n.bit_length() + 7) // 8
    return n.to_bytes(size, "big")


def pem(pub):
    return pub.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def jwk(kid, pub):
    if isinstance(pub, rsa.RSAPublicKey):
        n = pub.public_numbers()
        return {"kty": "RSA", "kid": kid, "use": "sig", "n": b64u(uint(n.n)), "e": b64u(uint(n.e))}
    if isinstance(pub, ec.EllipticCurvePublicKey):
        n = pub.public_numbers()
        crv, size = {"secp256r1": ("P-256", 32), "secp384r1": ("P-384", 48)}[pub.curve.name]
        return {"kty": "EC", "kid": kid, "use": "sig", "crv": crv,
                "x": b64u(uint(n.x, size)), "y": b64u(uint(n.y, size))}
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "kid": kid, "use": "sig", "crv": "Ed25519", "x": b64u(raw)}


def make(kind):
    if kind.startswith("rsa"):
        return rsa.generate_private_key(65537, int(kind[3:]))
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "p384":
        return ec.generate_private_key(ec.SECP384R1())
    return ed25519.Ed25519PrivateKey.generate()


CLERK = {
    "azp": "https://app.example.com",
    "exp": EXP,
    "fea": "o:analytics,o:billing,o:sso",
    "fva": [12, -1],
    "iat": IAT,
    "iss": "https://clerk.example.com",
    "jti": "a1b2c3d4e5f6a7b8c9d0",
    "nbf": IAT - 10,
    "o": {"id": "org_2abcDEFghiJKLmnoPQRstu", "rol": "admin", "slg": "acme-inc",
          "per": "manage,read,write,billing", "fpm": "3,7,1"},
    "pla": "u:pro",
    "sid": "sess_2abcDEFghiJKLmnoPQRstuVWX",
    "sts": "active",
    "sub": "user_2abcDEFghiJKLmnoPQRstuVWX",
    "v": 2,
    "email": "ada.lovelace@example.com",
}
LOGTO = {
    "jti": "lGqbFWAxn2zWa0bGmQNLb",
    "sub": "m2mapp",
    "iat": IAT,
    "exp": EXP,
    "scope": "read:orders write:orders read:profile",
    "client_id": "m2mapp",
    "iss": "https://tenant.logto.app/oidc",
    "aud": "https://api.example.com",
}
LARGE = dict(CLERK)
LARGE["aud"] = "https://api.example.com"
LARGE["permissions"] = [f"org:feature_{i:02}:{verb}" for i in range(14) for verb in ("read", "write", "admin")]
LARGE["groups"] = [f"team-{i:03}" for i in range(30)]
LARGE["profile"] = {"name": "Ada Lovelace", "locale": "en-GB", "zoneinfo": "Europe/London",
                    "picture": "https://img.example.com/u/user_2abcDEFghiJKLmnoPQRstuVWX/avatar.png",
                    "bio": "Analyst. " * 10}

SHAPES = {"clerk": (CLERK, "JWT"), "logto": (LOGTO, "at+jwt"), "large": (LARGE, "JWT")}

# (group, alg, key kind, shapes). Every RSA algorithm at every modulus size a
# provider uses (2048, 3072, 4096): the group is named ALG-BITS.
RSA_GROUPS = [(f"{alg}-{bits}", alg, f"rsa{bits}",
               ["clerk", "logto", "large"] if (alg, bits) == ("RS256", 2048) else ["clerk"])
              for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
              for bits in [2048, 3072, 4096]]
GROUPS = RSA_GROUPS + [
    ("ES256", "ES256", "p256", ["clerk", "logto", "large"]),
    ("ES384", "ES384", "p384", ["clerk", "logto", "large"]),
    ("EdDSA", "EdDSA", "ed25519", ["clerk"]),
    ("HS256", "HS256", "hs256", ["clerk"]),
]


def main():
    privs = {}
    keys = {}
    for kind in ["rsa2048", "rsa3072", "rsa4096", "p256", "p384", "ed25519"]:
        priv = make(kind)
        privs[kind] = priv
        # Three keys in the set, as a provider's JWKS has during rotation.
        others = [make(kind).public_key() for _ in range(2)]
        doc = {"keys": [jwk(f"{kind}-old1", others[0]), jwk(f"{kind}-main", priv.public_key()),
                        jwk(f"{kind}-old2", others[1])]}
        # The signing key three ways: in the JWKS (libverifier), alone as a
        # JWK (jsonwebtoken keyed as JWKS users key it) and as SPKI PEM.
        keys[kind] = {"kid": f"{kind}-main", "jwks": json.dumps(doc),
                      "jwk": json.dumps(doc["keys"][1]), "pem": pem(priv.public_key())}
    secret = os.urandom(32)
    privs["hs256"] = secret
    keys["hs256"] = {"kid": "hs256-main", "secret": b64u(secret)}

    tokens = []
    for group, alg, kind, shapes in GROUPS:
        for shape in shapes:
            claims, typ = SHAPES[shape]
            headers = {"kid": keys[kind]["kid"], "typ": typ}
            token = jwt.encode(claims, privs[kind], algorithm=alg, headers=headers)
            tokens.append({"group": group, "alg": alg, "key": kind, "shape": shape, "token": token})
            print(f"{group:11} {shape:6} {len(token):5} bytes")
    out = {"iat": IAT, "exp": EXP, "keys": keys, "tokens": tokens}
    with open(os.path.join(HERE, "data", "cases.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
