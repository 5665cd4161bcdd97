//! The verify path: framing, header, key selection, signature, claims.
//!
//! A [`Verifier`] is built once from pinned keys, is immutable and `Sync`, and
//! verifies with `&self` into a scratch buffer the caller owns.

use crate::alg::AlgSet;
use crate::claims::Claims;
use crate::header::Header;
use crate::keys::{Key, KeySet};
use crate::policy::Policy;
use crate::{Error, signature, token};

/// Default maximum token size: far above real provider tokens (about 1 KiB),
/// small enough to bound work on hostile input.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 16 * 1024;

/// Largest signature: RSA-4096.
pub(crate) const MAX_SIGNATURE_LEN: usize = 512;

/// Scratch space that always suffices for a token of `token_len` bytes: the
/// decoded header and payload (3/4 of the text) plus room to unescape the
/// registered string claims (at most the payload again).
pub const fn scratch_len(token_len: usize) -> usize {
    token_len / 4 * 3 + 3 + token_len / 4 * 3 + 3
}

/// A token whose signature verified (claims not checked).
#[derive(Clone, Copy, Debug)]
pub struct Jws<'b> {
    /// The protected header.
    pub header: Header<'b>,
    /// The decoded payload bytes.
    pub payload: &'b [u8],
    /// Index of the key that verified it, in the key set.
    pub key_index: usize,
}

/// A token whose signature and claims passed.
#[derive(Clone, Copy, Debug)]
pub struct Verified<'b> {
    /// The protected header.
    pub header: Header<'b>,
    /// The claims.
    pub claims: Claims<'b>,
    /// Index of the key that verified it, in the key set.
    pub key_index: usize,
}

/// Verifies tokens against up to `N` pinned keys.
#[derive(Clone, Debug)]
pub struct Verifier<const N: usize = 8> {
    keys: KeySet<N>,
    max_token_len: usize,
}

impl<const N: usize> Verifier<N> {
    /// A verifier over `keys`.
    pub fn new(keys: KeySet<N>) -> Result<Self, Error> {
        if keys.is_empty() {
            return Err(Error::NoKeys);
        }
        Ok(Verifier {
            keys,
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
        })
    }

    /// A verifier with no keys yet, to be filled in place with
    /// [`keys_mut`](Self::keys_mut) (`KeySet::add_jwk`, `add_pem`, ...):
    /// [`new`](Self::new) takes a `KeySet` by value, and moving `N` keys is
    /// what a device's stack cannot afford. Until a key is added it refuses
    /// every well-formed token with `NoKeys`. `const`, so it can also
    /// initialise a static.
    ///
    /// ```
    /// # use verifier_core::Verifier;
    /// # #[cfg(feature = "p256")] {
    /// # let jwk = br#"{"kty":"EC","crv":"P-256","kid":"k1",
    /// #   "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    /// #   "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
    /// let mut verifier = Verifier::<4>::empty();
    /// verifier.keys_mut().add_jwk(jwk)?;
    /// verifier.set_max_token_len(4096);
    /// # }
    /// # Ok::<(), verifier_core::Error>(())
    /// ```
    pub const fn empty() -> Self {
        Verifier {
            keys: KeySet::new(),
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
        }
    }

    /// A verifier over a single key.
    pub fn from_key(key: Key) -> Result<Self, Error> {
        let mut keys = KeySet::new();
        keys.push(key)?;
        Self::new(keys)
    }

    /// A verifier over every usable key of a JWKS document.
    pub fn from_jwks(jwks: &[u8]) -> Result<Self, Error> {
        let mut keys = KeySet::new();
        keys.add_jwks(jwks)?;
        Self::new(keys)
    }

    /// Refuse tokens longer than `max` bytes, before any decoding.
    pub fn with_max_token_len(mut self, max: usize) -> Self {
        self.max_token_len = max;
        self
    }

    /// [`with_max_token_len`](Self::with_max_token_len) on a verifier in
    /// place, without moving it.
    pub fn set_max_token_len(&mut self, max: usize) {
        self.max_token_len = max;
    }

    /// The maximum token length.
    pub fn max_token_len(&self) -> usize {
        self.max_token_len
    }

    /// The pinned keys.
    pub fn keys(&self) -> &KeySet<N> {
        &self.keys
    }

    /// The pinned keys, to add to in place (see [`empty`](Self::empty)).
    pub fn keys_mut(&mut self) -> &mut KeySet<N> {
        &mut self.keys
    }

