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
export JWKS_BASE2="http://127.0.0.2:$port_second"
export JWKS_TLS_BASE="https://127.0.0.1:$port_tls"
export JWKS_CA_FILE="$dir/ca.pem" JWKS_CA_DIR="$dir/cadir" JWKS_OTHER_CA_FILE="$dir/other.pem"
export JWKS_MANY_FILE="$dir/many.json"
args=()
for a in "$@"; do args+=("${a//@BASE@/$base}"); done
"${args[@]}"
