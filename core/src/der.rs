//! Just enough DER to find a public key: SubjectPublicKeyInfo, an X.509
//! certificate's SPKI, and PKCS#1 RSAPublicKey. Zero-copy, bounded, no recursion.

use crate::Error;

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OID: u8 = 0x06;
const CONTEXT_0: u8 = 0xa0;

/// OID contents (without tag and length) this module recognises. Which of them
/// a build uses depends on its algorithm features.
#[allow(dead_code)]
pub(crate) const OID_RSA_ENCRYPTION: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
#[allow(dead_code)]
pub(crate) const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
#[allow(dead_code)]
pub(crate) const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
#[allow(dead_code)]
pub(crate) const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// secp521r1, 1.3.132.0.35.
#[allow(dead_code)]
pub(crate) const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
#[allow(dead_code)]
pub(crate) const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// A cursor over DER bytes.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(der: &'a [u8]) -> Self {
        Reader { rest: der }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Read one TLV, returning (tag, contents). Lengths must be minimal (DER).
    fn any(&mut self) -> Result<(u8, &'a [u8]), Error> {
        let (&tag, rest) = self.rest.split_first().ok_or(Error::KeyMalformed)?;
        if tag & 0x1f == 0x1f {
            return Err(Error::KeyMalformed); // multi-byte tags never occur in what we read
        }
        let (&first, mut rest) = rest.split_first().ok_or(Error::KeyMalformed)?;
        let len = if first < 0x80 {
            first as usize
        } else {
            let n = (first & 0x7f) as usize;
            if n == 0 || n > 3 {
                return Err(Error::KeyMalformed);
            }
            let mut len = 0usize;
            for i in 0..n {
                let (&b, r) = rest.split_first().ok_or(Error::KeyMalformed)?;
                if i == 0 && b == 0 {
                    return Err(Error::KeyMalformed);
                }
                len = (len << 8) | b as usize;
                rest = r;
            }
            if len < 0x80 {
                return Err(Error::KeyMalformed);
            }
            len
        };
        if rest.len() < len {
            return Err(Error::KeyMalformed);
        }
        let (value, rest) = rest.split_at(len);
        self.rest = rest;
        Ok((tag, value))
    }

    fn expect(&mut self, tag: u8) -> Result<&'a [u8], Error> {
        match self.any()? {
            (t, v) if t == tag => Ok(v),
            _ => Err(Error::KeyMalformed),
        }
    }

    fn finish(&self) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::KeyMalformed)
        }
    }
}

/// The algorithm identifier and key bits of a SubjectPublicKeyInfo.
pub(crate) struct Spki<'a> {
    /// Algorithm OID contents.
    pub algorithm: &'a [u8],
    /// Parameters OID contents (the named curve for EC keys), if an OID.
    pub parameter_oid: Option<&'a [u8]>,
    /// The subjectPublicKey bits (whole bytes; unused-bits must be 0).
    #[allow(dead_code)] // unread in a build with no public-key algorithm
    pub key: &'a [u8],
}

/// Parse a DER SubjectPublicKeyInfo (RFC 5280 4.1.2.7).
pub(crate) fn parse_spki(der: &[u8]) -> Result<Spki<'_>, Error> {
    let mut outer = Reader::new(der);
    let seq = outer.expect(SEQUENCE)?;
    outer.finish()?;
    let mut spki = Reader::new(seq);
    let mut alg = Reader::new(spki.expect(SEQUENCE)?);
    let algorithm = alg.expect(OID)?;
    let parameter_oid = match alg.peek_tag() {
        None => None,
        Some(OID) => Some(alg.expect(OID)?),
        Some(_) => {
            alg.any()?; // NULL for RSA, or anything we ignore
            None
        }
    };
    alg.finish()?;
    let bits = spki.expect(BIT_STRING)?;
    spki.finish()?;
    let (&unused, key) = bits.split_first().ok_or(Error::KeyMalformed)?;
    if unused != 0 {
        return Err(Error::KeyMalformed);
    }
    Ok(Spki {
        algorithm,
        parameter_oid,
        key,
    })
}

