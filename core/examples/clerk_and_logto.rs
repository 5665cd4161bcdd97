//! Verify the shipped Clerk and Logto example tokens the way an auth handler
//! would. Run: `cargo run -p libverifier-core --example clerk_and_logto`

use verifier_core::{Error, Key, Policy, Verifier, scratch_len};

/// The example tokens were issued for this instant (they have long expired).
const NOW: i64 = 1_764_000_000;

fn read(path: &str) -> Vec<u8> {
    let path = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main() -> Result<(), Error> {
    // Clerk: pin the instance's "JWT public key" (PEM) or its JWKS once at start-up.
    // Clerk's networkless PEM verification ignores `kid`: so does this key.
    let pem = Key::from_pem(&read("examples/keys/clerk.pem"))?.matching_any_kid();
    let clerk = Verifier::<1>::from_key(pem)?;
    let policy = Policy::clerk(&["https://clerk.example.com"], &["https://app.example.com"])?;
    let token = String::from_utf8(read("examples/tokens/clerk.jwt")).unwrap();
    let mut buf = vec![0u8; scratch_len(token.trim().len())];
    let ok = clerk.verify(token.trim().as_bytes(), NOW, &policy, &mut buf)?;
    println!(
        "clerk: user {} session {}",
        ok.claims.sub().unwrap_or("?"),
        ok.claims.sid().unwrap_or("?")
    );

    // The same token an hour later: rejected, with a reason a caller can match on.
    let late = clerk.verify(token.trim().as_bytes(), NOW + 3600, &policy, &mut buf);
    assert_eq!(late.err(), Some(Error::Expired));

    // Logto: the tenant's JWKS (ES384 by default), API resource as audience.
    let logto = Verifier::<4>::from_jwks(&read("examples/keys/logto-jwks.json"))?;
    let policy = Policy::logto(
        &["https://tenant.logto.app/oidc"],
        &["https://api.example.com"],
        &[],
    )?;
    let token = String::from_utf8(read("examples/tokens/logto.jwt")).unwrap();
    let mut buf = vec![0u8; scratch_len(token.trim().len())];
    let ok = logto.verify(token.trim().as_bytes(), NOW, &policy, &mut buf)?;
    println!(
        "logto: subject {} client {} can write: {}",
        ok.claims.sub().unwrap_or("?"),
        ok.claims.client_id().unwrap_or("?"),
        ok.claims.has_scope("write")
    );
    Ok(())
}
