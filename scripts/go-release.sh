#!/usr/bin/env bash
# make go-release VERSION=vX.Y.Z DIST=DIR: the Go module at VERSION as a
# GOPROXY serves it, under DIR/goproxy, from a release commit that adds the
# prebuilt artifacts (make go-module) on top of HEAD, made in a temporary
# clone and left on no branch. Prints sizes, sha256 and go.sum lines, then
# the recipe that publishes the same commit as the tag go/VERSION.
#   GO_RELEASE_ALLOW_DIRTY=1: release the work tree's tracked changes too
#   (a `git stash create` snapshot), as the consumer test does.
set -euo pipefail
version=${1:?usage: go-release.sh VERSION DIST}
dist=${2:?usage: go-release.sh VERSION DIST}
root=$(git rev-parse --show-toplevel)
cd "$root"
mkdir -p "$dist"
dist=$(cd "$dist" && pwd)
artifacts="go/lib/linux-amd64/libverifier.a go/lib/linux-arm64/libverifier.a go/internal/wasm/verifier.wasm"
for a in $artifacts go/include/verifier.h; do
    [ -f "$a" ] || { echo "go-release: $a is missing: run make go-module"; exit 1; }
done
cmp -s include/verifier.h go/include/verifier.h || { echo "go-release: go/include/verifier.h is stale: make go-header"; exit 1; }

base=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    if [ "${GO_RELEASE_ALLOW_DIRTY:-}" != 1 ]; then
        echo "go-release: the work tree has uncommitted changes: commit them (a release is made from HEAD)"; exit 1
    fi
    base=$(git stash create "go-release snapshot")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A clone sharing this repository's objects (the snapshot commit included):
# x/mod's VCS zip wants a repository of its own, not a worktree.
git clone -q --shared --no-checkout "$root" "$tmp/tree"
git -C "$tmp/tree" checkout -q --detach "$base"
for a in $artifacts; do cp "$a" "$tmp/tree/$a"; done
# The release commit carries the base's date, so the same sources and
# artifacts give the same commit, zip and go.sum hash.
when=$(git show -s --format=%cI "$base")
(cd "$tmp/tree" && git add -f $artifacts && \
    GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when git -c user.name="libverifier release" \
        -c user.email=release@libverifier.invalid commit -q -m "go/$version: prebuilt libraries and WebAssembly module")
rev=$(git -C "$tmp/tree" rev-parse HEAD)
(cd scripts/go-release && GOFLAGS=-mod=mod go run . -repo "$tmp/tree" -rev "$rev" -version "$version" -dist "$dist")

cat <<RECIPE

To publish go/$version (a published tag is never moved or pushed again: go.sum pins its zip):
  git checkout --detach $(git rev-parse --short HEAD)
  make go-module
  git add -f $artifacts
  git commit -m "go/$version: prebuilt libraries and WebAssembly module"
  git tag go/$version && git push origin go/$version
The release commit is on no branch: main keeps the artifacts out of git.
Users then: go get github.com/libverifier/libverifier/go@$version
RECIPE
