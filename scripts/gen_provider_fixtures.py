#!/usr/bin/env python3
"""Provider-shaped tokens for the presets (issue 25), signed by an independent
implementation (PyJWT over `cryptography`), so the presets are checked against
tokens shaped as each provider documents them, never against our own signer.

Writes core/tests/data/providers/:
  jwks.json             public keys (RSA, P-256) with their kids
  hs256.secret.b64url   Supabase's legacy JWT secret (HS256)
  private/              the private keys the tokens were signed with
  cases.json            {now, cases: [{provider, name, keys, config, token, expect}]}
                        config holds the CLI flags' values (iss, aud, client_id, azp,
                        role: the Supabase roles accepted, none = the default);
                        expect is "ok" or the error name (Error::name) the
                        preset must give.

Run: pip install pyjwt cryptography && python3 scripts/gen_provider_fixtures.py
Keys are fresh on every run; the outputs are committed, so tests need no Python.
"""
import base64
import json
import os
import secrets

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "core", "tests", "data", "providers")
NOW = 1764000000  # the `now` every case is checked at (as gen_fixtures.py)
IAT = NOW - 60
EXP = NOW + 3600

RSA_KID = "prov-rsa-2025-11"
EC_KID = "prov-ec-2025-11"


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def uint(n: int, size=None) -> bytes:
    size = size or (n.bit_length() + 7) // 8
    return n.to_bytes(size, "big")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(data)


rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ec_key = ec.generate_private_key(ec.SECP256R1())
hs_secret = secrets.token_bytes(32)

rn = rsa_key.public_key().public_numbers()
en = ec_key.public_key().public_numbers()
jwks = {
    "keys": [
        {"kty": "RSA", "kid": RSA_KID, "use": "sig", "alg": "RS256", "n": b64u(uint(rn.n)), "e": b64u(uint(rn.e))},
        {"kty": "EC", "kid": EC_KID, "use": "sig", "alg": "ES256", "crv": "P-256",
         "x": b64u(uint(en.x, 32)), "y": b64u(uint(en.y, 32))},
    ]
}

cases = []


def case(provider, name, claims, expect, config, alg="RS256", header=None, keys="jwks"):
    hdr = dict(header or {})
    if alg == "RS256":
        key = rsa_key
        hdr.setdefault("kid", RSA_KID)
    elif alg == "ES256":
        key = ec_key
        hdr.setdefault("kid", EC_KID)
    else:
        key = hs_secret  # Supabase's legacy secret: its tokens carry no kid
    token = jwt.encode(claims, key, algorithm=alg, headers=hdr)
    full = {"iss": [], "aud": [], "client_id": [], "azp": [], "role": []}
    full.update(config)
    cases.append({"provider": provider, "name": name, "keys": keys, "config": full, "token": token, "expect": expect})


# ---- Auth0: access token for an API (Auth0 token profile), ID token beside it
A0_ISS = "https://dev-abc123.us.auth0.com/"
A0_API = "https://api.example.com"
A0_CLIENT = "Xk3cL8pQn2Rz7YtW1aBcD4eF5gH6iJ7k"
a0 = {"iss": [A0_ISS], "aud": [A0_API]}
a0_at = {
    "iss": A0_ISS, "sub": "auth0|64f1c2d3e4f5a6b7c8d9e0f1",
    "aud": [A0_API, A0_ISS + "userinfo"], "iat": IAT, "exp": EXP,
    "scope": "openid profile read:messages", "azp": A0_CLIENT,
}
case("auth0", "access token for the API", a0_at, "ok", a0, header={"typ": "JWT"})
case("auth0", "RFC 9068 profile access token", {**a0_at, "aud": A0_API, "client_id": A0_CLIENT, "jti": "a0-jti-1"},
     "ok", a0, header={"typ": "at+jwt"})
case("auth0", "ID token where an access token is expected",
     {"iss": A0_ISS, "sub": a0_at["sub"], "aud": A0_CLIENT, "iat": IAT, "exp": EXP, "nonce": "n-0S6_WzA2Mj",
      "name": "Jane Doe", "email": "jane@example.com", "sid": "s1"}, "wrong_audience", a0, header={"typ": "JWT"})
case("auth0", "issuer without the trailing slash", {**a0_at, "iss": A0_ISS.rstrip("/")}, "wrong_issuer", a0,
     header={"typ": "JWT"})
case("auth0", "another tenant's token", {**a0_at, "iss": "https://other-tenant.eu.auth0.com/"}, "wrong_issuer", a0,
     header={"typ": "JWT"})

