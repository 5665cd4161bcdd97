//! `vf_status`: one C enum for every outcome. Core errors keep their numbers
//! (`Error::code()`), and their names and sentences are core's own, made
//! NUL-terminated at compile time so the C side gets static strings.

use std::ffi::c_char;

use verifier_core::Error;

/// Result of every fallible call. Values are stable and never reused: 0 is
/// success, 100..=799 are the core verifier's errors (same numbers as its
/// `Error::code()`), 900.. are errors of the C interface itself (1000..=1099:
/// claim getters and explanations).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum vf_status {
    /// Success.
    VF_OK = 0,
    // ---- framing -------------------------------------------------------
    /// The token is longer than the configured maximum (checked before anything else).
    VF_TOKEN_TOO_LARGE = 100,
    /// Not exactly three non-empty `.`-separated segments (compact JWS).
    VF_MALFORMED_TOKEN = 101,
    /// A segment is not canonical unpadded base64url.
    VF_BAD_BASE64 = 102,
    /// The caller's scratch buffer cannot hold the decoded header and payload.
    VF_BUFFER_TOO_SMALL = 103,
    // ---- header --------------------------------------------------------
    /// The protected header is not a JSON object.
    VF_MALFORMED_HEADER = 200,
    /// The header has no `alg`.
    VF_MISSING_ALG = 201,
    /// `alg` is `none` (in any spelling): unsigned tokens are never accepted.
    VF_ALG_NONE = 202,
    /// `alg` names an algorithm this library does not implement.
    VF_UNSUPPORTED_ALG = 203,
    /// `crit` lists an extension this library does not understand (RFC 7515 4.1.11),
    /// or is not a non-empty array of strings.
    VF_UNKNOWN_CRIT = 204,
    /// A header parameter has the wrong JSON type (e.g. `kid` is a number).
    VF_HEADER_WRONG_TYPE = 205,
    /// `b64: false` (RFC 7797 unencoded payload) is not supported.
    VF_UNENCODED_PAYLOAD = 206,
    /// `cty` is `JWT` (any letter case, optionally `application/jwt`): a
    /// nested token (RFC 7519 5.2), which this library does not unwrap.
    VF_NESTED_TOKEN = 207,
    /// The header has `zip`: compression is defined for JWE only (RFC 7516
    /// 4.1.3), never for a JWS.
    VF_COMPRESSED_PAYLOAD = 208,
    // ---- JSON ----------------------------------------------------------
    /// Not valid JSON (unexpected byte, bad number, unterminated value...).
    VF_JSON_SYNTAX = 300,
    /// Nesting deeper than the parser's fixed limit.
    VF_JSON_TOO_DEEP = 301,
    /// The same member name appears twice in one object (compared after unescaping).
    VF_JSON_DUPLICATE_MEMBER = 302,
    /// A string is not valid UTF-8.
    VF_JSON_INVALID_UTF8 = 303,
    /// A raw control character inside a string.
    VF_JSON_CONTROL_CHAR = 304,
    /// An invalid escape sequence (unknown escape, bad `\u`, lone surrogate).
    VF_JSON_BAD_ESCAPE = 305,
    /// Bytes after the end of the top-level value.
    VF_JSON_TRAILING_DATA = 306,
    /// An object has more members than the parser's fixed limit.
    VF_JSON_TOO_MANY_MEMBERS = 307,
    /// The payload is not a JSON object (a JWT claims set must be one).
    VF_PAYLOAD_NOT_OBJECT = 308,
    /// The duplicate-name check would cost more than the parser's per-document
    /// work budget (names colliding under its hash, or more names open at once
    /// than its hash stack holds): refused to keep parsing linear in the input.
    VF_JSON_TOO_COMPLEX = 309,
    // ---- key selection and signature ------------------------------------
    /// The token's `kid` matches no pinned key (nor a key added to answer any `kid`).
    VF_UNKNOWN_KID = 400,
    /// More pinned keys fit the token (no `kid`, or a `kid` several keys carry)
    /// than the 4 a token may be tried against.
    VF_NO_MATCHING_KEY = 401,
    /// The selected key's type (or its JWK `alg`) does not allow the token's `alg`.
    VF_ALG_NOT_ALLOWED_FOR_KEY = 402,
    /// The signature does not verify.
    VF_BAD_SIGNATURE = 403,
    /// The signature has the wrong length for the algorithm or key (e.g. DER ECDSA).
    VF_BAD_SIGNATURE_LENGTH = 404,
    /// The policy's algorithm allow-list does not include the token's `alg`.
    VF_ALG_NOT_ALLOWED_BY_POLICY = 405,
    /// The token's `iss` is not the issuer its verifying key is bound to
    /// (`vf_config_add_jwks_ex` / `vf_config_add_pem_ex` with an issuer).
    VF_KEY_ISSUER_MISMATCH = 406,
    /// An RSASSA-PSS signature that verifies, but whose salt is not as long
    /// as the hash (RFC 7518 3.5): a signer using the maximum salt. Accepted
    /// by keys added with `VF_KEY_PSS_ANY_SALT`.
    VF_PSS_SALT_LENGTH = 407,
    /// A routed verifier (`vf_verifier_new_routed`): the token's `iss`, read
    /// before the signature, names no route. No route's keys or policy were
    /// tried.
    VF_UNKNOWN_ISSUER = 411,
    // ---- key loading -----------------------------------------------------
    /// A key document (JWK, JWKS, PEM, DER, certificate) could not be parsed.
    VF_KEY_MALFORMED = 500,
    /// The key's type, curve or algorithm is not supported.
    VF_KEY_UNSUPPORTED = 501,
    /// An HMAC secret is shorter than the hash output of its algorithm, or empty.
    VF_HMAC_KEY_TOO_SHORT = 502,
    /// An RSA modulus outside 2048..=4096 bits, or even (an unusable exponent
    /// is `VF_RSA_EXPONENT`).
    VF_RSA_KEY_SIZE = 503,
    /// More keys than the key set's fixed capacity.
    VF_TOO_MANY_KEYS = 504,
    /// The key set is empty (or a JWKS held no usable key).
    VF_NO_KEYS = 505,
    /// An elliptic-curve public key is not a valid point on its curve.
    VF_INVALID_PUBLIC_KEY = 506,
    /// A `kid` longer than the fixed capacity for key ids.
    VF_KID_TOO_LONG = 507,
    /// A key's issuer binding is empty or longer than 128 bytes.
    VF_KEY_ISSUER_INVALID = 508,
    /// An `oct` (symmetric) key in a JWKS, skipped unless `VF_JWKS_ALLOW_SYMMETRIC`.
    VF_SYMMETRIC_KEY_IN_JWKS = 509,
    /// An RSA public exponent that is even, below 3, or 2^32 or more.
    VF_RSA_EXPONENT = 510,
    /// An X.509 certificate whose structure could not be parsed, or an
    /// X.509 map entry that is not a `CERTIFICATE` PEM (validity and
    /// signature are not checked).
    VF_CERTIFICATE_MALFORMED = 511,
    /// An X.509 map (`vf_config_add_x509_map`) names the same `kid` twice.
    VF_DUPLICATE_KID = 512,
    // ---- claims ----------------------------------------------------------
    /// `exp` is in the past (beyond the leeway).
    VF_EXPIRED = 600,
    /// `nbf` is in the future (beyond the leeway).
    VF_NOT_YET_VALID = 601,
    /// `iat` is in the future (beyond the leeway).
    VF_ISSUED_IN_FUTURE = 602,
    /// `iat` is older than the policy's maximum token age.
    VF_TOKEN_TOO_OLD = 603,
    /// `exp` is required and absent.
    VF_MISSING_EXP = 604,
    /// A registered claim has the wrong JSON type (e.g. `exp` as a string).
    VF_CLAIM_WRONG_TYPE = 605,
    /// An issuer is configured and the token has no `iss`.
    VF_MISSING_ISSUER = 606,
    /// `iss` is not one of the configured issuers.
    VF_WRONG_ISSUER = 607,
    /// An audience is configured and the token has no `aud`.
    VF_MISSING_AUDIENCE = 608,
    /// No `aud` value is one of the configured audiences.
    VF_WRONG_AUDIENCE = 609,
    /// `azp` is present and not one of the configured authorized parties.
    VF_WRONG_AUTHORIZED_PARTY = 610,
    /// A client id is configured and the token has no `client_id`.
    VF_MISSING_CLIENT_ID = 611,
    /// `client_id` does not match the configured client id.
    VF_WRONG_CLIENT_ID = 612,
    /// A `typ` is required and the header has none.
    VF_MISSING_TYP = 613,
    /// The header `typ` is not one of the allowed values.
    VF_WRONG_TYP = 614,
    /// `sub` is required and absent.
    VF_MISSING_SUBJECT = 615,
    /// A required scope is not in the token's `scope`.
    VF_MISSING_SCOPE = 616,
    /// A maximum token age is configured and the token has no `iat`.
    VF_MISSING_ISSUED_AT = 617,
    /// A claim is out of range: a time not representable as seconds, or a
    /// Firebase `sub` (uid) longer than 128 characters.
    VF_CLAIM_OUT_OF_RANGE = 618,
    /// An ID-token policy was given an access token (`typ` `at+jwt`).
    VF_ACCESS_TOKEN_AS_ID_TOKEN = 619,
    /// The token has no `azp` and the policy requires one
    /// (`vf_config_set_require_azp`), or an ID token with several audiences
    /// has none (OIDC Core 3.1.3.7).
    VF_MISSING_AUTHORIZED_PARTY = 620,
    /// An access-token policy (RFC 9068) and the token has no `jti`.
    VF_MISSING_JTI = 621,
    /// `sub` is not one of the expected subjects (`vf_config_add_subject`).
    VF_WRONG_SUBJECT = 622,
    /// Every configured audience is required (`vf_config_set_require_all_audiences`)
    /// and `aud` lacks at least one of them (it holds some).
    VF_MISSING_REQUIRED_AUDIENCE = 623,
    // ---- provider claims (the provider presets) ---------------------------
    /// `token_use` is required (AWS Cognito) and the token has none.
    VF_MISSING_TOKEN_USE = 650,
    /// `token_use` is not the kind expected (an ID token where an access token is expected, or the reverse).
    VF_WRONG_TOKEN_USE = 651,
    /// `role` is required (Supabase) and the token has none.
    VF_MISSING_ROLE = 652,
    /// `role` is not an accepted role (Supabase's `anon` or `service_role` key as a user session).
    VF_WRONG_ROLE = 653,
    /// `tid` is required (Microsoft Entra ID) and the token has none.
    VF_MISSING_TENANT = 654,
    /// `tid` is not the tenant the issuer names.
    VF_WRONG_TENANT = 655,
    /// `cid` is required (Okta access tokens) and the token has none.
    VF_MISSING_CID = 656,
    /// `cid` is not an accepted client id.
    VF_WRONG_CID = 657,
    /// The payload's `typ` claim is required (Keycloak) and the token has none.
    VF_MISSING_TYP_CLAIM = 658,
    /// The payload's `typ` claim is not the kind expected (`Bearer`, `ID`).
    VF_WRONG_TYP_CLAIM = 659,
    /// `auth_time` is required (Firebase) and the token has none.
    VF_MISSING_AUTH_TIME = 660,
    /// `auth_time` is in the future (beyond the leeway).
    VF_AUTH_TIME_IN_FUTURE = 661,
    // ---- configuration ---------------------------------------------------
    /// The policy itself is inconsistent (e.g. an empty string in a set).
    VF_INVALID_POLICY = 700,
    /// The preset needs an issuer (`vf_config_add_issuer`) and none was added.
    VF_POLICY_NEEDS_ISSUER = 701,
    /// The preset needs an audience (`vf_config_add_audience`) and none was added.
    VF_POLICY_NEEDS_AUDIENCE = 702,
    /// The preset needs an authorized party (`vf_config_add_authorized_party`) and none was added.
    VF_POLICY_NEEDS_AUTHORIZED_PARTY = 703,
    /// The preset needs a client id (`vf_config_add_client_id`) and none was added.
    VF_POLICY_NEEDS_CLIENT_ID = 704,
    /// Every configured audience is required (`vf_config_set_require_all_audiences`)
    /// and no audience was added.
    VF_POLICY_ALL_AUDIENCES_EMPTY = 705,
    /// `vf_verifier_new_routed`: two routes name the same issuer.
    VF_DUPLICATE_ROUTE = 706,
    /// `vf_verifier_new_routed`: a route's configuration accepts issuers,
    /// and not the route's own.
    VF_ROUTE_ISSUER_NOT_ACCEPTED = 707,
    /// `vf_verifier_new_routed`: more routes than `VF_MAX_ROUTES`.
    VF_TOO_MANY_ROUTES = 708,
    // ---- the C interface ---------------------------------------------------
    /// A required pointer argument was NULL.
    VF_NULL_ARGUMENT = 900,
    /// A bad length, flag or algorithm name, a buffer too small, or text that is not UTF-8.
    VF_INVALID_ARGUMENT = 901,
    /// The `Authorization` header value is not `Bearer <token>`.
    VF_MISSING_BEARER = 902,
    /// An internal panic was caught at the boundary (a bug; never expected).
    VF_PANIC = 903,
    /// Memory could not be allocated.
    VF_ALLOCATION_FAILED = 904,
    // ---- claim getters and explanations (1000..=1099) ----------------------
    /// The claim is not in the token (or the array index is past its end).
    VF_CLAIM_NOT_FOUND = 1000,
    /// The claim has another JSON type than the getter reads (for the int64
    /// getter: not an integer that fits `int64_t`).
    VF_CLAIM_TYPE_MISMATCH = 1001,
    /// The caller's output buffer is too small; `*out_len` says how many bytes are needed.
    VF_OUTPUT_TOO_SMALL = 1002,
    /// The string holds a NUL character (`\u0000`): as a C string it would be cut short.
    VF_CLAIM_HAS_NUL = 1003,
    /// The claims (or result) do not hold a successful verification.
    VF_NOT_VERIFIED = 1004,
}

