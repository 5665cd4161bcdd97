//! Issue 25 item 4: the expected subject, every audience required, `azp`
//! required, scopes (`scope` string and `scp` array), and routing by issuer,
//! against tokens PyJWT signed (scripts/gen_policy_option_fixtures.py), with
//! the exact verdicts and explanations.
#![cfg(all(feature = "rsa", feature = "ecdsa"))]

mod common;

use common::{data_path, read_json};
use verifier_core::explain::{self, Context};
use verifier_core::route::{self, Route};
use verifier_core::{AlgSet, Algorithm, Error, KeySet, Policy, Verifier, scratch_len};

const ISS_A: &str = "https://clerk.example.com";
const ISS_B: &str = "https://tenant.logto.app/oidc";
const APP: &str = "https://app.example.com";
const API: &str = "https://api.example.com";
const BILLING: &str = "https://billing.example.com";

fn now() -> i64 {
    read_json(data_path("policyopts/tokens.json"))["now"]
        .as_i64()
        .unwrap()
}

fn token(name: &str) -> String {
    read_json(data_path("policyopts/tokens.json"))["tokens"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no token {name}"))
        .to_owned()
}

fn verifier(which: &str) -> Verifier<4> {
    let text = std::fs::read(data_path(&format!("policyopts/jwks-{which}.json"))).unwrap();
    let mut keys = KeySet::new();
    keys.add_jwks(&text).unwrap();
    Verifier::new(keys).unwrap()
}

fn verdict(v: &Verifier<4>, policy: &Policy<'_>, name: &str) -> Result<(), Error> {
    let t = token(name);
    let mut buf = vec![0u8; scratch_len(t.len())];
    v.verify(t.as_bytes(), now(), policy, &mut buf).map(|_| ())
}

fn explained(v: &Verifier<4>, policy: &Policy<'_>, name: &str) -> String {
    let t = token(name);
    let err = verdict(v, policy, name).unwrap_err();
    let cx = Context {
        keys: v.keys(),
        policy,
        now: now(),
        max_token_len: v.max_token_len(),
    };
    let mut out = String::new();
    let mut scratch = vec![0u8; explain::scratch_len(t.len())];
    explain::write_detail(&mut out, err, t.as_bytes(), &cx, &mut scratch).unwrap();
    out
}

fn clerk<'a>() -> Policy<'a> {
    Policy::clerk(&[ISS_A], &[APP]).unwrap()
}

fn logto<'a>(aud: &'a [&'a str]) -> Policy<'a> {
    Policy::logto(&[ISS_B], aud, &[]).unwrap()
}

#[test]
fn expected_subject() {
    let a = verifier("a");
    let want = Policy {
        subjects: &["user_123"],
        ..clerk()
    };
    assert_eq!(verdict(&a, &want, "a_user"), Ok(()));
    assert_eq!(verdict(&a, &want, "a_other_sub"), Err(Error::WrongSubject));
    assert_eq!(
        explained(&a, &want, "a_other_sub"),
        "sub \"user_999\" is not \"user_123\""
    );
    // Missing stays MissingSubject, even where `sub` is otherwise optional.
    let optional_sub = Policy {
        require_sub: false,
        ..want.clone()
    };
    assert_eq!(
        verdict(&a, &optional_sub, "a_no_sub"),
        Err(Error::MissingSubject)
    );
    assert_eq!(
        explained(&a, &optional_sub, "a_no_sub"),
        "token has no sub; expected \"user_123\""
    );
    // Several expected subjects: any one of them.
    let either = Policy {
        subjects: &["user_999", "user_123"],
        ..clerk()
    };
    assert_eq!(verdict(&a, &either, "a_other_sub"), Ok(()));
    // An empty expected subject is a configuration error.
    let empty = Policy {
        subjects: &[""],
        ..clerk()
    };
    assert_eq!(empty.validate(), Err(Error::InvalidPolicy));
}

#[test]
fn every_configured_audience_required() {
    let b = verifier("b");
    let both = [API, BILLING];
    // Default: one match suffices.
    assert_eq!(verdict(&b, &logto(&both), "b_one_aud"), Ok(()));
    let all = Policy {
        require_all_audiences: true,
        ..logto(&both)
    };
    assert_eq!(verdict(&b, &all, "b_two_aud"), Ok(()));
    // A string `aud` holding one of the two.
    assert_eq!(
        verdict(&b, &all, "b_one_aud"),
        Err(Error::MissingRequiredAudience)
    );
    assert_eq!(
        explained(&b, &all, "b_one_aud"),
        "aud [\"https://api.example.com\"] lacks \"https://billing.example.com\"; every one of \
         \"https://api.example.com\", \"https://billing.example.com\" is required"
    );
    // An array `aud` lacking a third.
    let three = [API, BILLING, "https://reports.example.com"];
    let all3 = Policy {
        require_all_audiences: true,
        ..logto(&three)
    };
    assert_eq!(
        verdict(&b, &all3, "b_two_aud"),
        Err(Error::MissingRequiredAudience)
    );
    assert!(
        explained(&b, &all3, "b_two_aud")
            .starts_with("aud [\"https://api.example.com\", \"https://billing.example.com\"] lacks \"https://reports.example.com\";"),
    );
    // None of them at all: the token is for another API.
    assert_eq!(verdict(&b, &all, "b_other_aud"), Err(Error::WrongAudience));
    // The mode without audiences is refused, at validation and per token.
    let none: Policy<'_> = Policy {
        require_all_audiences: true,
        ..Policy::default()
    };
    assert_eq!(none.validate(), Err(Error::PolicyAllAudiencesEmpty));
    assert_eq!(
        verdict(&b, &none, "b_one_aud"),
        Err(Error::PolicyAllAudiencesEmpty)
    );
}

#[test]
fn azp_required_on_request() {
    let a = verifier("a");
    // Clerk's preset, as Clerk's SDKs, accepts a token without `azp`.
    assert_eq!(verdict(&a, &clerk(), "a_no_azp"), Ok(()));
    let strict = Policy {
        require_azp: true,
        ..clerk()
    };
    assert_eq!(verdict(&a, &strict, "a_user"), Ok(()));
    assert_eq!(
        verdict(&a, &strict, "a_no_azp"),
        Err(Error::MissingAuthorizedParty)
    );
    assert_eq!(
        explained(&a, &strict, "a_no_azp"),
        "token has no azp, and the policy requires one: \"https://app.example.com\""
    );
    // Without authorized parties, presence alone.
    let presence: Policy<'_> = Policy {
        require_azp: true,
        ..Policy::default()
    };
    assert_eq!(verdict(&a, &presence, "a_user"), Ok(()));
    assert_eq!(
        verdict(&a, &presence, "a_no_azp"),
        Err(Error::MissingAuthorizedParty)
    );
}

