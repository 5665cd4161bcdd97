//! One flat error enum: every rejection has its own variant, a stable numeric
//! code (used by the C ABI, never reused) and a sentence a person can read.

use core::fmt;

/// Why a token, a key or a configuration was refused.
///
/// Codes are grouped by stage (1xx framing, 2xx header, 3xx JSON, 4xx key
/// selection and signature, 5xx key loading, 6xx claims) and never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u32)]
pub enum Error {
    // ---- framing -------------------------------------------------------
    /// The token is longer than the configured maximum (checked before anything else).
    TokenTooLarge = 100,
    /// Not exactly three non-empty `.`-separated segments (compact JWS).
    MalformedToken = 101,
    /// A segment is not canonical unpadded base64url.
    BadBase64 = 102,
    /// The caller's scratch buffer cannot hold the decoded header and payload.
    BufferTooSmall = 103,

    // ---- header --------------------------------------------------------
    /// The protected header is not a JSON object.
    MalformedHeader = 200,
    /// The header has no `alg`.
    MissingAlg = 201,
    /// `alg` is `none` (in any spelling): unsigned tokens are never accepted.
    AlgNone = 202,
    /// `alg` names an algorithm this library does not implement.
    UnsupportedAlg = 203,
    /// `crit` lists an extension this library does not understand (RFC 7515 4.1.11),
    /// or is not a non-empty array of strings.
    UnknownCrit = 204,
    /// A header parameter has the wrong JSON type (e.g. `kid` is a number).
    HeaderWrongType = 205,
    /// `b64: false` (RFC 7797 unencoded payload) is not supported.
    UnencodedPayload = 206,
    /// `cty` is `JWT` (any letter case, optionally `application/jwt`): a
    /// nested token (RFC 7519 5.2), which this library does not unwrap.
    NestedToken = 207,
    /// The header has `zip`: compression is defined for JWE only (RFC 7516
    /// 4.1.3), never for a JWS.
    CompressedPayload = 208,

    // ---- JSON ----------------------------------------------------------
    /// Not valid JSON (unexpected byte, bad number, unterminated value...).
    JsonSyntax = 300,
    /// Nesting deeper than the parser's fixed limit.
    JsonTooDeep = 301,
    /// The same member name appears twice in one object (compared after unescaping).
    JsonDuplicateMember = 302,
    /// A string is not valid UTF-8.
    JsonInvalidUtf8 = 303,
    /// A raw control character inside a string.
    JsonControlChar = 304,
    /// An invalid escape sequence (unknown escape, bad `\u`, lone surrogate).
    JsonBadEscape = 305,
    /// Bytes after the end of the top-level value.
    JsonTrailingData = 306,
    /// An object has more members than the parser's fixed limit.
    JsonTooManyMembers = 307,
    /// The payload is not a JSON object (a JWT claims set must be one).
    PayloadNotObject = 308,
    /// The duplicate-name check would cost more than the parser's per-document
    /// work budget (names colliding under its hash, or more names open at once
    /// than its hash stack holds): refused to keep parsing linear in the input.
    JsonTooComplex = 309,

    // ---- key selection and signature ------------------------------------
    /// The token's `kid` matches no pinned key.
    UnknownKid = 400,
    /// More pinned keys fit the token (no `kid`, or a `kid` several keys carry)
    /// than `keys::MAX_CANDIDATES`, the most one token may cost.
    NoMatchingKey = 401,
    /// The selected key's type (or its JWK `alg`) does not allow the token's `alg`.
    AlgNotAllowedForKey = 402,
    /// The signature does not verify.
    BadSignature = 403,
    /// The signature has the wrong length for the algorithm or key (e.g. DER ECDSA).
    BadSignatureLength = 404,
    /// The policy's algorithm allow-list does not include the token's `alg`.
    AlgNotAllowedByPolicy = 405,
    /// The token's `iss` is not the issuer its verifying key is bound to
    /// (`Key::with_issuer`, `KeySet::add_jwks_for_issuer`; RFC 8725 3.8).
    KeyIssuerMismatch = 406,
    /// An RSASSA-PSS signature that is valid, but whose salt is not as long
    /// as the hash output, as RFC 7518 3.5 requires (signers using the
    /// maximum salt, e.g. Go's `rsa.PSSSaltLengthAuto`). Accepted only by a
    /// key that allows any salt length (`Key::with_pss_any_salt`).
    PssSaltLength = 407,
    /// Routing by issuer (several issuers, each with its own keys and
    /// policy): the token's `iss`, read before the signature is checked,
    /// names none of the configured routes. No route's keys or policy were
    /// tried, so no other provider's refusal is reported.
    UnknownIssuer = 411,

