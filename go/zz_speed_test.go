package verifier

// A timing harness, skipped unless ZZSPEED is set: best of 5x50
// verifications per algorithm through the public API. ZZ_ALGS limits the
// algorithms (comma list), ZZ_ROUNDS the rounds (5); with the wasm backend ZZ_WASM names another module
// to run in place of the embedded one (zz_speed_module_test.go), to compare
// builds side by side.

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestZZSpeed(t *testing.T) {
	if os.Getenv("ZZSPEED") == "" {
		t.Skip("timing harness: set ZZSPEED=1")
	}
	only := os.Getenv("ZZ_ALGS")
	k := theKeys()
	for _, a := range allAlgs {
		if only != "" && !strings.Contains(","+only+",", ","+a.name+",") {
			continue
		}
		key := a.key(k)
		token := mint(a.name, key, "k1", baseClaims())
		var v *Verifier
		tLoad := time.Now()
		if a.name[0] == 'H' {
			v = newV(t, WithHMAC(key.([]byte), a.name, "k1"))
		} else {
			v = newV(t, WithJWKS(jwks(jwk(key, "k1", a.name))))
		}
		_, _ = v.Verify(ctx, token)
		load := time.Since(tLoad)
		for i := 0; i < 20; i++ {
			_, _ = v.Verify(ctx, token)
		}
		rounds := 5
		if n, err := strconv.Atoi(os.Getenv("ZZ_ROUNDS")); err == nil && n > 0 {
			rounds = n
		}
		best := time.Hour
		for r := 0; r < rounds; r++ {
			t0 := time.Now()
			for i := 0; i < 50; i++ {
				if _, err := v.Verify(ctx, token); err != nil && os.Getenv("ZZ_IGNORE_ERR") == "" {
					t.Fatal(err)
				}
			}
			best = min(best, time.Since(t0)/50)
		}
		t.Logf("%s %s %v (load and first verification %v)", Backend, a.name, best, load)
	}
}