/// Find the SubjectPublicKeyInfo inside a DER X.509 certificate (RFC 5280 4.1),
/// returning its full DER encoding (tag and length included).
/// A certificate that does not have that shape is `CertificateMalformed`.
pub(crate) fn certificate_spki(der: &[u8]) -> Result<&[u8], Error> {
    tbs_spki(der).map_err(|_| Error::CertificateMalformed)
}

fn tbs_spki(der: &[u8]) -> Result<&[u8], Error> {
    let mut outer = Reader::new(der);
    let cert = outer.expect(SEQUENCE)?;
    outer.finish()?;
    let mut cert = Reader::new(cert);
    let mut tbs = Reader::new(cert.expect(SEQUENCE)?);
    if tbs.peek_tag() == Some(CONTEXT_0) {
        tbs.any()?; // version
    }
    tbs.expect(INTEGER)?; // serialNumber
    tbs.expect(SEQUENCE)?; // signature
    tbs.expect(SEQUENCE)?; // issuer
    tbs.expect(SEQUENCE)?; // validity
    tbs.expect(SEQUENCE)?; // subject
    let before = tbs.rest;
    tbs.expect(SEQUENCE)?; // subjectPublicKeyInfo
    let used = before.len() - tbs.rest.len();
    // The rest of the certificate has its shape too (nothing in it is
    // checked, but a strict parser would refuse it otherwise):
    // signatureAlgorithm, signatureValue, and nothing after them.
    cert.expect(SEQUENCE)?;
    cert.expect(BIT_STRING)?;
    cert.finish()?;
    before.get(..used).ok_or(Error::KeyMalformed)
}

/// Parse a PKCS#1 RSAPublicKey: SEQUENCE { modulus INTEGER, publicExponent INTEGER },
/// returning the big-endian magnitudes (leading zero octets kept; the RSA loader strips them).
#[cfg(feature = "rsa")]
pub(crate) fn parse_rsa_public_key(der: &[u8]) -> Result<(&[u8], &[u8]), Error> {
    let mut outer = Reader::new(der);
    let mut seq = Reader::new(outer.expect(SEQUENCE)?);
    outer.finish()?;
    let n = positive_integer(seq.expect(INTEGER)?)?;
    let e = positive_integer(seq.expect(INTEGER)?)?;
    seq.finish()?;
    Ok((n, e))
}

/// A DER INTEGER's contents, refusing negative values and non-minimal encodings.
#[cfg(feature = "rsa")]
fn positive_integer(bytes: &[u8]) -> Result<&[u8], Error> {
    match bytes {
        [] => Err(Error::KeyMalformed),
        [b, ..] if b & 0x80 != 0 => Err(Error::KeyMalformed),
        [0, b, ..] if b & 0x80 == 0 => Err(Error::KeyMalformed),
        _ => Ok(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_truncated_and_overlong() {
        assert_eq!(parse_spki(&[]).err(), Some(Error::KeyMalformed));
        assert_eq!(
            parse_spki(&[0x30, 0x05, 0x00]).err(),
            Some(Error::KeyMalformed)
        );
        // long-form length for a short value is not DER
        assert_eq!(
            parse_spki(&[0x30, 0x81, 0x01, 0x00]).err(),
            Some(Error::KeyMalformed)
        );
        assert_eq!(
            certificate_spki(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).err(),
            Some(Error::CertificateMalformed)
        );
    }

    #[cfg(feature = "rsa")]
    #[test]
    fn integers() {
        assert!(positive_integer(&[0x00, 0x80]).is_ok());
        assert!(positive_integer(&[0x00, 0x01]).is_err());
        assert!(positive_integer(&[0x80]).is_err());
    }
}
