#!/usr/bin/env bash
# Run a command with jwks_server.py instances listening on loopback:
#   with_jwks_server.sh JWKS_FILE COMMAND ARGS...
# Every argument "@BASE@" becomes http://127.0.0.1:PORT (the main server).
# The command also finds, in its environment:
#   JWKS_BASE       the main server again
#   JWKS_BASE2      a second server on 127.0.0.2 ("another host") serving JWKS_FILE
#   JWKS_TLS_BASE   https://127.0.0.1:PORT, a server whose certificate (for
#                   IP 127.0.0.1 only) comes from a private CA made here
#   JWKS_CA_FILE    that CA's certificate; JWKS_CA_DIR a directory holding it, hashed
#   JWKS_OTHER_CA_FILE  an unrelated CA (a wrong trust anchor)
#   JWKS_MANY_FILE  a JWKS document with 100 keys (more than a verifier holds)
#   JWKS_ISSUER_JWKS_FILE  a JWKS document with one RSA key made here (kid "loopback-issuer")
#   JWKS_ISSUER_TOKEN      an RS256 token signed by that key with "iss" the main server's
#                          base URL (the issuer its discovery document announces), iat
#                          test_jwks.c's NOW (1764000000), exp ten years later
#   JWKS_ISSUER_TOKEN_OTHER  the same header and claims signed by another RSA key made here
# The servers are stopped however the command ends; its status is returned.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jwks="$1"
shift
dir="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$dir"
}
trap cleanup EXIT

command -v openssl >/dev/null ||
    { echo "with_jwks_server.sh: needs the openssl command (apt-get install openssl)" >&2; exit 1; }
# A private CA and a server certificate for 127.0.0.1 (P-256: quick, even under valgrind).
ssl() { openssl "$@" >/dev/null 2>&1; }
ssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -subj /CN=libverifier-test-ca \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
ssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$dir/other.key" -out "$dir/other.pem" -subj /CN=libverifier-other-ca \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
ssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/srv.key" \
    -out "$dir/srv.csr" -subj /CN=127.0.0.1
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    > "$dir/srv.ext"
ssl x509 -req -in "$dir/srv.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -out "$dir/srv.pem" -extfile "$dir/srv.ext"
[ -s "$dir/srv.pem" ] || { echo "openssl could not make the test certificates" >&2; exit 1; }
mkdir "$dir/cadir"
cp "$dir/ca.pem" "$dir/cadir/"
openssl rehash "$dir/cadir" 2>/dev/null || c_rehash "$dir/cadir" >/dev/null

python3 - "$jwks" "$dir/many.json" <<'PY'
import json, sys
key = json.load(open(sys.argv[1]))["keys"][0]
keys = [dict(key, kid="k%d" % i) for i in range(100)]
json.dump({"keys": keys}, open(sys.argv[2], "w"))
PY

start() { # NAME ARGS...: sets port_NAME
    local name="$1"
    shift
    python3 "$here/jwks_server.py" "$dir/$name.port" "$jwks" "$@" &
    pids+=($!)
    local pid=$!
    for _ in $(seq 200); do
        [ -s "$dir/$name.port" ] && break
        kill -0 $pid 2>/dev/null || { echo "jwks_server.py ($name) did not start" >&2; exit 1; }
        sleep 0.05
    done
    [ -s "$dir/$name.port" ] || { echo "jwks_server.py ($name) did not start" >&2; exit 1; }
    eval "port_$name=$(cat "$dir/$name.port")"
}
start main
start second --bind 127.0.0.2
start tls --tls "$dir/srv.pem" "$dir/srv.key"

base="http://127.0.0.1:$port_main"
export JWKS_BASE="$base"

# A token from the loopback issuer, for discovery end to end. Its "iss" holds
# the port, known only now, so it is minted here rather than committed; the
# signer is the openssl CLI (no Python crypto package needed), independent of
# libverifier. The key's JWK: n and e from `openssl rsa -modulus/-text`.
ssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/issuer.key"
ssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/issuer-other.key"
[ -s "$dir/issuer.key" ] && [ -s "$dir/issuer-other.key" ] ||
    { echo "openssl could not make the issuer's keys" >&2; exit 1; }
python3 - "$dir" "$base" <<'PY'
import base64, json, re, subprocess, sys
d, iss = sys.argv[1], sys.argv[2]
NOW = 1764000000  # test_jwks.c's NOW: the clock every verification there uses


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


key = d + "/issuer.key"
n = int(re.search(rb"Modulus=([0-9A-Fa-f]+)", openssl("rsa", "-in", key, "-noout", "-modulus"))
        .group(1), 16)
e = int(re.search(rb"publicExponent: (\d+)", openssl("rsa", "-in", key, "-noout", "-text"))
        .group(1))
jwk = {"kty": "RSA", "kid": "loopback-issuer", "use": "sig", "alg": "RS256",
       "n": b64u(n.to_bytes((n.bit_length() + 7) // 8, "big")),
       "e": b64u(e.to_bytes((e.bit_length() + 7) // 8, "big"))}
json.dump({"keys": [jwk]}, open(d + "/issuer-jwks.json", "w"))
header = {"alg": "RS256", "kid": "loopback-issuer", "typ": "JWT"}
claims = {"iss": iss, "sub": "user_loopback", "sid": "sess_loopback",
          "azp": "https://app.example.com", "iat": NOW, "nbf": NOW - 10,
          "exp": NOW + 10 * 365 * 86400}
signing_input = (b64u(json.dumps(header, separators=(",", ":")).encode()) + "." +
                 b64u(json.dumps(claims, separators=(",", ":")).encode())).encode()
for k, out in (("issuer.key", "issuer.jwt"), ("issuer-other.key", "issuer-other.jwt")):
    sig = openssl("dgst", "-sha256", "-sign", d + "/" + k, data=signing_input)
    open(d + "/" + out, "w").write(signing_input.decode() + "." + b64u(sig))
PY
export JWKS_ISSUER_JWKS_FILE="$dir/issuer-jwks.json"
JWKS_ISSUER_TOKEN="$(cat "$dir/issuer.jwt")"
JWKS_ISSUER_TOKEN_OTHER="$(cat "$dir/issuer-other.jwt")"
export JWKS_ISSUER_TOKEN JWKS_ISSUER_TOKEN_OTHER
export JWKS_BASE2="http://127.0.0.2:$port_second"
export JWKS_TLS_BASE="https://127.0.0.1:$port_tls"
export JWKS_CA_FILE="$dir/ca.pem" JWKS_CA_DIR="$dir/cadir" JWKS_OTHER_CA_FILE="$dir/other.pem"
export JWKS_MANY_FILE="$dir/many.json"
args=()
for a in "$@"; do args+=("${a//@BASE@/$base}"); done
"${args[@]}"
