//! Where the token comes from (argument, file or stdin) and how an
//! `Authorization` header value around it is peeled off.

use std::io::Read as _;

use crate::args::TokenSource;
use crate::fail::Usage;

/// Far above any real token, and far below what would hurt to hold in memory.
const MAX_INPUT: u64 = 1 << 20;

/// The token text, trimmed, without `Authorization:` or `Bearer `.
pub fn read_token(source: &TokenSource) -> Result<String, Usage> {
    let text = match (&source.token, &source.token_file) {
        (_, Some(path)) => read_limited(std::fs::File::open(path), &path.display().to_string())?,
        (Some(t), None) if t != "-" => t.clone(),
        _ => read_limited(Ok(std::io::stdin()), "standard input")?,
    };
    let token = strip_authorization(&text);
    if token.is_empty() {
        return Err(Usage(
            "no token given: pass it as an argument, with --token-file or on standard input".into(),
        ));
    }
    Ok(token.to_owned())
}

fn read_limited<R: std::io::Read>(reader: std::io::Result<R>, what: &str) -> Result<String, Usage> {
    let mut bytes = Vec::new();
    reader
        .and_then(|r| r.take(MAX_INPUT + 1).read_to_end(&mut bytes))
        .map_err(|e| Usage(format!("cannot read the token from {what}: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(Usage(format!(
            "the token in {what} is larger than {MAX_INPUT} bytes"
        )));
    }
    // Invalid UTF-8 is kept (lossily) so the verifier names the token as malformed.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Accept `TOKEN`, `Bearer TOKEN` and `Authorization: Bearer TOKEN` (scheme
/// and header name case-insensitive, RFC 9110 11.1), with surrounding whitespace.
pub fn strip_authorization(text: &str) -> &str {
    let mut s = text.trim();
    if let Some(rest) = strip_prefix_ci(s, "authorization:") {
        s = rest.trim_start();
    }
    if let Some(rest) = strip_prefix_ci(s, "bearer") {
        // "Bearer" alone is a header without credentials: no token.
        if rest.is_empty() || rest.starts_with([' ', '\t']) {
            s = rest.trim_start();
        }
    }
    s
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::strip_authorization as strip;

    #[test]
    fn authorization_forms() {
        assert_eq!(strip("a.b.c"), "a.b.c");
        assert_eq!(strip("  a.b.c\n"), "a.b.c");
        assert_eq!(strip("Bearer a.b.c"), "a.b.c");
        assert_eq!(strip("bearer\ta.b.c"), "a.b.c");
        assert_eq!(strip("Authorization: Bearer a.b.c\r\n"), "a.b.c");
        assert_eq!(strip("BearerX.b.c"), "BearerX.b.c");
        assert_eq!(strip("Bearer"), "");
        assert_eq!(strip("Authorization: bearer \n"), "");
        assert_eq!(strip(""), "");
        assert_eq!(strip("Bé"), "Bé");
    }
}