use vf_status::*;

/// The status for a core error: the same number.
pub(crate) const fn from_error(e: Error) -> vf_status {
    use Error as E;
    match e {
        E::TokenTooLarge => VF_TOKEN_TOO_LARGE,
        E::MalformedToken => VF_MALFORMED_TOKEN,
        E::BadBase64 => VF_BAD_BASE64,
        E::BufferTooSmall => VF_BUFFER_TOO_SMALL,
        E::MalformedHeader => VF_MALFORMED_HEADER,
        E::MissingAlg => VF_MISSING_ALG,
        E::AlgNone => VF_ALG_NONE,
        E::UnsupportedAlg => VF_UNSUPPORTED_ALG,
        E::UnknownCrit => VF_UNKNOWN_CRIT,
        E::HeaderWrongType => VF_HEADER_WRONG_TYPE,
        E::UnencodedPayload => VF_UNENCODED_PAYLOAD,
        E::NestedToken => VF_NESTED_TOKEN,
        E::CompressedPayload => VF_COMPRESSED_PAYLOAD,
        E::JsonSyntax => VF_JSON_SYNTAX,
        E::JsonTooDeep => VF_JSON_TOO_DEEP,
        E::JsonDuplicateMember => VF_JSON_DUPLICATE_MEMBER,
        E::JsonInvalidUtf8 => VF_JSON_INVALID_UTF8,
        E::JsonControlChar => VF_JSON_CONTROL_CHAR,
        E::JsonBadEscape => VF_JSON_BAD_ESCAPE,
        E::JsonTrailingData => VF_JSON_TRAILING_DATA,
        E::JsonTooManyMembers => VF_JSON_TOO_MANY_MEMBERS,
        E::PayloadNotObject => VF_PAYLOAD_NOT_OBJECT,
        E::JsonTooComplex => VF_JSON_TOO_COMPLEX,
        E::UnknownKid => VF_UNKNOWN_KID,
        E::NoMatchingKey => VF_NO_MATCHING_KEY,
        E::AlgNotAllowedForKey => VF_ALG_NOT_ALLOWED_FOR_KEY,
        E::BadSignature => VF_BAD_SIGNATURE,
        E::BadSignatureLength => VF_BAD_SIGNATURE_LENGTH,
        E::AlgNotAllowedByPolicy => VF_ALG_NOT_ALLOWED_BY_POLICY,
        E::KeyIssuerMismatch => VF_KEY_ISSUER_MISMATCH,
        E::PssSaltLength => VF_PSS_SALT_LENGTH,
        E::UnknownIssuer => VF_UNKNOWN_ISSUER,
        E::KeyMalformed => VF_KEY_MALFORMED,
        E::KeyUnsupported => VF_KEY_UNSUPPORTED,
        E::HmacKeyTooShort => VF_HMAC_KEY_TOO_SHORT,
        E::RsaKeySize => VF_RSA_KEY_SIZE,
        E::TooManyKeys => VF_TOO_MANY_KEYS,
        E::NoKeys => VF_NO_KEYS,
        E::InvalidPublicKey => VF_INVALID_PUBLIC_KEY,
        E::KidTooLong => VF_KID_TOO_LONG,
        E::KeyIssuerInvalid => VF_KEY_ISSUER_INVALID,
        E::SymmetricKeyInJwks => VF_SYMMETRIC_KEY_IN_JWKS,
        E::RsaExponent => VF_RSA_EXPONENT,
        E::CertificateMalformed => VF_CERTIFICATE_MALFORMED,
        E::DuplicateKid => VF_DUPLICATE_KID,
        E::Expired => VF_EXPIRED,
        E::NotYetValid => VF_NOT_YET_VALID,
        E::IssuedInFuture => VF_ISSUED_IN_FUTURE,
        E::TokenTooOld => VF_TOKEN_TOO_OLD,
        E::MissingExp => VF_MISSING_EXP,
        E::ClaimWrongType => VF_CLAIM_WRONG_TYPE,
        E::MissingIssuer => VF_MISSING_ISSUER,
        E::WrongIssuer => VF_WRONG_ISSUER,
        E::MissingAudience => VF_MISSING_AUDIENCE,
        E::WrongAudience => VF_WRONG_AUDIENCE,
        E::WrongAuthorizedParty => VF_WRONG_AUTHORIZED_PARTY,
        E::MissingClientId => VF_MISSING_CLIENT_ID,
        E::WrongClientId => VF_WRONG_CLIENT_ID,
        E::MissingTyp => VF_MISSING_TYP,
        E::WrongTyp => VF_WRONG_TYP,
        E::MissingSubject => VF_MISSING_SUBJECT,
        E::MissingScope => VF_MISSING_SCOPE,
        E::MissingIssuedAt => VF_MISSING_ISSUED_AT,
        E::ClaimOutOfRange => VF_CLAIM_OUT_OF_RANGE,
        E::AccessTokenAsIdToken => VF_ACCESS_TOKEN_AS_ID_TOKEN,
        E::MissingAuthorizedParty => VF_MISSING_AUTHORIZED_PARTY,
        E::MissingJti => VF_MISSING_JTI,
        E::WrongSubject => VF_WRONG_SUBJECT,
        E::MissingRequiredAudience => VF_MISSING_REQUIRED_AUDIENCE,
        E::InvalidPolicy => VF_INVALID_POLICY,
        E::PolicyNeedsIssuer => VF_POLICY_NEEDS_ISSUER,
        E::PolicyNeedsAudience => VF_POLICY_NEEDS_AUDIENCE,
        E::PolicyNeedsAuthorizedParty => VF_POLICY_NEEDS_AUTHORIZED_PARTY,
        E::PolicyNeedsClientId => VF_POLICY_NEEDS_CLIENT_ID,
        E::PolicyAllAudiencesEmpty => VF_POLICY_ALL_AUDIENCES_EMPTY,
        E::DuplicateRoute => VF_DUPLICATE_ROUTE,
        E::RouteIssuerNotAccepted => VF_ROUTE_ISSUER_NOT_ACCEPTED,
        E::TooManyRoutes => VF_TOO_MANY_ROUTES,
        E::MissingTokenUse => VF_MISSING_TOKEN_USE,
        E::WrongTokenUse => VF_WRONG_TOKEN_USE,
        E::MissingRole => VF_MISSING_ROLE,
        E::WrongRole => VF_WRONG_ROLE,
        E::MissingTenant => VF_MISSING_TENANT,
        E::WrongTenant => VF_WRONG_TENANT,
        E::MissingCid => VF_MISSING_CID,
        E::WrongCid => VF_WRONG_CID,
        E::MissingTypClaim => VF_MISSING_TYP_CLAIM,
        E::WrongTypClaim => VF_WRONG_TYP_CLAIM,
        E::MissingAuthTime => VF_MISSING_AUTH_TIME,
        E::AuthTimeInFuture => VF_AUTH_TIME_IN_FUTURE,
        // Core's enum is non-exhaustive; `every_core_error_has_its_status`
        // fails the build's tests before an unmapped variant can ship.
        _ => VF_PANIC,
    }
}

