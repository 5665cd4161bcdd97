//go:build race

package verifier

// raceEnabled: whether this test binary was built with -race.
const raceEnabled = true
