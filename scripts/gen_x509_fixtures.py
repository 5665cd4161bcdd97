#!/usr/bin/env python3
"""X.509 key maps (issue 25, item 2) in the form Google publishes Firebase
ID-token keys in (https://www.googleapis.com/robot/v1/metadata/x509/
securetoken@system.gserviceaccount.com: {"<kid>": "-----BEGIN CERTIFICATE-----..."}),
with certificates and RS256 tokens made by an independent implementation
(`cryptography` and PyJWT), never by our own code.

Writes core/tests/data/x509/:
  map.json            kids a, b: RSA-2048 certificates (self-signed, RS256 keys)
  map_rotated.json    kids b, c: a rotated, c added
  map_ec.json         kid e: a P-256 certificate
  map_ed25519.json    kid x: an Ed25519 certificate        -> key_unsupported
  map_malformed.json  kid m: a certificate cut inside tbsCertificate -> certificate_malformed
  map_public_key.json kid p: a "PUBLIC KEY" PEM, not a certificate -> certificate_malformed
  map_duplicate.json  kid a twice                          -> duplicate_kid
  map_too_many.json   257 entries                          -> too_many_keys
  map_expired.json    kid a with a certificate expired in 2001 (validity is not checked)
  token_a.jwt, token_b.jwt, token_c.jwt, token_e.jwt  signed by those keys
  (iss https://securetoken.google.com/x509-test, aud x509-test, exp 2100)

Run: pip install pyjwt cryptography && python3 scripts/gen_x509_fixtures.py
Keys are fresh on every run; the outputs are committed, so tests need no Python.
"""
import base64
import datetime
import json
import os

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "core", "tests", "data", "x509")
ISS = "https://securetoken.google.com/x509-test"
AUD = "x509-test"


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        f.write(data)


def cert(key, cn, not_before=None, not_after=None):
    nb = not_before or datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    na = not_after or datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    algo = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    c = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(nb).not_valid_after(na).sign(key, algo))
    return c


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM).decode()


def token(key, kid, alg):
    claims = {"iss": ISS, "aud": AUD, "sub": "user-" + kid, "iat": 1764000000,
              "exp": 4102444800, "auth_time": 1764000000}
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid}) + "\n"


rsa_keys = {k: rsa.generate_private_key(public_exponent=65537, key_size=2048) for k in "abc"}
ec_key = ec.generate_private_key(ec.SECP256R1())
ed_key = ed25519.Ed25519PrivateKey.generate()
certs = {k: cert(v, "x509-test " + k) for k, v in rsa_keys.items()}

dump = lambda m: json.dumps(m, indent=2) + "\n"
write("map.json", dump({"a": pem(certs["a"]), "b": pem(certs["b"])}))
write("map_rotated.json", dump({"b": pem(certs["b"]), "c": pem(certs["c"])}))
write("map_ec.json", dump({"e": pem(cert(ec_key, "x509-test e"))}))
write("map_ed25519.json", dump({"x": pem(cert(ed_key, "x509-test x"))}))
# Cut inside tbsCertificate, with the outer lengths fixed up so that only the
# walk to subjectPublicKeyInfo can notice: the first 60 bytes of tbs's contents.
cut = certs["a"].tbs_certificate_bytes[4:64]
tbs = bytes([0x30, len(cut)]) + cut
broken = bytes([0x30, len(tbs)]) + tbs
b64 = base64.b64encode(broken).decode()
lines = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
write("map_malformed.json", dump({"m": "-----BEGIN CERTIFICATE-----\n" + lines + "\n-----END CERTIFICATE-----\n"}))
spki = rsa_keys["a"].public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
write("map_public_key.json", dump({"p": spki}))
# json.dumps cannot repeat a name: written by hand.
write("map_duplicate.json", '{\n  "a": %s,\n  "a": %s\n}\n' % (json.dumps(pem(certs["a"])), json.dumps(pem(certs["b"]))))
ec_pem = json.dumps(pem(cert(ec_key, "x509-test many")))
write("map_too_many.json", "{" + ",".join('"k%d": %s' % (i, ec_pem) for i in range(257)) + "}\n")
old = cert(rsa_keys["a"], "x509-test a (expired)",
           datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc),
           datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc))
write("map_expired.json", dump({"a": pem(old)}))
for k in "abc":
    write("token_%s.jwt" % k, token(rsa_keys[k], k, "RS256"))
write("token_e.jwt", token(ec_key, "e", "ES256"))
