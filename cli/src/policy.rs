//! The claims policy from `--preset` and the policy flags. The string sets are
//! owned here and lent to a `Policy<'_, String>`.

use verifier_core::{AlgSet, Algorithm, Error, Policy};

use crate::args::{Preset, VerifyArgs};
use crate::fail::Usage;

/// Owned sets plus the scalar settings of a [`Policy`].
#[derive(Debug)]
pub struct PolicySpec {
    issuers: Vec<String>,
    audiences: Vec<String>,
    authorized_parties: Vec<String>,
    client_ids: Vec<String>,
    typ: Vec<String>,
    scopes: Vec<String>,
    subjects: Vec<String>,
    preset: Option<Preset>,
    base: Policy<'static, &'static str>,
}

impl PolicySpec {
    pub fn from_args(args: &VerifyArgs) -> Result<PolicySpec, Usage> {
        // The presets' scalar fields and `typ`; their sets are filled from the flags.
        // Placeholder sets satisfy the constructors; the real sets come from
        // the flags, and `check` refuses what the preset needs and lacks.
        const X: &[&str] = &["x"];
        let preset = match args.preset {
            Some(Preset::Clerk) => Policy::clerk(X, X),
            Some(Preset::Logto) => Policy::logto(X, X, &[]),
            Some(Preset::IdToken) => Policy::id_token(X, X),
            Some(Preset::AccessToken) => Policy::access_token(X, X),
            Some(Preset::Auth0) => Policy::auth0(X, X),
            Some(Preset::Firebase) => Policy::firebase(X, X),
            Some(Preset::Supabase) => Policy::supabase(X, &[]),
            Some(Preset::CognitoId) => Policy::cognito_id(X, X),
            Some(Preset::CognitoAccess) => Policy::cognito_access(X, X),
            Some(Preset::Entra) => Policy::entra(X, X),
            Some(Preset::Google) => Policy::google(X),
            Some(Preset::Okta) => Policy::okta(X, &[], &[]),
            Some(Preset::Keycloak) => Policy::keycloak(X, X),
            Some(Preset::KeycloakId) => Policy::keycloak_id(X, X),
            None => Ok(Policy::default()),
        };
        let mut base = preset.map_err(|e| Usage(format!("preset: {}", e.message())))?;
        // Sets a preset fills itself when the flags leave them empty.
        let issuers = match args.preset {
            Some(Preset::Google) if args.iss.is_empty() => strings(base.issuers),
            Some(Preset::Firebase) if args.iss.is_empty() => args
                .aud
                .iter()
                .map(|p| format!("https://securetoken.google.com/{p}"))
                .collect(),
            _ => args.iss.clone(),
        };
        let audiences = match args.preset {
            Some(Preset::Supabase | Preset::Okta) if args.aud.is_empty() => strings(base.audiences),
            _ => args.aud.clone(),
        };
        base.issuers = &[];
        base.audiences = &[];
        base.authorized_parties = &[];
        let typ = if args.typ.is_empty() {
            base.typ.iter().map(|s| s.to_string()).collect()
        } else {
            args.typ.clone()
        };
        base.typ = &[];
        if let Some(leeway) = args.leeway {
            base.leeway = leeway;
        }
        if args.max_age.is_some() {
            base.max_age = args.max_age;
        }
        if let Some(r) = args.role.iter().find(|r| r.is_empty()) {
            return Err(Usage(format!("--role {r:?} must not be empty")));
        }
        if !args.role.is_empty() {
            // `ClaimChecks` borrows its roles for the policy's life, which is
            // the process's here: leaked once, at start-up.
            let roles: Vec<&'static str> = args
                .role
                .iter()
                .map(|r| &*Box::leak(r.clone().into_boxed_str()))
                .collect();
            base.claim_checks.roles = Box::leak(roles.into_boxed_slice());
        }
        base.require_exp &= !args.no_require_exp;
        base.require_sub &= !args.no_require_sub;
        base.require_all_audiences = args.require_all_aud;
        base.require_azp = args.require_azp;
        if !args.alg.is_empty() {
            base.algorithms = parse_algs(&args.alg)?;
        }
        let spec = PolicySpec {
            preset: args.preset,
            issuers,
            audiences,
            authorized_parties: args.azp.clone(),
            client_ids: args.client_id.clone(),
            typ,
            scopes: args.scope.clone(),
            subjects: args.sub.clone(),
            base,
        };
        spec.check()?;
        Ok(spec)
    }

    /// The preset given, if any.
    pub fn preset(&self) -> Option<Preset> {
        self.preset
    }

