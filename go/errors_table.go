// The sentinel table mirrors core/src/error.rs and the C ABI status list; the names
// and messages themselves come from the C library at init, so they cannot drift.

package verifier

// One sentinel per vf_status. Every error this package returns for a rejected
// token, key or configuration matches exactly one of them with errors.Is, and
// errors.As(err, &*Error) gives its stable code and name.
var (
	// ---- framing ----
	// ErrTokenTooLarge means the token is longer than the configured maximum (checked
	// before anything else).
	ErrTokenTooLarge = newError(100)
	// ErrMalformedToken means the token is not exactly three non-empty `.`-separated segments
	// (compact JWS).
	ErrMalformedToken = newError(101)
	// ErrBadBase64 means a segment is not canonical unpadded base64url.
	ErrBadBase64 = newError(102)
	// ErrBufferTooSmall means the caller's scratch buffer cannot hold the decoded
	// header and payload.
	ErrBufferTooSmall = newError(103)

	// ---- header ----
	// ErrMalformedHeader means the protected header is not a JSON object.
	ErrMalformedHeader = newError(200)
	// ErrMissingAlg means the header has no `alg`.
	ErrMissingAlg = newError(201)
	// ErrAlgNone: `alg` is `none` (in any spelling): unsigned tokens are never
	// accepted.
	ErrAlgNone = newError(202)
	// ErrUnsupportedAlg: `alg` names an algorithm this library does not implement.
	ErrUnsupportedAlg = newError(203)
	// ErrUnknownCrit: `crit` lists an extension this library does not understand
	// (RFC 7515 4.1.11), or is not a non-empty array of strings.
	ErrUnknownCrit = newError(204)
	// ErrHeaderWrongType means a header parameter has the wrong JSON type (e.g. `kid`
	// is a number).
	ErrHeaderWrongType = newError(205)
	// ErrUnencodedPayload: `b64: false` (RFC 7797 unencoded payload) is not
	// supported.
	ErrUnencodedPayload = newError(206)
	// ErrNestedToken: `cty` is `JWT` (any letter case, optionally
	// `application/jwt`): a nested token (RFC 7519 5.2), which is not unwrapped.
	ErrNestedToken = newError(207)
	// ErrCompressedPayload means the header has `zip`: compression is defined for
	// JWE only (RFC 7516 4.1.3), never for a JWS.
	ErrCompressedPayload = newError(208)

	// ---- JSON ----
	// ErrJSONSyntax means the text is not valid JSON (unexpected byte, bad number, unterminated
	// value...).
	ErrJSONSyntax = newError(300)
	// ErrJSONTooDeep means JSON nesting is deeper than the parser's fixed limit.
	ErrJSONTooDeep = newError(301)
	// ErrJSONDuplicateMember means the same member name appears twice in one object
	// (compared after unescaping).
	ErrJSONDuplicateMember = newError(302)
	// ErrJSONInvalidUTF8 means a string is not valid UTF-8.
	ErrJSONInvalidUTF8 = newError(303)
	// ErrJSONControlChar means there is a raw control character inside a string.
	ErrJSONControlChar = newError(304)
	// ErrJSONBadEscape means there is an invalid escape sequence (unknown escape, bad `\u`, lone
	// surrogate).
	ErrJSONBadEscape = newError(305)
	// ErrJSONTrailingData means there are bytes after the end of the top-level value.
	ErrJSONTrailingData = newError(306)
	// ErrJSONTooManyMembers means an object has more members than the parser's fixed
	// limit.
	ErrJSONTooManyMembers = newError(307)
	// ErrPayloadNotObject means the payload is not a JSON object (a JWT claims set must
	// be one).
	ErrPayloadNotObject = newError(308)
	// ErrJSONTooComplex means checking member names for duplicates would cost more
	// than the parser's per-document work budget (refused to keep parsing linear).
	ErrJSONTooComplex = newError(309)

	// ---- key selection and signature ----
	// ErrUnknownKID means the token's `kid` matches no pinned key (nor a key
	// marked KeyAnyKID).
	ErrUnknownKID = newError(400)
	// ErrNoMatchingKey means more pinned keys fit the token (no `kid`, or a `kid`
	// several keys carry) than the 4 a token may be tried against.
	ErrNoMatchingKey = newError(401)
	// ErrAlgNotAllowedForKey means the selected key's type (or its JWK `alg`) does not
	// allow the token's `alg`.
	ErrAlgNotAllowedForKey = newError(402)
	// ErrBadSignature means the signature does not verify.
	ErrBadSignature = newError(403)
	// ErrBadSignatureLength means the signature has the wrong length for the algorithm
	// or key (e.g. DER ECDSA).
	ErrBadSignatureLength = newError(404)
	// ErrAlgNotAllowedByPolicy means the policy's algorithm allow-list does not include
	// the token's `alg`.
	ErrAlgNotAllowedByPolicy = newError(405)
	// ErrKeyIssuerMismatch means the token's `iss` is not the issuer its verifying
	// key is bound to (KeyIssuer, WithIssuerJWKSURL).
	ErrKeyIssuerMismatch = newError(406)
	// ErrPSSSaltLength means a PSS signature verifies but its salt is not as long
	// as the hash (RFC 7518 3.5): a signer using the maximum salt. KeyPSSAnySalt
	// (JWKSOptions.PSSAnySalt) accepts it.
	ErrPSSSaltLength = newError(407)
	// ErrUnknownIssuer means the token's "iss", read before the signature to
	// choose an issuer's keys (WithIssuerJWKSURL), names none of the
	// configured issuers. No issuer's keys or policy were tried.
	ErrUnknownIssuer = newError(411)

	// ---- key loading ----
	// ErrKeyMalformed means a key document (JWK, JWKS, PEM, DER, certificate) could not
	// be parsed.
	ErrKeyMalformed = newError(500)
	// ErrKeyUnsupported means the key's type, curve or algorithm is not supported.
	ErrKeyUnsupported = newError(501)
	// ErrHMACKeyTooShort means an HMAC secret is shorter than the hash output of its
	// algorithm, or empty.
	ErrHMACKeyTooShort = newError(502)
	// ErrRSAKeySize means an RSA modulus is outside 2048..=4096 bits, or an unusable
	// public exponent.
	ErrRSAKeySize = newError(503)
	// ErrTooManyKeys means there are more keys than the key set's fixed capacity.
	ErrTooManyKeys = newError(504)
	// ErrNoKeys means the key set is empty (or a JWKS held no usable key).
	ErrNoKeys = newError(505)
	// ErrInvalidPublicKey means an elliptic-curve public key is not a valid point on
	// its curve.
	ErrInvalidPublicKey = newError(506)
	// ErrKIDTooLong means a `kid` is longer than the fixed capacity for key ids.
	ErrKIDTooLong = newError(507)
	// ErrKeyIssuerInvalid means a key's issuer binding is empty or longer than 128
	// bytes.
	ErrKeyIssuerInvalid = newError(508)
	// ErrSymmetricKeyInJWKS is the reason an `oct` (HMAC) key of a JWKS is skipped
	// unless KeyAllowSymmetric is given: a skip reason (LoadReport.SkippedSymmetric),
	// never returned by itself.
	ErrSymmetricKeyInJWKS = newError(509)
	// ErrRSAExponent means an RSA public exponent is even, below 3, or 2^32 or
	// more (LoadReport.SkippedRSAExponent in a JWKS).
	ErrRSAExponent = newError(510)
	// ErrCertificateMalformed means an X.509 map entry (WithX509URL) is not a
	// PEM "CERTIFICATE" or its DER is not shaped as a certificate (validity and
	// signature are not checked).
	ErrCertificateMalformed = newError(511)
	// ErrDuplicateKID means an X.509 map names the same kid twice.
	ErrDuplicateKID = newError(512)

	// ---- claims ----
	// ErrExpired: `exp` is in the past (beyond the leeway).
	ErrExpired = newError(600)
	// ErrNotYetValid: `nbf` is in the future (beyond the leeway).
	ErrNotYetValid = newError(601)
	// ErrIssuedInFuture: `iat` is in the future (beyond the leeway).
	ErrIssuedInFuture = newError(602)
	// ErrTokenTooOld: `iat` is older than the policy's maximum token age.
	ErrTokenTooOld = newError(603)
	// ErrMissingExp: `exp` is required and absent.
	ErrMissingExp = newError(604)
	// ErrClaimWrongType means a registered claim has the wrong JSON type (e.g. `exp` as
	// a string).
	ErrClaimWrongType = newError(605)
	// ErrMissingIssuer means an issuer is configured and the token has no `iss`.
	ErrMissingIssuer = newError(606)
	// ErrWrongIssuer: `iss` is not one of the configured issuers.
	ErrWrongIssuer = newError(607)
	// ErrMissingAudience means an audience is configured and the token has no `aud`.
	ErrMissingAudience = newError(608)
	// ErrWrongAudience means no `aud` value is one of the configured audiences.
	ErrWrongAudience = newError(609)
	// ErrWrongAuthorizedParty: `azp` is present and not one of the configured
	// authorized parties.
	ErrWrongAuthorizedParty = newError(610)
	// ErrMissingClientID means a client id is configured and the token has no
	// `client_id`.
	ErrMissingClientID = newError(611)
	// ErrWrongClientID: `client_id` does not match the configured client id.
	ErrWrongClientID = newError(612)
	// ErrMissingTyp means a `typ` is required and the header has none.
	ErrMissingTyp = newError(613)
	// ErrWrongTyp means the header `typ` is not one of the allowed values.
	ErrWrongTyp = newError(614)
	// ErrMissingSubject: `sub` is required and absent.
	ErrMissingSubject = newError(615)
	// ErrMissingScope means a required scope is not in the token's `scope`.
	ErrMissingScope = newError(616)
	// ErrMissingIssuedAt means a maximum token age is configured and the token has no
	// `iat`.
	ErrMissingIssuedAt = newError(617)
	// ErrClaimOutOfRange means a claim is out of range: a time not representable as
	// seconds, or a Firebase "sub" (uid) longer than 128 characters.
	ErrClaimOutOfRange = newError(618)
	// ErrAccessTokenAsIDToken means an ID-token policy (IDToken) was given an
	// access token (`typ` `at+jwt`).
	ErrAccessTokenAsIDToken = newError(619)
	// ErrMissingAuthorizedParty means the token has no `azp` and the policy
	// requires one (WithRequireAuthorizedParty), or an ID token with several
	// audiences has none (OIDC Core 3.1.3.7).
	ErrMissingAuthorizedParty = newError(620)
	// ErrMissingJTI means an access-token policy (RFC 9068: AccessToken, Logto)
	// met a token without `jti`.
	ErrMissingJTI = newError(621)
	// ErrWrongSubject means `sub` is not one of the expected subjects (WithSubject).
	ErrWrongSubject = newError(622)
	// ErrMissingRequiredAudience means every audience is required
	// (WithRequireAllAudiences) and `aud` lacks at least one (it holds some).
	ErrMissingRequiredAudience = newError(623)

	// ---- provider claims (the provider presets) ----
	// ErrMissingTokenUse means the token has no `token_use` (AWS Cognito presets).
	ErrMissingTokenUse = newError(650)
	// ErrWrongTokenUse means `token_use` is not the kind expected: an ID token
	// where an access token is expected, or the reverse (AWS Cognito presets).
	ErrWrongTokenUse = newError(651)
	// ErrMissingRole means the token has no `role` (Supabase).
	ErrMissingRole = newError(652)
	// ErrWrongRole means `role` is not an accepted role: Supabase's `anon` or
	// `service_role` key shown as a user session.
	ErrWrongRole = newError(653)
	// ErrMissingTenant means the token has no `tid` (Microsoft Entra ID).
	ErrMissingTenant = newError(654)
	// ErrWrongTenant means `tid` is not the tenant the issuer names (Entra ID).
	ErrWrongTenant = newError(655)
	// ErrMissingCID means the token has no `cid` (Okta access tokens).
	ErrMissingCID = newError(656)
	// ErrWrongCID means `cid` is not an accepted client id (Okta).
	ErrWrongCID = newError(657)
	// ErrMissingTypClaim means the token has no `typ` claim in its payload
	// (Keycloak).
	ErrMissingTypClaim = newError(658)
	// ErrWrongTypClaim means the payload's `typ` claim is not the kind expected:
	// a Keycloak ID or refresh token where an access token (`Bearer`) is.
	ErrWrongTypClaim = newError(659)
	// ErrMissingAuthTime means the token has no `auth_time` (Firebase).
	ErrMissingAuthTime = newError(660)
	// ErrAuthTimeInFuture means `auth_time` is in the future (Firebase).
	ErrAuthTimeInFuture = newError(661)

	// ---- configuration ----
	// ErrInvalidPolicy means the policy itself is inconsistent (e.g. an empty string in
	// a set).
	ErrInvalidPolicy = newError(700)
	// ErrPolicyNeedsIssuer means the preset needs an issuer and none was given.
	ErrPolicyNeedsIssuer = newError(701)
	// ErrPolicyNeedsAudience means the preset needs an audience and none was given.
	ErrPolicyNeedsAudience = newError(702)
	// ErrPolicyNeedsAuthorizedParty means the preset needs an authorized party
	// (Clerk: your app's origins) and none was given.
	ErrPolicyNeedsAuthorizedParty = newError(703)
	// ErrPolicyNeedsClientID means the preset needs a client id (CognitoAccess:
	// your app client id) and none was given.
	ErrPolicyNeedsClientID = newError(704)
	// ErrPolicyAllAudiencesEmpty means WithRequireAllAudiences is on and no
	// audience was given.
	ErrPolicyAllAudiencesEmpty = newError(705)
	// ErrDuplicateRoute means two routes (issuers) of one routed C verifier
	// are the same.
	ErrDuplicateRoute = newError(706)
	// ErrRouteIssuerNotAccepted means a route's policy accepts issuers, and
	// not the route's own.
	ErrRouteIssuerNotAccepted = newError(707)
	// ErrTooManyRoutes means more routes than the C library serves (16).
	ErrTooManyRoutes = newError(708)

	// ---- binding ----
	// ErrNullArgument means a required argument was missing (a bug in this package if
	// it ever surfaces).
	ErrNullArgument = newError(900)
	// ErrInvalidArgument means an argument is invalid: a bad length, an unknown
	// algorithm name, or text that is not UTF-8.
	ErrInvalidArgument = newError(901)
	// ErrMissingBearer means the Authorization header is absent or not of the form
	// "Bearer <token>".
	ErrMissingBearer = newError(902)
	// ErrPanic means the library caught an internal panic (should never happen).
	ErrPanic = newError(903)
	// ErrAllocationFailed means the C library could not allocate memory.
	ErrAllocationFailed = newError(904)

	// ---- C claim getters and explanations (not called by this package) ----
	// ErrClaimNotFound means a C claim getter found no such claim.
	ErrClaimNotFound = newError(1000)
	// ErrClaimTypeMismatch means a C claim getter found another JSON type.
	ErrClaimTypeMismatch = newError(1001)
	// ErrOutputTooSmall means a C caller's output buffer was too small.
	ErrOutputTooSmall = newError(1002)
	// ErrClaimHasNUL means a claim string holds a NUL character.
	ErrClaimHasNUL = newError(1003)
	// ErrNotVerified means C claims held no successful verification.
	ErrNotVerified = newError(1004)
)

