//! Everything libverifier does for a request except the signature check:
//! framing, base64 of all three segments, header, key selection, claims and
//! policy. The SHA-256 of the signing input belongs to the signature and is
//! not here. Shared by the criterion `overhead` group and the
//! instruction-count binary (`instr/`, which includes this file by path so it
//! need not build the peers).

use std::hint::black_box;
use verifier_core::{Claims, Header, Policy, Verifier, token};

/// One request's worth of that work on `token`, in `buf` (at least
/// `scratch_len(token.len())` bytes); panics on a token that does not pass.
pub fn without_signature<const N: usize, S: AsRef<str>>(
    verifier: &Verifier<N>,
    policy: &Policy<'_, S>,
    token: &[u8],
    buf: &mut [u8],
    now: i64,
) {
    let seg = token::split(token, 16 * 1024).unwrap();
    let hlen = token::decoded_len(seg.header).unwrap();
    let plen = token::decoded_len(seg.payload).unwrap();
    let (hbuf, rest) = buf.split_at_mut(hlen);
    let header = Header::parse(token::decode(seg.header, hbuf).unwrap()).unwrap();
    let (pbuf, arena) = rest.split_at_mut(plen);
    let payload = token::decode(seg.payload, pbuf).unwrap();
    let mut sig = [0u8; 512];
    let sig = token::decode(seg.signature, &mut sig).unwrap();
    let key = verifier
        .keys()
        .select(header.kid.as_ref(), header.alg)
        .unwrap();
    let claims = Claims::parse(payload, arena).unwrap();
    policy.check(&header, &claims, now).unwrap();
    black_box((key, sig.len(), claims.sub()));
}
