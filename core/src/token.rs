//! Compact JWS framing (RFC 7515 7.1): three base64url segments, decoded strictly.

use crate::Error;

/// The three segments of a compact JWS, still encoded.
#[derive(Clone, Copy, Debug)]
pub struct Segments<'t> {
    /// `BASE64URL(header)`.
    pub header: &'t [u8],
    /// `BASE64URL(payload)`.
    pub payload: &'t [u8],
    /// `BASE64URL(signature)`.
    pub signature: &'t [u8],
    /// `header.payload`: the bytes the signature covers.
    pub signing_input: &'t [u8],
}

/// Split a compact JWS into its segments. The size limit is checked first, so
/// an oversized token costs nothing to refuse. The header must be non-empty;
/// an empty payload or signature is left to later checks to name.
pub fn split(token: &[u8], max_len: usize) -> Result<Segments<'_>, Error> {
    if token.len() > max_len {
        return Err(Error::TokenTooLarge);
    }
    let (first, second) = match crate::b64::find_dots(token) {
        (Some(a), Some(b), false) => (a, b),
        _ => return Err(Error::MalformedToken),
    };
    let header = token.get(..first).ok_or(Error::MalformedToken)?;
    let payload = token.get(first + 1..second).ok_or(Error::MalformedToken)?;
    let signature = token.get(second + 1..).ok_or(Error::MalformedToken)?;
    let signing_input = token.get(..second).ok_or(Error::MalformedToken)?;
    if header.is_empty() {
        return Err(Error::MalformedToken);
    }
    Ok(Segments {
        header,
        payload,
        signature,
        signing_input,
    })
}

/// Exact decoded length of an unpadded base64url segment, or `BadBase64` for an
/// impossible length (one leftover character).
pub fn decoded_len(segment: &[u8]) -> Result<usize, Error> {
    let full = segment.len() / 4 * 3;
    match segment.len() % 4 {
        0 => Ok(full),
        2 => Ok(full + 1),
        3 => Ok(full + 2),
        _ => Err(Error::BadBase64),
    }
}

/// Decode one segment into `out`, strictly: unpadded base64url alphabet only,
/// canonical trailing bits (base64ct's `decode`, which checks them).
pub fn decode<'o>(segment: &[u8], out: &'o mut [u8]) -> Result<&'o [u8], Error> {
    let len = decoded_len(segment)?;
    let out = out.get_mut(..len).ok_or(Error::BufferTooSmall)?;
    // Tokens are public: the fast table decoder, as strict as base64ct's.
    crate::b64::decode(segment, out)
        .map(|o| &*o)
        .ok_or(Error::BadBase64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing() {
        assert!(split(b"a.b.c", 10).is_ok());
        assert!(split(b"a..c", 10).is_ok());
        assert_eq!(split(b"a.b.c", 4).err(), Some(Error::TokenTooLarge));
        assert_eq!(split(b"a.b", 10).err(), Some(Error::MalformedToken));
        assert_eq!(split(b"a.b.c.d", 10).err(), Some(Error::MalformedToken));
        assert_eq!(split(b".b.c", 10).err(), Some(Error::MalformedToken));
        assert_eq!(split(b"", 10).err(), Some(Error::MalformedToken));
    }

    #[test]
    fn strict_base64() {
        let mut out = [0u8; 16];
        assert_eq!(decode(b"YWJj", &mut out).unwrap(), b"abc");
        assert_eq!(decode(b"YWI", &mut out).unwrap(), b"ab");
        for bad in [
            &b"YWJj="[..],
            b"YW=",
            b"YW Jj",
            b"YW+j",
            b"YW/j",
            b"Y",
            b"YWJ\n",
            b"YWK",
        ] {
            assert_eq!(
                decode(bad, &mut out).err(),
                Some(Error::BadBase64),
                "{:?}",
                bad
            );
        }
        let mut small = [0u8; 2];
        assert_eq!(
            decode(b"YWJj", &mut small).err(),
            Some(Error::BufferTooSmall)
        );
    }
}
