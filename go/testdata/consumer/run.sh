#!/usr/bin/env bash
# Consumer test of the Go module (make go-consumer-test), as a new user meets
# it: a throwaway module in a temporary directory does a real
# `go get github.com/libverifier/libverifier/go@VERSION` from the release
# that `make go-release` wrote (GOPROXY=file://..., GOSUMDB=off, an empty
# module cache), with a PATH that holds Go and the C toolchains but no cargo
# or rustc, then builds:
#   - linux/amd64 with cgo: dynamic, fully static (no glibc warning with
#     -tags netgo,osusergo), and from a `go mod vendor` copy;
#   - linux/amd64 with CGO_ENABLED=0 (the WebAssembly backend);
#   - linux/arm64 with cgo (Debian's cross gcc) and without;
#   - darwin/arm64, darwin/amd64, windows/amd64 (cross-compiled, WebAssembly
#     backend: nothing here can run them).
# Each linux/amd64 binary serves on loopback and must answer 200 to the
# example token and 401 to it tampered. Last, the same server on golang-jwt +
# keyfunc (go/bench/peer) is built the same ways and the sizes compared: the
# static server may be at most GO_SIZE_BUDGET bytes larger.
#   usage: run.sh PROXY-DIR VERSION EXAMPLES-DIR PEER-MODULE-DIR
set -euo pipefail
proxy=$(cd "$1" && pwd)
version=$2
examples=$(cd "$3" && pwd)
peer=$(cd "$4" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
go=$(command -v "${GO:-go}")
budget=${GO_SIZE_BUDGET:-1048576}

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A PATH with Go, the C toolchains and nothing else: no cargo, no rustc.
mkdir "$work/bin" "$work/app"
for tool in "$go" gcc cc as ld ar aarch64-linux-gnu-gcc; do
    p=$(command -v "$tool" || true)
    if [ -n "$p" ]; then ln -s "$p" "$work/bin/$(basename "$tool")"; fi
done
if env PATH="$work/bin" /bin/sh -c 'command -v cargo || command -v rustc' >/dev/null; then
    echo "consumer test: a Rust toolchain is on the restricted PATH"; exit 1
fi

# The release, then the module's own requirements (wazero) from the module
# cache this machine already filled (its download directory is a GOPROXY).
cache=$("$go" env GOMODCACHE)
export GOPROXY="file://$proxy,file://$cache/cache/download" GOSUMDB=off GOFLAGS=-mod=mod \
    GOTOOLCHAIN=local GOMODCACHE="$work/modcache" GOPATH="$work/gopath"
rgo() { env PATH="$work/bin" go "$@"; } # go with the restricted PATH
cp "$here/main.go" "$work/app/main.go"
(cd "$work/app" && rgo mod init example.com/consumer >/dev/null 2>&1 &&
    rgo get "github.com/libverifier/libverifier/go@$version" && rgo mod tidy)
grep -q "github.com/libverifier/libverifier/go $version" "$work/app/go.mod"
echo "consumer test: go get github.com/libverifier/libverifier/go@$version from $proxy"

build() { # output, env..., -- go build arguments... (in ${dir:-$work/app})
    local out=$1; shift
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    (cd "${dir:-$work/app}" && env PATH="$work/bin" "${envs[@]}" go build -o "$work/$out" "$@" 2> "$work/$out.log") ||
        { cat "$work/$out.log"; exit 1; }
}

serve() { # binary: must answer 200 to the token and 401 to it tampered
    local bin=$1 token tampered addr code
    rm -f "$work/addr"
    "$work/$bin" "$examples/keys/clerk-jwks.json" "$work/addr" & pid=$!
    for _ in $(seq 200); do [ -s "$work/addr" ] && break; sleep 0.05; done
    addr=$(cat "$work/addr")
    token=$(tr -d '[:space:]' < "$examples/tokens/clerk.jwt")
    tampered=${token%????}AAAA
    code=$(/usr/bin/curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $token" "http://$addr/")
    [ "$code" = 200 ] && [ "$(cat "$work/body")" = user_2abcDEF ] || { echo "$bin: valid token: $code"; exit 1; }
    code=$(/usr/bin/curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tampered" "http://$addr/")
    [ "$code" = 401 ] || { echo "$bin: tampered token: $code"; exit 1; }
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    echo "consumer test: $bin ($(backend "$bin")): 200 for the token, 401 tampered"
}

backend() { # which backend a binary links
    if /usr/bin/strings "$work/$1" | grep tetratelabs/wazero >/dev/null; then echo WebAssembly; else echo cgo; fi
}

static_flags=(-tags netgo,osusergo -ldflags '-linkmode external -extldflags "-static"')

build consumer-dynamic CGO_ENABLED=1 -- .
/usr/bin/file "$work/consumer-dynamic" | grep -q 'dynamically linked'
serve consumer-dynamic

build consumer-static CGO_ENABLED=1 -- "${static_flags[@]}" .
/usr/bin/file "$work/consumer-static" | grep -q 'statically linked' || { /usr/bin/file "$work/consumer-static"; exit 1; }
if grep -i 'warning' "$work/consumer-static.log"; then echo "consumer test: the static link warns"; exit 1; fi
serve consumer-static

# Vendored (`go mod vendor`, then -mod=vendor): the copy must carry the
# header, the libraries and the WebAssembly module.
cp -r "$work/app" "$work/app-vendor"
(cd "$work/app-vendor" && rgo mod vendor)
vendored="$work/app-vendor/vendor/github.com/libverifier/libverifier/go"
for f in include/verifier.h lib/linux-amd64/libverifier.a lib/linux-arm64/libverifier.a internal/wasm/verifier.wasm; do
    [ -f "$vendored/$f" ] || { echo "consumer test: go mod vendor left out $f"; exit 1; }
done
dir=$work/app-vendor build consumer-vendored CGO_ENABLED=1 GOFLAGS=-mod=vendor -- .
serve consumer-vendored

build consumer-nocgo CGO_ENABLED=0 -- .
[ "$(backend consumer-nocgo)" = WebAssembly ]
serve consumer-nocgo

build consumer-linux-arm64 CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC=aarch64-linux-gnu-gcc -- "${static_flags[@]}" .
/usr/bin/file "$work/consumer-linux-arm64" | grep -q 'ARM aarch64.*statically linked' || { /usr/bin/file "$work/consumer-linux-arm64"; exit 1; }
[ "$(backend consumer-linux-arm64)" = cgo ]
build consumer-linux-arm64-nocgo CGO_ENABLED=0 GOOS=linux GOARCH=arm64 -- .
build consumer-darwin-arm64 GOOS=darwin GOARCH=arm64 -- .
/usr/bin/file "$work/consumer-darwin-arm64" | grep -q 'Mach-O 64-bit arm64' || { /usr/bin/file "$work/consumer-darwin-arm64"; exit 1; }
build consumer-darwin-amd64 GOOS=darwin GOARCH=amd64 -- .
/usr/bin/file "$work/consumer-darwin-amd64" | grep -q 'Mach-O 64-bit x86_64' || { /usr/bin/file "$work/consumer-darwin-amd64"; exit 1; }
build consumer-windows-amd64.exe GOOS=windows GOARCH=amd64 -- .
/usr/bin/file "$work/consumer-windows-amd64.exe" | grep -q 'PE32+ executable.*x86-64' || { /usr/bin/file "$work/consumer-windows-amd64.exe"; exit 1; }
for b in consumer-linux-arm64-nocgo consumer-darwin-arm64 consumer-darwin-amd64 consumer-windows-amd64.exe; do
    [ "$(backend "$b")" = WebAssembly ] || { echo "consumer test: $b does not carry the WebAssembly backend"; exit 1; }
done
echo "consumer test: linux/arm64 (cgo, static; and without cgo), darwin/arm64, darwin/amd64, windows/amd64 build"

# The same server on golang-jwt + keyfunc (go/bench/peer, in the benchmark
# module), built the same ways.
export GOPROXY=file://$cache/cache/download GOMODCACHE=$cache
dir=$peer/peer
build peer-dynamic CGO_ENABLED=1 -- .
build peer-static CGO_ENABLED=1 -- "${static_flags[@]}" .
build peer-nocgo CGO_ENABLED=0 -- .
serve peer-static

size() { stat -c %s "$work/$1"; }
printf '\nbinary size (bytes)   libverifier   golang-jwt+keyfunc   difference\n'
for kind in dynamic static nocgo; do
    a=$(size consumer-$kind) b=$(size peer-$kind)
    printf '  %-19s %11d   %18d   %+10d\n' "$kind" "$a" "$b" $((a - b))
done
printf '  %-19s %11d\n' linux-arm64-static "$(size consumer-linux-arm64)"
printf '  %-19s %11d\n' darwin-arm64 "$(size consumer-darwin-arm64)"
printf '  %-19s %11d\n' windows-amd64 "$(size consumer-windows-amd64.exe)"
diff=$(( $(size consumer-static) - $(size peer-static) ))
if [ "$diff" -gt "$budget" ]; then
    echo "consumer test: the static server is $diff bytes larger than on golang-jwt + keyfunc (budget $budget)"
    exit 1
fi