# ---- Firebase Auth ID token
FB_PROJECT = "my-project-1234"
FB_ISS = "https://securetoken.google.com/" + FB_PROJECT
fb = {"iss": [FB_ISS], "aud": [FB_PROJECT]}
fb_id = {
    "iss": FB_ISS, "aud": FB_PROJECT, "auth_time": NOW - 300, "user_id": "kB3vTq9XyZ1aQ2wE3rT4yU5iO6p7",
    "sub": "kB3vTq9XyZ1aQ2wE3rT4yU5iO6p7", "iat": IAT, "exp": EXP, "email": "jane@example.com",
    "email_verified": True, "firebase": {"identities": {"email": ["jane@example.com"]}, "sign_in_provider": "password"},
}
case("firebase", "ID token", fb_id, "ok", fb, header={"typ": "JWT"})
case("firebase", "another project's token",
     {**fb_id, "iss": "https://securetoken.google.com/other-project", "aud": "other-project"}, "wrong_issuer", fb,
     header={"typ": "JWT"})
case("firebase", "empty sub", {**fb_id, "sub": ""}, "missing_subject", fb, header={"typ": "JWT"})
case("firebase", "auth_time in the future", {**fb_id, "auth_time": NOW + 600}, "auth_time_in_future", fb,
     header={"typ": "JWT"})
case("firebase", "no auth_time", {k: v for k, v in fb_id.items() if k != "auth_time"}, "missing_auth_time", fb,
     header={"typ": "JWT"})
# `sub` "must be a non-empty string"; the Admin SDKs refuse one over 128 characters.
case("firebase", "sub of 128 characters", {**fb_id, "sub": "u" * 128, "user_id": "u" * 128}, "ok", fb,
     header={"typ": "JWT"})
case("firebase", "sub of 129 characters", {**fb_id, "sub": "u" * 129, "user_id": "u" * 129}, "claim_out_of_range", fb,
     header={"typ": "JWT"})
case("firebase", "no sub", {k: v for k, v in fb_id.items() if k != "sub"}, "missing_subject", fb,
     header={"typ": "JWT"})
case("firebase", "auth_time one second ahead (no leeway)", {**fb_id, "auth_time": NOW + 1}, "auth_time_in_future", fb,
     header={"typ": "JWT"})

# ---- Google ID token
G_CLIENT = "1234567890-abc123def456ghi789.apps.googleusercontent.com"
g = {"aud": [G_CLIENT]}
g_id = {
    "iss": "https://accounts.google.com", "azp": G_CLIENT, "aud": G_CLIENT, "sub": "110169484474386276334",
    "email": "jane@gmail.com", "email_verified": True, "nbf": IAT - 10, "name": "Jane Doe",
    "picture": "https://lh3.googleusercontent.com/a/x", "given_name": "Jane", "family_name": "Doe",
    "iat": IAT, "exp": EXP, "jti": "f0e1d2c3b4a5968778695a4b3c2d1e0f",
}
case("google", "ID token, https issuer", g_id, "ok", g, header={"typ": "JWT"})
case("google", "ID token, bare issuer", {**g_id, "iss": "accounts.google.com"}, "ok", g, header={"typ": "JWT"})
case("google", "another app's ID token", {**g_id, "aud": "999-other.apps.googleusercontent.com",
                                            "azp": "999-other.apps.googleusercontent.com"}, "wrong_audience", g,
     header={"typ": "JWT"})
case("google", "a Firebase token", {**fb_id, "aud": G_CLIENT}, "wrong_issuer", g, header={"typ": "JWT"})
# The same Google token shown to the Firebase preset.
case("firebase", "a Google ID token", {**g_id, "aud": FB_PROJECT, "auth_time": NOW - 300}, "wrong_issuer", fb,
     header={"typ": "JWT"})

# ---- Supabase Auth
SB_REF = "abcdefghijklmnopqrst"
SB_ISS = f"https://{SB_REF}.supabase.co/auth/v1"
sb = {"iss": [SB_ISS]}
sb_user = {
    "iss": SB_ISS, "sub": "8ccaa7af-909f-44e7-84cb-67cdccb56be6", "aud": "authenticated", "exp": EXP, "iat": IAT,
    "email": "jane@example.com", "phone": "", "app_metadata": {"provider": "email", "providers": ["email"]},
    "user_metadata": {}, "role": "authenticated", "aal": "aal1",
    "amr": [{"method": "password", "timestamp": NOW - 300}], "session_id": "b1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7",
    "is_anonymous": False,
}
case("supabase", "user session, asymmetric key (ES256)", sb_user, "ok", sb, alg="ES256", header={"typ": "JWT"})
case("supabase", "user session, legacy JWT secret (HS256)", sb_user, "ok", sb, alg="HS256", header={"typ": "JWT"},
     keys="hs256")