/// Names and sentences of the interface's own statuses.
const OWN: [(vf_status, &str, &str); 11] = [
    (VF_OK, "ok", "success"),
    (
        VF_NULL_ARGUMENT,
        "null_argument",
        "a required pointer argument is NULL",
    ),
    (
        VF_INVALID_ARGUMENT,
        "invalid_argument",
        "invalid argument (length, flag, algorithm name or non-UTF-8 text)",
    ),
    (
        VF_MISSING_BEARER,
        "missing_bearer",
        "Authorization header is not \"Bearer <token>\"",
    ),
    (VF_PANIC, "panic", "internal error (a panic was caught)"),
    (
        VF_ALLOCATION_FAILED,
        "allocation_failed",
        "memory allocation failed",
    ),
    (
        VF_CLAIM_NOT_FOUND,
        "claim_not_found",
        "the claim is not in the token",
    ),
    (
        VF_CLAIM_TYPE_MISMATCH,
        "claim_type_mismatch",
        "the claim has another JSON type than the getter reads",
    ),
    (
        VF_OUTPUT_TOO_SMALL,
        "output_too_small",
        "the output buffer is too small",
    ),
    (
        VF_CLAIM_HAS_NUL,
        "claim_has_nul",
        "the string contains a NUL character",
    ),
    (
        VF_NOT_VERIFIED,
        "not_verified",
        "the claims do not hold a successful verification",
    ),
];

