//! `--route ISS=FILE`: several issuers, each with its own keys, chosen by
//! the token's `iss` read before the signature (core's `route`). The policy
//! flags apply to every route.

use std::path::PathBuf;

use verifier_core::explain as core_explain;
use verifier_core::route::{self, Route};
use verifier_core::{Error, Policy, Verified, Verifier};

use crate::args::{Preset, VerifyArgs};
use crate::explain;
use crate::fail::Usage;
use crate::keys::{self, CAPACITY};

/// One route's issuer and verifier (the policy is shared).
pub struct Routes {
    pub issuers: Vec<String>,
    pub verifiers: Vec<Verifier<CAPACITY>>,
    /// Lines about skipped keys, for stderr.
    pub notes: Vec<String>,
}

/// Load the `--route` keys: each JWKS FILE as `--jwks` would be, alone.
pub fn load(
    args: &VerifyArgs,
    preset: Option<Preset>,
    policy: &Policy<'_, String>,
) -> Result<Routes, Usage> {
    let others = !args.jwks.is_empty()
        || !args.jwk.is_empty()
        || !args.pem.is_empty()
        || !args.hs_secret.is_empty()
        || !args.issuer_jwks.is_empty();
    if others {
        return Err(Usage(
            "--route gives each issuer its keys: it cannot be combined with --jwks, --jwk, \
             --pem, --hs-secret-b64url or --issuer-jwks"
                .into(),
        ));
    }
    let mut routes = Routes {
        issuers: Vec::new(),
        verifiers: Vec::new(),
        notes: Vec::new(),
    };
    for spec in &args.route {
        let Some((iss, file)) = spec.split_once('=') else {
            return Err(Usage(format!(
                "--route {spec:?}: expected ISS=FILE (the issuer, then its JWKS file)"
            )));
        };
        route::validate_route(iss, policy).map_err(|e| {
            Usage(match e {
                Error::RouteIssuerNotAccepted => {
                    format!("--route {iss:?}: not one of the --iss values, so it would refuse every token")
                }
                e => format!("--route {iss:?}: {} ({})", e.message(), e.name()),
            })
        })?;
        let one = VerifyArgs {
            jwks: vec![PathBuf::from(file)],
            route: Vec::new(),
            ..args.clone()
        };
        let (keys, notes) = keys::load(&one, preset, policy.algorithms)?;
        routes.notes.extend(notes);
        let verifier = Verifier::new(keys).map_err(|e| Usage(e.message().into()))?;
        routes.issuers.push(iss.to_owned());
        routes.verifiers.push(verifier);
    }
    route::validate_issuers(&routes.issuers).map_err(|e| {
        Usage(match e {
            Error::DuplicateRoute => "--route: two routes name the same issuer".into(),
            Error::TooManyRoutes => format!("--route: at most {} routes", route::MAX_ROUTES),
            e => format!("--route: {} ({})", e.message(), e.name()),
        })
    })?;
    Ok(routes)
}

impl Routes {
    fn table<'a>(&'a self, policy: &'a Policy<'a, String>) -> Vec<Route<'a, CAPACITY, String>> {
        self.issuers
            .iter()
            .zip(&self.verifiers)
            .map(|(issuer, verifier)| Route {
                issuer,
                verifier,
                policy,
            })
            .collect()
    }

    /// Verify with the route the token's `iss` names.
    pub fn verify<'b>(
        &self,
        policy: &Policy<'_, String>,
        token: &[u8],
        now: i64,
        buf: &'b mut [u8],
    ) -> Result<Verified<'b>, Error> {
        route::verify(&self.table(policy), token, now, buf).map(|(_, v)| v)
    }

    /// The detail of `err`: the chosen route's explanation, or the routes
    /// for an unknown issuer.
    pub fn detail(
        &self,
        err: Error,
        token: &[u8],
        policy: &Policy<'_, String>,
        now: i64,
    ) -> String {
        let max = self
            .verifiers
            .iter()
            .map(Verifier::max_token_len)
            .max()
            .unwrap_or(0);
        let mut scratch = vec![0u8; core_explain::scratch_len(token.len())];
        let chosen = route::select(&self.issuers, token, max, &mut scratch);
        let i = match chosen {
            Err(Error::UnknownIssuer) if err == Error::UnknownIssuer => {
                let mut out = String::new();
                let _ = core_explain::write_unknown_issuer(
                    &mut out,
                    token,
                    &self.issuers,
                    &mut scratch,
                );
                return out;
            }
            Err(Error::MissingIssuer) if err == Error::MissingIssuer => {
                let list: Vec<String> = self.issuers.iter().map(|i| format!("{i:?}")).collect();
                return format!(
                    "token has no iss, which routing needs (routed issuers: {})",
                    list.join(", ")
                );
            }
            Ok(i) => i,
            // Framing, header and JSON refusals depend on no route.
            Err(_) => 0,
        };
        let v = &self.verifiers[i];
        let cx = explain::Context {
            keys: v.keys(),
            policy,
            now,
            max_token_len: v.max_token_len(),
        };
        explain::detail(err, token, &cx)
    }
}