    // ---- key loading -----------------------------------------------------
    /// A key document (JWK, JWKS, PEM, DER, certificate) could not be parsed.
    KeyMalformed = 500,
    /// The key's type, curve or algorithm is not supported.
    KeyUnsupported = 501,
    /// An HMAC secret is shorter than the hash output of its algorithm, or empty.
    HmacKeyTooShort = 502,
    /// An RSA modulus outside 2048..=4096 bits, or even (an unusable public
    /// exponent is `RsaExponent`).
    RsaKeySize = 503,
    /// More keys than the key set's fixed capacity.
    TooManyKeys = 504,
    /// The key set is empty (or a JWKS held no usable key).
    NoKeys = 505,
    /// An elliptic-curve public key is not a valid point on its curve.
    InvalidPublicKey = 506,
    /// A `kid` longer than the fixed capacity for key ids.
    KidTooLong = 507,
    /// An issuer binding for a key is empty or longer than `keys::MAX_ISSUER_LEN`.
    KeyIssuerInvalid = 508,
    /// An `oct` (symmetric) key in a JWKS document: skipped unless asked for,
    /// since anyone who can read the document could forge tokens with it.
    SymmetricKeyInJwks = 509,
    /// An RSA public exponent that is even, below 3, or 2^32 or more
    /// (verification cost grows with its bits; providers use 65537).
    RsaExponent = 510,
    /// An X.509 certificate whose DER does not have the shape RFC 5280 4.1
    /// gives (Certificate, tbsCertificate and its fields up to
    /// subjectPublicKeyInfo), or a key map entry that is not a `CERTIFICATE`
    /// PEM. Only the structure is read: validity and signature are not checked.
    CertificateMalformed = 511,
    /// A key map (`KeySet::add_x509_map`) names the same `kid` twice.
    DuplicateKid = 512,

    // ---- claims ----------------------------------------------------------
    /// `exp` is in the past (beyond the leeway).
    Expired = 600,
    /// `nbf` is in the future (beyond the leeway).
    NotYetValid = 601,
    /// `iat` is in the future (beyond the leeway).
    IssuedInFuture = 602,
    /// `iat` is older than the policy's maximum token age.
    TokenTooOld = 603,
    /// `exp` is required and absent.
    MissingExp = 604,
    /// A registered claim has the wrong JSON type (e.g. `exp` as a string).
    ClaimWrongType = 605,
    /// An issuer is configured and the token has no `iss`.
    MissingIssuer = 606,
    /// `iss` is not one of the configured issuers.
    WrongIssuer = 607,
    /// An audience is configured and the token has no `aud`.
    MissingAudience = 608,
    /// No `aud` value is one of the configured audiences.
    WrongAudience = 609,
    /// `azp` is present and not one of the configured authorized parties.
    WrongAuthorizedParty = 610,
    /// A client id is configured and the token has no `client_id`.
    MissingClientId = 611,
    /// `client_id` does not match the configured client id.
    WrongClientId = 612,
    /// A `typ` is required and the header has none.
    MissingTyp = 613,
    /// The header `typ` is not one of the allowed values.
    WrongTyp = 614,
    /// `sub` is required and absent.
    MissingSubject = 615,
    /// A required scope is not in the token's `scope`.
    MissingScope = 616,
    /// A maximum token age is configured and the token has no `iat`.
    MissingIssuedAt = 617,
    /// A claim is out of range: a time not representable as seconds, or a
    /// Firebase `sub` (uid) longer than 128 characters.
    ClaimOutOfRange = 618,
    /// An ID-token policy was shown an access token (`typ` `at+jwt`, RFC 9068 s2.1).
    AccessTokenAsIdToken = 619,
    /// An ID token with several audiences and no `azp` (OIDC Core 3.1.3.7).
    ///
    /// Also when the policy requires `azp` (`Policy::require_azp`) and the
    /// token has none.
    MissingAuthorizedParty = 620,
    /// An access-token policy needs `jti` (RFC 9068 s2.2) and the token has none.
    MissingJti = 621,
    /// `sub` is not one of the policy's expected subjects (`Policy::subjects`).
    WrongSubject = 622,
    /// With every configured audience required (`Policy::require_all_audiences`):
    /// `aud` holds some of them but lacks at least one.
    MissingRequiredAudience = 623,