// allErrors lists every sentinel in code order.
var allErrors = []*Error{
	ErrTokenTooLarge,
	ErrMalformedToken,
	ErrBadBase64,
	ErrBufferTooSmall,
	ErrMalformedHeader,
	ErrMissingAlg,
	ErrAlgNone,
	ErrUnsupportedAlg,
	ErrUnknownCrit,
	ErrHeaderWrongType,
	ErrUnencodedPayload,
	ErrNestedToken,
	ErrCompressedPayload,
	ErrJSONSyntax,
	ErrJSONTooDeep,
	ErrJSONDuplicateMember,
	ErrJSONInvalidUTF8,
	ErrJSONControlChar,
	ErrJSONBadEscape,
	ErrJSONTrailingData,
	ErrJSONTooManyMembers,
	ErrPayloadNotObject,
	ErrJSONTooComplex,
	ErrUnknownKID,
	ErrNoMatchingKey,
	ErrAlgNotAllowedForKey,
	ErrBadSignature,
	ErrBadSignatureLength,
	ErrAlgNotAllowedByPolicy,
	ErrKeyIssuerMismatch,
	ErrPSSSaltLength,
	ErrUnknownIssuer,
	ErrKeyMalformed,
	ErrKeyUnsupported,
	ErrHMACKeyTooShort,
	ErrRSAKeySize,
	ErrTooManyKeys,
	ErrNoKeys,
	ErrInvalidPublicKey,
	ErrKIDTooLong,
	ErrKeyIssuerInvalid,
	ErrSymmetricKeyInJWKS,
	ErrRSAExponent,
	ErrCertificateMalformed,
	ErrDuplicateKID,
	ErrExpired,
	ErrNotYetValid,
	ErrIssuedInFuture,
	ErrTokenTooOld,
	ErrMissingExp,
	ErrClaimWrongType,
	ErrMissingIssuer,
	ErrWrongIssuer,
	ErrMissingAudience,
	ErrWrongAudience,
	ErrWrongAuthorizedParty,
	ErrMissingClientID,
	ErrWrongClientID,
	ErrMissingTyp,
	ErrWrongTyp,
	ErrMissingSubject,
	ErrMissingScope,
	ErrMissingIssuedAt,
	ErrClaimOutOfRange,
	ErrAccessTokenAsIDToken,
	ErrMissingAuthorizedParty,
	ErrMissingJTI,
	ErrWrongSubject,
	ErrMissingRequiredAudience,
	ErrMissingTokenUse,
	ErrWrongTokenUse,
	ErrMissingRole,
	ErrWrongRole,
	ErrMissingTenant,
	ErrWrongTenant,
	ErrMissingCID,
	ErrWrongCID,
	ErrMissingTypClaim,
	ErrWrongTypClaim,
	ErrMissingAuthTime,
	ErrAuthTimeInFuture,
	ErrInvalidPolicy,
	ErrPolicyNeedsIssuer,
	ErrPolicyNeedsAudience,
	ErrPolicyNeedsAuthorizedParty,
	ErrPolicyNeedsClientID,
	ErrPolicyAllAudiencesEmpty,
	ErrDuplicateRoute,
	ErrRouteIssuerNotAccepted,
	ErrTooManyRoutes,
	ErrNullArgument,
	ErrInvalidArgument,
	ErrMissingBearer,
	ErrPanic,
	ErrAllocationFailed,
	ErrClaimNotFound,
	ErrClaimTypeMismatch,
	ErrOutputTooSmall,
	ErrClaimHasNUL,
	ErrNotVerified,
}
