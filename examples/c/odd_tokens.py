#!/usr/bin/env python3
"""Provider-signed tokens whose claims are awkward to echo as JSON, for server_test.sh.

    odd_tokens.py DIR

Makes an RSA key with the openssl command-line tool (no Python packages
needed), writes DIR/jwks.json (kid "odd-key") and, for each case, DIR/NAME.jwt
and DIR/NAME.aud (the JSON list of the string `aud` values the server should
echo). Claims are Clerk-shaped (iss https://clerk.example.com, azp
https://app.example.com, exp far in the future) so the clerk preset accepts
them; RS256 signatures are made by `openssl dgst -sha256 -sign`."""
import base64
import json
import os
import subprocess
import sys

ISS = "https://clerk.example.com"
AZP = "https://app.example.com"

CASES = {
    # The first element cannot be echoed (a NUL inside; over the old 512-byte
    # buffer): the old writer skipped it and emitted "aud":[,"myclient"].
    "first_has_nul": ["a\x00b", "myclient"],
    "first_long": ["y" * 600, "myclient"],
    "first_not_string": [5, "myclient"],
    "quotes_backslashes": ['a"b', "c\\d", '\\"', "end\\"],
    "control_escapes": ["tab\there", "nl\nx", "cr\r", "bell\x07", "nul\x00in", "del\x7f"],
    "unicode": ["é", "☃", "😀", "\u2028\u2029", "日本語"],
    "lone_surrogate_escape": "\ud800",  # \ud800 as a JSON escape: no valid UTF-8 for it
    "mixed_types": [None, {"x": 1}, ["y"], True, 3.5, "ok"],
    "empty_array": [],
    "single_string": 'one "quoted" \\ string',
    "long": ["x" * 3000, "short"],
    "empty_string": [""],
}


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    key = os.path.join(out, "key.pem")
    subprocess.run(["openssl", "genrsa", "-out", key, "2048"], check=True, capture_output=True)
    mod = subprocess.run(["openssl", "rsa", "-in", key, "-noout", "-modulus"], check=True,
                         capture_output=True, text=True).stdout.strip().split("=", 1)[1]
    n = bytes.fromhex(mod)
    jwk = {"kty": "RSA", "kid": "odd-key", "alg": "RS256", "use": "sig", "n": b64u(n), "e": "AQAB"}
    with open(os.path.join(out, "jwks.json"), "w") as f:
        json.dump({"keys": [jwk]}, f)
    header = {"alg": "RS256", "kid": "odd-key", "typ": "JWT"}
    for name, aud in CASES.items():
        claims = {"iss": ISS, "azp": AZP, "sub": 'user "odd"\\\n', "sid": "sess\u00e9",
                  "iat": 1763999999, "exp": 4102444800, "aud": aud}
        # ensure_ascii: non-ASCII as \\u escapes, the lone surrogate included.
        signing = b64u(json.dumps(header).encode()) + "." + b64u(json.dumps(claims).encode())
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing.encode(),
                             check=True, capture_output=True).stdout
        with open(os.path.join(out, name + ".jwt"), "w") as f:
            f.write(signing + "." + b64u(sig))
        auds = aud if isinstance(aud, list) else [aud]
        with open(os.path.join(out, name + ".aud"), "w") as f:
            json.dump([a for a in auds if isinstance(a, str)], f)


if __name__ == "__main__":
    main()