    // ---- provider claims (presets for Cognito, Supabase, Entra ID, Okta,
    // Keycloak, Firebase; see `policy::ClaimChecks`) -------------------------
    /// `token_use` is required (AWS Cognito) and the token has none.
    MissingTokenUse = 650,
    /// `token_use` is not the kind expected (an ID token where an access
    /// token is expected, or the reverse).
    WrongTokenUse = 651,
    /// `role` is required (Supabase) and the token has none.
    MissingRole = 652,
    /// `role` is not an accepted role (e.g. Supabase's `anon` or
    /// `service_role` key where a user session is expected).
    WrongRole = 653,
    /// `tid` is required (Microsoft Entra ID) and the token has none.
    MissingTenant = 654,
    /// `tid` is not the tenant the issuer names.
    WrongTenant = 655,
    /// `cid` is required (Okta access tokens) and the token has none.
    MissingCid = 656,
    /// `cid` is not an accepted client id.
    WrongCid = 657,
    /// The payload's `typ` claim is required (Keycloak) and the token has none.
    MissingTypClaim = 658,
    /// The payload's `typ` claim is not the kind expected (`Bearer`, `ID`).
    WrongTypClaim = 659,
    /// `auth_time` is required (Firebase) and the token has none.
    MissingAuthTime = 660,
    /// `auth_time` is in the future (beyond the leeway).
    AuthTimeInFuture = 661,

    // ---- configuration ---------------------------------------------------
    /// The policy itself is inconsistent (e.g. an empty string in a set).
    InvalidPolicy = 700,
    /// The preset needs at least one accepted issuer and none is configured.
    PolicyNeedsIssuer = 701,
    /// The preset needs at least one accepted audience and none is configured.
    PolicyNeedsAudience = 702,
    /// The preset needs at least one authorized party (`azp`) and none is configured.
    PolicyNeedsAuthorizedParty = 703,
    /// The preset needs at least one client id and none is configured.
    PolicyNeedsClientId = 704,
    /// Every configured audience is required (`Policy::require_all_audiences`)
    /// but no audience is configured.
    PolicyAllAudiencesEmpty = 705,
    /// Two routes name the same issuer.
    DuplicateRoute = 706,
    /// A route's policy accepts issuers, and not the route's own: every
    /// token the route selects would be refused.
    RouteIssuerNotAccepted = 707,
    /// More routes than `route::MAX_ROUTES`.
    TooManyRoutes = 708,
}

