//! The tokens the firmware must judge, made by `gen_fixtures.py` (PyJWT), with
//! the verdict each build must reach.

use verifier_core::policy::{ClaimChecks, Needs, Profile};
use verifier_core::{AlgSet, Algorithm, Error, Policy};

/// The device's clock for every case (the fixtures are signed around it).
pub const NOW: i64 = 1_764_000_000;
/// Longest token the device accepts; sizes the scratch buffer.
pub const MAX_TOKEN_LEN: usize = 1024;

pub const SUB: &str = "device-7f3a9c";

/// A full claims policy: every check core has is switched on.
pub fn policy() -> Policy<'static> {
    Policy {
        leeway: 30,
        require_exp: true,
        max_age: Some(3600),
        issuers: &["https://auth.example.com"],
        audiences: &["https://devices.example.com"],
        require_all_audiences: false,
        authorized_parties: &["https://console.example.com"],
        client_ids: &["fleet-ota"],
        typ: &["at+jwt"],
        allow_missing_typ: false,
        require_sub: true,
        subjects: &[],
        require_azp: false,
        required_scopes: &["write:config"],
        algorithms: AlgSet::of(&[Algorithm::ES256, Algorithm::RS256]),
        reject_future_iat: true,
        profile: Profile::Any,
        needs: Needs::ISSUER_AUDIENCE,
        claim_checks: ClaimChecks::NONE,
    }
}

/// Which counted window a case's verification falls in, if any.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Window {
    None,
    #[cfg(feature = "es256")]
    Es256,
    #[cfg(feature = "rs256")]
    Rs256,
}

pub struct Case {
    pub name: &'static str,
    pub token: &'static [u8],
    /// `None`: must verify and carry `SUB`.
    pub expect: Option<Error>,
    pub window: Window,
}

const fn case(
    name: &'static str,
    token: &'static [u8],
    expect: Option<Error>,
    window: Window,
) -> Case {
    Case {
        name,
        token,
        expect,
        window,
    }
}

macro_rules! token {
    ($file:literal) => {
        include_bytes!(concat!("../data/", $file, ".jwt"))
    };
}

/// A token for a key the build does not carry names a `kid` no pinned key
/// has: it must be refused as such, never verified some other way.
#[cfg(not(all(feature = "es256", feature = "rs256")))]
const NOT_CARRIED: Option<Error> = Some(Error::UnknownKid);

pub const CASES: &[Case] = &[
    #[cfg(feature = "es256")]
    case("es256.ok", token!("es256.ok"), None, Window::Es256),
    #[cfg(not(feature = "es256"))]
    case("es256.ok", token!("es256.ok"), NOT_CARRIED, Window::None),
    #[cfg(feature = "es256")]
    case(
        "es256.tampered",
        token!("es256.tampered"),
        Some(Error::BadSignature),
        Window::None,
    ),
    #[cfg(feature = "es256")]
    case(
        "es256.expired",
        token!("es256.expired"),
        Some(Error::Expired),
        Window::None,
    ),
    #[cfg(feature = "es256")]
    case(
        "es256.wrong_aud",
        token!("es256.wrong_aud"),
        Some(Error::WrongAudience),
        Window::None,
    ),
    #[cfg(feature = "es256")]
    case(
        "es256.no_scope",
        token!("es256.no_scope"),
        Some(Error::MissingScope),
        Window::None,
    ),
    #[cfg(feature = "rs256")]
    case("rs256.ok", token!("rs256.ok"), None, Window::Rs256),
    #[cfg(not(feature = "rs256"))]
    case("rs256.ok", token!("rs256.ok"), NOT_CARRIED, Window::None),
    #[cfg(feature = "rs256")]
    case(
        "rs256.tampered",
        token!("rs256.tampered"),
        Some(Error::BadSignature),
        Window::None,
    ),
    #[cfg(feature = "rs256")]
    case(
        "rs256.expired",
        token!("rs256.expired"),
        Some(Error::Expired),
        Window::None,
    ),
    #[cfg(feature = "rs256")]
    case(
        "rs256.wrong_aud",
        token!("rs256.wrong_aud"),
        Some(Error::WrongAudience),
        Window::None,
    ),
    #[cfg(feature = "rs256")]
    case(
        "rs256.no_scope",
        token!("rs256.no_scope"),
        Some(Error::MissingScope),
        Window::None,
    ),
    case(
        "any.alg_none",
        token!("any.alg_none"),
        Some(Error::AlgNone),
        Window::None,
    ),
    case(
        "any.hs256_confusion",
        token!("any.hs256_confusion"),
        Some(Error::AlgNotAllowedByPolicy),
        Window::None,
    ),
];
