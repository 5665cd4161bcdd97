//! Flattens core's independent-implementation fixtures
//! (`core/tests/data/tokens.json`) into a line format the C tests read
//! without a JSON parser: `make ffi-test-c` runs this first.
//!
//! One case per line, tab-separated: name, expected status name, key source,
//! now, preset, issuers, audiences, authorized parties, client ids, typ,
//! scopes (lists comma-joined, `-` when empty), leeway, max_age,
//! require_exp, require_sub (`-` when unset), algorithms, token, then any
//! number of `claim=value` expectations. Key sources: `jwks` (the fixture
//! JWKS file), `pem:<file>`, `secret:<ALG>:<hex>`, `jwk:<compact JSON>`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value as J;

/// The C ABI's token limit: longer fixture tokens are refused before parsing.
const VF_MAX_TOKEN_LEN: usize = 8192;

fn list(p: &J, name: &str) -> String {
    let items: Vec<&str> = p[name]
        .as_array()
        .map(|a| a.iter().filter_map(J::as_str).collect())
        .unwrap_or_default();
    for i in &items {
        assert!(!i.contains([',', '\t', '\n']), "{i:?} cannot be flattened");
    }
    if items.is_empty() {
        "-".into()
    } else {
        items.join(",")
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".into(), |v| v.to_string())
}

fn b64url_decode(s: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.trim().bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("bad base64url {c}"),
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

fn main() {
    let out_path = std::env::args().nth(1).expect("usage: gen_c_cases OUT");
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/tests/data");
    let read = |p: &str| std::fs::read_to_string(data.join(p)).expect(p);
    let doc: J = serde_json::from_str(&read("tokens.json")).unwrap();
    let jwks: J = serde_json::from_str(&read("keys/jwks.json")).unwrap();
    let mut out = String::new();
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let token = case["token"].as_str().unwrap();
        let p = &case["policy"];
        let keys = match case["keys"].as_str().unwrap() {
            s if s.starts_with("secret:") => {
                let kid = &s["secret:".len()..];
                let secret = b64url_decode(&read(&format!("keys/{kid}.secret.b64url")));
                let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
                format!("secret:{}:{hex}", kid.to_uppercase())
            }
            s if s.starts_with("jwk:") => {
                let kid = &s["jwk:".len()..];
                let jwk = jwks["keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|k| k["kid"] == kid)
                    .unwrap();
                format!("jwk:{jwk}")
            }
            s => s.to_owned(),
        };
        let mut expect = case["expect"].as_str().unwrap();
        if token.len() > VF_MAX_TOKEN_LEN {
            expect = "token_too_large";
        }
        let preset = p["preset"].as_str().unwrap_or("-");
        // Presets use only their own lists, as core's fixture test does.
        let keep = |field: &str| match preset {
            "clerk" => ["issuers", "authorized_parties"].contains(&field),
            "logto" => ["issuers", "audiences", "client_ids"].contains(&field),
            _ => true,
        };
        let lists: Vec<String> = [
            "issuers",
            "audiences",
            "authorized_parties",
            "client_ids",
            "typ",
            "scopes",
        ]
        .iter()
        .map(|f| if keep(f) { list(p, f) } else { "-".into() })
        .collect();
        let escaped = token
            .replace('\\', "\\\\")
            .replace('\t', "\\t")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        write!(
            out,
            "{name}\t{expect}\t{keys}\t{}\t{preset}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{escaped}",
            case["now"].as_i64().unwrap(),
            lists[0],
            lists[1],
            lists[2],
            lists[3],
            lists[4],
            lists[5],
            opt(p["leeway"].as_u64()),
            opt(p["max_age"].as_u64()),
            opt(p["require_exp"].as_bool().map(u8::from)),
            opt(p["require_sub"].as_bool().map(u8::from)),
            list(p, "algorithms"),
        )
        .unwrap();
        if expect == "ok" {
            for (k, v) in case["claims"].as_object().unwrap() {
                let v = match v {
                    J::String(s) => s.clone(),
                    other => other.to_string(),
                };
                write!(out, "\t{k}={v}").unwrap();
            }
        }
        out.push('\n');
    }
    providers(&read, &mut out);
    std::fs::write(&out_path, out).expect("write cases");
}

/// The provider preset fixtures (core/tests/data/providers/cases.json), in
/// the same line format: preset = the provider, followed by `:` and the
/// comma-joined roles when the case configures any (`vf_config_add_role`),
/// key source `pjwks` (the providers' JWKS) or `secret:HS256:<hex>`
/// (Supabase's legacy secret).
fn providers(read: &dyn Fn(&str) -> String, out: &mut String) {
    let doc: J = serde_json::from_str(&read("providers/cases.json")).unwrap();
    let now = doc["now"].as_i64().unwrap();
    let secret = b64url_decode(&read("providers/hs256.secret.b64url"));
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    for case in doc["cases"].as_array().unwrap() {
        let provider = case["provider"].as_str().unwrap();
        let name = format!("{provider}: {}", case["name"].as_str().unwrap());
        let keys = match case["keys"].as_str().unwrap() {
            "jwks" => "pjwks".to_owned(),
            "hs256" => format!("secret:HS256:{hex}"),
            other => panic!("keys {other}"),
        };
        let c = &case["config"];
        // The C Okta preset supplies `api://default` itself when no
        // audience is added, as the other bindings do.
        let aud = list(c, "aud");
        let preset = match list(c, "role").as_str() {
            "-" => provider.to_owned(),
            roles => format!("{provider}:{roles}"),
        };
        writeln!(
            out,
            "{name}\t{}\t{keys}\t{now}\t{preset}\t{}\t{aud}\t{}\t{}\t-\t-\t-\t-\t-\t-\t-\t{}",
            case["expect"].as_str().unwrap(),
            list(c, "iss"),
            list(c, "azp"),
            list(c, "client_id"),
            case["token"].as_str().unwrap(),
        )
        .unwrap();
    }
}
