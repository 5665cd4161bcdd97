//! Strict unpadded base64url decoding, fast and variable-time: every byte it
//! reads is a token byte the sender chose and anyone can see (no key ever
//! goes through here), so a table lookup per character is fine.
//!
//! Same acceptance as base64ct's constant-time `Base64UrlUnpadded::decode`
//! (checked against it by the tests): the 64-character URL alphabet only, no
//! padding or whitespace, a length that is not 1 mod 4, and zero unused bits
//! in the last character.

/// 6-bit value of each alphabet byte; `INVALID` for every other byte.
const INVALID: u8 = 0x80;
const TABLE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    t[b'-' as usize] = 62;
    t[b'_' as usize] = 63;
    t
};

/// The 24 bits of four characters (`c` holds at least four), and bits above
/// them iff one is invalid: an invalid entry (0x80) sign-extends to
/// 0xffff_ff80, which keeps bits 25 and up set after any of the shifts, while
/// valid ones (0..=63) stay below bit 24. One 256-byte table, no per-character
/// validity test.
#[inline(always)]
fn group(c: &[u8]) -> u32 {
    let v = |i: usize| -> u32 {
        let x = c.get(i).copied().unwrap_or(b'=');
        TABLE[usize::from(x)] as i8 as i32 as u32
    };
    (v(0) << 18) | (v(1) << 12) | (v(2) << 6) | v(3)
}

/// Decoded length of `len` characters, `None` for an impossible length.
pub(crate) fn decoded_len(len: usize) -> Option<usize> {
    let full = len / 4 * 3;
    match len % 4 {
        0 => Some(full),
        2 => Some(full + 1),
        3 => Some(full + 2),
        _ => None,
    }
}

/// Decode `text` into the front of `out`, returning the decoded bytes, or
/// `None` if `text` is not canonical unpadded base64url or `out` is too short.
pub(crate) fn decode<'o>(text: &[u8], out: &'o mut [u8]) -> Option<&'o mut [u8]> {
    let len = decoded_len(text.len())?;
    let out = out.get_mut(..len)?;
    // Eight characters to six bytes per step (two 24-bit groups, one 48-bit
    // store), then four to three for the rest.
    let (wide_out, narrow_out) = out.split_at_mut_checked(len / 6 * 6)?;
    let (wide_text, narrow_text) = text.split_at_checked(len / 6 * 8)?;
    let mut bad_groups = 0u32;
    for (c, d) in wide_text.chunks_exact(8).zip(wide_out.chunks_exact_mut(6)) {
        let (hi, lo) = (group(&c[..4]), group(&c[4..]));
        bad_groups |= hi | lo;
        // An invalid `lo` spills into `hi`'s bits: harmless, it is refused below.
        let v = (u64::from(hi) << 24) | u64::from(lo);
        d.copy_from_slice(&v.to_be_bytes()[2..]);
    }
    let mut chunks = narrow_text.chunks_exact(4);
    let mut dst = narrow_out.chunks_exact_mut(3);
    for (c, d) in (&mut chunks).zip(&mut dst) {
        let v = group(c);
        bad_groups |= v;
        d.copy_from_slice(&v.to_be_bytes()[1..]);
    }
    if bad_groups >> 24 != 0 {
        return None;
    }
    let mut bad = 0u8;
    let tail = chunks.remainder();
    let rest = dst.into_remainder();
    match (tail, rest) {
        ([], []) => {}
        ([a, b], [x]) => {
            let (a, b) = (TABLE[*a as usize], TABLE[*b as usize]);
            bad |= a | b;
            // The low 4 bits of the last character carry nothing and must be zero.
            if b & 0x0f != 0 {
                return None;
            }
            *x = (a << 2) | (b >> 4);
        }
        ([a, b, c], [x, y]) => {
            let (a, b, c) = (TABLE[*a as usize], TABLE[*b as usize], TABLE[*c as usize]);
            bad |= a | b | c;
            if c & 0x03 != 0 {
                return None;
            }
            *x = (a << 2) | (b >> 4);
            *y = (b << 4) | (c >> 2);
        }
        _ => return None,
    }
    if bad & INVALID != 0 {
        return None;
    }
    Some(out)
}

/// Positions of the first two `.` in `token` and whether there is a third,
/// eight bytes at a time (a JWT is mostly base64 text without dots).
pub(crate) fn find_dots(token: &[u8]) -> (Option<usize>, Option<usize>, bool) {
    const DOTS: u64 = u64::from_ne_bytes([b'.'; 8]);
    const LOW: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut found = [None; 3];
    let mut n = 0;
    let mut record = |i: usize| {
        if let Some(slot) = found.get_mut(n) {
            *slot = Some(i);
        }
        n += 1;
    };
    let mut chunks = token.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_ne_bytes(w) ^ DOTS;
        // Nonzero iff some byte of x is zero, i.e. some byte is a dot.
        if x.wrapping_sub(LOW) & !x & HIGH != 0 {
            for (i, &b) in c.iter().enumerate() {
                if b == b'.' {
                    record(base + i);
                }
            }
        }
        base += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == b'.' {
            record(base + i);
        }
    }
    (found[0], found[1], found[2].is_some())
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use base64ct::{Base64UrlUnpadded, Encoding as _};
    use std::vec::Vec;

    /// Every string of length 0..=6 over a mixed alphabet (valid and invalid
    /// characters) and longer random ones: same verdict and bytes as base64ct.
    #[test]
    fn agrees_with_base64ct() {
        let alphabet = b"AQgw_-9+/=. \x00\xffzZ";
        let check = |s: &[u8]| {
            let mut a = [0u8; 64];
            let mut b = [0u8; 64];
            let ours = decode(s, &mut a).map(|o| o.to_vec());
            let theirs = Base64UrlUnpadded::decode(s, &mut b)
                .ok()
                .map(|o| o.to_vec());
            assert_eq!(ours, theirs, "{s:?}");
        };
        for len in 0..=5u32 {
            let count = alphabet.len().pow(len);
            for mut k in 0..count {
                let mut s = Vec::new();
                for _ in 0..len {
                    s.push(alphabet[k % alphabet.len()]);
                    k /= alphabet.len();
                }
                check(&s);
            }
        }
        let mut x = 0x1234_5678u32;
        for len in 0..80 {
            for _ in 0..40 {
                let s: Vec<u8> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        // Mostly valid characters, now and then anything.
                        if x.is_multiple_of(97) {
                            (x >> 8) as u8
                        } else {
                            b"AQgw_-9zZ"[(x >> 8) as usize % 9]
                        }
                    })
                    .collect();
                check(&s);
            }
        }
        // Round trips of real encodings.
        for n in 0..50usize {
            let data: Vec<u8> = (0..n).map(|i| (i * 37 + n) as u8).collect();
            let text = Base64UrlUnpadded::encode_string(&data);
            let mut out = [0u8; 64];
            assert_eq!(decode(text.as_bytes(), &mut out).unwrap(), &data[..]);
        }
        // Output too short.
        assert!(decode(b"YWJj", &mut [0u8; 2]).is_none());
    }

    #[test]
    fn dots_found_like_a_plain_scan() {
        let mut x = 7u32;
        for len in 0..70 {
            for _ in 0..30 {
                let t: Vec<u8> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        if x.is_multiple_of(11) { b'.' } else { b'a' }
                    })
                    .collect();
                let dots: Vec<usize> = t
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'.')
                    .map(|(i, _)| i)
                    .collect();
                let want = (dots.first().copied(), dots.get(1).copied(), dots.len() > 2);
                assert_eq!(find_dots(&t), want, "{t:?}");
            }
        }
    }
}