    /// The policy, borrowing the sets.
    pub fn policy(&self) -> Policy<'_, String> {
        let b = &self.base;
        Policy {
            leeway: b.leeway,
            reject_future_iat: b.reject_future_iat,
            profile: b.profile,
            needs: b.needs,
            require_exp: b.require_exp,
            max_age: b.max_age,
            issuers: &self.issuers,
            audiences: &self.audiences,
            require_all_audiences: b.require_all_audiences,
            authorized_parties: &self.authorized_parties,
            require_azp: b.require_azp,
            client_ids: &self.client_ids,
            typ: &self.typ,
            allow_missing_typ: b.allow_missing_typ,
            require_sub: b.require_sub,
            subjects: &self.subjects,
            required_scopes: &self.scopes,
            algorithms: b.algorithms,
            claim_checks: b.claim_checks,
        }
    }

    /// What `Policy::validate` refuses, said in terms of the flags.
    fn check(&self) -> Result<(), Usage> {
        let sets = [
            ("--iss", &self.issuers),
            ("--aud", &self.audiences),
            ("--azp", &self.authorized_parties),
            ("--client-id", &self.client_ids),
            ("--typ", &self.typ),
            ("--scope", &self.scopes),
            ("--sub", &self.subjects),
        ];
        for (flag, set) in sets {
            if set.iter().any(String::is_empty) {
                return Err(Usage(format!("{flag} must not be empty")));
            }
        }
        if let Some(s) = self.scopes.iter().find(|s| s.contains(' ')) {
            return Err(Usage(format!(
                "--scope {s:?} contains a space; give each scope with its own --scope"
            )));
        }
        let name = match self.preset {
            Some(Preset::Clerk) => "clerk",
            Some(Preset::Logto) => "logto",
            Some(Preset::IdToken) => "id-token",
            Some(Preset::AccessToken) => "access-token",
            Some(Preset::Auth0) => "auth0",
            Some(Preset::Firebase) => "firebase",
            Some(Preset::Supabase) => "supabase",
            Some(Preset::CognitoId) => "cognito-id",
            Some(Preset::CognitoAccess) => "cognito-access",
            Some(Preset::Entra) => "entra",
            Some(Preset::Google) => "google",
            Some(Preset::Okta) => "okta",
            Some(Preset::Keycloak) => "keycloak",
            Some(Preset::KeycloakId) => "keycloak-id",
            None => "",
        };
        self.policy().validate().map_err(|e| match e {
            Error::PolicyNeedsIssuer => Usage(format!(
                "--preset {name} needs --iss: the issuer its tokens must carry"
            )),
            Error::PolicyNeedsAudience => Usage(format!(
                "--preset {name} needs --aud: {}",
                if matches!(
                    self.preset,
                    Some(
                        Preset::IdToken | Preset::CognitoId | Preset::Google | Preset::KeycloakId
                    )
                ) {
                    "your client id, which ID tokens must name in aud"
                } else if self.preset == Some(Preset::Firebase) {
                    "your Firebase project id, which its ID tokens name in aud"
                } else if self.preset == Some(Preset::Entra) {
                    "your application id (or its api:// URI), which its tokens name in aud"
                } else {
                    "this API's resource indicator; without it this API accepts tokens minted for any other (RFC 9068 4)"
                }
            )),
            Error::PolicyNeedsAuthorizedParty if self.preset == Some(Preset::Keycloak) => {
                Usage(format!(
                    "--preset {name} needs --azp: your client id, which Keycloak's azp must be"
                ))
            }
            Error::PolicyNeedsAuthorizedParty => Usage(format!(
                "--preset {name} needs --azp: your app's origins, which Clerk's azp must be one of"
            )),
            Error::PolicyAllAudiencesEmpty => {
                Usage("--require-all-aud needs --aud: the audiences every token must carry".into())
            }
            Error::PolicyNeedsClientId => Usage(format!(
                "--preset {name} needs --client-id: your app client id, which its access tokens name in client_id"
            )),
            Error::InvalidPolicy if self.policy().misformed_issuer().is_some() => {
                let iss = self.policy().misformed_issuer().cloned().unwrap_or_default();
                let form = self.base.needs.issuer_form.map_or("", |f| f.expected());
                Usage(format!(
                    "--preset {name}: --iss {iss:?} is not of the form its documentation gives: {form}"
                ))
            }
            e => Usage(format!("invalid policy: {}", e.message())),
        })
    }
}

fn strings(set: &[&str]) -> Vec<String> {
    set.iter().map(|s| s.to_string()).collect()
}

fn parse_algs(names: &[String]) -> Result<AlgSet, Usage> {
    let mut set = AlgSet::EMPTY;
    for name in names {
        let name = name.trim();
        if name.eq_ignore_ascii_case("none") {
            return Err(Usage(
                "--alg none: unsigned tokens are never accepted".into(),
            ));
        }
        let alg = Algorithm::from_name(name).ok_or_else(|| {
            Usage(format!(
                "--alg {name:?} is not a supported algorithm (supported: {})",
                alg_list(AlgSet::ALL)
            ))
        })?;
        set = set.with(alg);
    }
    Ok(set)
}

/// `RS256, ES384` for messages.
pub fn alg_list(set: AlgSet) -> String {
    set.iter()
        .map(Algorithm::name)
        .collect::<Vec<_>>()
        .join(", ")
}
