//! What makes a verified token acceptable to this API: time, issuer,
//! audience, authorized party, client id, `typ`, subject, scopes, algorithms.
//!
//! A policy is plain data built once; presets for providers are ordinary
//! constructors over the same fields. String sets are slices of anything that
//! is `AsRef<str>`, so a Rust caller borrows `&str`s and a binding can keep
//! owned strings without rebuilding anything per token.

use crate::Error;
use crate::alg::{AlgSet, Algorithm};
use crate::claims::Claims;
use crate::header::Header;
use crate::json::JsonStr;

/// A claims policy. `S` is the string type of its sets.
///
/// **The default policy checks little**: the signature (with any pinned key,
/// any algorithm the key allows, HMAC included), `exp` (required, no
/// leeway), `nbf` and a future `iat` when present, and that `sub` is present.
/// It checks **no issuer, no audience, no `typ`, no `azp`, no `client_id`, no
/// scope**: a token any pinned key signed for any purpose passes. Set the
/// sets you need, or start from a preset ([`Policy::id_token`],
/// [`Policy::access_token`], [`Policy::logto`], [`Policy::clerk`]), which
/// refuse a configuration missing what their provider requires.
#[derive(Clone, Debug)]
pub struct Policy<'a, S: AsRef<str> = &'a str> {
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
    pub leeway: u32,
    /// Refuse an `iat` in the future (beyond the leeway) even without
    /// `max_age` (default true). With `max_age` set a future `iat` is always
    /// refused. `jose` and Logto's SDKs do not check it otherwise.
    pub reject_future_iat: bool,
    /// Refuse tokens without `exp` (default true).
    pub require_exp: bool,
    /// Maximum age from `iat`, in seconds; when set, `iat` is required.
    pub max_age: Option<u32>,
    /// Accepted issuers (exact match); empty = no issuer check.
    pub issuers: &'a [S],
    /// Accepted audiences (any `aud` value matching any of them, or all of
    /// them with [`require_all_audiences`](Self::require_all_audiences));
    /// empty = no check.
    pub audiences: &'a [S],
    /// Every entry of `audiences` must be in the token's `aud` (a string or
    /// an array), not just one (default false). `aud` holding none of them
    /// is `WrongAudience`, some but not all `MissingRequiredAudience`. With
    /// no audience configured the policy is refused
    /// (`PolicyAllAudiencesEmpty`).
    pub require_all_audiences: bool,
    /// Authorized parties: when non-empty and the token has `azp`, it must be one of them.
    pub authorized_parties: &'a [S],
    /// Refuse a token without `azp` (`MissingAuthorizedParty`; default
    /// false). Clerk's preset, like Clerk's SDKs, accepts a token without
    /// `azp` (a request from a backend, not a browser); set this where every
    /// token must name the origin it was made for.
    pub require_azp: bool,
    /// Accepted `client_id` values (RFC 9068); empty = no check.
    pub client_ids: &'a [S],
    /// Accepted header `typ` values, compared case-insensitively with an
    /// optional `application/` prefix (RFC 7515 4.1.9); empty = any.
    pub typ: &'a [S],
    /// With a `typ` set: whether a header without `typ` is accepted.
    pub allow_missing_typ: bool,
    /// Refuse tokens without `sub` (default true).
    pub require_sub: bool,
    /// Expected subjects: when non-empty, `sub` must be present
    /// (`MissingSubject`, whatever `require_sub` says) and equal one of
    /// them, exactly (`WrongSubject`).
    pub subjects: &'a [S],
    /// Scopes that must all be in the token's `scope`.
    pub required_scopes: &'a [S],
    /// Algorithms accepted, on top of each key's own restriction.
    pub algorithms: AlgSet,
    /// The kind of token the policy is for, and the checks it implies.
    pub profile: Profile,
    /// Sets that must not be empty (a preset's requirements): checked by
    /// [`validate`](Self::validate) and on every [`check`](Self::check), so a
    /// struct update that empties one fails closed.
    pub needs: Needs,
    /// Provider-specific claim checks (Cognito `token_use`, Supabase `role`,
    /// Entra ID `tid`, Okta `cid`, Keycloak's `typ` claim, Firebase
    /// `auth_time`); none by default.
    pub claim_checks: ClaimChecks<'a>,
}

/// Claim checks some providers document beyond the registered claims. Plain
/// data with borrowed strings (no allocation); every check is off by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClaimChecks<'a> {
    /// `token_use` must be present and equal this (AWS Cognito: `id` or
    /// `access`): `MissingTokenUse`, `WrongTokenUse`.
    pub token_use: Option<&'a str>,
    /// The payload's `typ` claim must be present and equal this (Keycloak:
    /// `Bearer` for access tokens, `ID` for ID tokens): `MissingTypClaim`,
    /// `WrongTypClaim`.
    pub typ_claim: Option<&'a str>,
    /// When non-empty, `role` must be present and one of these (Supabase:
    /// `authenticated`, so the `anon` and `service_role` keys are not a user
    /// session): `MissingRole`, `WrongRole`.
    pub roles: &'a [&'a str],
    /// The client id is in `cid` (Okta access tokens), not `client_id`: `cid`
    /// must be present and, with `client_ids` configured, one of them
    /// (`MissingCid`, `WrongCid`); `client_id` is then not checked.
    pub client_id_in_cid: bool,
    /// `tid` must be present and be the tenant the issuer names, the first
    /// path segment of `iss` (Microsoft Entra ID, both
    /// `https://login.microsoftonline.com/{tid}/v2.0` and
    /// `https://sts.windows.net/{tid}/`): `MissingTenant`, `WrongTenant`. A
    /// configured issuer holding `{tenantid}` then accepts any tenant's
    /// issuer with the token's `tid` in its place (multi-tenant apps).
    pub tenant_in_issuer: bool,
    /// `auth_time` must be present and not in the future (Firebase), and
    /// `sub` not empty and at most 128 characters: `MissingAuthTime`,
    /// `AuthTimeInFuture`, `MissingSubject`, `ClaimOutOfRange`.
    pub require_auth_time: bool,
}

