#!/usr/bin/env bash
# Drive examples/c/server with curl against JWKS servers on loopback.
#
#   server_test.sh SERVER_BIN LOAD_BIN THREADS REQUESTS [WRAPPER...]
#
# WRAPPER (e.g. valgrind ...) runs the server; its exit status must be 0,
# so valgrind's --error-exitcode and the sanitizers' reports fail the test.
# Checks: 200 with claims for the Clerk and Logto examples, 401 with the
# reason for bad tokens, a rotation picked up through an unknown kid, and a
# concurrent load phase across further rotations with no unexpected answer.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
server="$1" load="$2" threads="$3" requests="$4"
shift 4
wrapper=("$@")
cd "$root"
tmp="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "server_test: FAIL: $*" >&2; exit 1; }

wait_file() {
    for _ in $(seq 600); do [ -s "$1" ] && return 0; sleep 0.05; done
    fail "timed out waiting for $1"
}

jwks_server() { # NAME JWKS_FILE MAX_AGE: sets NAME_jwks to its base URL
    python3 ffi/jwks-curl/jwks_server.py "$tmp/$1-jwks.port" "$2" "$3" >/dev/null &
    pids+=($!)
    wait_file "$tmp/$1-jwks.port"
    eval "${1}_jwks=http://127.0.0.1:$(cat "$tmp/$1-jwks.port")"
}

start_server() { # NAME ARGS...
    local name="$1"
    shift
    "${wrapper[@]}" "$server" --port 0 --port-file "$tmp/$name.port" --threads 4 "$@" \
        >/dev/null 2>"$tmp/$name.log" &
    local pid=$!
    pids+=($pid)
    eval "${name}_pid=$pid"
    wait_file "$tmp/$name.port"
    eval "${name}_url=http://127.0.0.1:$(cat "$tmp/$name.port")/"
}

stop_server() { # NAME
    local name="$1" pid
    pid="$(eval echo "\$${name}_pid")"
    kill -TERM "$pid"
    local rc=0
    wait "$pid" || rc=$?
    [ $rc = 0 ] || { cat "$tmp/$name.log" >&2; fail "$name exited with $rc"; }
    cat "$tmp/$name.log" >&2
}

