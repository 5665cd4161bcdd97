//! Loading the pinned keys named on the command line. Every failure names the
//! file (or secret) and the reason, and is a usage error (exit 2).

use std::path::Path;

use base64ct::{Base64UrlUnpadded, Encoding as _};
use verifier_core::{Error, Key, KeySet};

use crate::args::VerifyArgs;
use crate::fail::Usage;

/// Room for a provider's JWKS during a rotation plus a few extra keys.
pub const CAPACITY: usize = 32;

/// Keys files larger than this are not key documents.
const MAX_KEY_FILE: u64 = 1 << 20;

pub fn load(args: &VerifyArgs) -> Result<KeySet<CAPACITY>, Usage> {
    let mut set = KeySet::new();
    for path in &args.jwks {
        let text = read(path)?;
        set.add_jwks(&text)
            .map_err(|e| bad(&format!("JWKS {}", path.display()), e))?;
    }
    for path in &args.jwk {
        let text = read(path)?;
        let key = Key::from_jwk(&text).map_err(|e| bad(&format!("JWK {}", path.display()), e))?;
        push(&mut set, key, &path.display().to_string())?;
    }
    for path in &args.pem {
        let text = read(path)?;
        let key = Key::from_pem(&text).map_err(|e| bad(&format!("PEM {}", path.display()), e))?;
        push(&mut set, key, &path.display().to_string())?;
    }
    for (i, spec) in args.hs_secret.iter().enumerate() {
        let (what, text) = match spec.strip_prefix('@') {
            Some(file) => (
                format!("HMAC secret {file}"),
                String::from_utf8_lossy(&read(Path::new(file))?).into_owned(),
            ),
            None => (format!("HMAC secret #{}", i + 1), spec.clone()),
        };
        let secret = decode_secret(&text).ok_or_else(|| {
            Usage(format!(
                "cannot load {what}: not base64url (A-Z a-z 0-9 - _, padding optional)"
            ))
        })?;
        let key = Key::hmac(&secret, None).map_err(|e| match e {
            Error::HmacKeyTooShort => Usage(format!(
                "cannot load {what}: {} bytes is too short; HS256 needs at least 32",
                secret.len()
            )),
            e => bad(&what, e),
        })?;
        push(&mut set, key, &what)?;
    }
    if set.is_empty() {
        return Err(Usage(
            "no keys: give --jwks, --jwk, --pem or --hs-secret-b64url".into(),
        ));
    }
    Ok(set)
}

fn push(set: &mut KeySet<CAPACITY>, key: Key, what: &str) -> Result<(), Usage> {
    set.push(key).map_err(|e| bad(what, e))
}

fn read(path: &Path) -> Result<Vec<u8>, Usage> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_KEY_FILE + 1).read_to_end(&mut bytes))
        .map_err(|e| Usage(format!("cannot read {}: {e}", path.display())))?;
    if bytes.len() as u64 > MAX_KEY_FILE {
        return Err(Usage(format!(
            "cannot load {}: larger than {MAX_KEY_FILE} bytes",
            path.display()
        )));
    }
    Ok(bytes)
}

fn bad(what: &str, e: Error) -> Usage {
    let hint = match e {
        Error::TooManyKeys => format!(" (at most {CAPACITY} keys)"),
        _ => String::new(),
    };
    Usage(format!(
        "cannot load {what}: {}{hint} ({})",
        e.message(),
        e.name()
    ))
}

/// Base64url with optional padding: secrets are copied from consoles and
/// config files, where trailing `=` and a final newline are common.
fn decode_secret(text: &str) -> Option<Vec<u8>> {
    let t = text.trim().trim_end_matches('=');
    if t.is_empty() {
        return None;
    }
    Base64UrlUnpadded::decode_vec(t).ok()
}