case("supabase", "the legacy anon key", {"iss": "supabase", "ref": SB_REF, "role": "anon", "iat": IAT, "exp": EXP},
     "wrong_issuer", sb, alg="HS256", header={"typ": "JWT"}, keys="hs256")
case("supabase", "an anon token with the project's issuer",
     {"iss": SB_ISS, "ref": SB_REF, "aud": "authenticated", "role": "anon", "iat": IAT, "exp": EXP},
     "wrong_role", sb, alg="HS256", header={"typ": "JWT"}, keys="hs256")
case("supabase", "a service_role token with the project's issuer",
     {"iss": SB_ISS, "ref": SB_REF, "aud": "authenticated", "sub": "service", "role": "service_role", "iat": IAT,
      "exp": EXP}, "wrong_role", sb, alg="HS256", header={"typ": "JWT"}, keys="hs256")
case("supabase", "no role", {k: v for k, v in sb_user.items() if k != "role"}, "missing_role", sb, alg="ES256",
     header={"typ": "JWT"})
# A custom access token hook may set another Postgres role: accepted only when configured.
sb_premium = {**sb_user, "role": "premium_user"}
case("supabase", "custom role, not configured", sb_premium, "wrong_role", sb, alg="ES256", header={"typ": "JWT"})
case("supabase", "custom role, configured", sb_premium, "ok", {**sb, "role": ["authenticated", "premium_user"]},
     alg="ES256", header={"typ": "JWT"})
case("supabase", "authenticated role, only a custom role configured", sb_user, "wrong_role",
     {**sb, "role": ["premium_user"]}, alg="ES256", header={"typ": "JWT"})
case("supabase", "anon key, custom roles configured",
     {"iss": SB_ISS, "ref": SB_REF, "aud": "authenticated", "role": "anon", "iat": IAT, "exp": EXP},
     "wrong_role", {**sb, "role": ["authenticated", "premium_user"]}, alg="HS256", header={"typ": "JWT"}, keys="hs256")
case("supabase", "another project's session", {**sb_user, "iss": "https://zyxwvutsrqponmlkjihg.supabase.co/auth/v1"},
     "wrong_issuer", sb, alg="ES256", header={"typ": "JWT"})

# ---- AWS Cognito user pools
CG_ISS = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI"
CG_CLIENT = "1example23456789abcdefghij"
cg_id = {
    "sub": "aaaaaaaa-bbbb-cccc-dddd-example", "email_verified": True, "iss": CG_ISS,
    "cognito:username": "janedoe", "origin_jti": "1a2b3c4d-5e6f-7g8h-9i0j-example", "aud": CG_CLIENT,
    "event_id": "e1e2e3e4-f5f6-4789-a0b1-example", "token_use": "id", "auth_time": NOW - 300, "exp": EXP,
    "iat": IAT, "jti": "5e6f7g8h-9i0j-1a2b-3c4d-example", "email": "jane@example.com",
}
cg_at = {
    "sub": "aaaaaaaa-bbbb-cccc-dddd-example", "iss": CG_ISS, "client_id": CG_CLIENT,
    "origin_jti": "1a2b3c4d-5e6f-7g8h-9i0j-example", "event_id": "e1e2e3e4-f5f6-4789-a0b1-example",
    "token_use": "access", "scope": "aws.cognito.signin.user.admin", "auth_time": NOW - 300, "exp": EXP, "iat": IAT,
    "jti": "7h8i9j0k-1a2b-3c4d-5e6f-example", "username": "janedoe",
}
cgi = {"iss": [CG_ISS], "aud": [CG_CLIENT]}
cga = {"iss": [CG_ISS], "client_id": [CG_CLIENT]}
case("cognito-id", "ID token", cg_id, "ok", cgi)
case("cognito-id", "access token where an ID token is expected", cg_at, "missing_audience", cgi)
case("cognito-id", "access token that carries aud", {**cg_at, "aud": CG_CLIENT}, "wrong_token_use", cgi)
case("cognito-id", "another app client's ID token", {**cg_id, "aud": "9other876543210zyxwvutsrqp"}, "wrong_audience", cgi)
case("cognito-id", "another user pool's ID token",
     {**cg_id, "iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_ZyXwVuTsR"}, "wrong_issuer", cgi)