impl Error {
    /// Stable numeric code (the C ABI's status value).
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// Short machine-readable name, `snake_case`, stable.
    pub const fn name(self) -> &'static str {
        use Error::*;
        match self {
            TokenTooLarge => "token_too_large",
            MalformedToken => "malformed_token",
            BadBase64 => "bad_base64",
            BufferTooSmall => "buffer_too_small",
            MalformedHeader => "malformed_header",
            MissingAlg => "missing_alg",
            AlgNone => "alg_none",
            UnsupportedAlg => "unsupported_alg",
            UnknownCrit => "unknown_crit",
            HeaderWrongType => "header_wrong_type",
            UnencodedPayload => "unencoded_payload",
            NestedToken => "nested_token",
            CompressedPayload => "compressed_payload",
            JsonSyntax => "json_syntax",
            JsonTooDeep => "json_too_deep",
            JsonDuplicateMember => "json_duplicate_member",
            JsonInvalidUtf8 => "json_invalid_utf8",
            JsonControlChar => "json_control_char",
            JsonBadEscape => "json_bad_escape",
            JsonTrailingData => "json_trailing_data",
            JsonTooManyMembers => "json_too_many_members",
            PayloadNotObject => "payload_not_object",
            JsonTooComplex => "json_too_complex",
            UnknownKid => "unknown_kid",
            NoMatchingKey => "no_matching_key",
            AlgNotAllowedForKey => "alg_not_allowed_for_key",
            BadSignature => "bad_signature",
            BadSignatureLength => "bad_signature_length",
            AlgNotAllowedByPolicy => "alg_not_allowed_by_policy",
            KeyIssuerMismatch => "key_issuer_mismatch",
            PssSaltLength => "pss_salt_length",
            UnknownIssuer => "unknown_issuer",
            KeyMalformed => "key_malformed",
            KeyUnsupported => "key_unsupported",
            HmacKeyTooShort => "hmac_key_too_short",
            RsaKeySize => "rsa_key_size",
            TooManyKeys => "too_many_keys",
            NoKeys => "no_keys",
            InvalidPublicKey => "invalid_public_key",
            KidTooLong => "kid_too_long",
            KeyIssuerInvalid => "key_issuer_invalid",
            SymmetricKeyInJwks => "symmetric_key_in_jwks",
            RsaExponent => "rsa_exponent",
            CertificateMalformed => "certificate_malformed",
            DuplicateKid => "duplicate_kid",
            Expired => "expired",
            NotYetValid => "not_yet_valid",
            IssuedInFuture => "issued_in_future",
            TokenTooOld => "token_too_old",
            MissingExp => "missing_exp",
            ClaimWrongType => "claim_wrong_type",
            MissingIssuer => "missing_issuer",
            WrongIssuer => "wrong_issuer",
            MissingAudience => "missing_audience",
            WrongAudience => "wrong_audience",
            WrongAuthorizedParty => "wrong_authorized_party",
            MissingClientId => "missing_client_id",
            WrongClientId => "wrong_client_id",
            MissingTyp => "missing_typ",
            WrongTyp => "wrong_typ",
            MissingSubject => "missing_subject",
            MissingScope => "missing_scope",
            MissingIssuedAt => "missing_issued_at",
            ClaimOutOfRange => "claim_out_of_range",
            AccessTokenAsIdToken => "access_token_as_id_token",
            MissingAuthorizedParty => "missing_authorized_party",
            MissingJti => "missing_jti",
            WrongSubject => "wrong_subject",
            MissingRequiredAudience => "missing_required_audience",
            MissingTokenUse => "missing_token_use",
            WrongTokenUse => "wrong_token_use",
            MissingRole => "missing_role",
            WrongRole => "wrong_role",
            MissingTenant => "missing_tenant",
            WrongTenant => "wrong_tenant",
            MissingCid => "missing_cid",
            WrongCid => "wrong_cid",
            MissingTypClaim => "missing_typ_claim",
            WrongTypClaim => "wrong_typ_claim",
            MissingAuthTime => "missing_auth_time",
            AuthTimeInFuture => "auth_time_in_future",
            InvalidPolicy => "invalid_policy",
            PolicyNeedsIssuer => "policy_needs_issuer",
            PolicyNeedsAudience => "policy_needs_audience",
            PolicyNeedsAuthorizedParty => "policy_needs_authorized_party",
            PolicyNeedsClientId => "policy_needs_client_id",
            PolicyAllAudiencesEmpty => "policy_all_audiences_empty",
            DuplicateRoute => "duplicate_route",
            RouteIssuerNotAccepted => "route_issuer_not_accepted",
            TooManyRoutes => "too_many_routes",
        }
    }

    /// A sentence a person can read.
    pub const fn message(self) -> &'static str {
        use Error::*;
        match self {
            TokenTooLarge => "token is larger than the configured maximum size",
            MalformedToken => {
                "token is not a compact JWS (three non-empty segments separated by '.')"
            }
            BadBase64 => "a token segment is not canonical unpadded base64url",
            BufferTooSmall => "scratch buffer is too small for the decoded header and payload",
            MalformedHeader => "protected header is not a JSON object",
            MissingAlg => "protected header has no \"alg\"",
            AlgNone => "unsigned token (alg \"none\") refused",
            UnsupportedAlg => "\"alg\" names an unsupported algorithm",
            UnknownCrit => "\"crit\" lists an extension that is not understood",
            HeaderWrongType => "a header parameter has the wrong JSON type",
            UnencodedPayload => "unencoded payload (\"b64\": false) is not supported",
            NestedToken => "nested token (\"cty\": \"JWT\") is not supported",
            CompressedPayload => "\"zip\" is not allowed in a JWS header",
            JsonSyntax => "invalid JSON",
            JsonTooDeep => "JSON nested too deeply",
            JsonDuplicateMember => "duplicate member name in a JSON object",
            JsonInvalidUtf8 => "JSON text is not valid UTF-8",
            JsonControlChar => "raw control character in a JSON string",
            JsonBadEscape => "invalid escape sequence in a JSON string",
            JsonTrailingData => "data after the end of the JSON value",
            JsonTooManyMembers => "JSON object has too many members",
            PayloadNotObject => "payload is not a JSON object",
            JsonTooComplex => "JSON member names cost too much to check for duplicates",
            UnknownKid => "\"kid\" matches no pinned key",
            NoMatchingKey => "more pinned keys fit the token than are tried (keys::MAX_CANDIDATES)",
            AlgNotAllowedForKey => "the selected key does not allow this algorithm",
            BadSignature => "signature does not verify",
            BadSignatureLength => "signature has the wrong length or encoding for the algorithm",
            AlgNotAllowedByPolicy => "algorithm is not in the policy's allow-list",
            KeyIssuerMismatch => "\"iss\" is not the issuer the verifying key is bound to",
            PssSaltLength => "PSS signature's salt is not the hash length RFC 7518 requires",
            UnknownIssuer => "\"iss\" matches no configured issuer route",
            KeyMalformed => "key could not be parsed",
            KeyUnsupported => "key type, curve or algorithm is not supported",
            HmacKeyTooShort => "HMAC secret is shorter than the hash output",
            RsaKeySize => "RSA modulus outside 2048..4096 bits or even",
            TooManyKeys => "more keys than the key set can hold",
            NoKeys => "no usable key",
            InvalidPublicKey => "public key is not a valid curve point",
            KidTooLong => "\"kid\" is longer than supported",
            KeyIssuerInvalid => "key issuer binding is empty or longer than supported",
            SymmetricKeyInJwks => "symmetric (oct) key in a JWKS document skipped",
            RsaExponent => "RSA public exponent is not odd and in 3..2^32-1",
            CertificateMalformed => "X.509 certificate could not be parsed",
            DuplicateKid => "key map names the same \"kid\" twice",
            Expired => "token has expired",
            NotYetValid => "token is not valid yet (nbf)",
            IssuedInFuture => "token was issued in the future (iat)",
            TokenTooOld => "token is older than the maximum age",
            MissingExp => "token has no \"exp\"",
            ClaimWrongType => "a registered claim has the wrong JSON type",
            MissingIssuer => "token has no \"iss\"",
            WrongIssuer => "\"iss\" is not an accepted issuer",
            MissingAudience => "token has no \"aud\"",
            WrongAudience => "\"aud\" does not contain an accepted audience",
            WrongAuthorizedParty => "\"azp\" is not an authorized party",
            MissingClientId => "token has no \"client_id\"",
            WrongClientId => "\"client_id\" does not match",
            MissingTyp => "header has no \"typ\"",
            WrongTyp => "header \"typ\" is not accepted",
            MissingSubject => "token has no \"sub\"",
            MissingScope => "a required scope is missing",
            MissingIssuedAt => "token has no \"iat\" (needed for the maximum age)",
            ClaimOutOfRange => "a claim is out of range",
            AccessTokenAsIdToken => "an access token (typ at+jwt) is not an ID token",
            MissingAuthorizedParty => {
                "token has no \"azp\" (required by the policy, or by an ID token with several audiences)"
            }
            MissingJti => "token has no \"jti\"",
            WrongSubject => "\"sub\" is not the expected subject",
            MissingRequiredAudience => "\"aud\" lacks an audience the policy requires",
            MissingTokenUse => "token has no \"token_use\"",
            WrongTokenUse => "\"token_use\" is not the expected kind of token",
            MissingRole => "token has no \"role\"",
            WrongRole => "\"role\" is not an accepted role",
            MissingTenant => "token has no \"tid\"",
            WrongTenant => "\"tid\" is not the tenant the issuer names",
            MissingCid => "token has no \"cid\"",
            WrongCid => "\"cid\" is not an accepted client id",
            MissingTypClaim => "token has no \"typ\" claim",
            WrongTypClaim => "\"typ\" claim is not the expected kind of token",
            MissingAuthTime => "token has no \"auth_time\"",
            AuthTimeInFuture => "\"auth_time\" is in the future",
            InvalidPolicy => "invalid policy configuration",
            PolicyNeedsIssuer => "the preset needs an accepted issuer (iss) and none is configured",
            PolicyNeedsAudience => {
                "the preset needs an accepted audience (aud) and none is configured"
            }
            PolicyNeedsAuthorizedParty => {
                "the preset needs an authorized party (azp) and none is configured"
            }
            PolicyNeedsClientId => "the preset needs a client id and none is configured",
            PolicyAllAudiencesEmpty => {
                "every configured audience is required, and no audience is configured"
            }
            DuplicateRoute => "two issuer routes name the same issuer",
            RouteIssuerNotAccepted => "a route's policy does not accept the route's issuer",
            TooManyRoutes => "more issuer routes than are supported",
        }
    }

    /// Every variant, for tests and bindings that enumerate codes.
    pub const ALL: &'static [Error] = &{
        use Error::*;
        [
            TokenTooLarge,
            MalformedToken,
            BadBase64,
            BufferTooSmall,
            MalformedHeader,
            MissingAlg,
            AlgNone,
            UnsupportedAlg,
            UnknownCrit,
            HeaderWrongType,
            UnencodedPayload,
            NestedToken,
            CompressedPayload,
            JsonSyntax,
            JsonTooDeep,
            JsonDuplicateMember,
            JsonInvalidUtf8,
            JsonControlChar,
            JsonBadEscape,
            JsonTrailingData,
            JsonTooManyMembers,
            PayloadNotObject,
            JsonTooComplex,
            UnknownKid,
            NoMatchingKey,
            AlgNotAllowedForKey,
            BadSignature,
            BadSignatureLength,
            AlgNotAllowedByPolicy,
            KeyIssuerMismatch,
            PssSaltLength,
            UnknownIssuer,
            KeyMalformed,
            KeyUnsupported,
            HmacKeyTooShort,
            RsaKeySize,
            TooManyKeys,
            NoKeys,
            InvalidPublicKey,
            KidTooLong,
            KeyIssuerInvalid,
            SymmetricKeyInJwks,
            RsaExponent,
            CertificateMalformed,
            DuplicateKid,
            Expired,
            NotYetValid,
            IssuedInFuture,
            TokenTooOld,
            MissingExp,
            ClaimWrongType,
            MissingIssuer,
            WrongIssuer,
            MissingAudience,
            WrongAudience,
            WrongAuthorizedParty,
            MissingClientId,
            WrongClientId,
            MissingTyp,
            WrongTyp,
            MissingSubject,
            MissingScope,
            MissingIssuedAt,
            ClaimOutOfRange,
            AccessTokenAsIdToken,
            MissingAuthorizedParty,
            MissingJti,
            WrongSubject,
            MissingRequiredAudience,
            MissingTokenUse,
            WrongTokenUse,
            MissingRole,
            WrongRole,
            MissingTenant,
            WrongTenant,
            MissingCid,
            WrongCid,
            MissingTypClaim,
            WrongTypClaim,
            MissingAuthTime,
            AuthTimeInFuture,
            InvalidPolicy,
            PolicyNeedsIssuer,
            PolicyNeedsAudience,
            PolicyNeedsAuthorizedParty,
            PolicyNeedsClientId,
            PolicyAllAudiencesEmpty,
            DuplicateRoute,
            RouteIssuerNotAccepted,
            TooManyRoutes,
        ]
    };

    /// The variant for a numeric code, if any.
    pub fn from_code(code: u32) -> Option<Error> {
        Self::ALL.iter().copied().find(|e| e.code() == code)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for (i, a) in Error::ALL.iter().enumerate() {
            assert_eq!(Error::from_code(a.code()), Some(*a));
            for b in &Error::ALL[i + 1..] {
                assert_ne!(a.code(), b.code());
                assert_ne!(a.name(), b.name());
            }
        }
    }
}