impl ClaimChecks<'_> {
    /// No checks.
    pub const NONE: ClaimChecks<'static> = ClaimChecks {
        token_use: None,
        typ_claim: None,
        roles: &[],
        client_id_in_cid: false,
        tenant_in_issuer: false,
        require_auth_time: false,
    };
}

/// What kind of token a policy accepts, beyond its sets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// No checks beyond the policy's fields.
    #[default]
    Any,
    /// An OpenID Connect ID token (OIDC Core 3.1.3.7): `typ` `at+jwt` is
    /// refused (`AccessTokenAsIdToken`); with several `aud` values `azp` is
    /// required; a present `azp` must be an authorized party, or, with none
    /// configured, one of the accepted audiences (the client ids).
    IdToken,
    /// An OAuth 2.0 access token in JWT form (RFC 9068 2.2): `exp`, `sub`,
    /// `client_id`, `iat` and `jti` must be present (`iss` and `aud` through
    /// the policy's sets, which the presets make required).
    AccessToken,
}

/// The form a provider's documentation gives its issuer. A preset's
/// configured issuers must have it (`InvalidPolicy` from
/// [`Policy::validate`] and every [`Policy::check`]): an issuer of another
/// form would refuse every token, or (Okta's org authorization server) is
/// one the provider says no application should validate tokens of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssuerForm {
    /// `https://{domain}/`, trailing slash included (Auth0,
    /// <https://auth0.com/docs/secure/tokens/json-web-tokens/validate-json-web-tokens>).
    Auth0,
    /// `https://securetoken.google.com/{projectId}` with `{projectId}` one of
    /// the audiences (Firebase,
    /// <https://firebase.google.com/docs/auth/admin/verify-id-tokens#verify_id_tokens_using_a_third-party_jwt_library>).
    Firebase,
    /// `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`
    /// (`.amazonaws.com.cn` in the China regions; AWS Cognito,
    /// <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>).
    Cognito,
    /// `https://{host}/{tenant}/v2.0` (v2.0 tokens) or
    /// `https://{host}/{tenant}/` (v1.0), `{tenantid}` standing for any
    /// tenant (Microsoft Entra ID,
    /// <https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-tokens>).
    Entra,
    /// `https://accounts.google.com` or `accounts.google.com` (Google,
    /// <https://developers.google.com/identity/gsi/web/guides/verify-google-id-token>).
    Google,
    /// `https://{domain}/oauth2/{authorizationServerId}`, a custom
    /// authorization server: the org authorization server's tokens
    /// (`https://{domain}`) are for Okta alone to validate (Okta,
    /// <https://developer.okta.com/docs/guides/validate-access-tokens/main/>).
    Okta,
    /// `https://{host}[/{path}]/realms/{realm}` (`http://` too, for local
    /// servers; Keycloak, <https://www.keycloak.org/securing-apps/oidc-layers>).
    Keycloak,
}

impl IssuerForm {
    /// The form, as error messages show it.
    pub const fn expected(self) -> &'static str {
        match self {
            IssuerForm::Auth0 => "https://DOMAIN/ (with the trailing slash)",
            IssuerForm::Firebase => {
                "https://securetoken.google.com/PROJECT_ID, PROJECT_ID an audience"
            }
            IssuerForm::Cognito => "https://cognito-idp.REGION.amazonaws.com/USER_POOL_ID",
            IssuerForm::Entra => "https://HOST/TENANT/v2.0 or https://HOST/TENANT/",
            IssuerForm::Google => "https://accounts.google.com or accounts.google.com",
            IssuerForm::Okta => {
                "https://DOMAIN/oauth2/AUTH_SERVER_ID (a custom authorization server)"
            }
            IssuerForm::Keycloak => "https://HOST/realms/REALM",
        }
    }

    /// Whether `iss` has this form (`audiences`: Firebase's project ids).
    pub fn accepts<S: AsRef<str>>(self, iss: &str, audiences: &[S]) -> bool {
        /// One non-empty path segment or host, without spaces.
        fn segment(s: &str) -> bool {
            !s.is_empty() && !s.contains(['/', ' ', '?', '#'])
        }
        let https = iss.strip_prefix("https://");
        match self {
            IssuerForm::Auth0 => https.and_then(|h| h.strip_suffix('/')).is_some_and(segment),
            IssuerForm::Firebase => iss
                .strip_prefix("https://securetoken.google.com/")
                .is_some_and(|p| segment(p) && contains(audiences, p)),
            IssuerForm::Cognito => https
                .and_then(|r| r.strip_prefix("cognito-idp."))
                .and_then(|r| r.split_once('/'))
                .is_some_and(|(host, pool)| {
                    let region = host
                        .strip_suffix(".amazonaws.com")
                        .or_else(|| host.strip_suffix(".amazonaws.com.cn"));
                    region.is_some_and(|r| segment(r) && !r.contains('.')) && segment(pool)
                }),
            IssuerForm::Entra => {
                https
                    .and_then(|r| r.split_once('/'))
                    .is_some_and(|(host, path)| {
                        let tenant = path
                            .strip_suffix("/v2.0")
                            .or_else(|| path.strip_suffix('/'));
                        segment(host) && tenant.is_some_and(segment)
                    })
            }
            IssuerForm::Google => GOOGLE_ISSUERS.contains(&iss),
            IssuerForm::Okta => https
                .and_then(|r| r.split_once("/oauth2/"))
                .is_some_and(|(host, id)| segment(host) && segment(id)),
            IssuerForm::Keycloak => https
                .or_else(|| iss.strip_prefix("http://"))
                .and_then(|r| r.rsplit_once("/realms/"))
                .is_some_and(|(base, realm)| segment(realm) && base.split('/').all(segment)),
        }
    }
}

