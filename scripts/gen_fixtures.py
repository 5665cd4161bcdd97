#!/usr/bin/env python3
"""Generate test fixtures and example tokens with an independent implementation
(Python's `cryptography` and PyJWT), so libverifier's tests never check its own
signatures against itself.

Writes:
  core/tests/data/keys/        JWKS, SPKI PEM, certificate PEM, HMAC secrets
  core/tests/data/tokens.json  cases: token, key source, policy, expected verdict
  examples/keys, examples/tokens   the README's example (Clerk- and Logto-shaped)

Run: pip install pyjwt cryptography && python3 scripts/gen_fixtures.py
Keys are fresh on every run; the outputs are committed, so tests need no Python.
"""
import base64
import datetime
import json
import os
import sys

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils
from cryptography.x509.oid import NameOID

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "core", "tests", "data")
KEYS = os.path.join(DATA, "keys")
EX = os.path.join(ROOT, "examples")

NOW = 1764000000  # 2025-11-24T16:00:00Z: the `now` every case is checked at
ISS = "https://issuer.example.com"
AUD = "https://api.example.com"


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def b64u_json(obj) -> str:
    return b64u(json.dumps(obj, separators=(",", ":")).encode())


def uint(n: int, size=None) -> bytes:
    size = size or (n.bit_length() + 7) // 8
    return n.to_bytes(size, "big")


def write(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def spki_pem(pub) -> str:
    return pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def jwk_of(kid, pub, alg=None):
    if isinstance(pub, rsa.RSAPublicKey):
        n = pub.public_numbers()
        j = {"kty": "RSA", "n": b64u(uint(n.n)), "e": b64u(uint(n.e))}
    elif isinstance(pub, ec.EllipticCurvePublicKey):
        n = pub.public_numbers()
        size = (pub.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}[pub.curve.name]
        j = {"kty": "EC", "crv": crv, "x": b64u(uint(n.x, size)), "y": b64u(uint(n.y, size))}
    elif isinstance(pub, ed25519.Ed25519PublicKey):
        raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        j = {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw)}
    else:
        raise TypeError(pub)
    j["kid"] = kid
    j["use"] = "sig"
    if alg:
        j["alg"] = alg
    return j


