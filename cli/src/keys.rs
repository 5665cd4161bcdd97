//! Loading the pinned keys named on the command line. Every failure names the
//! file (or secret) and the reason, and is a usage error (exit 2).

use std::path::Path;

use base64ct::{Base64UrlUnpadded, Encoding as _};
use verifier_core::keys::{JwksOptions, LoadReport};
use verifier_core::{AlgSet, Algorithm, Error, Key, KeySet};

use crate::args::{Preset, VerifyArgs};
use crate::fail::Usage;

/// Room for a provider's JWKS during a rotation plus a few extra keys.
pub const CAPACITY: usize = 32;

/// Keys files larger than this are not key documents.
const MAX_KEY_FILE: u64 = 1 << 20;

/// The keys, and one line per JWKS that had keys skipped (for stderr).
pub fn load(
    args: &VerifyArgs,
    preset: Option<Preset>,
    algorithms: AlgSet,
) -> Result<(KeySet<CAPACITY>, Vec<String>), Usage> {
    let mut set = KeySet::new();
    let mut notes = Vec::new();
    let options = JwksOptions {
        issuer: None,
        allow_symmetric: args.jwks_allow_symmetric,
        rsa_pss: args.rsa_pss,
        pss_any_salt: args.pss_any_salt,
    };
    let bound = args
        .issuer_jwks
        .chunks(2)
        .map(|pair| (Some(pair[0].as_str()), Path::new(&pair[1])));
    let jwks = args.jwks.iter().map(|p| (None, p.as_path())).chain(bound);
    for (issuer, path) in jwks {
        let text = read(path)?;
        let what = format!("JWKS {}", path.display());
        let options = JwksOptions { issuer, ..options };
        let report = set
            .add_jwks_with(&text, &options)
            .map_err(|e| bad(&what, e))?;
        if report.skipped() > 0 {
            notes.push(report_line(&what, &report));
        }
    }
    for path in &args.jwk {
        let text = read(path)?;
        let key = Key::from_jwk(&text).map_err(|e| bad(&format!("JWK {}", path.display()), e))?;
        let key = if args.pss_any_salt {
            key.with_pss_any_salt()
        } else {
            key
        };
        push(&mut set, key, &path.display().to_string())?;
    }
    // Clerk's networkless PEM verification ignores kid: its PEM key answers
    // any, unless keys with ids are pinned beside it (a JWKS), where an
    // unknown kid must stay `unknown_kid` (`--any-kid` opts in).
    let any_kid =
        args.any_kid || (preset == Some(Preset::Clerk) && !set.iter().any(|k| k.kid().is_some()));
    for path in &args.pem {
        let text = read(path)?;
        let what = format!("PEM {}", path.display());
        let mut key = Key::from_pem(&text).map_err(|e| bad(&what, e))?;
        if args.rsa_pss {
            let all = key.capabilities();
            key = key.with_algorithms(all).map_err(|e| bad(&what, e))?;
        }
        if any_kid {
            key = key.matching_any_kid();
        }
        if args.pss_any_salt {
            key = key.with_pss_any_salt();
        }
        push(&mut set, key, &path.display().to_string())?;
    }
    let hs_alg = hmac_alg(algorithms)?;
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
        let key = Key::hmac(&secret, Some(hs_alg)).map_err(|e| match e {
            Error::HmacKeyTooShort => Usage(format!(
                "cannot load {what}: {} bytes is too short; {} needs at least {}",
                secret.len(),
                hs_alg.name(),
                hs_alg.hash().output_len()
            )),
            e => bad(&what, e),
        })?;
        let key = if any_kid { key.matching_any_kid() } else { key };
        push(&mut set, key, &what)?;
    }
    if set.is_empty() {
        return Err(Usage(
            "no keys: give --jwks, --jwk, --pem or --hs-secret-b64url".into(),
        ));
    }
    Ok((set, notes))
}

/// The one hash an HMAC secret serves: the HS algorithm --alg names, HS256
/// without one; several is a usage error (a secret serves one hash).
fn hmac_alg(algorithms: AlgSet) -> Result<Algorithm, Usage> {
    let hs = AlgSet::of(&[Algorithm::HS256, Algorithm::HS384, Algorithm::HS512]);
    let named = algorithms.intersect(hs);
    if algorithms == AlgSet::ALL || named.is_empty() {
        return Ok(Algorithm::HS256);
    }
    let mut it = named.iter();
    match (it.next(), it.next()) {
        (Some(a), None) => Ok(a),
        _ => Err(Usage(
            "an HMAC secret serves one hash: give one of HS256, HS384, HS512 with --alg".into(),
        )),
    }
}

/// `JWKS f: 3 keys loaded, 2 skipped (1 rsa_key_size, 1 kid_too_long)`.
fn report_line(what: &str, r: &LoadReport) -> String {
    let reasons: Vec<String> = r
        .reasons()
        .map(|(e, n)| format!("{n} {}", e.name()))
        .collect();
    format!(
        "{what}: {} keys loaded, {} skipped ({})",
        r.added,
        r.skipped(),
        reasons.join(", ")
    )
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
        Error::TooManyKeys => format!(
            " (at most {CAPACITY} keys, and {} entries in a JWKS)",
            verifier_core::keys::MAX_JWKS_ENTRIES
        ),
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