/// Configuration a policy cannot do without: each flag names a set that must
/// hold at least one entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// `issuers` must not be empty (`PolicyNeedsIssuer`).
    pub issuer: bool,
    /// `audiences` must not be empty (`PolicyNeedsAudience`).
    pub audience: bool,
    /// `authorized_parties` must not be empty (`PolicyNeedsAuthorizedParty`).
    pub authorized_party: bool,
    /// `client_ids` must not be empty (`PolicyNeedsClientId`).
    pub client_id: bool,
    /// Every configured issuer must have this provider's form
    /// (`InvalidPolicy`).
    pub issuer_form: Option<IssuerForm>,
}

impl Needs {
    /// Nothing required.
    pub const NONE: Needs = Needs {
        issuer: false,
        audience: false,
        authorized_party: false,
        client_id: false,
        issuer_form: None,
    };
    /// Issuer and audience, as RFC 9068 4 and OIDC Core 3.1.3.7 require.
    pub const ISSUER_AUDIENCE: Needs = Needs {
        issuer: true,
        audience: true,
        authorized_party: false,
        client_id: false,
        issuer_form: None,
    };
    /// Issuer and client id (AWS Cognito access tokens, which carry no `aud`).
    pub const ISSUER_CLIENT_ID: Needs = Needs {
        issuer: true,
        audience: false,
        authorized_party: false,
        client_id: true,
        issuer_form: None,
    };

    /// These needs, and issuers of `form`.
    pub const fn with_issuer_form(self, form: IssuerForm) -> Needs {
        Needs {
            issuer_form: Some(form),
            ..self
        }
    }

    /// The first requirement the counts (issuers, audiences, authorized
    /// parties, client ids) leave unmet, as its error.
    pub const fn unmet(
        self,
        issuers: usize,
        audiences: usize,
        parties: usize,
        client_ids: usize,
    ) -> Option<Error> {
        if self.issuer && issuers == 0 {
            Some(Error::PolicyNeedsIssuer)
        } else if self.audience && audiences == 0 {
            Some(Error::PolicyNeedsAudience)
        } else if self.authorized_party && parties == 0 {
            Some(Error::PolicyNeedsAuthorizedParty)
        } else if self.client_id && client_ids == 0 {
            Some(Error::PolicyNeedsClientId)
        } else {
            None
        }
    }
}

impl<S: AsRef<str>> Default for Policy<'_, S> {
    fn default() -> Self {
        Self::BASE
    }
}

impl<S: AsRef<str>> Policy<'_, S> {
    /// The default policy, and what each preset starts from: `exp` and `sub`
    /// required, a future `iat` refused, no leeway, no value sets, every
    /// algorithm, no profile, nothing needed.
    const BASE: Self = Policy {
        leeway: 0,
        reject_future_iat: true,
        require_exp: true,
        max_age: None,
        issuers: &[],
        audiences: &[],
        require_all_audiences: false,
        authorized_parties: &[],
        require_azp: false,
        client_ids: &[],
        typ: &[],
        allow_missing_typ: false,
        require_sub: true,
        subjects: &[],
        required_scopes: &[],
        algorithms: AlgSet::ALL,
        profile: Profile::Any,
        needs: Needs::NONE,
        claim_checks: ClaimChecks::NONE,
    };
}

/// The longest Firebase `sub` (uid) accepted, in characters: the Firebase
/// Admin SDKs' token verifiers refuse a longer one.
const FIREBASE_MAX_SUB: usize = 128;

/// Google's two ID token issuer spellings, both valid
/// (<https://developers.google.com/identity/gsi/web/guides/verify-google-id-token>).
pub const GOOGLE_ISSUERS: &[&str] = &["https://accounts.google.com", "accounts.google.com"];

/// The audience of Okta's default authorization server
/// (<https://developer.okta.com/docs/guides/validate-access-tokens/main/>),
/// what [`Policy::okta`] accepts when given no audience.
pub const OKTA_DEFAULT_AUDIENCE: &str = "api://default";

/// The asymmetric algorithms: what identity providers sign with.
pub const ASYMMETRIC: AlgSet = AlgSet::of(&[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::EdDSA,
]);