#[test]
fn scopes_as_string_and_scp_array() {
    let b = verifier("b");
    let aud = [API];
    let read = Policy {
        required_scopes: &["read:x"],
        ..logto(&aud)
    };
    let write = Policy {
        required_scopes: &["read:x", "write:x"],
        ..logto(&aud)
    };
    assert_eq!(verdict(&b, &read, "b_one_aud"), Ok(()));
    assert_eq!(verdict(&b, &write, "b_one_aud"), Err(Error::MissingScope));
    assert_eq!(
        explained(&b, &write, "b_one_aud"),
        "scope \"read:x\" lacks \"write:x\""
    );
    assert_eq!(verdict(&b, &write, "b_scp_array"), Ok(()));
}

fn routed(name: &str) -> Result<usize, Error> {
    let (a, b) = (verifier("a"), verifier("b"));
    let (pa, pb) = (clerk(), logto(&[API]));
    let routes = [
        Route {
            issuer: ISS_A,
            verifier: &a,
            policy: &pa,
        },
        Route {
            issuer: ISS_B,
            verifier: &b,
            policy: &pb,
        },
    ];
    for r in &routes {
        route::validate_route(r.issuer, r.policy).unwrap();
    }
    let t = token(name);
    let mut buf = vec![0u8; scratch_len(t.len())];
    route::verify(&routes, t.as_bytes(), now(), &mut buf).map(|(i, _)| i)
}

#[test]
fn routing_by_issuer() {
    assert_eq!(routed("a_user"), Ok(0));
    assert_eq!(routed("b_one_aud"), Ok(1));
    // B's token is judged by B's policy only: B's refusal, never A's.
    assert_eq!(routed("b_other_aud"), Err(Error::WrongAudience));
    assert_eq!(routed("b_expired"), Err(Error::Expired));
    // An iss no route names: no route's keys or policy are tried.
    assert_eq!(routed("iss_unknown"), Err(Error::UnknownIssuer));
    assert_eq!(routed("no_iss"), Err(Error::MissingIssuer));
    // Routing reads `iss` unverified: a token claiming A but signed by B's
    // key goes to A's keys, which refuse it.
    assert_eq!(routed("iss_a_signed_by_b"), Err(Error::BadSignature));
    assert_eq!(routed("iss_a_signed_by_b_kid_b"), Err(Error::UnknownKid));
}

#[test]
fn route_configuration_is_checked() {
    assert_eq!(route::validate_issuers(&[ISS_A, ISS_B]), Ok(()));
    assert_eq!(
        route::validate_issuers(&[ISS_A, ISS_A]),
        Err(Error::DuplicateRoute)
    );
    assert_eq!(route::validate_issuers(&[""]), Err(Error::InvalidPolicy));
    let many = [ISS_A; route::MAX_ROUTES + 1];
    assert_eq!(route::validate_issuers(&many), Err(Error::TooManyRoutes));
    // A route whose policy names another issuer would refuse every token.
    assert_eq!(
        route::validate_route(ISS_B, &clerk()),
        Err(Error::RouteIssuerNotAccepted)
    );
    let open: Policy<'_> = Policy {
        algorithms: AlgSet::of(&[Algorithm::ES384]),
        ..Policy::default()
    };
    assert_eq!(route::validate_route(ISS_B, &open), Ok(()));
}

#[test]
fn unknown_issuer_is_explained_with_the_routes() {
    let t = token("iss_unknown");
    let mut out = String::new();
    let mut scratch = vec![0u8; explain::scratch_len(t.len())];
    explain::write_unknown_issuer(&mut out, t.as_bytes(), &[ISS_A, ISS_B], &mut scratch).unwrap();
    assert_eq!(
        out,
        "iss \"https://evil.example.com\" is not a routed issuer \
         (\"https://clerk.example.com\", \"https://tenant.logto.app/oidc\")"
    );
}