def self_signed(priv, pub, cn):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime(2025, 1, 1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(pub)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(priv, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def main():
    priv = {
        "rsa2048": rsa.generate_private_key(65537, 2048),
        "rsa3072": rsa.generate_private_key(65537, 3072),
        "rsa4096": rsa.generate_private_key(65537, 4096),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "p384": ec.generate_private_key(ec.SECP384R1()),
        "p521": ec.generate_private_key(ec.SECP521R1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
    }
    secrets = {"hs256": os.urandom(32), "hs384": os.urandom(48), "hs512": os.urandom(64)}
    attacker = {
        "rsa2048": rsa.generate_private_key(65537, 2048),
        "p256": ec.generate_private_key(ec.SECP256R1()),
    }

    keys = []
    for kid, k in priv.items():
        keys.append(jwk_of(kid, k.public_key()))
        write(os.path.join(KEYS, kid + ".pem"), spki_pem(k.public_key()))
    for kid, s in secrets.items():
        keys.append({"kty": "oct", "kid": kid, "k": b64u(s), "alg": kid.upper()})
        write(os.path.join(KEYS, kid + ".secret.b64url"), b64u(s) + "\n")
    # A key the verifier must skip without failing, as in real JWKS documents.
    keys.append({"kty": "EC", "crv": "secp256k1", "kid": "k1", "x": "AA", "y": "AA"})
    keys.append({"kty": "RSA", "kid": "enc1", "use": "enc", "n": keys[0]["n"], "e": "AQAB"})
    write(os.path.join(KEYS, "jwks.json"), json.dumps({"keys": keys}, indent=1) + "\n")
    write(os.path.join(KEYS, "rsa2048.cert.pem"), self_signed(priv["rsa2048"], priv["rsa2048"].public_key(), "rsa2048"))
    write(os.path.join(KEYS, "p256.cert.pem"), self_signed(priv["p256"], priv["p256"].public_key(), "p256"))

    std = {"iss": ISS, "aud": AUD, "sub": "user_123", "iat": NOW - 10, "nbf": NOW - 10, "exp": NOW + 600}
    cases = []

    def signer(kid):
        if kid in secrets:
            return secrets[kid]
        return priv[kid]

    def tok(kid, alg, claims=None, headers=None, raw_payload=None, key=None, with_kid=True):
        h = dict(headers or {})
        if with_kid:
            h["kid"] = kid
        key = key if key is not None else signer(kid)
        if raw_payload is None:
            # PyJWS signs the bytes as given; PyJWT's encode would refuse the odd claims we test.
            raw_payload = json.dumps(claims if claims is not None else std, separators=(",", ":")).encode()
        return jwt.api_jws.PyJWS().encode(raw_payload, key, algorithm=alg, headers=h)

    def case(name, token, expect, policy=None, keys="jwks", now=NOW, claims=None):
        cases.append({"name": name, "token": token, "keys": keys, "now": now,
                      "policy": policy if policy is not None else {"issuers": [ISS], "audiences": [AUD]},
                      "expect": expect, "claims": claims or {}})

    # Every algorithm and key size, signed by PyJWT / cryptography.
    algs = [
        ("rsa2048", "RS256"), ("rsa2048", "RS384"), ("rsa2048", "RS512"),
        ("rsa3072", "RS256"), ("rsa3072", "RS384"), ("rsa3072", "RS512"),
        ("rsa4096", "RS256"), ("rsa4096", "RS384"), ("rsa4096", "RS512"),
        ("rsa2048", "PS256"), ("rsa2048", "PS384"), ("rsa2048", "PS512"),
        ("rsa3072", "PS256"), ("rsa4096", "PS256"), ("rsa4096", "PS512"),
        ("p256", "ES256"), ("p384", "ES384"), ("p521", "ES512"), ("ed25519", "EdDSA"),
        ("hs256", "HS256"), ("hs384", "HS384"), ("hs512", "HS512"),
    ]
    for kid, alg in algs:
        case(f"valid {alg} {kid}", tok(kid, alg), "ok", claims={"sub": "user_123", "iss": ISS})
        src = f"secret:{kid}" if kid in secrets else f"pem:{kid}.pem"
        case(f"valid {alg} {kid} no kid single key", tok(kid, alg, with_kid=False), "ok", keys=src)
        good = tok(kid, alg)
        h, p, s = good.split(".")
        tampered = b64u_json({**std, "sub": "admin"})
        case(f"tampered payload {alg} {kid}", f"{h}.{tampered}.{s}", "bad_signature")
        sig = bytearray(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))
        sig[len(sig) // 2] ^= 0x01
        case(f"flipped signature bit {alg} {kid}", f"{h}.{p}.{b64u(bytes(sig))}", "bad_signature")
        case(f"truncated signature {alg} {kid}", f"{h}.{p}.{b64u(bytes(sig[:-1]))}", "bad_signature_length")
    for kid in ["rsa2048", "p256", "ed25519", "hs256"]:
        alg = {"rsa2048": "RS256", "p256": "ES256", "ed25519": "EdDSA", "hs256": "HS256"}[kid]
        src = f"secret:{kid}" if kid in secrets else f"pem:{kid}.pem"
        # A key pinned without kid answers a token's kid only when the caller opts in.
        case(f"token with kid, kid-less key: {alg} from {src}", tok(kid, alg), "unknown_kid", keys=src)
    case("token with kid, kid-less key: RS256 from certificate", tok("rsa2048", "RS256"), "unknown_kid",
         keys="pem:rsa2048.cert.pem")
    case("token with kid, kid-less key: ES256 from certificate", tok("p256", "ES256"), "unknown_kid",
         keys="pem:p256.cert.pem")
    case("valid ES256 from single JWK", tok("p256", "ES256"), "ok", keys="jwk:p256")

    # alg none, in any spelling, with and without a signature.
    for spelling in ["none", "None", "NONE", "nOnE"]:
        h = b64u_json({"alg": spelling, "typ": "JWT"})
        case(f"alg {spelling} empty signature", f"{h}.{b64u_json(std)}.", "alg_none")
        case(f"alg {spelling} with signature", f"{h}.{b64u_json(std)}.AAAA", "alg_none")
    # Algorithm confusion: HS256 keyed with the RSA public key's PEM, naming the RSA kid.
    pem = spki_pem(priv["rsa2048"].public_key()).encode()
    h = b64u_json({"alg": "HS256", "kid": "rsa2048"})
    import hmac as _hmac, hashlib
    si = f"{h}.{b64u_json(std)}"
    mac = _hmac.new(pem, si.encode(), hashlib.sha256).digest()
    case("HS256 with RSA public key as secret", f"{si}.{b64u(mac)}", "alg_not_allowed_for_key")
    case("HS256 with RSA public key, single RSA key, no kid",
         f"{b64u_json({'alg': 'HS256'})}.{b64u_json(std)}." + b64u(_hmac.new(pem, (b64u_json({'alg': 'HS256'}) + '.' + b64u_json(std)).encode(), hashlib.sha256).digest()),
         "alg_not_allowed_for_key", keys="pem:rsa2048.pem")
    case("ES256 token naming a P-384 key", tok("p256", "ES256", headers={"kid": "p384"}, with_kid=False),
         "alg_not_allowed_for_key")
    case("ES384 token naming a P-256 key", tok("p384", "ES384", headers={"kid": "p256"}, with_kid=False),
         "alg_not_allowed_for_key")
    case("ES512 token naming a P-384 key", tok("p521", "ES512", headers={"kid": "p384"}, with_kid=False),
         "alg_not_allowed_for_key")
    case("ES384 token naming a P-521 key", tok("p384", "ES384", headers={"kid": "p521"}, with_kid=False),
         "alg_not_allowed_for_key")
    case("RS256 token naming an Ed25519 key", tok("rsa2048", "RS256", headers={"kid": "ed25519"}, with_kid=False),
         "alg_not_allowed_for_key")
    case("unknown kid", tok("rsa2048", "RS256", headers={"kid": "nope"}, with_kid=False), "unknown_kid")
    # Up to keys::MAX_CANDIDATES fitting keys are tried (three RSA keys here).
    case("no kid, several keys fit, each tried", tok("rsa2048", "RS256", with_kid=False), "ok")
    # Keys carried in the header are never used.
    att = attacker["rsa2048"]
    case("embedded jwk header signed by attacker, legit kid",
         tok("rsa2048", "RS256", key=att, headers={"jwk": jwk_of("rsa2048", att.public_key())}), "bad_signature")
    case("jku/x5u header signed by attacker",
         tok("rsa2048", "RS256", key=att, headers={"jku": "https://evil.example/jwks", "x5u": "https://evil.example/c"}),
         "bad_signature")
    case("embedded jwk header, attacker key, no kid, single key",
         tok("p256", "ES256", key=attacker["p256"], headers={"jwk": jwk_of("x", attacker["p256"].public_key())}, with_kid=False),
         "bad_signature", keys="pem:p256.pem")
    # ECDSA signature forms (CVE-2022-21449 and DER).
    good = tok("p256", "ES256")
    h, p, s = good.split(".")
    raw = base64.urlsafe_b64decode(s + "==")
    r, sv = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    case("ES256 r=0 s=0", f"{h}.{p}.{b64u(bytes(64))}", "bad_signature")
    n256 = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    case("ES256 r=n s=n", f"{h}.{p}.{b64u(uint(n256, 32) * 2)}", "bad_signature")
    case("ES256 DER signature", f"{h}.{p}.{b64u(utils.encode_dss_signature(r, sv))}", "bad_signature_length")
    good = tok("p384", "ES384")
    h, p, s = good.split(".")
    case("ES384 r=0 s=0", f"{h}.{p}.{b64u(bytes(96))}", "bad_signature")
    case("ES384 64-byte signature", f"{h}.{p}.{b64u(bytes(64))}", "bad_signature_length")
    # ES512: r and s are 66 bytes each (521 bits, RFC 7518 3.4), 132 in all.
    good = tok("p521", "ES512")
    h, p, s = good.split(".")
    raw = base64.urlsafe_b64decode(s + "==")
    assert len(raw) == 132, len(raw)
    r, sv = int.from_bytes(raw[:66], "big"), int.from_bytes(raw[66:], "big")
    n521 = 0x01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409
    case("ES512 valid, from single JWK", good, "ok", keys="jwk:p521")
    case("ES512 r=0 s=0", f"{h}.{p}.{b64u(bytes(132))}", "bad_signature")
    case("ES512 r=n s=n", f"{h}.{p}.{b64u(uint(n521, 66) * 2)}", "bad_signature")
    case("ES512 s=n-s (high s, still valid)", f"{h}.{p}.{b64u(uint(r, 66) + uint(n521 - sv, 66))}", "ok")
    case("ES512 s+n", f"{h}.{p}.{b64u(uint(r, 66) + uint(sv + n521, 66))}", "bad_signature")
    case("ES512 DER signature", f"{h}.{p}.{b64u(utils.encode_dss_signature(r, sv))}", "bad_signature_length")
    case("ES512 96-byte signature", f"{h}.{p}.{b64u(raw[:96])}", "bad_signature_length")
    case("ES512 130-byte signature (r, s trimmed to 65)", f"{h}.{p}.{b64u(raw[1:66] + raw[67:])}", "bad_signature_length")
    good = tok("rsa2048", "RS256")
    h, p, s = good.split(".")
    nrsa = priv["rsa2048"].public_key().public_numbers().n
    case("RS256 signature = n", f"{h}.{p}.{b64u(uint(nrsa, 256))}", "bad_signature")
    zero_sig = b64u(bytes(1) + base64.urlsafe_b64decode(s + "=="))
    case("RS256 signature with leading zero byte", f"{h}.{p}.{zero_sig}", "bad_signature_length")
    # Framing and encoding.
    case("padding in signature", f"{h}.{p}.{s}==", "bad_base64")
    case("standard base64 alphabet", f"{h}.{p}.{s.replace('-', '+').replace('_', '/')}" if ("-" in s or "_" in s) else f"{h}.{p}.+{s[1:]}", "bad_base64")
    case("whitespace in payload", f"{h}.{p[:10]} {p[10:]}.{s}", "bad_base64")
    case("two segments", f"{h}.{p}", "malformed_token")
    case("four segments", f"{h}.{p}.{s}.{s}", "malformed_token")
    case("empty header", f".{p}.{s}", "malformed_token")
    case("header not JSON", f"{b64u(b'hello')}.{p}.{s}", "json_syntax")
    case("header is an array", f"{b64u(b'[1]')}.{p}.{s}", "malformed_header")
    case("too large", f"{h}.{b64u_json({**std, 'pad': 'x' * 20000})}.{s}", "token_too_large")
    case("unknown crit", tok("rsa2048", "RS256", headers={"crit": ["exp"], "exp": 1}), "unknown_crit")
    # Built by hand: PyJWT would really emit an unencoded payload here.
    b64_header = b64u_json({"alg": "RS256", "kid": "rsa2048", "crit": ["b64"], "b64": False})
    case("b64 false with crit", f"{b64_header}.{p}.{s}", "unknown_crit")
    case("unsupported alg ES256K", f"{b64u_json({'alg': 'ES256K', 'kid': 'p256'})}.{p}.{s}", "unsupported_alg")
    case("header missing alg", f"{b64u_json({'kid': 'rsa2048'})}.{p}.{s}", "missing_alg")
    dup = b64u(b'{"alg":"RS256","alg":"HS256","kid":"rsa2048"}')
    case("duplicate alg in header", f"{dup}.{p}.{s}", "json_duplicate_member")

    # Claims policy.
    def c(name, claims, expect, policy=None, headers=None, now=NOW, kid="p256", alg="ES256", raw=None, expect_claims=None):
        t = tok(kid, alg, claims=claims, headers=headers, raw_payload=raw)
        case(name, t, expect, policy=policy, now=now, claims=expect_claims)

    c("typ absent accepted without typ policy", std, "ok", headers={"typ": None})

    c("expired", {**std, "exp": NOW - 1}, "expired")
    c("expired at exactly exp", {**std, "exp": NOW}, "expired")
    c("expired within leeway accepted", {**std, "exp": NOW - 3}, "ok", policy={"issuers": [ISS], "audiences": [AUD], "leeway": 5})
    c("expired beyond leeway", {**std, "exp": NOW - 5}, "expired", policy={"issuers": [ISS], "audiences": [AUD], "leeway": 5})
    c("nbf in future", {**std, "nbf": NOW + 30}, "not_yet_valid")
    c("nbf within leeway", {**std, "nbf": NOW + 30}, "ok", policy={"issuers": [ISS], "audiences": [AUD], "leeway": 60})
    c("iat in future", {**std, "iat": NOW + 30, "nbf": NOW}, "issued_in_future")
    c("max age exceeded", {**std, "iat": NOW - 3600}, "token_too_old", policy={"issuers": [ISS], "audiences": [AUD], "max_age": 600})
    c("max age without iat", {k: v for k, v in std.items() if k != "iat"}, "missing_issued_at", policy={"issuers": [ISS], "audiences": [AUD], "max_age": 600})
    c("missing exp", {k: v for k, v in std.items() if k != "exp"}, "missing_exp")
    c("missing exp allowed", {k: v for k, v in std.items() if k != "exp"}, "ok", policy={"issuers": [ISS], "audiences": [AUD], "require_exp": False})
    for bad in ["1764000600", True, None, {"t": 1}, [1]]:
        c(f"exp of type {type(bad).__name__}", {**std, "exp": bad}, "claim_wrong_type")
    c("nbf as string", {**std, "nbf": "0"}, "claim_wrong_type")
    c("iat as string", {**std, "iat": "0"}, "claim_wrong_type")
    c("fractional exp accepted", {**std, "exp": NOW + 0.5}, "ok", expect_claims={"exp": NOW})
    c("fractional exp expired", {**std, "exp": NOW - 0.5}, "expired")
    raw_big = json.dumps({**std, "exp": 0}).replace('"exp": 0', '"exp": 1e400').encode()
    c("exp 1e400", None, "claim_out_of_range", raw=raw_big)
    raw_huge = json.dumps({**std, "exp": 0}).replace('"exp": 0', '"exp": 99999999999999999999999').encode()
    c("exp beyond i64", None, "claim_out_of_range", raw=raw_huge)
    c("exp i64 max", {**std, "exp": 2**63 - 1}, "ok")
    c("nbf i64 min", {**std, "nbf": -(2**63)}, "ok")
    c("wrong issuer", {**std, "iss": "https://evil.example.com"}, "wrong_issuer")
    c("issuer prefix", {**std, "iss": ISS + ".evil"}, "wrong_issuer")
    c("issuer substring", {**std, "iss": ISS[:-4]}, "wrong_issuer")
    c("missing issuer", {k: v for k, v in std.items() if k != "iss"}, "missing_issuer")
    c("issuer as number", {**std, "iss": 5}, "claim_wrong_type")
    c("escaped issuer matches", None, "ok", raw=json.dumps(std).replace("/", "\\/").encode(), expect_claims={"iss": ISS})
    c("aud array match", {**std, "aud": ["other", AUD]}, "ok")
    c("aud array no match", {**std, "aud": ["other", "another"]}, "wrong_audience")
    c("aud empty array", {**std, "aud": []}, "missing_audience")
    c("wrong aud", {**std, "aud": "https://other.example.com"}, "wrong_audience")
    c("missing aud", {k: v for k, v in std.items() if k != "aud"}, "missing_audience")
    c("aud as number", {**std, "aud": 1}, "claim_wrong_type")
    c("aud array with number", {**std, "aud": [AUD, 1]}, "claim_wrong_type")
    c("no aud check when unconfigured", {k: v for k, v in std.items() if k != "aud"}, "ok", policy={"issuers": [ISS]})
    azp_pol = {"issuers": [ISS], "audiences": [AUD], "authorized_parties": ["https://app.example.com"]}
    c("azp accepted", {**std, "azp": "https://app.example.com"}, "ok", policy=azp_pol, expect_claims={"azp": "https://app.example.com"})
    c("azp wrong", {**std, "azp": "https://evil.example.com"}, "wrong_authorized_party", policy=azp_pol)
    c("azp absent accepted", std, "ok", policy=azp_pol)
    cid_pol = {"issuers": [ISS], "audiences": [AUD], "client_ids": ["app1"]}
    c("client_id accepted", {**std, "client_id": "app1"}, "ok", policy=cid_pol)
    c("client_id wrong", {**std, "client_id": "app2"}, "wrong_client_id", policy=cid_pol)
    c("client_id missing", std, "missing_client_id", policy=cid_pol)
    typ_pol = {"issuers": [ISS], "audiences": [AUD], "typ": ["at+jwt"]}
    c("typ at+jwt", std, "ok", policy=typ_pol, headers={"typ": "at+jwt"})
    c("typ application/at+jwt", std, "ok", policy=typ_pol, headers={"typ": "application/at+jwt"})
    c("typ AT+JWT", std, "ok", policy=typ_pol, headers={"typ": "AT+JWT"})
    c("typ JWT refused", std, "wrong_typ", policy=typ_pol, headers={"typ": "JWT"})
    c("typ missing refused", std, "missing_typ", policy=typ_pol, headers={"typ": None})
    c("missing sub", {k: v for k, v in std.items() if k != "sub"}, "missing_subject")
    c("missing sub allowed", {k: v for k, v in std.items() if k != "sub"}, "ok", policy={"issuers": [ISS], "audiences": [AUD], "require_sub": False})
    sc_pol = {"issuers": [ISS], "audiences": [AUD], "scopes": ["read:orders", "write:orders"]}
    c("scopes present", {**std, "scope": "openid read:orders write:orders"}, "ok", policy=sc_pol)
    c("scope missing one", {**std, "scope": "read:orders write:order"}, "missing_scope", policy=sc_pol)
    c("scope absent", std, "missing_scope", policy=sc_pol)
    c("alg not in allow-list", std, "alg_not_allowed_by_policy", policy={"issuers": [ISS], "audiences": [AUD], "algorithms": ["RS256"]})
    c("duplicate exp", None, "json_duplicate_member", raw=b'{"sub":"u","exp":1,"exp":1864000000,"iss":"' + ISS.encode() + b'","aud":"' + AUD.encode() + b'"}')
    c("duplicate escaped sub", None, "json_duplicate_member", raw=b'{"sub":"u","\\u0073ub":"admin","exp":1864000000}', policy={})
    c("payload array", None, "payload_not_object", raw=b'[1,2]', policy={})
    c("payload trailing data", None, "json_trailing_data", raw=json.dumps(std).encode() + b" x")
    c("payload invalid utf-8", None, "json_invalid_utf8", raw=b'{"sub":"\xff","exp":1864000000}', policy={})
    c("payload raw control char", None, "json_control_char", raw=b'{"sub":"a\x01","exp":1864000000}', policy={})
    c("payload lone surrogate", None, "json_bad_escape", raw=b'{"sub":"\\ud800","exp":1864000000}', policy={})
    c("payload deep nesting", None, "json_too_deep", raw=b'{"sub":"u","exp":1864000000,"x":' + b"[" * 5000 + b"]" * 5000 + b"}", policy={})
    c("unicode sub", None, "ok", raw=b'{"sub":"caf\\u00e9 \\ud83d\\ude00","exp":1864000000}', policy={},
      expect_claims={"sub": "caf\u00e9 \U0001F600"})

    # Presets, with provider-shaped tokens.
    clerk_claims = {"azp": "https://app.example.com", "exp": NOW + 60, "iat": NOW - 1, "iss": "https://clerk.example.com",
                    "nbf": NOW - 11, "sid": "sess_2abcDEF", "sub": "user_2abcDEF", "v": 2, "fva": [0, -1],
                    "pla": "u:free", "fea": "u:basic"}
    clerk_pol = {"preset": "clerk", "issuers": ["https://clerk.example.com"], "authorized_parties": ["https://app.example.com"]}
    case("clerk session token", tok("rsa2048", "RS256", claims=clerk_claims, headers={"typ": "JWT"}), "ok",
         policy=clerk_pol, claims={"sub": "user_2abcDEF", "sid": "sess_2abcDEF"})
    case("clerk token with skew 4 s", tok("rsa2048", "RS256", claims={**clerk_claims, "exp": NOW - 4}), "ok", policy=clerk_pol)
    case("clerk token expired 6 s", tok("rsa2048", "RS256", claims={**clerk_claims, "exp": NOW - 6}), "expired", policy=clerk_pol)
    case("clerk refuses ES256", tok("p256", "ES256", claims=clerk_claims), "alg_not_allowed_by_policy", policy=clerk_pol)
    case("clerk wrong azp", tok("rsa2048", "RS256", claims={**clerk_claims, "azp": "https://evil.example"}), "wrong_authorized_party", policy=clerk_pol)
    logto_iss = "https://tenant.logto.app/oidc"
    logto_claims = {"jti": "abc", "sub": "u1", "iat": NOW - 5, "exp": NOW + 3600, "scope": "read write",
                    "client_id": "m2mapp", "iss": logto_iss, "aud": "https://api.example.com"}
    logto_pol = {"preset": "logto", "issuers": [logto_iss], "audiences": ["https://api.example.com"], "client_ids": ["m2mapp"]}
    case("logto access token", tok("p384", "ES384", claims=logto_claims, headers={"typ": "at+jwt"}), "ok", policy=logto_pol,
         claims={"client_id": "m2mapp", "scope": "read write"})
    case("logto refuses JWT typ", tok("p384", "ES384", claims=logto_claims, headers={"typ": "JWT"}), "wrong_typ", policy=logto_pol)
    case("logto refuses RS256 by default", tok("rsa2048", "RS256", claims=logto_claims, headers={"typ": "at+jwt"}), "alg_not_allowed_by_policy", policy=logto_pol)

    write(os.path.join(DATA, "tokens.json"), json.dumps({"now": NOW, "cases": cases}, indent=1) + "\n")

    # README examples: a Clerk-shaped and a Logto-shaped token with their JWKS.
    write(os.path.join(EX, "keys", "clerk-jwks.json"),
          json.dumps({"keys": [jwk_of("ins_2example", priv["rsa2048"].public_key(), "RS256")]}, indent=1) + "\n")
    write(os.path.join(EX, "keys", "clerk.pem"), spki_pem(priv["rsa2048"].public_key()))
    write(os.path.join(EX, "keys", "logto-jwks.json"),
          json.dumps({"keys": [jwk_of("logto-key-1", priv["p384"].public_key(), "ES384")]}, indent=1) + "\n")
    write(os.path.join(EX, "tokens", "clerk.jwt"),
          jwt.encode(clerk_claims, priv["rsa2048"], algorithm="RS256", headers={"kid": "ins_2example", "typ": "JWT"}) + "\n")
    write(os.path.join(EX, "tokens", "logto.jwt"),
          jwt.encode(logto_claims, priv["p384"], algorithm="ES384", headers={"kid": "logto-key-1", "typ": "at+jwt"}) + "\n")
    print(f"{len(cases)} cases written to {os.path.relpath(DATA, ROOT)}/tokens.json; now = {NOW}")


if __name__ == "__main__":
    sys.exit(main())