impl<'a> Policy<'a, &'a str> {
    /// A Clerk session token
    /// (<https://clerk.com/docs/guides/sessions/manual-jwt-verification>,
    /// <https://clerk.com/docs/reference/backend/verify-token>):
    /// RS256, `typ` absent or `JWT`, 5 s clock skew, `azp` checked against
    /// `authorized_parties` (your app's origins), `iss` = your Frontend API URL
    /// when given (pass `&[]` to skip: Clerk's keys are per instance).
    ///
    /// Refuses (`PolicyNeedsAuthorizedParty`) an empty `authorized_parties`:
    /// Clerk's manual verification checks `azp` against the permitted
    /// origins, its SDKs' `authorizedParties`, against subdomain cookie
    /// leaks and CSRF. A token without `azp` passes, as in Clerk's SDKs
    /// (a request from a backend); set [`require_azp`](Self::require_azp)
    /// to refuse it.
    pub const fn clerk(
        issuers: &'a [&'a str],
        authorized_parties: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            leeway: 5,
            issuers,
            authorized_parties,
            typ: &["JWT"],
            allow_missing_typ: true,
            algorithms: AlgSet::of(&[Algorithm::RS256]),
            needs: Needs {
                issuer: false,
                audience: false,
                authorized_party: true,
                client_id: false,
                issuer_form: None,
            },
            ..Self::BASE
        })
    }

    /// A Logto access token
    /// (<https://docs.logto.io/authorization/api-resources/protect-your-api>,
    /// RFC 9068): the
    /// [`access_token`](Self::access_token) checks with ES384 (Logto's default
    /// signing key; widen `algorithms` if you rotated to RSA), issuer
    /// `https://<tenant>/oidc`, `aud` = the API resource indicator,
    /// `client_id` checked when given, no leeway, and, as Logto's SDKs
    /// (`jose`) do, no refusal of an `iat` slightly in the future unless
    /// `max_age` is set.
    ///
    /// Refuses an empty `issuers` or `audiences`: Logto signs every
    /// resource's tokens with the tenant's one key, so without `aud` one API
    /// accepts tokens minted for another (RFC 9068 4).
    pub const fn logto(
        issuers: &'a [&'a str],
        audiences: &'a [&'a str],
        client_ids: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            reject_future_iat: false,
            issuers,
            audiences,
            client_ids,
            typ: &["at+jwt"],
            algorithms: AlgSet::of(&[Algorithm::ES384]),
            profile: Profile::AccessToken,
            needs: Needs::ISSUER_AUDIENCE,
            ..Self::BASE
        })
    }

    /// An OpenID Connect ID token (OIDC Core 3.1.3.7): asymmetric algorithms
    /// only, `iss` one of `issuers`, `aud` containing one of `client_ids`
    /// (your client id), `typ` `at+jwt` refused, `azp` checked (required with
    /// several audiences; when present, one of `client_ids`), 60 s clock
    /// skew. Refuses an empty `issuers` or `client_ids`.
    pub const fn id_token(
        issuers: &'a [&'a str],
        client_ids: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            leeway: 60,
            issuers,
            audiences: client_ids,
            algorithms: ASYMMETRIC,
            profile: Profile::IdToken,
            needs: Needs::ISSUER_AUDIENCE,
            ..Self::BASE
        })
    }

    /// An OAuth 2.0 access token in JWT form (RFC 9068): asymmetric
    /// algorithms only, `typ` `at+jwt` required, `iss` one of `issuers`,
    /// `aud` containing one of `audiences` (this resource server), `exp`,
    /// `sub`, `client_id`, `iat` and `jti` present, 60 s clock skew.
    /// Refuses an empty `issuers` or `audiences` (RFC 9068 4).
    pub const fn access_token(
        issuers: &'a [&'a str],
        audiences: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            leeway: 60,
            issuers,
            audiences,
            typ: &["at+jwt"],
            algorithms: ASYMMETRIC,
            profile: Profile::AccessToken,
            needs: Needs::ISSUER_AUDIENCE,
            ..Self::BASE
        })
    }

    /// An Auth0 access token for your API
    /// (<https://auth0.com/docs/secure/tokens/access-tokens/validate-access-tokens>,
    /// <https://auth0.com/docs/secure/tokens/json-web-tokens/validate-json-web-tokens>):
    /// RS256 or PS256, `iss` = `https://YOUR_DOMAIN/` (trailing slash
    /// included), `aud` containing your API identifier, `typ` `JWT`,
    /// `at+jwt` (Auth0's RFC 9068 profile) or absent, 5 s clock skew.
    /// An Auth0 ID token names your application's client id in `aud`, not
    /// the API identifier, and is refused (`WrongAudience`).
    ///
    /// Refuses an empty `issuers` or `audiences`; an issuer not of the form
    /// `https://DOMAIN/` is `InvalidPolicy` ([`IssuerForm::Auth0`]).
    pub const fn auth0(issuers: &'a [&'a str], audiences: &'a [&'a str]) -> Result<Self, Error> {
        Self::needing(Policy {
            leeway: 5,
            issuers,
            audiences,
            typ: &["JWT", "at+jwt"],
            allow_missing_typ: true,
            algorithms: AlgSet::of(&[Algorithm::RS256, Algorithm::PS256]),
            needs: Needs::ISSUER_AUDIENCE.with_issuer_form(IssuerForm::Auth0),
            ..Self::BASE
        })
    }

    /// A Firebase Authentication ID token
    /// (<https://firebase.google.com/docs/auth/admin/verify-id-tokens#verify_id_tokens_using_a_third-party_jwt_library>):
    /// RS256, `iss` = `https://securetoken.google.com/<projectId>`, `aud` =
    /// the project id, `sub` present and non-empty (`MissingSubject`) and at
    /// most 128 characters (`ClaimOutOfRange`, as the Firebase Admin SDKs'
    /// verifiers), `auth_time` present and in the past, `iat` in the past,
    /// no clock skew (the page's checks are exact). Pass the issuer and the
    /// project id; another project's token is refused (`WrongIssuer`,
    /// `WrongAudience`), and so is a Google ID token (`WrongIssuer`).
    ///
    /// Refuses an empty `issuers` or `project_ids`; an issuer other than
    /// `https://securetoken.google.com/` and one of the project ids is
    /// `InvalidPolicy` ([`IssuerForm::Firebase`]).
    pub const fn firebase(
        issuers: &'a [&'a str],
        project_ids: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            issuers,
            audiences: project_ids,
            algorithms: AlgSet::of(&[Algorithm::RS256]),
            needs: Needs::ISSUER_AUDIENCE.with_issuer_form(IssuerForm::Firebase),
            claim_checks: ClaimChecks {
                require_auth_time: true,
                ..ClaimChecks::NONE
            },
            ..Self::BASE
        })
    }

    /// A Supabase Auth user session (access token)
    /// (<https://supabase.com/docs/guides/auth/jwts>,
    /// <https://supabase.com/docs/guides/auth/jwt-fields>,
    /// <https://supabase.com/docs/guides/auth/signing-keys>): `iss` =
    /// `https://<project-ref>.supabase.co/auth/v1`, `aud` `authenticated`,
    /// `role` one of `roles` (`authenticated` when `roles` is empty; a
    /// custom access token hook may set another Postgres role: list every
    /// role your API accepts), ES256, RS256 (asymmetric signing keys) or
    /// HS256 (the legacy JWT secret), no clock skew. The project's `anon` and
    /// `service_role` API keys are JWTs signed by the same secret; their
    /// `role` is refused (`WrongRole`), so neither passes as a user session.
    ///
    /// Refuses an empty `issuers`.
    pub const fn supabase(issuers: &'a [&'a str], roles: &'a [&'a str]) -> Result<Self, Error> {
        Self::needing(Policy {
            issuers,
            audiences: &["authenticated"],
            algorithms: AlgSet::of(&[Algorithm::ES256, Algorithm::RS256, Algorithm::HS256]),
            needs: Needs::ISSUER_AUDIENCE,
            claim_checks: ClaimChecks {
                roles: if roles.is_empty() {
                    &["authenticated"]
                } else {
                    roles
                },
                ..ClaimChecks::NONE
            },
            ..Self::BASE
        })
    }

    /// An AWS Cognito user pool ID token
    /// (<https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>):
    /// RS256, `iss` = `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`,
    /// `aud` = your app client id, `token_use` `id` (an access token, which
    /// has no `aud`, is refused with `MissingAudience`, or `WrongTokenUse`
    /// if it carries one), no clock skew.
    ///
    /// Refuses an empty `issuers` or `client_ids`; an issuer not of the
    /// user pool form is `InvalidPolicy` ([`IssuerForm::Cognito`]).
    pub const fn cognito_id(
        issuers: &'a [&'a str],
        client_ids: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            issuers,
            audiences: client_ids,
            algorithms: AlgSet::of(&[Algorithm::RS256]),
            needs: Needs::ISSUER_AUDIENCE.with_issuer_form(IssuerForm::Cognito),
            claim_checks: ClaimChecks {
                token_use: Some("id"),
                ..ClaimChecks::NONE
            },
            ..Self::BASE
        })
    }

    /// An AWS Cognito user pool access token (same documentation as
    /// [`cognito_id`](Self::cognito_id)): RS256, `iss` as there,
    /// `client_id` = your app client id (access tokens have no `aud`),
    /// `token_use` `access` (an ID token is refused with `WrongTokenUse`),
    /// no clock skew.
    ///
    /// Refuses an empty `issuers` or `client_ids` (`PolicyNeedsClientId`);
    /// an issuer not of the user pool form is `InvalidPolicy`.
    pub const fn cognito_access(
        issuers: &'a [&'a str],
        client_ids: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            issuers,
            client_ids,
            algorithms: AlgSet::of(&[Algorithm::RS256]),
            needs: Needs::ISSUER_CLIENT_ID.with_issuer_form(IssuerForm::Cognito),
            claim_checks: ClaimChecks {
                token_use: Some("access"),
                ..ClaimChecks::NONE
            },
            ..Self::BASE
        })
    }

    /// A Microsoft Entra ID access token for your API
    /// (<https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-tokens>,
    /// <https://learn.microsoft.com/en-us/entra/identity-platform/claims-validation>):
    /// RS256, `iss` = `https://login.microsoftonline.com/<tid>/v2.0` (v2) or
    /// `https://sts.windows.net/<tid>/` (v1), `aud` = your application id
    /// or its `api://...` URI, `tid` present and the tenant the issuer
    /// names, 5 min clock skew (Microsoft.IdentityModel's default). For a
    /// multi-tenant app configure `https://login.microsoftonline.com/{tenantid}/v2.0`:
    /// the token's `tid` takes the placeholder's place. The calling client
    /// (`azp` in v2.0 tokens, `appid` in v1.0 ones) is not checked: set
    /// `authorized_parties` to check a v2.0 token's `azp`.
    ///
    /// Refuses an empty `issuers` or `audiences`; an issuer without a tenant
    /// segment is `InvalidPolicy` ([`IssuerForm::Entra`]).
    pub const fn entra(issuers: &'a [&'a str], audiences: &'a [&'a str]) -> Result<Self, Error> {
        Self::needing(Policy {
            leeway: 300,
            issuers,
            audiences,
            algorithms: AlgSet::of(&[Algorithm::RS256]),
            needs: Needs::ISSUER_AUDIENCE.with_issuer_form(IssuerForm::Entra),
            claim_checks: ClaimChecks {
                tenant_in_issuer: true,
                ..ClaimChecks::NONE
            },
            ..Self::BASE
        })
    }

    /// A Google ID token
    /// (<https://developers.google.com/identity/gsi/web/guides/verify-google-id-token>,
    /// <https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken>):
    /// RS256, `iss` `https://accounts.google.com` or `accounts.google.com`
    /// (both, [`GOOGLE_ISSUERS`]), `aud` one of your client ids, 60 s clock
    /// skew. A Firebase token (issuer `securetoken.google.com`) is refused.
    ///
    /// Refuses an empty `client_ids`; issuers other than Google's two
    /// spellings (a struct update) are `InvalidPolicy`.
    pub const fn google(client_ids: &'a [&'a str]) -> Result<Self, Error> {
        Self::needing(Policy {
            leeway: 60,
            issuers: GOOGLE_ISSUERS,
            audiences: client_ids,
            algorithms: AlgSet::of(&[Algorithm::RS256]),
            needs: Needs::ISSUER_AUDIENCE.with_issuer_form(IssuerForm::Google),
            ..Self::BASE
        })
    }

    /// An Okta access token from a custom authorization server
    /// (<https://developer.okta.com/docs/guides/validate-access-tokens/main/>):
    /// RS256, `iss` = `https://<org>.okta.com/oauth2/<authServerId>` (or
    /// `/oauth2/default`; the org authorization server's tokens, issuer
    /// `https://<org>.okta.com`, are for Okta alone to validate), `aud` one
    /// of `audiences` (`api://default`, the default authorization server's,
    /// when empty), `cid` present and, when `client_ids` are given, one of
    /// them; scopes (`scp`) through `required_scopes`; 2 min clock skew
    /// (Okta's JWT verifiers' default). An Okta ID token (`aud` = the client
    /// id, no `cid`) is refused.
    ///
    /// Refuses an empty `issuers`; an issuer that is not a custom
    /// authorization server's (`https://DOMAIN/oauth2/ID`) is
    /// `InvalidPolicy` ([`IssuerForm::Okta`]).
    pub const fn okta(
        issuers: &'a [&'a str],
        audiences: &'a [&'a str],
        client_ids: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            leeway: 120,
            issuers,
            audiences: if audiences.is_empty() {
                &[OKTA_DEFAULT_AUDIENCE]
            } else {
                audiences
            },
            client_ids,
            algorithms: AlgSet::of(&[Algorithm::RS256]),
            needs: Needs::ISSUER_AUDIENCE.with_issuer_form(IssuerForm::Okta),
            claim_checks: ClaimChecks {
                client_id_in_cid: true,
                ..ClaimChecks::NONE
            },
            ..Self::BASE
        })
    }

    /// A Keycloak access token
    /// (<https://www.keycloak.org/securing-apps/oidc-layers>, the realm's
    /// `/.well-known/openid-configuration`): `iss` =
    /// `https://<host>/realms/<realm>`, `azp` present and one of
    /// `authorized_parties` (your client id), the payload's `typ` claim
    /// `Bearer` (a Keycloak ID token, `typ` `ID`, or refresh token, `typ`
    /// `Refresh`, is refused with `WrongTypClaim`), the asymmetric
    /// algorithms a realm key may use (RS256 by default), no clock skew.
    /// Set `audiences` too when your realm maps an audience for the API.
    ///
    /// Refuses an empty `issuers` or `authorized_parties`; an issuer not of
    /// the realm form is `InvalidPolicy` ([`IssuerForm::Keycloak`]).
    pub const fn keycloak(
        issuers: &'a [&'a str],
        authorized_parties: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            issuers,
            authorized_parties,
            algorithms: ASYMMETRIC,
            needs: Needs {
                issuer: true,
                audience: false,
                authorized_party: true,
                client_id: false,
                issuer_form: Some(IssuerForm::Keycloak),
            },
            claim_checks: ClaimChecks {
                typ_claim: Some("Bearer"),
                ..ClaimChecks::NONE
            },
            ..Self::BASE
        })
    }

    /// A Keycloak ID token (same documentation as
    /// [`keycloak`](Self::keycloak)): the [`id_token`](Self::id_token)
    /// checks (`aud` one of `client_ids`, `azp` one of them when present)
    /// with `iss` = `https://<host>/realms/<realm>`, the payload's `typ`
    /// claim `ID` (an access or refresh token is refused), the asymmetric
    /// algorithms, no clock skew.
    ///
    /// Refuses an empty `issuers` or `client_ids`; an issuer not of the
    /// realm form is `InvalidPolicy`.
    pub const fn keycloak_id(
        issuers: &'a [&'a str],
        client_ids: &'a [&'a str],
    ) -> Result<Self, Error> {
        Self::needing(Policy {
            issuers,
            audiences: client_ids,
            algorithms: ASYMMETRIC,
            profile: Profile::IdToken,
            needs: Needs::ISSUER_AUDIENCE.with_issuer_form(IssuerForm::Keycloak),
            claim_checks: ClaimChecks {
                typ_claim: Some("ID"),
                ..ClaimChecks::NONE
            },
            ..Self::BASE
        })
    }

    /// `p`, unless its own `needs` are unmet.
    const fn needing(p: Self) -> Result<Self, Error> {
        match p.needs.unmet(
            p.issuers.len(),
            p.audiences.len(),
            p.authorized_parties.len(),
            p.client_ids.len(),
        ) {
            Some(e) => Err(e),
            None => Ok(p),
        }
    }
}

