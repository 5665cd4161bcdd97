//! The three SHA-2 hashes JWS uses, behind one small enum so algorithm code
//! does not repeat itself per hash.

use sha2::{Digest as _, Sha256, Sha384, Sha512};

/// A SHA-2 function used by RS*/PS*/ES*/HS*.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlg {
    /// SHA-256 (RS256, PS256, ES256, HS256).
    Sha256,
    /// SHA-384 (RS384, PS384, ES384, HS384).
    Sha384,
    /// SHA-512 (RS512, PS512, ES512, HS512).
    Sha512,
}

/// A digest of up to 64 bytes, kept on the stack.
#[derive(Clone, Copy)]
pub struct Digest {
    bytes: [u8; 64],
    len: usize,
}

impl Digest {
    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl HashAlg {
    /// Output length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }

    /// Hash the concatenation of `parts` (no copy of the message is made).
    pub fn digest_parts(self, parts: &[&[u8]]) -> Digest {
        let mut out = Digest {
            bytes: [0; 64],
            len: self.output_len(),
        };
        match self {
            HashAlg::Sha256 => {
                let mut h = Sha256::new();
                for p in parts {
                    h.update(p);
                }
                out.bytes[..32].copy_from_slice(&h.finalize());
            }
            HashAlg::Sha384 => {
                let mut h = Sha384::new();
                for p in parts {
                    h.update(p);
                }
                out.bytes[..48].copy_from_slice(&h.finalize());
            }
            HashAlg::Sha512 => {
                let mut h = Sha512::new();
                for p in parts {
                    h.update(p);
                }
                out.bytes[..64].copy_from_slice(&h.finalize());
            }
        }
        out
    }

    /// Hash one message.
    pub fn digest(self, msg: &[u8]) -> Digest {
        self.digest_parts(&[msg])
    }
}