# GET with an Authorization header; prints "CODE BODY".
get() { # URL [HEADER]
    if [ $# -gt 1 ]; then
        curl -s -m 20 -w ' %{http_code}' -H "Authorization: $2" "$1"
    else
        curl -s -m 20 -w ' %{http_code}' "$1"
    fi
}

expect() { # WHAT WANT_CODE WANT_SUBSTRING RESPONSE
    local body="${4% *}" code="${4##* }"
    [ "$code" = "$2" ] || fail "$1: HTTP $code, want $2: $body"
    [[ "$body" == *"$3"* ]] || fail "$1: body lacks $3: $body"
    echo "ok: $1 -> $code"
}

clerk_a="$(cat examples/tokens/clerk.jwt)"
clerk_b="$(cat examples/tokens/clerk-rotated.jwt)"
logto="$(cat examples/tokens/logto.jwt)"
printf '%s' "$clerk_a" > "$tmp/good.jwt"
printf '%s' "$clerk_b" > "$tmp/late.jwt"
# The good token with its signature's last character changed.
last="${clerk_a: -1}"
[ "$last" = A ] && swap=B || swap=A
printf '%s' "${clerk_a%?}$swap" > "$tmp/bad.jwt"
bad="$(cat "$tmp/bad.jwt")"
# Both keys in the other order: another document (new ETag) with the same keys.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["keys"].reverse(); print(json.dumps(d))' \
    examples/keys/clerk-both-jwks.json > "$tmp/both-reversed.json"

jwks_server clerk examples/keys/clerk-jwks.json 60
jwks_server logto examples/keys/logto-jwks.json 60
now=1764000000
clerk_args=(--jwks "$clerk_jwks/jwks.json" --preset clerk --iss https://clerk.example.com
    --azp https://app.example.com --min-refresh 1 --now "$now")

start_server clerk "${clerk_args[@]}"
start_server logto --jwks "$logto_jwks/jwks.json" --preset logto --iss https://tenant.logto.app/oidc \
    --aud https://api.example.com --now "$now"
start_server late "${clerk_args[@]/$now/1764000100}"

expect "clerk token" 200 '"sub":"user_2abcDEF"' "$(get "$clerk_url" "Bearer $clerk_a")"
expect "clerk claims" 200 '"sid":"sess_2abcDEF","azp":"https://app.example.com"' "$(get "$clerk_url" "Bearer $clerk_a")"
expect "logto token" 200 '"client_id":"m2mapp","scope":"read write","aud":["https://api.example.com"]' \
    "$(get "$logto_url" "bearer $logto")"
expect "no header" 401 '{"error":"missing_bearer","detail":"Authorization header is not' "$(get "$clerk_url")"
expect "basic auth" 401 '"missing_bearer"' "$(get "$clerk_url" "Basic dXNlcjpwdw==")"
expect "bad signature" 401 \
    '{"error":"bad_signature","detail":"RS256 signature does not verify with the key with kid \"ins_2example\""}' \
    "$(get "$clerk_url" "Bearer $bad")"
expect "logto token at clerk" 401 \
    '{"error":"alg_not_allowed_by_policy","detail":"header alg ES384 is not in the allow-list (RS256)"}' \
    "$(get "$clerk_url" "Bearer $logto")"
expect "expired" 401 '{"error":"expired","detail":"exp 1764000060 is 40 s before now, leeway 5 s"}' \
    "$(get "$late_url" "Bearer $clerk_a")"
expect "garbage" 401 '"error":"malformed_token"' "$(get "$clerk_url" "Bearer abc")"
stop_server late
stop_server logto

# Rotation: the JWKS now holds only the new key; its token gets through
# (unknown kid -> one refresh), the old key's token no longer does.
curl -sf "$clerk_jwks/admin/set?file=$root/examples/keys/clerk-rotated-jwks.json" >/dev/null
sleep 1.1 # past the server's unknown-kid rate limit (--min-refresh 1)
expect "rotated key's token" 200 '"sub":"user_rotated"' "$(get "$clerk_url" "Bearer $clerk_b")"
expect "retired key's token" 401 \
    '{"error":"unknown_kid","detail":"header kid \"ins_2example\" matches none of the pinned keys (\"ins_rotated\")"}' \
    "$(get "$clerk_url" "Bearer $clerk_a")"

# Load: back to the old key alone, then rotations while clients hammer it.
curl -sf "$clerk_jwks/admin/set?file=$root/examples/keys/clerk-jwks.json" >/dev/null
curl -sf "$clerk_jwks/admin/max-age?s=1" >/dev/null
sleep 1.1
expect "old key again" 200 '"sub":"user_2abcDEF"' "$(get "$clerk_url" "Bearer $clerk_a")"
"$load" "$clerk_url" "$threads" "$requests" "$tmp/good.jwt" "$tmp/bad.jwt" "$tmp/late.jwt" \
    "$tmp/rotated.flag" &
load_pid=$!
sleep 0.2
curl -sf "$clerk_jwks/admin/set?file=$root/examples/keys/clerk-both-jwks.json" >/dev/null
for _ in $(seq 200); do
    r="$(get "$clerk_url" "Bearer $clerk_b")"
    [ "${r##* }" = 200 ] && break
    sleep 0.05
done
[ "${r##* }" = 200 ] || fail "the new key was not picked up during the load"
touch "$tmp/rotated.flag"
# More documents with the same keys: the refresh thread swaps keys each second.
for doc in "$tmp/both-reversed.json" "$root/examples/keys/clerk-both-jwks.json"; do
    kill -0 $load_pid 2>/dev/null || break
    sleep 1.1
    curl -sf "$clerk_jwks/admin/set?file=$doc" >/dev/null
done
wait $load_pid || fail "load phase had unexpected answers"
stop_server clerk
grep -q 'rotations [1-9]' "$tmp/clerk.log" || fail "no key rotation recorded"
echo "server_test: all checks passed"
