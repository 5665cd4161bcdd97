//! Several issuers served by one verifier: each route is an issuer with its
//! own keys and policy, chosen by the token's `iss` **read before the
//! signature is checked**.
//!
//! Reading `iss` unverified is sound only because the chosen route's keys
//! must then verify the signature: a token that lies about its issuer is
//! sent to keys that did not sign it and is refused there (`BadSignature`,
//! `UnknownKid`...). A token whose `iss` names no route is `UnknownIssuer`,
//! and no route's keys or policy are tried, so the refusal never comes from
//! another provider's policy. Issuers match exactly (no normalisation: a
//! trailing slash is another issuer, as OpenID Connect Discovery 1.0 4.3
//! requires). No allocation: the routes are a slice the caller owns, at most
//! [`MAX_ROUTES`], searched linearly.

use crate::claims::Claims;
use crate::header::Header;
use crate::policy::Policy;
use crate::verifier::{Verified, Verifier};
use crate::{Error, token};

/// Most routes one router serves (the search is linear in them).
pub const MAX_ROUTES: usize = 16;

/// One issuer's keys and policy.
#[derive(Clone, Copy, Debug)]
pub struct Route<'a, const N: usize, S: AsRef<str> = &'a str> {
    /// The issuer, compared exactly with the token's `iss`.
    pub issuer: &'a str,
    /// This issuer's keys (and maximum token length).
    pub verifier: &'a Verifier<N>,
    /// This issuer's policy.
    pub policy: &'a Policy<'a, S>,
}

/// Check a set of route issuers: at most [`MAX_ROUTES`] (`TooManyRoutes`),
/// none empty (`InvalidPolicy`), no two alike (`DuplicateRoute`).
pub fn validate_issuers<I: AsRef<str>>(issuers: &[I]) -> Result<(), Error> {
    if issuers.len() > MAX_ROUTES {
        return Err(Error::TooManyRoutes);
    }
    for (i, a) in issuers.iter().enumerate() {
        if a.as_ref().is_empty() {
            return Err(Error::InvalidPolicy);
        }
        if issuers[i + 1..].iter().any(|b| b.as_ref() == a.as_ref()) {
            return Err(Error::DuplicateRoute);
        }
    }
    Ok(())
}

/// Check one route's policy against its issuer: valid, and, when it lists
/// issuers, listing this one (`RouteIssuerNotAccepted`: otherwise every
/// token the route selects would be refused). A policy without issuers is
/// fine: the route itself guarantees `iss`.
pub fn validate_route<S: AsRef<str>>(issuer: &str, policy: &Policy<'_, S>) -> Result<(), Error> {
    if issuer.is_empty() {
        return Err(Error::InvalidPolicy);
    }
    policy.validate()?;
    if !policy.issuers.is_empty() && !policy.issuers.iter().any(|i| i.as_ref() == issuer) {
        return Err(Error::RouteIssuerNotAccepted);
    }
    Ok(())
}

/// The index of the route for `token` among `issuers`, from its unverified
/// `iss`. Errors the verifier would report first keep their place: framing
/// and base64 (`max_token_len` applies), the header (`alg` `none`...), the
/// payload's JSON and registered claims' types; then `MissingIssuer` for a
/// token without `iss`, and `UnknownIssuer` for an `iss` no route names.
/// `scratch` needs [`scratch_len`](crate::scratch_len)`(token.len())`
/// bytes (`BufferTooSmall`); its content is garbage afterwards.
pub fn select<I: AsRef<str>>(
    issuers: &[I],
    token: &[u8],
    max_token_len: usize,
    scratch: &mut [u8],
) -> Result<usize, Error> {
    let seg = token::split(token, max_token_len)?;
    let hlen = token::decoded_len(seg.header)?;
    let plen = token::decoded_len(seg.payload)?;
    if scratch.len() < hlen + plen {
        return Err(Error::BufferTooSmall);
    }
    let (hbuf, rest) = scratch.split_at_mut(hlen);
    Header::parse(token::decode(seg.header, hbuf)?)?;
    let (pbuf, arena) = rest.split_at_mut(plen);
    let payload = token::decode(seg.payload, pbuf)?;
    let claims = Claims::parse(payload, arena)?;
    let iss = claims.iss().ok_or(Error::MissingIssuer)?;
    issuers
        .iter()
        .position(|i| i.as_ref() == iss)
        .ok_or(Error::UnknownIssuer)
}

/// Verify `token` with the route its unverified `iss` names: that route's
/// keys, then its policy. Returns the route's index and the verified token.
/// `buf` as for [`Verifier::verify`]. The largest maximum token length of
/// the routes bounds the routing read; the chosen route's own bounds its
/// verification.
pub fn verify<'b, const N: usize, S: AsRef<str>>(
    routes: &[Route<'_, N, S>],
    token: &[u8],
    now: i64,
    buf: &'b mut [u8],
) -> Result<(usize, Verified<'b>), Error> {
    let mut issuers = [""; MAX_ROUTES];
    if routes.len() > MAX_ROUTES {
        return Err(Error::TooManyRoutes);
    }
    if routes.is_empty() {
        return Err(Error::UnknownIssuer);
    }
    for (slot, r) in issuers.iter_mut().zip(routes) {
        *slot = r.issuer;
    }
    let max = routes
        .iter()
        .map(|r| r.verifier.max_token_len())
        .max()
        .unwrap_or(0);
    let i = select(&issuers[..routes.len()], token, max, buf)?;
    let r = routes.get(i).ok_or(Error::UnknownIssuer)?;
    r.verifier.verify(token, now, r.policy, buf).map(|v| (i, v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::for_each_mutation;

    const TOKEN: &str = include_str!("../../examples/tokens/clerk.jwt");

    #[test]
    fn select_by_iss_with_its_bounds() {
        let t = TOKEN.trim().as_bytes();
        let mut scratch = [0u8; 4096];
        let issuers = ["https://other.example.com", "https://clerk.example.com"];
        assert_eq!(select(&issuers, t, 16384, &mut scratch), Ok(1));
        assert_eq!(
            select(&issuers[..1], t, 16384, &mut scratch),
            Err(Error::UnknownIssuer)
        );
        // A prefix or a trailing slash is another issuer.
        assert_eq!(
            select(&["https://clerk.example.com/"], t, 16384, &mut scratch),
            Err(Error::UnknownIssuer)
        );
        assert_eq!(
            select(&issuers, t, 10, &mut scratch),
            Err(Error::TokenTooLarge)
        );
        assert_eq!(
            select(&issuers, t, 16384, &mut scratch[..10]),
            Err(Error::BufferTooSmall)
        );
    }

    /// Hostile tokens: an error or a route, never a panic.
    #[test]
    fn select_never_panics() {
        let t = TOKEN.trim().as_bytes();
        let issuers = ["https://clerk.example.com"];
        for_each_mutation(7, &[t], b"eyJ.-_=+/ \"{}0A", 40, |m| {
            let mut scratch = [0u8; 4096];
            let _ = select(&issuers, m, 16384, &mut scratch);
            let _ = select(&issuers, m, 16384, &mut scratch[..100]);
        });
    }
}
