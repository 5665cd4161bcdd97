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
const MAX_SIGNATURE_LEN: usize = 512;

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

    /// The maximum token length.
    pub fn max_token_len(&self) -> usize {
        self.max_token_len
    }

    /// The pinned keys.
    pub fn keys(&self) -> &KeySet<N> {
        &self.keys
    }

    /// Verify the JWS layer only: framing, header, key, signature, with the
    /// algorithms in `algs`. The payload is returned decoded but not parsed.
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
        if token::decoded_len(seg.signature)? > MAX_SIGNATURE_LEN {
            return Err(Error::BadSignatureLength);
        }
        let mut sig = [0u8; MAX_SIGNATURE_LEN];
        let sig = token::decode(seg.signature, &mut sig)?;
        let key_index = self.keys.select(header.kid.as_ref(), header.alg)?;
        let key = self.keys.get(key_index).ok_or(Error::NoMatchingKey)?;
        signature::verify(key, header.alg, seg.signing_input, sig)?;
        Ok((
            Jws {
                header,
                payload,
                key_index,
            },
            arena,
        ))
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
        let claims = Claims::parse(jws.payload, arena)?;
        policy.check(&jws.header, &claims, now)?;
        Ok(Verified {
            header: jws.header,
            claims,
            key_index: jws.key_index,
        })
    }
}