const NAME_LEN: usize = 32;
const MESSAGE_LEN: usize = 96;

/// `s` followed by NUL in a fixed array; too long a text fails the build.
const fn c_text<const L: usize>(s: &str) -> [u8; L] {
    let b = s.as_bytes();
    assert!(b.len() < L, "status text too long for its table");
    let mut out = [0u8; L];
    let mut i = 0;
    while i < b.len() {
        // A NUL inside would cut the C string short.
        assert!(b[i] != 0);
        out[i] = b[i];
        i += 1;
    }
    out
}

const CORE_COUNT: usize = Error::ALL.len();
const TABLE_LEN: usize = CORE_COUNT + OWN.len();

struct Table {
    codes: [u32; TABLE_LEN],
    names: [[u8; NAME_LEN]; TABLE_LEN],
    messages: [[u8; MESSAGE_LEN]; TABLE_LEN],
}

static TABLE: Table = {
    let mut t = Table {
        codes: [0; TABLE_LEN],
        names: [[0; NAME_LEN]; TABLE_LEN],
        messages: [[0; MESSAGE_LEN]; TABLE_LEN],
    };
    let mut i = 0;
    while i < CORE_COUNT {
        let e = Error::ALL[i];
        t.codes[i] = e.code();
        t.names[i] = c_text(e.name());
        t.messages[i] = c_text(e.message());
        i += 1;
    }
    let mut j = 0;
    while j < OWN.len() {
        t.codes[CORE_COUNT + j] = OWN[j].0 as u32;
        t.names[CORE_COUNT + j] = c_text(OWN[j].1);
        t.messages[CORE_COUNT + j] = c_text(OWN[j].2);
        j += 1;
    }
    t
};

