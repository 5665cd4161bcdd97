// Package linux_arm64 holds libverifier.a for linux/arm64; this file only
// keeps the directory in `go mod vendor` (see ../../includebuild.go).
package linux_arm64