impl<'a, S: AsRef<str>> Policy<'a, S> {
    /// Check the configuration itself: what [`needs`](Self::needs) requires
    /// is there, no empty strings in a set, some algorithm allowed.
    pub fn validate(&self) -> Result<(), Error> {
        self.check_needs()?;
        let sets = [
            self.issuers,
            self.audiences,
            self.authorized_parties,
            self.client_ids,
            self.typ,
            self.required_scopes,
            self.subjects,
        ];
        let empty_entry = sets
            .iter()
            .any(|set| set.iter().any(|s| s.as_ref().is_empty()));
        let bad_scope = self
            .required_scopes
            .iter()
            .any(|s| s.as_ref().contains(' '));
        if empty_entry || bad_scope || self.algorithms.is_empty() {
            return Err(Error::InvalidPolicy);
        }
        Ok(())
    }

    fn check_needs(&self) -> Result<(), Error> {
        if self.require_all_audiences && self.audiences.is_empty() {
            return Err(Error::PolicyAllAudiencesEmpty);
        }
        if let Some(e) = self.needs.unmet(
            self.issuers.len(),
            self.audiences.len(),
            self.authorized_parties.len(),
            self.client_ids.len(),
        ) {
            return Err(e);
        }
        if self.misformed_issuer().is_some() {
            return Err(Error::InvalidPolicy);
        }
        Ok(())
    }