static UNKNOWN_NAME: &[u8] = b"unknown\0";
static UNKNOWN_MESSAGE: &[u8] = b"unknown status code\0";

fn index(status: u32) -> Option<usize> {
    TABLE.codes.iter().position(|c| *c == status)
}

/// Short stable name of a status (`"expired"`, `"null_argument"`), `"unknown"`
/// for a number that is not a status. Static storage, never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn vf_status_name(status: u32) -> *const c_char {
    match index(status) {
        Some(i) => TABLE.names[i].as_ptr().cast(),
        None => UNKNOWN_NAME.as_ptr().cast(),
    }
}

/// A sentence describing a status. Static storage, never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn vf_status_message(status: u32) -> *const c_char {
    match index(status) {
        Some(i) => TABLE.messages[i].as_ptr().cast(),
        None => UNKNOWN_MESSAGE.as_ptr().cast(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn text(p: *const c_char) -> &'static str {
        // SAFETY: the functions return pointers into static NUL-terminated tables.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap()
    }

    #[test]
    fn every_core_error_has_its_status() {
        for &e in Error::ALL {
            let s = from_error(e);
            assert_eq!(s as u32, e.code(), "{e:?}");
            assert_ne!(s, VF_PANIC);
            // The C name is VF_ + the core name in capitals.
            assert_eq!(format!("{s:?}"), format!("VF_{}", e.name().to_uppercase()));
            assert_eq!(text(vf_status_name(e.code())), e.name());
            assert_eq!(text(vf_status_message(e.code())), e.message());
        }
    }

    #[test]
    fn own_statuses_and_unknown() {
        for (s, name, message) in OWN {
            assert_eq!(text(vf_status_name(s as u32)), name);
            assert_eq!(text(vf_status_message(s as u32)), message);
            assert_eq!(format!("{s:?}"), format!("VF_{}", name.to_uppercase()));
            assert!(Error::from_code(s as u32).is_none());
        }
        for code in [1, 99, 104, 799, 899, 905, 999, 1005, u32::MAX] {
            assert_eq!(text(vf_status_name(code)), "unknown");
            assert_eq!(text(vf_status_message(code)), "unknown status code");
        }
    }
}
