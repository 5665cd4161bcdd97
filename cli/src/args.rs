//! The command line, as clap derives it. Only syntax lives here; meaning
//! (keys, policy, token) is given to the values by the other modules.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "verifier",
    version,
    about = "Verify JSON Web Tokens against pinned keys, or decode them for a look",
    long_about = "Verify JSON Web Tokens (compact JWS) against pinned keys and a claims policy, \
                  or decode one for a look.\n\n\
                  Exit status: 0 the token is valid (verify) or was decoded (inspect); \
                  1 the token was rejected; 2 bad usage or unreadable keys or input."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Verify a token's signature and claims; print its claims as JSON.
    #[command(after_long_help = VERIFY_EXAMPLES)]
    Verify(Box<VerifyArgs>),
    /// Decode a token WITHOUT verifying it: header, claims, times as dates.
    Inspect(InspectArgs),
}

const VERIFY_EXAMPLES: &str = "\
Examples:
  verifier verify --preset clerk --jwks clerk-jwks.json \\
      --iss https://clerk.example.com --azp https://app.example.com \"$TOKEN\"
  echo \"Bearer $TOKEN\" | verifier verify --preset logto --jwks logto-jwks.json \\
      --iss https://tenant.logto.app/oidc --aud https://api.example.com
  verifier verify --hs-secret-b64url @secret.b64url --iss https://issuer.example.com \\
      --alg HS256 --json --token-file token.jwt

