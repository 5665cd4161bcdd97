//! JWS algorithm identifiers (RFC 7518 section 3) and what each one needs.

use crate::hash::HashAlg;

/// A JWS signature algorithm this library implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256 = 0,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384 = 1,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512 = 2,
    /// RSASSA-PSS with SHA-256, MGF1 SHA-256, 32-byte salt.
    PS256 = 3,
    /// RSASSA-PSS with SHA-384, MGF1 SHA-384, 48-byte salt.
    PS384 = 4,
    /// RSASSA-PSS with SHA-512, MGF1 SHA-512, 64-byte salt.
    PS512 = 5,
    /// ECDSA on P-256 with SHA-256, raw r||s signature.
    ES256 = 6,
    /// ECDSA on P-384 with SHA-384, raw r||s signature.
    ES384 = 7,
    /// EdDSA with Ed25519.
    EdDSA = 8,
    /// HMAC with SHA-256.
    HS256 = 9,
    /// HMAC with SHA-384.
    HS384 = 10,
    /// HMAC with SHA-512.
    HS512 = 11,
    /// ECDSA on P-521 with SHA-512, raw r||s signature (66 + 66 bytes).
    ES512 = 12,
}

/// The key family an algorithm needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// RSA PKCS#1 v1.5.
    RsaPkcs1,
    /// RSA PSS.
    RsaPss,
    /// ECDSA P-256.
    P256,
    /// ECDSA P-384.
    P384,
    /// ECDSA P-521.
    P521,
    /// Ed25519.
    Ed25519,
    /// HMAC.
    Hmac,
}

impl Algorithm {
    /// Every algorithm, families together (the order messages list them
    /// in): code order but for ES512, whose code (12) came after HS512's.
    pub const ALL: [Algorithm; 13] = [
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
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
    ];

    /// The registered name, as it appears in `alg`.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::ES512 => "ES512",
        }
    }

    /// Parse a registered name; names are case-sensitive (RFC 7515 4.1.1).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Self::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// Parse a registered name held as a JSON string (compared after unescaping).
    pub fn from_json_name(name: &crate::json::JsonStr<'_>) -> Option<Algorithm> {
        Self::ALL.into_iter().find(|a| name.eq_str(a.name()))
    }

    /// The key family the algorithm needs.
    pub const fn family(self) -> Family {
        match self {
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => Family::RsaPkcs1,
            Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => Family::RsaPss,
            Algorithm::ES256 => Family::P256,
            Algorithm::ES384 => Family::P384,
            Algorithm::ES512 => Family::P521,
            Algorithm::EdDSA => Family::Ed25519,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => Family::Hmac,
        }
    }

    /// The hash the algorithm uses (EdDSA hashes internally; SHA-512 is reported).
    pub const fn hash(self) -> HashAlg {
        match self {
            Algorithm::RS256 | Algorithm::PS256 | Algorithm::ES256 | Algorithm::HS256 => {
                HashAlg::Sha256
            }
            Algorithm::RS384 | Algorithm::PS384 | Algorithm::ES384 | Algorithm::HS384 => {
                HashAlg::Sha384
            }
            Algorithm::RS512
            | Algorithm::PS512
            | Algorithm::ES512
            | Algorithm::EdDSA
            | Algorithm::HS512 => HashAlg::Sha512,
        }
    }

    /// Bit for this algorithm in an [`AlgSet`].
    pub const fn bit(self) -> u16 {
        1 << (self as u8)
    }
}

/// A set of algorithms (an allow-list), as a bit set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlgSet(u16);

impl AlgSet {
    /// Every implemented algorithm.
    pub const ALL: AlgSet = AlgSet(0x1fff);
    /// No algorithm.
    pub const EMPTY: AlgSet = AlgSet(0);

    /// A set of the given algorithms.
    pub const fn of(algs: &[Algorithm]) -> AlgSet {
        let mut bits = 0u16;
        let mut i = 0;
        while i < algs.len() {
            bits |= algs[i].bit();
            i += 1;
        }
        AlgSet(bits)
    }

    /// This set plus `alg`.
    pub const fn with(self, alg: Algorithm) -> AlgSet {
        AlgSet(self.0 | alg.bit())
    }

    /// Whether `alg` is in the set.
    pub const fn contains(self, alg: Algorithm) -> bool {
        self.0 & alg.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The algorithms in both sets.
    pub const fn intersect(self, other: AlgSet) -> AlgSet {
        AlgSet(self.0 & other.0)
    }

    /// Iterate the algorithms in the set.
    pub fn iter(self) -> impl Iterator<Item = Algorithm> {
        Algorithm::ALL
            .into_iter()
            .filter(move |a| self.contains(*a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_case_sensitive() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(a.name()), Some(a));
        }
        assert_eq!(Algorithm::from_name("rs256"), None);
        assert_eq!(Algorithm::from_name("none"), None);
        assert_eq!(Algorithm::from_name("es512"), None);
        assert_eq!(Algorithm::from_name("ES256K"), None);
    }

    #[test]
    fn sets() {
        let s = AlgSet::of(&[Algorithm::RS256, Algorithm::ES384]);
        assert!(s.contains(Algorithm::RS256) && s.contains(Algorithm::ES384));
        assert!(!s.contains(Algorithm::HS256));
        assert_eq!(AlgSet::ALL.iter().count(), 13);
        assert_eq!(AlgSet::ALL, AlgSet::of(&Algorithm::ALL));
    }
}
