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
#[derive(Clone, Debug)]
pub struct Policy<'a, S: AsRef<str> = &'a str> {
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
    pub leeway: u32,
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
}

impl<S: AsRef<str>> Default for Policy<'_, S> {
    fn default() -> Self {
        Policy {
            leeway: 0,
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
        }
    }
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
    /// when given (pass `&[]` to skip).
    pub const fn clerk(issuers: &'a [&'a str], authorized_parties: &'a [&'a str]) -> Self {
        Policy {
            leeway: 5,
            require_exp: true,
            max_age: None,
            issuers,
            audiences: &[],
            authorized_parties,
            client_ids: &[],
            typ: &["JWT"],
            allow_missing_typ: true,
            require_sub: true,
            required_scopes: &[],
            algorithms: AlgSet::of(&[Algorithm::RS256]),
        }
    }

    /// A Logto access token (docs.logto.io, RFC 9068): ES384 (Logto's default
    /// signing key; widen `algorithms` if you rotated to RSA), issuer
    /// `https://<tenant>/oidc`, `aud` = the API resource indicator, `typ` `at+jwt`
    /// required, `client_id` checked when given.
    pub const fn logto(
        issuers: &'a [&'a str],
        audiences: &'a [&'a str],
        client_ids: &'a [&'a str],
    ) -> Self {
        Policy {
            leeway: 0,
            require_exp: true,
            max_age: None,
            issuers,
            audiences,
            authorized_parties: &[],
            client_ids,
            typ: &["at+jwt"],
            allow_missing_typ: false,
            require_sub: true,
            required_scopes: &[],
            algorithms: AlgSet::of(&[Algorithm::ES384]),
        }
    }

    /// A generic OIDC ID or access token: asymmetric algorithms only, issuer and
    /// audience required, 60 s clock skew.
    pub const fn oidc(issuers: &'a [&'a str], audiences: &'a [&'a str]) -> Self {
        Policy {
            leeway: 60,
            require_exp: true,
            max_age: None,
            issuers,
            audiences,
            authorized_parties: &[],
            client_ids: &[],
            typ: &[],
            allow_missing_typ: false,
            require_sub: true,
            required_scopes: &[],
            algorithms: ASYMMETRIC,
        }
    }
}

impl<'a, S: AsRef<str>> Policy<'a, S> {
    /// Check the configuration itself: no empty strings in a set, some algorithm allowed.
    pub fn validate(&self) -> Result<(), Error> {
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

    /// Whether the policy accepts `alg` (checked before any key work).
    pub fn allows(&self, alg: Algorithm) -> bool {
        self.algorithms.contains(alg)
    }

    /// Check the header's `typ` and the claims against this policy at time `now`
    /// (seconds since the epoch). The signature must already be verified.
    pub fn check(&self, header: &Header<'_>, claims: &Claims<'_>, now: i64) -> Result<(), Error> {
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
        if !self.authorized_parties.is_empty() {
            if let Some(azp) = claims.azp() {
                if !contains(self.authorized_parties, azp) {
                    return Err(Error::WrongAuthorizedParty);
                }
            }
        }
        if !self.client_ids.is_empty() {
            let id = claims.client_id().ok_or(Error::MissingClientId)?;
            if !contains(self.client_ids, id) {
                return Err(Error::WrongClientId);
            }
        }
        if self.require_sub && claims.sub().is_none() {
            return Err(Error::MissingSubject);
        }
        if !self
            .required_scopes
            .iter()
            .all(|s| claims.has_scope(s.as_ref()))
        {
            return Err(Error::MissingScope);
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
        if let Some(iat) = iat {
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
