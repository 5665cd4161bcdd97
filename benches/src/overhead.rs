//! Everything libverifier does for a request except the signature check:
//! framing, base64 of all three segments, header, key selection, claims and
//! policy. The SHA-256 of the signing input belongs to the signature and is
//! not here. Shared by the criterion `overhead` group and the
//! instruction-count binary (`instr/`, which includes this file by path so it
//! need not build the peers).

use std::hint::black_box;
use verifier_core::token::Segments;
use verifier_core::{Claims, Header, Policy, Verifier, token};

/// The decoding every request starts with: framing, base64 of header and
/// payload into `buf`, and the header parsed. Returns the segments, the
/// header, the payload and the rest of `buf` (the claims' arena). Also the
/// criterion `parse` group's first half.
pub fn decode<'t, 'b>(
    token: &'t [u8],
    buf: &'b mut [u8],
) -> (Segments<'t>, Header<'b>, &'b [u8], &'b mut [u8]) {
    let seg = token::split(token, 16 * 1024).unwrap();
    let hlen = token::decoded_len(seg.header).unwrap();
    let plen = token::decoded_len(seg.payload).unwrap();
    let (hbuf, rest) = buf.split_at_mut(hlen);
    let header = Header::parse(token::decode(seg.header, hbuf).unwrap()).unwrap();
    let (pbuf, arena) = rest.split_at_mut(plen);
    let payload = token::decode(seg.payload, pbuf).unwrap();
    (seg, header, payload, arena)
}

/// One request's worth of that work on `token`, in `buf` (at least
/// `scratch_len(token.len())` bytes); panics on a token that does not pass.
pub fn without_signature<const N: usize, S: AsRef<str>>(
    verifier: &Verifier<N>,
    policy: &Policy<'_, S>,
    token: &[u8],
    buf: &mut [u8],
    now: i64,
) {
    let (seg, header, payload, arena) = decode(token, buf);
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