On success the verified claims are printed as JSON on stdout (exit 0). On rejection
a one-line reason goes to stderr (exit 1); with --json, also {\"error\": ...} on stdout.";

#[derive(Args, Clone, Debug)]
pub struct TokenSource {
    /// The token, or an Authorization header value ("Bearer <token>").
    /// Read from standard input when absent or "-".
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,

    /// Read the token from FILE instead.
    #[arg(long, value_name = "FILE", conflicts_with = "token")]
    pub token_file: Option<PathBuf>,
}

#[derive(Args, Clone, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub source: TokenSource,

    /// Pin every usable key of a JWKS document.
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Keys (repeatable, combinable)"
    )]
    pub jwks: Vec<PathBuf>,

    /// Pin one JWK.
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Keys (repeatable, combinable)"
    )]
    pub jwk: Vec<PathBuf>,

    /// Pin a PEM public key (SPKI, PKCS#1 RSA) or the key of a PEM certificate.
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Keys (repeatable, combinable)"
    )]
    pub pem: Vec<PathBuf>,

    /// Pin an HMAC secret, base64url-encoded; "@FILE" reads it from FILE
    /// (keeps the secret out of the process list).
    #[arg(
        long = "hs-secret-b64url",
        value_name = "S",
        help_heading = "Keys (repeatable, combinable)"
    )]
    pub hs_secret: Vec<String>,

    /// Pin every usable key of a JWKS document, each bound to issuer URL: a
    /// token it verifies must carry exactly that `iss` (several tenants or
    /// providers in one run).
    #[arg(
        long = "issuer-jwks",
        num_args = 2,
        value_names = ["URL", "FILE"],
        help_heading = "Keys (repeatable, combinable)"
    )]
    pub issuer_jwks: Vec<String>,

    /// Route by issuer: a token whose `iss` is ISS is verified with the keys
    /// of the JWKS FILE only (repeat for each issuer; replaces the other key
    /// flags). `iss` is read before the signature, which those keys must
    /// then verify; an `iss` no route names is `unknown_issuer`. The policy
    /// flags apply to every route (with --iss, each ISS must be one of them).
    #[arg(
        long,
        value_name = "ISS=FILE",
        help_heading = "Keys (repeatable, combinable)"
    )]
    pub route: Vec<String>,

    /// Load `oct` (HMAC) keys found in --jwks documents (skipped by default:
    /// whoever can read a JWKS could forge tokens with them).
    #[arg(
        long = "jwks-allow-symmetric",
        help_heading = "Keys (repeatable, combinable)"
    )]
    pub jwks_allow_symmetric: bool,

    /// Let RSA keys without a JWK `alg` (and --pem RSA keys) verify PSS
    /// (PS256/384/512) as well as PKCS#1 v1.5 (RS*), their only family by default.
    #[arg(long = "rsa-pss", help_heading = "Keys (repeatable, combinable)")]
    pub rsa_pss: bool,

    /// Let RSA keys accept PSS signatures with any salt length, not only the
    /// hash length RFC 7518 requires: for signers using the maximum salt
    /// (Go's PSSSaltLengthAuto, older golang-jwt). Their tokens are
    /// `pss_salt_length` otherwise. Keys must verify PSS (--rsa-pss or a JWK alg).
    #[arg(long = "pss-any-salt", help_heading = "Keys (repeatable, combinable)")]
    pub pss_any_salt: bool,

    /// Let --pem and --hs-secret-b64url keys answer tokens whose `kid` no
    /// pinned key claims (on by default with --preset clerk, whose PEM
    /// verification ignores `kid`). Otherwise a key without kid serves only
    /// tokens without one.
    #[arg(long = "any-kid", help_heading = "Keys (repeatable, combinable)")]
    pub any_kid: bool,

    /// Start from a provider's defaults; the flags below override or add to them.
    #[arg(long, value_enum, help_heading = "Policy")]
    pub preset: Option<Preset>,

    /// Accepted issuer (exact match).
    #[arg(long, value_name = "URL", help_heading = "Policy")]
    pub iss: Vec<String>,

    /// Accepted audience: some `aud` value must be one of these.
    #[arg(long, value_name = "AUD", help_heading = "Policy")]
    pub aud: Vec<String>,

    /// Every --aud must be in the token's `aud`, not just one.
    #[arg(long = "require-all-aud", help_heading = "Policy")]
    pub require_all_aud: bool,

    /// Authorized party: a token's `azp`, when present, must be one of these.
    #[arg(long, value_name = "ORIGIN", help_heading = "Policy")]
    pub azp: Vec<String>,

    /// Refuse tokens without `azp` (Clerk's preset accepts them, as its SDKs do).
    #[arg(long = "require-azp", help_heading = "Policy")]
    pub require_azp: bool,

    /// Expected subject: `sub` must be present and one of these.
    #[arg(long, value_name = "SUB", help_heading = "Policy")]
    pub sub: Vec<String>,

    /// Accepted `client_id`; the token must have one when given.
    #[arg(long = "client-id", value_name = "ID", help_heading = "Policy")]
    pub client_id: Vec<String>,

    /// Accepted header `typ` (replaces the preset's).
    #[arg(long, value_name = "TYP", help_heading = "Policy")]
    pub typ: Vec<String>,

    /// Scope the token must grant, in its `scope` string or a `scope`/`scp`
    /// array (all given are required).
    #[arg(
        long,
        visible_alias = "require-scope",
        value_name = "SCOPE",
        help_heading = "Policy"
    )]
    pub scope: Vec<String>,

    /// Accepted `role` claim (repeatable): replaces --preset supabase's
    /// `authenticated`; give every role your API accepts (e.g. authenticated
    /// and the custom roles a Supabase custom access token hook sets). With
    /// any given, a token without `role` or with another one is refused.
    #[arg(long, value_name = "ROLE", help_heading = "Policy")]
    pub role: Vec<String>,

    /// Clock skew tolerated on exp, nbf and iat.
    #[arg(long, value_name = "SECONDS", help_heading = "Policy")]
    pub leeway: Option<u32>,

    /// Refuse tokens whose `iat` is older than this (requires `iat`).
    #[arg(long = "max-age", value_name = "SECONDS", help_heading = "Policy")]
    pub max_age: Option<u32>,

    /// Allowed algorithm (repeatable or comma-separated; replaces the preset's).
    #[arg(
        long,
        value_name = "ALG",
        value_delimiter = ',',
        help_heading = "Policy"
    )]
    pub alg: Vec<String>,

    /// Accept tokens without `exp` (refused by default).
    #[arg(long = "no-require-exp", help_heading = "Policy")]
    pub no_require_exp: bool,

    /// Accept tokens without `sub` (refused by default).
    #[arg(long = "no-require-sub", help_heading = "Policy")]
    pub no_require_sub: bool,

    /// Check times as of this moment instead of the clock.
    #[arg(
        long,
        value_name = "UNIX_SECONDS",
        allow_negative_numbers = true,
        help_heading = "Policy"
    )]
    pub now: Option<i64>,

    /// On rejection, also print {"error": NAME, "code": N, "message": ..., "detail": ...}
    /// on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    #[command(flatten)]
    pub source: TokenSource,

    /// Print one JSON object {"verified": false, "header", "claims", "times"} instead of text.
    #[arg(long)]
    pub json: bool,

    /// Show times relative to this moment instead of the clock.
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    pub now: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// Clerk session tokens: RS256, typ JWT or absent, leeway 5 s; needs --azp.
    Clerk,
    /// Logto access tokens (RFC 9068): ES384, typ at+jwt required, leeway 0 s; needs --iss and --aud.
    Logto,
    /// OpenID Connect ID tokens: asymmetric algorithms, at+jwt refused, azp
    /// checked, leeway 60 s; needs --iss and --aud (your client id).
    #[value(name = "id-token", alias = "oidc")]
    IdToken,
    /// OAuth access tokens (RFC 9068): asymmetric algorithms, typ at+jwt,
    /// client_id, iat and jti required, leeway 60 s; needs --iss and --aud.
    #[value(name = "access-token")]
    AccessToken,
    /// Auth0 access tokens: RS256/PS256, iss https://TENANT/ (trailing
    /// slash), aud your API identifier, leeway 5 s; needs --iss and --aud.
    Auth0,
    /// Firebase Auth ID tokens: RS256, iss https://securetoken.google.com/PROJECT,
    /// aud PROJECT, sub non-empty and at most 128 characters, auth_time in
    /// the past; needs --aud (the
    /// project id; --iss defaults to the issuer it implies).
    Firebase,
    /// Supabase Auth user sessions: iss https://REF.supabase.co/auth/v1, aud
    /// authenticated, role authenticated or those of --role (anon and
    /// service_role keys refused), ES256/RS256/HS256; needs --iss.
    Supabase,
    /// AWS Cognito ID tokens: RS256, token_use id, aud the app client id;
    /// needs --iss and --aud.
    #[value(name = "cognito-id")]
    CognitoId,
    /// AWS Cognito access tokens: RS256, token_use access, client_id the app
    /// client id (no aud); needs --iss and --client-id.
    #[value(name = "cognito-access")]
    CognitoAccess,
    /// Microsoft Entra ID access tokens: RS256, aud your app id (or
    /// api://...), tid the issuer's tenant ({tenantid} in --iss for
    /// multi-tenant apps), leeway 300 s; needs --iss and --aud.
    Entra,
    /// Google ID tokens: RS256, iss https://accounts.google.com or
    /// accounts.google.com, aud your client id, leeway 60 s; needs --aud.
    Google,
    /// Okta access tokens: RS256, aud (default api://default), cid required
    /// and checked against --client-id, leeway 120 s; needs --iss.
    Okta,
    /// Keycloak access tokens: asymmetric algorithms, typ claim Bearer, azp
    /// your client id; needs --iss and --azp.
    Keycloak,
    /// Keycloak ID tokens: the id-token checks plus typ claim ID; needs
    /// --iss and --aud (your client id).
    #[value(name = "keycloak-id")]
    KeycloakId,
}