    /// The first configured issuer not of the preset's issuer form, if any.
    pub fn misformed_issuer(&self) -> Option<&S> {
        let form = self.needs.issuer_form?;
        self.issuers
            .iter()
            .find(|i| !form.accepts(i.as_ref(), self.audiences))
    }

    /// Whether the policy accepts `alg` (checked before any key work).
    pub fn allows(&self, alg: Algorithm) -> bool {
        self.algorithms.contains(alg)
    }

    /// Check the header's `typ` and the claims against this policy at time `now`
    /// (seconds since the epoch). The signature must already be verified.
    pub fn check(&self, header: &Header<'_>, claims: &Claims<'_>, now: i64) -> Result<(), Error> {
        self.check_needs()?;
        if self.profile == Profile::IdToken
            && header.typ.as_ref().is_some_and(|t| typ_eq(t, "at+jwt"))
        {
            return Err(Error::AccessTokenAsIdToken);
        }
        self.check_typ(header.typ.as_ref())?;
        self.check_time(claims, now)?;
        let cc = &self.claim_checks;
        if !self.issuers.is_empty() {
            let iss = claims.iss().ok_or(Error::MissingIssuer)?;
            if !contains(self.issuers, iss) && !self.tenant_issuer(iss, claims)? {
                return Err(Error::WrongIssuer);
            }
        }
        if cc.tenant_in_issuer {
            check_tenant(claims)?;
        }
        if !self.audiences.is_empty() {
            let mut auds = claims.audiences().peekable();
            if auds.peek().is_none() {
                return Err(Error::MissingAudience);
            }
            if !auds.any(|a| contains(self.audiences, a)) {
                return Err(Error::WrongAudience);
            }
            if self.require_all_audiences
                && !self
                    .audiences
                    .iter()
                    .all(|want| claims.has_audience(want.as_ref()))
            {
                return Err(Error::MissingRequiredAudience);
            }
        }
        self.check_azp(claims)?;
        // The kind of token (Cognito `token_use`, Keycloak `typ`, Supabase
        // `role`) before what it lacks: that names the confusion.
        self.check_provider_claims(claims, now)?;
        let access = self.profile == Profile::AccessToken;
        if cc.client_id_in_cid {
            claim_str(claims, "cid", Error::MissingCid, Error::WrongCid, |cid| {
                self.client_ids.is_empty() || contains(self.client_ids, cid)
            })?;
        } else if !self.client_ids.is_empty() || access {
            let id = claims.client_id_checked()?.ok_or(Error::MissingClientId)?;
            if !self.client_ids.is_empty() && !contains(self.client_ids, id) {
                return Err(Error::WrongClientId);
            }
        }
        let expected_sub = !self.subjects.is_empty();
        if (self.require_sub || access || expected_sub) && claims.sub().is_none() {
            return Err(Error::MissingSubject);
        }
        if expected_sub && !claims.sub().is_some_and(|s| contains(self.subjects, s)) {
            return Err(Error::WrongSubject);
        }
        if access {
            // RFC 9068 2.2: `iat` and `jti` are required (`exp` and `sub` above).
            if claims.iat().is_none() {
                return Err(Error::MissingIssuedAt);
            }
            if claims.jti_checked()?.is_none() {
                return Err(Error::MissingJti);
            }
        }
        for s in self.required_scopes {
            if !claims.grants_scope(s.as_ref())? {
                return Err(Error::MissingScope);
            }
        }
        Ok(())
    }

