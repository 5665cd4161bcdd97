// Package linux_amd64 holds libverifier.a for linux/amd64; this file only
// keeps the directory in `go mod vendor` (see ../../includebuild.go).
package linux_amd64
