// Package auth stands in for encore.dev/beta/auth (see ../../README.md).
package auth

// UID is the user id an auth handler returns, as in encore.dev/beta/auth.
type UID string