    /// A configured issuer holding `{tenantid}` (Entra ID multi-tenant):
    /// `iss` is it with the token's `tid` in the placeholder's place.
    fn tenant_issuer(&self, iss: &str, claims: &Claims<'_>) -> Result<bool, Error> {
        if !self.claim_checks.tenant_in_issuer {
            return Ok(false);
        }
        let Some(tid) = claims.get_str("tid")?.and_then(|t| t.as_unescaped()) else {
            return Ok(false);
        };
        if tid.is_empty() || tid.contains('/') {
            return Ok(false);
        }
        Ok(self.issuers.iter().any(|t| {
            t.as_ref()
                .split_once("{tenantid}")
                .and_then(|(pre, post)| iss.strip_prefix(pre)?.strip_suffix(post))
                == Some(tid)
        }))
    }

    /// The [`ClaimChecks`] other than `tid` and `cid`.
    fn check_provider_claims(&self, claims: &Claims<'_>, now: i64) -> Result<(), Error> {
        let cc = &self.claim_checks;
        if let Some(want) = cc.token_use {
            claim_str(
                claims,
                "token_use",
                Error::MissingTokenUse,
                Error::WrongTokenUse,
                |v| v == want,
            )?;
        }
        if let Some(want) = cc.typ_claim {
            claim_str(
                claims,
                "typ",
                Error::MissingTypClaim,
                Error::WrongTypClaim,
                |v| v == want,
            )?;
        }
        if !cc.roles.is_empty() {
            claim_str(claims, "role", Error::MissingRole, Error::WrongRole, |v| {
                cc.roles.contains(&v)
            })?;
        }
        if cc.require_auth_time {
            // Firebase: `sub` "must be a non-empty string"; the Admin SDKs
            // (Node, Go, Python, Java) also refuse one over 128 characters.
            let sub = claims.sub().unwrap_or("");
            if sub.is_empty() {
                return Err(Error::MissingSubject);
            }
            if sub.chars().count() > FIREBASE_MAX_SUB {
                return Err(Error::ClaimOutOfRange);
            }
            let n = claims
                .get_number("auth_time")?
                .ok_or(Error::MissingAuthTime)?;
            let (floor, fractional) = n.to_seconds().ok_or(Error::ClaimOutOfRange)?;
            if floor as i128 + fractional as i128 > now as i128 + self.leeway as i128 {
                return Err(Error::AuthTimeInFuture);
            }
        }
        Ok(())
    }

