// Command go-release writes the Go module at one version in the file layout
// a GOPROXY serves (@v/list, .info, .mod, .zip), from a release commit: a
// commit on top of the tagged sources that adds the prebuilt artifacts, as
// wasmtime-go's releases do, so that what the tag holds is complete and is
// never re-published (go.sum pins the zip's hash).
//
// The zip is made by golang.org/x/mod/zip.CreateFromVCS from that commit,
// which is what a module proxy does with a tag: same file selection (no
// nested modules, no vendor/), same paths, same size limits.
//
//	usage: go-release -repo DIR -rev COMMIT -version vX.Y.Z -dist DIR
//
// scripts/go-release.sh makes the release commit and calls this
// (`make go-release VERSION=vX.Y.Z DIST=DIR`).
package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

const (
	modulePath = "github.com/libverifier/libverifier/go"
	subdir     = "go"
)

// What a build of the module needs beyond its Go files: without these a
// release would build its package and fail at link or embed time.
var artifacts = []string{
	"include/verifier.h",
	"lib/linux-amd64/libverifier.a",
	"lib/linux-arm64/libverifier.a",
	"internal/wasm/verifier.wasm",
}

func main() {
	repo := flag.String("repo", "", "git work tree holding the release commit")
	rev := flag.String("rev", "HEAD", "the release commit")
	version := flag.String("version", "", "module version, vX.Y.Z")
	dist := flag.String("dist", "", "output directory (DIST/goproxy is the proxy tree)")
	flag.Parse()
	if err := run(*repo, *rev, *version, *dist); err != nil {
		fmt.Fprintln(os.Stderr, "go-release:", err)
		os.Exit(1)
	}
}

func run(repo, rev, version, dist string) error {
	if repo == "" || dist == "" {
		return fmt.Errorf("-repo and -dist are required")
	}
	if !semver.IsValid(version) || semver.Canonical(version) != version || semver.Build(version) != "" {
		return fmt.Errorf("version %q is not a canonical semantic version (vX.Y.Z)", version)
	}
	if err := module.Check(modulePath, version); err != nil {
		return err
	}
	commit, err := git(repo, "rev-parse", rev+"^{commit}")
	if err != nil {
		return err
	}
	when, err := git(repo, "show", "-s", "--format=%cI", commit)
	if err != nil {
		return err
	}
	t, err := time.Parse(time.RFC3339, when)
	if err != nil {
		return err
	}

	dir := filepath.Join(dist, "goproxy", filepath.FromSlash(modulePath), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(dir, version)
	if _, err := os.Stat(base + ".zip"); err == nil {
		return fmt.Errorf("%s exists: a published version is never rewritten (go.sum pins it); choose a new version", base+".zip")
	}

	// The zip, as a proxy makes it from the tag.
	var buf bytes.Buffer
	mv := module.Version{Path: modulePath, Version: version}
	if err := modzip.CreateFromVCS(&buf, mv, repo, commit, subdir); err != nil {
		return fmt.Errorf("module zip: %w", err)
	}
	if err := checkZip(buf.Bytes(), mv); err != nil {
		return err
	}
	if err := os.WriteFile(base+".zip", buf.Bytes(), 0o644); err != nil {
		return err
	}
	h1, err := dirhash.HashZip(base+".zip", dirhash.Hash1)
	if err != nil {
		return err
	}

	gomod, err := gitRaw(repo, "show", commit+":"+subdir+"/go.mod")
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".mod", gomod, 0o644); err != nil {
		return err
	}
	modH1, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(gomod)), nil
	})
	if err != nil {
		return err
	}
	info, _ := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, t.UTC()})
	if err := os.WriteFile(base+".info", info, 0o644); err != nil {
		return err
	}
	if err := addToList(filepath.Join(dir, "list"), version); err != nil {
		return err
	}

	fmt.Printf("module %s@%s from commit %s\n", modulePath, version, commit)
	fmt.Printf("  proxy tree   %s (GOPROXY=file://%s)\n", filepath.Join(dist, "goproxy"), mustAbs(filepath.Join(dist, "goproxy")))
	fmt.Printf("  zip          %9d bytes  sha256 %s\n", buf.Len(), sum(buf.Bytes()))
	fmt.Printf("  go.sum       %s %s %s\n", modulePath, version, h1)
	fmt.Printf("               %s %s/go.mod %s\n", modulePath, version, modH1)
	for _, a := range artifacts {
		b, err := gitRaw(repo, "show", commit+":"+subdir+"/"+a)
		if err != nil {
			return err
		}
		fmt.Printf("  %-30s %9d bytes  sha256 %s\n", a, len(b), sum(b))
	}
	return nil
}

// checkZip: the proxy's own checks, and every artifact inside.
func checkZip(b []byte, mv module.Version) error {
	tmp, err := os.CreateTemp("", "go-release-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		return err
	}
	tmp.Close()
	cf, err := modzip.CheckZip(mv, tmp.Name())
	if err != nil {
		return err
	}
	if err := cf.Err(); err != nil {
		return fmt.Errorf("module zip: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, f := range zr.File {
		have[strings.TrimPrefix(f.Name, mv.Path+"@"+mv.Version+"/")] = true
	}
	for _, a := range artifacts {
		if !have[a] {
			return fmt.Errorf("the release commit lacks %s/%s: make go-module, then add it with git add -f", subdir, a)
		}
	}
	return nil
}

func addToList(path, version string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	var vs []string
	for _, v := range strings.Fields(string(old)) {
		if v != version {
			vs = append(vs, v)
		}
	}
	vs = append(vs, version)
	slices.SortFunc(vs, semver.Compare)
	return os.WriteFile(path, []byte(strings.Join(vs, "\n")+"\n"), 0o644)
}

func git(dir string, args ...string) (string, error) {
	out, err := gitRaw(dir, args...)
	return strings.TrimSuffix(string(out), "\n"), err
}

func gitRaw(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
