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
    /// Accepted audiences (any `aud` value matching any of them); empty = no check.
    pub audiences: &'a [S],
    /// Authorized parties: when non-empty and the token has `azp`, it must be one of them.
    pub authorized_parties: &'a [S],
    /// Accepted `client_id` values (RFC 9068); empty = no check.
    pub client_ids: &'a [S],
    /// Accepted header `typ` values, compared case-insensitively with an
    /// optional `application/` prefix (RFC 7515 4.1.9); empty = any.
    pub typ: &'a [S],
    /// With a `typ` set: whether a header without `typ` is accepted.
    pub allow_missing_typ: bool,
    /// Refuse tokens without `sub` (default true).
    pub require_sub: bool,
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
}

impl Needs {
    /// Nothing required.
    pub const NONE: Needs = Needs {
        issuer: false,
        audience: false,
        authorized_party: false,
    };
    /// Issuer and audience, as RFC 9068 4 and OIDC Core 3.1.3.7 require.
    pub const ISSUER_AUDIENCE: Needs = Needs {
        issuer: true,
        audience: true,
        authorized_party: false,
    };

    /// The first requirement `lens` (issuers, audiences, authorized parties
    /// counts) leaves unmet, as its error.
    pub const fn unmet(self, issuers: usize, audiences: usize, parties: usize) -> Option<Error> {
        if self.issuer && issuers == 0 {
            Some(Error::PolicyNeedsIssuer)
        } else if self.audience && audiences == 0 {
            Some(Error::PolicyNeedsAudience)
        } else if self.authorized_party && parties == 0 {
            Some(Error::PolicyNeedsAuthorizedParty)
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
        authorized_parties: &[],
        client_ids: &[],
        typ: &[],
        allow_missing_typ: false,
        require_sub: true,
        required_scopes: &[],
        algorithms: AlgSet::ALL,
        profile: Profile::Any,
        needs: Needs::NONE,
    };
}

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
    Algorithm::EdDSA,
]);

impl<'a> Policy<'a, &'a str> {
    /// A Clerk session token (clerk.com/docs/backend-requests/manual-jwt):
    /// RS256, `typ` absent or `JWT`, 5 s clock skew, `azp` checked against
    /// `authorized_parties` (your app's origins), `iss` = your Frontend API URL
    /// when given (pass `&[]` to skip: Clerk's keys are per instance).
    ///
    /// Refuses (`PolicyNeedsAuthorizedParty`) an empty `authorized_parties`:
    /// Clerk's manual verification checks `azp` against the permitted
    /// origins, its SDKs' `authorizedParties`, against subdomain cookie
    /// leaks and CSRF.
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
            },
            ..Self::BASE
        })
    }

    /// A Logto access token (docs.logto.io, RFC 9068): the
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

    /// `p`, unless its own `needs` are unmet.
    const fn needing(p: Self) -> Result<Self, Error> {
        match p.needs.unmet(
            p.issuers.len(),
            p.audiences.len(),
            p.authorized_parties.len(),
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
        match self.needs.unmet(
            self.issuers.len(),
            self.audiences.len(),
            self.authorized_parties.len(),
        ) {
            Some(e) => Err(e),
            None => Ok(()),
        }
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
        if !self.issuers.is_empty() {
            let iss = claims.iss().ok_or(Error::MissingIssuer)?;
            if !contains(self.issuers, iss) {
                return Err(Error::WrongIssuer);
            }
        }
        if !self.audiences.is_empty() {
            let mut auds = claims.audiences().peekable();
            if auds.peek().is_none() {
                return Err(Error::MissingAudience);
            }
            if !auds.any(|a| contains(self.audiences, a)) {
                return Err(Error::WrongAudience);
            }
        }
        self.check_azp(claims)?;
        let access = self.profile == Profile::AccessToken;
        if !self.client_ids.is_empty() || access {
            let id = claims.client_id_checked()?.ok_or(Error::MissingClientId)?;
            if !self.client_ids.is_empty() && !contains(self.client_ids, id) {
                return Err(Error::WrongClientId);
            }
        }
        if (self.require_sub || access) && claims.sub().is_none() {
            return Err(Error::MissingSubject);
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

    /// `azp`: against the authorized parties when configured; for an ID
    /// token, also required with several audiences and, without authorized
    /// parties, one of the accepted audiences (OIDC Core 3.1.3.7 4-5).
    fn check_azp(&self, claims: &Claims<'_>) -> Result<(), Error> {
        let id_token = self.profile == Profile::IdToken;
        if self.authorized_parties.is_empty() && !id_token {
            return Ok(());
        }
        let azp = claims.azp_checked()?;
        if id_token && azp.is_none() && claims.audiences().nth(1).is_some() {
            return Err(Error::MissingAuthorizedParty);
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