case("cognito-access", "access token", cg_at, "ok", cga)
case("cognito-access", "ID token where an access token is expected", {**cg_id, "client_id": CG_CLIENT},
     "wrong_token_use", cga)
case("cognito-access", "plain ID token where an access token is expected", cg_id, "wrong_token_use", cga)
case("cognito-access", "another app client's access token", {**cg_at, "client_id": "9other876543210zyxwvutsrqp"},
     "wrong_client_id", cga)
case("cognito-access", "no token_use", {k: v for k, v in cg_at.items() if k != "token_use"}, "missing_token_use", cga)

# ---- Microsoft Entra ID
TID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OTHER_TID = "3c5a7e9b-1d2f-4a6b-8c0d-e2f4a6b8c0d1"
APP = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
E_V2 = f"https://login.microsoftonline.com/{TID}/v2.0"
E_V1 = f"https://sts.windows.net/{TID}/"
ev2 = {"iss": [E_V2], "aud": [APP]}
e_at2 = {
    "aud": APP, "iss": E_V2, "iat": IAT, "nbf": IAT, "exp": EXP, "aio": "AXQAi/8UAAAA", "azp": "a1b2c3d4-client",
    "azpacr": "0", "name": "Jane Doe", "oid": "00000000-0000-0000-66f3-3332eca7ea81", "preferred_username":
    "jane@contoso.com", "rh": "0.AAAA.", "scp": "access_as_user", "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
    "tid": TID, "uti": "fqiBqXLPj0eQa82S-IYFAA", "ver": "2.0",
}
eh = {"typ": "JWT"}
case("entra", "v2 access token", e_at2, "ok", ev2, header=eh)
case("entra", "v1 access token",
     {**{k: v for k, v in e_at2.items() if k not in ("azp", "azpacr")}, "aud": f"api://{APP}", "iss": E_V1,
      "appid": "a1b2c3d4-client", "appidacr": "0", "ver": "1.0"},
     "ok", {"iss": [E_V1], "aud": [f"api://{APP}"]}, header=eh)
case("entra", "another tenant's token", {**e_at2, "iss": f"https://login.microsoftonline.com/{OTHER_TID}/v2.0",
                                          "tid": OTHER_TID}, "wrong_issuer", ev2, header=eh)
case("entra", "tid other than the issuer's tenant", {**e_at2, "tid": OTHER_TID}, "wrong_tenant", ev2, header=eh)
case("entra", "no tid", {k: v for k, v in e_at2.items() if k != "tid"}, "missing_tenant", ev2, header=eh)
case("entra", "a Microsoft Graph token", {**e_at2, "aud": "00000003-0000-0000-c000-000000000000"}, "wrong_audience",
     ev2, header=eh)
case("entra", "ID token for the SPA client", {**{k: v for k, v in e_at2.items() if k not in ("scp", "azp", "azpacr")},
                                               "aud": "a1b2c3d4-client", "nonce": "n1"}, "wrong_audience", ev2,
     header=eh)
multi = {"iss": ["https://login.microsoftonline.com/{tenantid}/v2.0"], "aud": [APP]}
case("entra", "multi-tenant: another tenant's token", {**e_at2, "iss": f"https://login.microsoftonline.com/{OTHER_TID}/v2.0",
                                                        "tid": OTHER_TID}, "ok", multi, header=eh)
case("entra", "multi-tenant: issuer and tid disagree",
     {**e_at2, "iss": f"https://login.microsoftonline.com/{OTHER_TID}/v2.0"}, "wrong_issuer", multi, header=eh)

# ---- Okta (custom or default authorization server)
OK_ISS = "https://dev-123456.okta.com/oauth2/default"
OK_CLIENT = "0oa1b2c3d4e5f6g7h8i9"
ok_cfg = {"iss": [OK_ISS], "client_id": [OK_CLIENT]}
ok_at = {
    "ver": 1, "jti": "AT.3q2-PP5ZXHWqXxNb0c6ksaV9vD7Wv5Wz5QzQm5Qz5Qz", "iss": OK_ISS, "aud": "api://default",
    "iat": IAT, "exp": EXP, "cid": OK_CLIENT, "uid": "00u1a2b3c4d5e6f7g8h9", "scp": ["openid", "email"],
    "auth_time": NOW - 300, "sub": "jane@example.com",
}
case("okta", "access token", ok_at, "ok", ok_cfg)
case("okta", "ID token where an access token is expected",
     {"ver": 1, "sub": "00u1a2b3c4d5e6f7g8h9", "iss": OK_ISS, "aud": OK_CLIENT, "iat": IAT, "exp": EXP,
      "jti": "ID.4eAWJOCMB3SX8XewDfVR", "amr": ["pwd"], "idp": "00o1a2b3c4d5e6f7g8h9", "nonce": "n-0S6",
      "auth_time": NOW - 300, "at_hash": "preview_at_hash"}, "wrong_audience", ok_cfg)