    /// Verify the JWS layer only: framing, header, key, signature, with the
    /// algorithms in `algs`. The payload is returned decoded but not parsed,
    /// so nothing about the claims is checked, not even a key's issuer
    /// binding ([`Key::issuer`]): the caller must check `iss` against it.
    pub fn verify_jws<'b>(
        &self,
        token: &[u8],
        algs: AlgSet,
        buf: &'b mut [u8],
    ) -> Result<Jws<'b>, Error> {
        let (jws, _) = self.verify_jws_split(token, algs, buf)?;
        Ok(jws)
    }

    fn verify_jws_split<'b>(
        &self,
        token: &[u8],
        algs: AlgSet,
        buf: &'b mut [u8],
    ) -> Result<(Jws<'b>, &'b mut [u8]), Error> {
        let seg = token::split(token, self.max_token_len)?;
        let hlen = token::decoded_len(seg.header)?;
        let plen = token::decoded_len(seg.payload)?;
        if buf.len() < hlen + plen {
            return Err(Error::BufferTooSmall);
        }
        let (hbuf, rest) = buf.split_at_mut(hlen);
        let header_json: &'b [u8] = token::decode(seg.header, hbuf)?;
        let header = Header::parse(header_json)?;
        if !algs.contains(header.alg) {
            return Err(Error::AlgNotAllowedByPolicy);
        }

        // Decode every segment before any key work: a malformed token is named as such.
        let (pbuf, arena) = rest.split_at_mut(plen);
        let payload: &'b [u8] = token::decode(seg.payload, pbuf)?;
        let slen = token::decoded_len(seg.signature)?;
        if slen > MAX_SIGNATURE_LEN {
            return Err(Error::BadSignatureLength);
        }
        // The signature goes where the claims are unescaped later (it is dead
        // by then): 512 B less stack under the signature code, whose depth is
        // a device's peak. A buffer too small for that (never one of
        // `scratch_len`) falls back to a stack copy, as before.
        let key_index = match arena.get_mut(..slen) {
            Some(sbuf) => {
                let sig = token::decode(seg.signature, sbuf)?;
                self.check_signature(&header, seg.signing_input, sig)?
            }
            None => self.check_signature_on_stack(&header, seg.signing_input, seg.signature)?,
        };
        Ok((
            Jws {
                header,
                payload,
                key_index,
            },
            arena,
        ))
    }

    /// Choose the key for `header` and verify `sig` with it; the key's index.
    // Out of line since it tries several candidates: one copy of the loop for
    // both callers (device flash), at the cost of a small frame under the
    // signature code.
    #[inline(never)]
    fn check_signature(
        &self,
        header: &Header<'_>,
        signing_input: &[u8],
        sig: &[u8],
    ) -> Result<usize, Error> {
        // Several candidates only during a rotation (a duplicated kid) or for
        // a token without kid: at most keys::MAX_CANDIDATES signature checks.
        let candidates = self.keys.candidates(header.kid.as_ref(), header.alg)?;
        let mut first = None;
        for key_index in candidates.iter() {
            let key = self.keys.get(key_index).ok_or(Error::NoMatchingKey)?;
            match signature::verify(key, header.alg, signing_input, sig) {
                Ok(()) => return Ok(key_index),
                // A valid PSS signature with the wrong salt length names
                // its signer better than another key's failure.
                Err(Error::PssSaltLength) => first = Some(Error::PssSaltLength),
                Err(e) => {
                    first.get_or_insert(e);
                }
            }
        }
        Err(candidates.failure(first.unwrap_or(Error::NoMatchingKey)))
    }

    /// `check_signature` for a base64url signature decoded into a stack
    /// buffer, when the caller's scratch has no room left for it. Out of line,
    /// so the buffer is on the stack only on this path.
    #[inline(never)]
    fn check_signature_on_stack(
        &self,
        header: &Header<'_>,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<usize, Error> {
        let mut sig = [0u8; MAX_SIGNATURE_LEN];
        let sig = token::decode(signature, &mut sig)?;
        self.check_signature(header, signing_input, sig)
    }

    /// Verify a token completely: signature with a pinned key, then the
    /// claims against `policy` at time `now` (seconds since the epoch).
    /// `buf` must hold at least [`scratch_len`]`(token.len())` bytes to be
    /// sure; the returned views borrow it.
    pub fn verify<'b, S: AsRef<str>>(
        &self,
        token: &[u8],
        now: i64,
        policy: &Policy<'_, S>,
        buf: &'b mut [u8],
    ) -> Result<Verified<'b>, Error> {
        let (jws, arena) = self.verify_jws_split(token, policy.algorithms, buf)?;
        let bound = self.keys.get(jws.key_index).and_then(Key::issuer);
        check_claims(jws, arena, now, policy, bound)
    }
}

/// The claims half of [`Verifier::verify`]. Out of line: its locals (the
/// parsed claims) must not sit in the frame that is live under the signature
/// code, a device's deepest point.
#[inline(never)]
fn check_claims<'b, S: AsRef<str>>(
    jws: Jws<'b>,
    arena: &'b mut [u8],
    now: i64,
    policy: &Policy<'_, S>,
    bound_issuer: Option<&str>,
) -> Result<Verified<'b>, Error> {
    let claims = Claims::parse(jws.payload, arena)?;
    // The key's issuer binding (RFC 8725 3.8) before the policy: a token
    // signed by one tenant's key never passes as another's.
    if let Some(bound) = bound_issuer {
        if claims.iss() != Some(bound) {
            return Err(Error::KeyIssuerMismatch);
        }
    }
    policy.check(&jws.header, &claims, now)?;
    Ok(Verified {
        header: jws.header,
        claims,
        key_index: jws.key_index,
    })
}
