//! Policy settings shared by the heap configuration and the static policy:
//! the scalar fields, the seven string lists, the presets (taken from core's
//! own constructors so they cannot drift) and the checks on each entry.

use verifier_core::keys::KeySet;
use verifier_core::policy::{ClaimChecks, Needs, Profile};
use verifier_core::{AlgSet, Policy};

use crate::status::vf_status::{self, *};

/// The string lists of a policy, in a fixed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum List {
    Issuer = 0,
    Audience = 1,
    AuthorizedParty = 2,
    ClientId = 3,
    Typ = 4,
    RequiredScope = 5,
    Subject = 6,
}

pub(crate) const LISTS: usize = 7;

impl List {
    /// The field name used in error messages.
    pub(crate) const fn field(self) -> &'static str {
        match self {
            List::Issuer => "issuer",
            List::Audience => "audience",
            List::AuthorizedParty => "authorized_party",
            List::ClientId => "client_id",
            List::Typ => "typ",
            List::RequiredScope => "required_scope",
            List::Subject => "subject",
        }
    }

    /// Why `s` cannot be an entry of this list, if it cannot (core's `validate` rules).
    pub(crate) fn refuse(self, s: &str) -> Option<&'static str> {
        if s.is_empty() {
            return Some("empty string");
        }
        if self == List::RequiredScope && s.contains(' ') {
            return Some("a scope cannot contain a space");
        }
        None
    }
}

/// Everything in a policy that is not a string list.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scalars {
    pub leeway: u32,
    pub require_exp: bool,
    pub max_age: Option<u32>,
    pub allow_missing_typ: bool,
    pub require_sub: bool,
    pub require_all_audiences: bool,
    pub require_azp: bool,
    pub algorithms: AlgSet,
    /// Whether `algorithms` is an allow-list yet (a preset or `allow_alg` made it one).
    pub algorithms_listed: bool,
    pub max_token_len: usize,
    pub reject_future_iat: bool,
    pub profile: Profile,
    /// The sets the preset requires (checked by `validate` at build time).
    pub needs: Needs,
    /// The preset last applied, if any.
    pub preset: Option<Preset>,
    /// The provider claim checks of the preset (static strings only).
    pub claim_checks: ClaimChecks<'static>,
}

impl Default for Scalars {
    fn default() -> Self {
        let p: Policy<'_, &str> = Policy::default();
        Scalars {
            leeway: p.leeway,
            require_exp: p.require_exp,
            max_age: p.max_age,
            allow_missing_typ: p.allow_missing_typ,
            require_sub: p.require_sub,
            require_all_audiences: p.require_all_audiences,
            require_azp: p.require_azp,
            algorithms: p.algorithms,
            algorithms_listed: false,
            max_token_len: crate::VF_MAX_TOKEN_LEN,
            reject_future_iat: p.reject_future_iat,
            profile: p.profile,
            needs: p.needs,
            preset: None,
            claim_checks: p.claim_checks,
        }
    }
}

/// Provider presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Preset {
    Clerk,
    Logto,
    IdToken,
    AccessToken,
    Auth0,
    Firebase,
    Supabase,
    CognitoId,
    CognitoAccess,
    Entra,
    Google,
    Okta,
    Keycloak,
    KeycloakId,
}

impl Preset {
    fn policy(self) -> Policy<'static, &'static str> {
        // Placeholder sets satisfy the constructors; the caller's sets are
        // added later, and what the preset needs is checked at build time.
        const X: &[&str] = &["x"];
        let p = match self {
            Preset::Clerk => Policy::clerk(X, X),
            Preset::Logto => Policy::logto(X, X, &[]),
            Preset::IdToken => Policy::id_token(X, X),
            Preset::AccessToken => Policy::access_token(X, X),
            Preset::Auth0 => Policy::auth0(X, X),
            Preset::Firebase => Policy::firebase(X, X),
            Preset::Supabase => Policy::supabase(X, &[]),
            Preset::CognitoId => Policy::cognito_id(X, X),
            Preset::CognitoAccess => Policy::cognito_access(X, X),
            Preset::Entra => Policy::entra(X, X),
            Preset::Google => Policy::google(X),
            Preset::Okta => Policy::okta(X, X, &[]),
            Preset::Keycloak => Policy::keycloak(X, X),
            Preset::KeycloakId => Policy::keycloak_id(X, X),
        };
        p.unwrap_or_default()
    }

    /// Apply the preset's algorithms, leeway and `typ` rule; returns the `typ`
    /// list that replaces the current one. Issuers, audiences, parties and
    /// client ids are the caller's and are left alone.
    pub(crate) fn apply(self, s: &mut Scalars) -> &'static [&'static str] {
        let p = self.policy();
        s.algorithms = p.algorithms;
        s.algorithms_listed = true;
        s.leeway = p.leeway;
        s.max_age = p.max_age;
        s.allow_missing_typ = p.allow_missing_typ;
        s.reject_future_iat = p.reject_future_iat;
        s.profile = p.profile;
        s.needs = p.needs;
        s.claim_checks = p.claim_checks;
        s.preset = Some(self);
        p.typ
    }
}

/// Most `role` values a configuration accepts (`vf_config_add_role`).
pub(crate) const MAX_ROLES: usize = 8;

/// `f` over the accepted roles as string slices, borrowed into a fixed
/// array (no allocation: verification stays allocation-free).
pub(crate) fn with_roles<R>(roles: &[String], f: impl FnOnce(&[&str]) -> R) -> R {
    let mut refs: [&str; MAX_ROLES] = [""; MAX_ROLES];
    let n = roles.len().min(MAX_ROLES);
    for (dst, src) in refs.iter_mut().zip(roles) {
        *dst = src;
    }
    f(&refs[..n])
}

/// Assemble a core policy from the scalars, the seven lists and the roles the
/// caller added (none = the preset's own, Supabase's `authenticated`); no
/// allocation.
pub(crate) fn assemble<'a, S: AsRef<str>>(
    s: &Scalars,
    lists: [&'a [S]; LISTS],
    roles: &'a [&'a str],
) -> Policy<'a, S> {
    let [
        issuers,
        audiences,
        authorized_parties,
        client_ids,
        typ,
        required_scopes,
        subjects,
    ] = lists;
    Policy {
        leeway: s.leeway,
        require_exp: s.require_exp,
        max_age: s.max_age,
        issuers,
        audiences,
        require_all_audiences: s.require_all_audiences,
        authorized_parties,
        require_azp: s.require_azp,
        client_ids,
        typ,
        allow_missing_typ: s.allow_missing_typ,
        require_sub: s.require_sub,
        subjects,
        required_scopes,
        algorithms: s.algorithms,
        reject_future_iat: s.reject_future_iat,
        profile: s.profile,
        needs: s.needs,
        claim_checks: if roles.is_empty() {
            s.claim_checks
        } else {
            ClaimChecks {
                roles,
                ..s.claim_checks
            }
        },
    }
}

/// A verifier whose keys can verify none of the allowed algorithms would
/// refuse every token: refuse the configuration instead.
pub(crate) fn check_keys_fit<const N: usize>(
    keys: &KeySet<N>,
    algorithms: AlgSet,
) -> Result<(), (vf_status, &'static str)> {
    if keys.is_empty() {
        return Err((VF_NO_KEYS, "keys: no key configured"));
    }
    if keys
        .iter()
        .all(|k| k.algorithms().intersect(algorithms).is_empty())
    {
        return Err((
            VF_INVALID_POLICY,
            "algorithms: no configured key can verify any allowed algorithm",
        ));
    }
    Ok(())
}
