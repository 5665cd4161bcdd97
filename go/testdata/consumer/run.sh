#!/usr/bin/env bash
# Consumer test of the Go module (make go-consumer-test): a throwaway module in
# a temporary directory requires the module through a replace to the module
# folder, and builds with GOFLAGS=-mod=mod GOPROXY=off (the module requires
# nothing, so nothing is downloaded) and a PATH without cargo or rustc. Built
# static (what Encore and distroless/scratch images use), dynamic, and from a
# `go mod vendor` copy; each serves on loopback and must answer 200 to the
# example token and 401 to it tampered. The linux/arm64 library is linked
# too when it is there.
# The static link warns that glibc's getaddrinfo (Go's cgo resolver) and
# getpwuid_r (Rust std's home_dir, never called) want glibc's shared
# libraries at run time: harmless here; -tags netgo,osusergo silences Go's.
#   usage: run.sh MODULE-DIR EXAMPLES-DIR
set -euo pipefail
mod=$(cd "$1" && pwd)
examples=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
go=$(command -v "${GO:-go}")

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# A PATH with Go, the C toolchain and nothing else: no cargo, no rustc.
mkdir "$work/bin" "$work/app"
for tool in "$go" gcc cc as ld ar aarch64-linux-gnu-gcc; do
    p=$(command -v "$tool" || true)
    if [ -n "$p" ]; then ln -s "$p" "$work/bin/$(basename "$tool")"; fi
done
if env PATH="$work/bin" /bin/sh -c 'command -v cargo || command -v rustc' >/dev/null; then
    echo "consumer test: a Rust toolchain is on the restricted PATH"; exit 1
fi
env PATH="$work/bin" /bin/sh -c 'command -v go && command -v gcc' >/dev/null

cp "$here/main.go" "$work/app/main.go"
cat > "$work/app/go.mod" <<GOMOD
module example.com/consumer

go 1.25.0

require github.com/libverifier/libverifier/go v0.0.0

replace github.com/libverifier/libverifier/go => $mod
GOMOD

build() { # output, extra go build arguments... (in $work/${app:-app}, -mod=${mod_flag:-mod})
    local out=$1; shift
    (cd "$work/${app:-app}" && env PATH="$work/bin" CGO_ENABLED=1 GOFLAGS=-mod=${mod_flag:-mod} GOPROXY=off \
        GOTOOLCHAIN=local go build -o "$work/$out" "$@" .)
}

serve() { # binary: must answer 200 to the token and 401 to it tampered
    local bin=$1 token tampered addr code
    rm -f "$work/addr"
    "$work/$bin" "$examples/keys/clerk-jwks.json" "$work/addr" & pid=$!
    for _ in $(seq 100); do [ -s "$work/addr" ] && break; sleep 0.05; done
    addr=$(cat "$work/addr")
    token=$(tr -d '[:space:]' < "$examples/tokens/clerk.jwt")
    tampered=${token%????}AAAA
    code=$(curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $token" "http://$addr/")
    [ "$code" = 200 ] && [ "$(cat "$work/body")" = user_2abcDEF ] || { echo "$bin: valid token: $code"; exit 1; }
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tampered" "http://$addr/")
    [ "$code" = 401 ] || { echo "$bin: tampered token: $code"; exit 1; }
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    echo "consumer test: $bin: 200 for the token, 401 tampered"
}

build consumer-static -ldflags '-linkmode external -extldflags "-static"'
file "$work/consumer-static" | grep -q 'statically linked' || { file "$work/consumer-static"; exit 1; }
if ldd "$work/consumer-static" >/dev/null 2>&1; then echo "consumer-static is a dynamic executable"; exit 1; fi
serve consumer-static

build consumer-dynamic
file "$work/consumer-dynamic" | grep -q 'dynamically linked'
serve consumer-dynamic

# Vendored (`go mod vendor`, then -mod=vendor): the copy must carry the
# header and the libraries, which are not Go packages (go/includebuild.go).
cp -r "$work/app" "$work/app-vendor"
(cd "$work/app-vendor" && env PATH="$work/bin" GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local go mod vendor)
vendored="$work/app-vendor/vendor/github.com/libverifier/libverifier/go"
for f in include/verifier.h lib/linux-amd64/libverifier.a; do
    [ -f "$vendored/$f" ] || { echo "consumer test: go mod vendor left out $f"; exit 1; }
done
app=app-vendor mod_flag=vendor build consumer-vendored
serve consumer-vendored

if [ -f "$mod/lib/linux-arm64/libverifier.a" ]; then
    (cd "$work/app" && env PATH="$work/bin" CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC=aarch64-linux-gnu-gcc \
        GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local \
        go build -o "$work/consumer-arm64" -ldflags '-linkmode external -extldflags "-static"' .)
    file "$work/consumer-arm64" | grep -q 'ARM aarch64.*statically linked' || { file "$work/consumer-arm64"; exit 1; }
    echo "consumer test: linux/arm64 static binary links"
fi
ls -l "$work"/consumer-* | awk '{print "  " $5 " bytes  " $NF}'
