#!/usr/bin/env bash
# Run a command with jwks_server.py listening on loopback:
#   with_jwks_server.sh JWKS_FILE COMMAND ARGS...
# Every argument "@BASE@" becomes http://127.0.0.1:PORT. The server is
# stopped however the command ends; the command's status is returned.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jwks="$1"
shift
dir="$(mktemp -d)"
python3 "$here/jwks_server.py" "$dir/port" "$jwks" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
    [ -s "$dir/port" ] && break
    kill -0 $pid 2>/dev/null || { echo "jwks_server.py did not start" >&2; exit 1; }
    sleep 0.05
done
base="http://127.0.0.1:$(cat "$dir/port")"
args=()
for a in "$@"; do args+=("${a//@BASE@/$base}"); done
"${args[@]}"
