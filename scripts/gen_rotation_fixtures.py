#!/usr/bin/env python3
"""Fixtures for key rotation in the C server test (examples/c): a second
Clerk-shaped RSA key ("ins_rotated"), its JWKS, a JWKS holding both keys, and
a token it signs. Independent signer: the openssl command line (RS256 is
PKCS#1 v1.5 over SHA-256, `openssl dgst -sha256 -sign`); Python's stdlib only
frames the JSON and base64url. Re-running makes a new key (nothing else
depends on its value)."""
import base64, json, os, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EX = os.path.join(ROOT, "examples")


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def main():
    with tempfile.TemporaryDirectory() as d:
        key = os.path.join(d, "k.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                        "-out", key], check=True, capture_output=True)
        mod = subprocess.run(["openssl", "rsa", "-in", key, "-noout", "-modulus"], check=True,
                             capture_output=True, text=True).stdout.strip().split("=", 1)[1]
        n = bytes.fromhex(mod)
        jwk = {"kty": "RSA", "n": b64u(n), "e": "AQAB", "kid": "ins_rotated", "use": "sig", "alg": "RS256"}
        header = {"alg": "RS256", "kid": "ins_rotated", "typ": "JWT"}
        claims = {"azp": "https://app.example.com", "exp": 1764000060, "iat": 1763999999,
                  "iss": "https://clerk.example.com", "nbf": 1763999989, "sid": "sess_rotated",
                  "sub": "user_rotated", "v": 2}
        signing_input = b64u(json.dumps(header, separators=(",", ":")).encode()) + "." + \
            b64u(json.dumps(claims, separators=(",", ":")).encode())
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing_input.encode(),
                             check=True, capture_output=True).stdout
    token = signing_input + "." + b64u(sig)
    with open(os.path.join(EX, "keys", "clerk-jwks.json")) as f:
        old = json.load(f)["keys"]
    with open(os.path.join(EX, "keys", "clerk-rotated-jwks.json"), "w") as f:
        f.write(json.dumps({"keys": [jwk]}, indent=1) + "\n")
    with open(os.path.join(EX, "keys", "clerk-both-jwks.json"), "w") as f:
        f.write(json.dumps({"keys": old + [jwk]}, indent=1) + "\n")
    with open(os.path.join(EX, "tokens", "clerk-rotated.jwt"), "w") as f:
        f.write(token + "\n")


if __name__ == "__main__":
    main()
