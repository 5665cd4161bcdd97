//go:build !race

package verifier

// raceEnabled: this test binary was built with -race.
const raceEnabled = false
