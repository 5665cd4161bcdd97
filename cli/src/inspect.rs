//! `verifier inspect`: decode a token for a person to read, verifying nothing.
//! The output says so first, and shows NumericDates as dates.

use serde_json::{Map, Value as J, json};
use verifier_core::json::{self as cjson, Value};
use verifier_core::{Error, token};

use crate::fail::Rejection;
use crate::time;

pub const NOT_VERIFIED: &str =
    "NOT VERIFIED: decoded only; neither the signature nor any claim was checked.";

/// Claims that hold NumericDates (RFC 7519 4.1, OIDC Core 2 `auth_time`).
const TIME_CLAIMS: [&str; 4] = ["exp", "nbf", "iat", "auth_time"];

/// The rendered output: text or one JSON object.
pub fn run(token: &str, now: i64, as_json: bool) -> Result<String, Rejection> {
    let seg = token::split(token.as_bytes(), usize::MAX).map_err(|e| reject(e, token))?;
    let header = decode(seg.header, "header")?;
    let payload = decode(seg.payload, "payload")?;
    let sig_len = token::decoded_len(seg.signature).unwrap_or(0);

    let header_j = to_json(&header, "header")?;
    let payload_j = to_json(&payload, "payload")?;
    // Exact number text for the dates: the core parser keeps it as written.
    let claims = cjson::parse(&payload).ok();
    let times: Vec<(&str, String, Option<i64>)> = TIME_CLAIMS
        .into_iter()
        .filter_map(|name| {
            let v = claims.as_ref()?.get(name)?;
            Some((name, v.raw().to_owned(), seconds(&v)))
        })
        .collect();

    if as_json {
        let mut t = Map::new();
        for (name, _, secs) in &times {
            t.insert(
                (*name).into(),
                secs.map_or(J::Null, |s| time::rfc3339(s).into()),
            );
        }
        let out = json!({
            "verified": false,
            "header": header_j.into_json(),
            "claims": payload_j.into_json(),
            "times": t,
            "signature_bytes": sig_len,
        });
        return Ok(format!("{out}\n"));
    }

    let mut out = format!(
        "{NOT_VERIFIED}\n\nHeader:\n{}\n\nClaims:\n{}\n",
        header_j.pretty(),
        payload_j.pretty()
    );
    if !times.is_empty() {
        out.push_str("\nTimes (UTC):\n");
        for (name, raw, secs) in &times {
            let when = match secs {
                Some(s) => format!("{}  ({})", time::rfc3339(*s), time::relative(*s, now)),
                None => "not a time in seconds".into(),
            };
            out.push_str(&format!("  {name:<9} {raw:<12}  {when}\n"));
        }
    }
    out.push_str(&format!("\nSignature: {sig_len} bytes, not checked\n"));
    Ok(out)
}

/// Whole seconds of a NumericDate (floored), if it is a number in range.
fn seconds(v: &Value<'_>) -> Option<i64> {
    v.as_number()?.to_seconds_floor()
}

fn decode(seg: &[u8], part: &str) -> Result<Vec<u8>, Rejection> {
    let mut out = vec![0u8; token::decoded_len(seg).map_err(|e| bad_b64(e, part))?];
    let n = token::decode(seg, &mut out)
        .map_err(|e| bad_b64(e, part))?
        .len();
    out.truncate(n);
    Ok(out)
}

/// A decoded part: parsed, or valid JSON kept as written because serde_json
/// cannot represent it (e.g. a number beyond f64).
enum Shown {
    Json(J),
    Text(String),
}

fn to_json(bytes: &[u8], part: &str) -> Result<Shown, Rejection> {
    if let Ok(v) = serde_json::from_slice::<J>(bytes) {
        return Ok(Shown::Json(v));
    }
    match (std::str::from_utf8(bytes), cjson::parse(bytes)) {
        (Ok(text), Ok(_)) => Ok(Shown::Text(text.to_owned())),
        (_, e) => Err(Rejection {
            error: e.err().unwrap_or(Error::JsonInvalidUtf8),
            detail: format!("the {part} is not valid JSON"),
        }),
    }
}

impl Shown {
    fn pretty(&self) -> String {
        match self {
            Shown::Json(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
            Shown::Text(s) => s.clone(),
        }
    }

    /// For `--json`: the value, or `{"unparsed": text}`.
    fn into_json(self) -> J {
        match self {
            Shown::Json(v) => v,
            Shown::Text(s) => json!({ "unparsed": s }),
        }
    }
}

fn bad_b64(e: Error, part: &str) -> Rejection {
    Rejection {
        error: e,
        detail: format!("the {part} segment is not canonical unpadded base64url"),
    }
}

fn reject(e: Error, token: &str) -> Rejection {
    let segments = token.split('.').count();
    Rejection {
        error: e,
        detail: if segments == 3 {
            "the header segment is empty".into()
        } else {
            format!("token has {segments} '.'-separated segments, a compact JWS has 3")
        },
    }
}