    /// `azp`: required with `require_azp`; against the authorized parties
    /// when configured; for an ID
    /// token, also required with several audiences and, without authorized
    /// parties, one of the accepted audiences (OIDC Core 3.1.3.7 4-5).
    fn check_azp(&self, claims: &Claims<'_>) -> Result<(), Error> {
        let id_token = self.profile == Profile::IdToken;
        if self.authorized_parties.is_empty() && !id_token && !self.require_azp {
            return Ok(());
        }
        let azp = claims.azp_checked()?;
        if azp.is_none() && (self.require_azp || id_token && claims.audiences().nth(1).is_some()) {
            return Err(Error::MissingAuthorizedParty);
        }
        if self.authorized_parties.is_empty() && !id_token {
            return Ok(());
        }
        let Some(azp) = azp else {
            return Ok(());
        };
        let allowed = if self.authorized_parties.is_empty() {
            self.audiences
        } else {
            self.authorized_parties
        };
        if !contains(allowed, azp) {
            return Err(Error::WrongAuthorizedParty);
        }
        Ok(())
    }

    fn check_typ(&self, typ: Option<&JsonStr<'_>>) -> Result<(), Error> {
        if self.typ.is_empty() {
            return Ok(());
        }
        match typ {
            None if self.allow_missing_typ => Ok(()),
            None => Err(Error::MissingTyp),
            Some(t) if self.typ.iter().any(|want| typ_eq(t, want.as_ref())) => Ok(()),
            Some(_) => Err(Error::WrongTyp),
        }
    }

    fn check_time(&self, claims: &Claims<'_>, now: i64) -> Result<(), Error> {
        // i128 so that no combination of i64 claims, `now` and leeway can overflow;
        // fractional dates compare by their ceiling, which is exact for an integer `now`.
        let now = now as i128;
        let leeway = self.leeway as i128;
        let (exp, nbf, iat) = claims.times();
        match exp {
            None if self.require_exp => return Err(Error::MissingExp),
            Some(exp) if now >= exp.ceil() + leeway => return Err(Error::Expired),
            _ => {}
        }
        if let Some(nbf) = nbf {
            if now + leeway < nbf.ceil() {
                return Err(Error::NotYetValid);
            }
        }
        let future_iat_checked = self.reject_future_iat || self.max_age.is_some();
        if let (Some(iat), true) = (iat, future_iat_checked) {
            if iat.ceil() > now + leeway {
                return Err(Error::IssuedInFuture);
            }
        }
        if let Some(max_age) = self.max_age {
            let iat = iat.ok_or(Error::MissingIssuedAt)?;
            if now - iat.floor as i128 > max_age as i128 + leeway {
                return Err(Error::TokenTooOld);
            }
        }
        Ok(())
    }
}

/// Entra ID: `tid` is present and is the first path segment of `iss` (the
/// tenant in both `https://login.microsoftonline.com/{tid}/v2.0` and
/// `https://sts.windows.net/{tid}/`).
fn check_tenant(claims: &Claims<'_>) -> Result<(), Error> {
    let iss = claims.iss().unwrap_or("");
    let tenant = iss
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').nth(1))
        .unwrap_or("");
    claim_str(
        claims,
        "tid",
        Error::MissingTenant,
        Error::WrongTenant,
        |tid| !tid.is_empty() && tid == tenant,
    )
}

/// A string claim a provider check compares: `missing` when absent,
/// `ClaimWrongType` when not a string, `wrong` unless `ok` accepts its
/// unescaped value (one longer than 128 bytes unescaped never matches).
fn claim_str(
    claims: &Claims<'_>,
    name: &str,
    missing: Error,
    wrong: Error,
    ok: impl FnOnce(&str) -> bool,
) -> Result<(), Error> {
    let v = claims.get_str(name)?.ok_or(missing)?;
    let mut buf = [0u8; 128];
    let s = match v.as_unescaped() {
        Some(s) => s,
        None => v.unescape_into(&mut buf).map_err(|_| wrong)?,
    };
    if ok(s) { Ok(()) } else { Err(wrong) }
}

// Out of line: called by every set check, one copy serves them (device flash).
#[inline(never)]
fn contains<S: AsRef<str>>(set: &[S], value: &str) -> bool {
    set.iter().any(|s| s.as_ref() == value)
}

/// `typ` comparison per RFC 7515 4.1.9: media types are case-insensitive and
/// `application/` may be omitted.
fn typ_eq(token: &JsonStr<'_>, want: &str) -> bool {
    fn strip(s: &str) -> &str {
        match s.get(..12) {
            Some(p) if p.eq_ignore_ascii_case("application/") => &s[12..],
            _ => s,
        }
    }
    let want = strip(want);
    let mut buf = [0u8; 128];
    let Ok(got) = token.unescape_into(&mut buf) else {
        return false;
    };
    let got = strip(got);
    got.eq_ignore_ascii_case(want)
}