case("okta", "another client's access token", {**ok_at, "cid": "0oa9z8y7x6w5v4u3t2s1"}, "wrong_cid", ok_cfg)
case("okta", "no cid", {k: v for k, v in ok_at.items() if k != "cid"}, "missing_cid", ok_cfg)
case("okta", "access token, audience named", ok_at, "ok", {**ok_cfg, "aud": ["api://default"]})
case("okta", "custom audience, token for the default one", ok_at, "wrong_audience",
     {**ok_cfg, "aud": ["api://orders"]})
case("okta", "another authorization server's token", {**ok_at, "iss": "https://dev-123456.okta.com/oauth2/aus9o8wzkhckw9TLa0h7"},
     "wrong_issuer", ok_cfg)

# ---- Keycloak
KC_ISS = "https://keycloak.example.com/realms/myrealm"
KC_CLIENT = "my-app"
kc = {"iss": [KC_ISS], "azp": [KC_CLIENT]}
kc_at = {
    "exp": EXP, "iat": IAT, "auth_time": NOW - 300, "jti": "onrtac:1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b", "iss": KC_ISS,
    "aud": "account", "sub": "f1e2d3c4-b5a6-4798-8a9b-0c1d2e3f4a5b", "typ": "Bearer", "azp": KC_CLIENT,
    "sid": "a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d", "acr": "1", "allowed-origins": ["https://app.example.com"],
    "realm_access": {"roles": ["default-roles-myrealm", "offline_access", "uma_authorization"]},
    "resource_access": {"account": {"roles": ["manage-account", "view-profile"]}},
    "scope": "openid email profile", "email_verified": True, "preferred_username": "jane",
}
kh = {"typ": "JWT"}
case("keycloak", "access token", kc_at, "ok", kc, header=kh)
case("keycloak", "ID token where an access token is expected",
     {**{k: v for k, v in kc_at.items() if k not in ("allowed-origins", "realm_access", "resource_access", "scope")},
      "typ": "ID", "aud": KC_CLIENT, "nonce": "n-0S6", "at_hash": "x"}, "wrong_typ_claim", kc, header=kh)
case("keycloak", "refresh token", {**kc_at, "typ": "Refresh", "aud": KC_ISS}, "wrong_typ_claim", kc, header=kh)
case("keycloak", "no typ claim", {k: v for k, v in kc_at.items() if k != "typ"}, "missing_typ_claim", kc, header=kh)
case("keycloak", "another client's access token", {**kc_at, "azp": "other-app"}, "wrong_authorized_party", kc,
     header=kh)
case("keycloak", "another realm's access token", {**kc_at, "iss": "https://keycloak.example.com/realms/other"},
     "wrong_issuer", kc, header=kh)

kci = {"iss": [KC_ISS], "aud": [KC_CLIENT]}
kc_id = {**{k: v for k, v in kc_at.items() if k not in ("allowed-origins", "realm_access", "resource_access", "scope")},
         "typ": "ID", "aud": KC_CLIENT, "nonce": "n-0S6", "at_hash": "x"}
case("keycloak-id", "ID token", kc_id, "ok", kci, header=kh)
case("keycloak-id", "access token issued to the client as audience", {**kc_at, "aud": KC_CLIENT}, "wrong_typ_claim",
     kci, header=kh)
case("keycloak-id", "another client's ID token", {**kc_id, "aud": "other-app", "azp": "other-app"}, "wrong_audience",
     kci, header=kh)

write(os.path.join(OUT, "jwks.json"), json.dumps(jwks, indent=2) + "\n")
write(os.path.join(OUT, "hs256.secret.b64url"), b64u(hs_secret) + "\n")
write(os.path.join(OUT, "private", "rsa.pem"), rsa_key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode())
write(os.path.join(OUT, "private", "p256.pem"), ec_key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode())
write(os.path.join(OUT, "cases.json"), json.dumps({"now": NOW, "cases": cases}, indent=1) + "\n")
print(f"{len(cases)} cases")
