#!/usr/bin/env python3
"""PS256/384/512 tokens with every salt length a signer may use, signed by
Python's `cryptography` (independent of libverifier), for issue 24: RFC 7518
3.5 wants salt = hash length; older golang-jwt and Go's PSSSaltLengthAuto
sign with the maximum salt (PSS.MAX_LENGTH here), which libverifier refuses
as `pss_salt_length` unless the key allows any salt.

Writes core/tests/data/pss_salt.json: two RSA keys (2048 bits, and 2049,
whose encoded message is one byte shorter than the modulus) as a JWKS
without "alg", and tokens with salt = digest length, the maximum, and 0.
A key no token is signed with is added for wrong-key cases. For the C tests,
plain files beside it: pss_salt_jwks.json (the same keys plus one with
e = 2^32 + 1, which a load must skip), pss_salt_big_e.jwk.json (that key
alone) and pss_salt_max.jwt (PS256 with the maximum salt, 222 bytes).

Run: pip install cryptography && python3 scripts/gen_pss_salt.py
Keys are fresh on every run; the output is committed.
"""
import base64
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "core", "tests", "data", "pss_salt.json")
NOW = 1764000000


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def uint(n: int) -> bytes:
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


def jwk(kid, pub):
    nums = pub.public_numbers()
    return {"kty": "RSA", "kid": kid, "n": b64u(uint(nums.n)), "e": b64u(uint(nums.e))}


HASHES = {"PS256": hashes.SHA256(), "PS384": hashes.SHA384(), "PS512": hashes.SHA512()}


def probable_prime(bits: int) -> int:
    """A random prime of `bits` bits whose top two bits are 10 (Miller-Rabin,
    64 rounds): OpenSSL rounds an odd key size down, so the 2049-bit key is
    made from its primes."""
    small = [p for p in range(3, 2000, 2) if all(p % d for d in range(3, int(p ** 0.5) + 1, 2))]
    while True:
        n = int.from_bytes(os.urandom((bits + 7) // 8), "big")
        n = (n >> (n.bit_length() - bits + 2) if n.bit_length() > bits - 2 else n) | (1 << (bits - 1)) | 1
        n &= ~(1 << (bits - 2))
        if any(n % p == 0 for p in small):
            continue
        d, r = n - 1, 0
        while d % 2 == 0:
            d, r = d // 2, r + 1
        for _ in range(64):
            a = 2 + int.from_bytes(os.urandom(8), "big") % (n - 4)
            x = pow(a, d, n)
            if x in (1, n - 1):
                continue
            for _ in range(r - 1):
                x = pow(x, 2, n)
                if x == n - 1:
                    break
            else:
                break
        else:
            return n


def rsa_of_bits(bits: int):
    """An RSA private key whose modulus has exactly `bits` bits (e = 65537)."""
    e = 65537
    while True:
        p, q = probable_prime(bits // 2 + 1), probable_prime(bits - bits // 2)
        n = p * q
        if p == q or n.bit_length() != bits:
            continue
        phi = (p - 1) * (q - 1)
        try:
            d = pow(e, -1, phi)
        except ValueError:
            continue
        nums = rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q),
                                     rsa.rsa_crt_iqmp(p, q), rsa.RSAPublicNumbers(e, n))
        return nums.private_key()


def main():
    priv = {"rsa2048": rsa.generate_private_key(65537, 2048),
            "rsa2049": rsa_of_bits(2049)}
    assert priv["rsa2049"].key_size == 2049
    other = rsa.generate_private_key(65537, 2048)
    keys = [jwk(kid, k.public_key()) for kid, k in priv.items()]
    keys.append(jwk("other", other.public_key()))
    claims = {"sub": "user_pss", "iat": NOW - 10, "exp": NOW + 600}
    tokens = []
    for kid, key in priv.items():
        for alg, h in HASHES.items():
            em_len = (key.key_size - 1 + 7) // 8
            max_salt = em_len - h.digest_size - 2
            for label, salt in [("digest", h.digest_size), ("max", padding.PSS.MAX_LENGTH), ("zero", 0)]:
                header = {"alg": alg, "typ": "JWT", "kid": kid}
                signing_input = (b64u(json.dumps(header, separators=(",", ":")).encode()) + "." +
                                 b64u(json.dumps(claims, separators=(",", ":")).encode()))
                sig = key.sign(signing_input.encode(),
                               padding.PSS(mgf=padding.MGF1(h), salt_length=salt), h)
                # The verifier's own check, with the salt it must find.
                want = max_salt if salt is padding.PSS.MAX_LENGTH else salt
                key.public_key().verify(sig, signing_input.encode(),
                                        padding.PSS(mgf=padding.MGF1(h), salt_length=want), h)
                tokens.append({"name": f"{kid} {alg} salt {label}", "kid": kid, "alg": alg,
                               "salt_len": want, "hash_len": h.digest_size,
                               "token": signing_input + "." + b64u(sig)})
    data = os.path.dirname(OUT)
    big_e = {"kty": "RSA", "kid": "big-e", "n": keys[0]["n"], "e": b64u(uint(2**32 + 1))}
    with open(os.path.join(data, "pss_salt_jwks.json"), "w") as f:
        json.dump({"keys": keys + [big_e]}, f, indent=1)
        f.write("\n")
    with open(os.path.join(data, "pss_salt_big_e.jwk.json"), "w") as f:
        json.dump(big_e, f)
        f.write("\n")
    with open(os.path.join(data, "pss_salt_max.jwt"), "w") as f:
        f.write(next(t["token"] for t in tokens if t["name"] == "rsa2048 PS256 salt max") + "\n")
    with open(OUT, "w") as f:
        json.dump({"signer": "python cryptography " + __import__("cryptography").__version__,
                   "now": NOW, "jwks": {"keys": keys}, "tokens": tokens}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
