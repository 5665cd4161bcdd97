# C ABI targets (included by the root Makefile; run from the repository root).
#   make ffi-lib           libverifier.a and libverifier.so in $(TARGET_DIR)/release
#   make ffi-header        regenerate include/verifier.h (cbindgen)
#   make ffi-header-check  fail if include/verifier.h differs from a fresh generation
#   make ffi-test-c        C tests (gcc -Werror), static and dynamic, under valgrind
#   make install PREFIX=/usr/local   library, header and verifier.pc; the JWKS component
#                          (libverifier-jwks.a/.so, vf_jwks.h, verifier-jwks.pc; needs libcurl's
#                          headers; JWKS=0 leaves it out)
#   make ffi-test-install  install into a temporary prefix and build the example with pkg-config
#   make example-c         build and run examples/c/verify.c against the in-tree library
#   make ffi-stack-usage   stack one verification takes, vf_claims local vs vf_result (a figure)
#   make jwks-test         the libcurl JWKS component (ffi/jwks-curl) against a loopback server
#   make c-server-test     examples/c/server (libmicrohttpd) driven by curl and a load client,
#                          plain, under valgrind, with ASan+UBSan, and with ThreadSanitizer on the C side

CBINDGEN ?= cbindgen
FFI_CC ?= gcc
STRIP ?= strip
FFI_OUT := $(TARGET_DIR)/release
FFI_BUILD := $(TARGET_DIR)/ffi-c
# An soname, so a program linked against libverifier.so records
# libverifier.so.0 and a later incompatible ABI (.so.1) can sit beside it.
# (Given here: the crate itself has no cdylib target, see ffi/Cargo.toml.)
FFI_SONAME := -C link-arg=-Wl,-soname,libverifier.so.0
FFI_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' ffi/Cargo.toml)
# What `rustc --print native-static-libs` lists for the staticlib, less
# -lgcc_s: gcc adds it as needed, and a `-static` link has none (gcc uses
# libgcc_eh there), so naming it would break fully static programs.
FFI_STATIC_LIBS := -lutil -lrt -lpthread -lm -ldl -lc
FFI_WARN := -std=c11 -Wall -Wextra -Wpedantic -Werror
FFI_CFLAGS := $(FFI_WARN) -g -O1 -Iinclude
VALGRIND := valgrind -q --fair-sched=yes --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=1
# Iterations per verifier thread: modest under valgrind, more without.
FFI_THREAD_ITERS_VALGRIND ?= 40
FFI_THREAD_ITERS ?= 400

.PHONY: ffi-lib ffi-header ffi-header-check ffi-test-c ffi-test-install install example-c

# The .so carries the soname libverifier.so.0 (FFI_SONAME); programs linked
# against it look for that name, so it sits beside the library here too.
ffi-lib:
	$(CARGO) rustc --release -p libverifier-ffi --lib --crate-type staticlib,cdylib -- $(FFI_SONAME)
	ln -sf libverifier.so $(FFI_OUT)/libverifier.so.0

ffi-header:
	$(CBINDGEN) --quiet --config ffi/cbindgen.toml --crate libverifier-ffi --output include/verifier.h ffi

# Generated to a temporary file and diffed: `cbindgen --verify` would rewrite the header.
ffi-header-check:
	@mkdir -p $(FFI_BUILD)
	$(CBINDGEN) --quiet --config ffi/cbindgen.toml --crate libverifier-ffi --output $(FFI_BUILD)/verifier.h ffi
	diff -u include/verifier.h $(FFI_BUILD)/verifier.h || \
	    { echo "include/verifier.h is stale: run 'make ffi-header'"; exit 1; }

$(FFI_BUILD)/cases.txt: core/tests/data/tokens.json core/tests/data/providers/cases.json ffi/examples/gen_c_cases.rs
	@mkdir -p $(FFI_BUILD)
	$(CARGO) run -q --release -p libverifier-ffi --example gen_c_cases -- $@

FFI_C_TESTS := test_api test_threads test_claims
FFI_C_DEPS := include/verifier.h ffi/tests/c/testutil.h

ffi-test-c: ffi-lib $(FFI_BUILD)/cases.txt
	@mkdir -p $(FFI_BUILD)
	for t in $(FFI_C_TESTS); do \
	    $(FFI_CC) $(FFI_CFLAGS) -o $(FFI_BUILD)/$$t-static ffi/tests/c/$$t.c \
	        $(FFI_OUT)/libverifier.a $(FFI_STATIC_LIBS) || exit 1; \
	    $(FFI_CC) $(FFI_CFLAGS) -o $(FFI_BUILD)/$$t-dynamic ffi/tests/c/$$t.c \
	        -L$(FFI_OUT) -lverifier -lpthread -Wl,-rpath,$(FFI_OUT) || exit 1; \
	done
	# The dynamic build really loads libverifier.so; the static one does not.
	ldd $(FFI_BUILD)/test_api-dynamic | grep -q 'libverifier\.so'
	! ldd $(FFI_BUILD)/test_api-static | grep -q 'libverifier\.so'
	$(VALGRIND) $(FFI_BUILD)/test_api-static $(CURDIR) $(FFI_BUILD)/cases.txt
	$(VALGRIND) $(FFI_BUILD)/test_api-dynamic $(CURDIR) $(FFI_BUILD)/cases.txt
	$(VALGRIND) $(FFI_BUILD)/test_threads-static $(CURDIR) $(FFI_THREAD_ITERS_VALGRIND)
	$(VALGRIND) $(FFI_BUILD)/test_threads-dynamic $(CURDIR) $(FFI_THREAD_ITERS_VALGRIND)
	$(FFI_BUILD)/test_threads-static $(CURDIR) $(FFI_THREAD_ITERS)
	$(FFI_BUILD)/test_threads-dynamic $(CURDIR) $(FFI_THREAD_ITERS)
	$(VALGRIND) $(FFI_BUILD)/test_claims-static
	$(VALGRIND) $(FFI_BUILD)/test_claims-dynamic
	# AddressSanitizer and UBSan on the C side (the Rust archive is not
	# instrumented; its heap goes through the intercepted malloc all the same).
	for t in test_api test_claims; do \
	    $(FFI_CC) $(FFI_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	        -o $(FFI_BUILD)/$$t-asan ffi/tests/c/$$t.c $(FFI_OUT)/libverifier.a $(FFI_STATIC_LIBS) || exit 1; \
	done
	$(FFI_BUILD)/test_api-asan $(CURDIR) $(FFI_BUILD)/cases.txt
	$(FFI_BUILD)/test_claims-asan

JWKS ?= 1
install: ffi-lib $(if $(filter 1,$(JWKS)),jwks-lib)
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 644 $(FFI_OUT)/libverifier.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(FFI_OUT)/libverifier.so $(DESTDIR)$(PREFIX)/lib/libverifier.so.$(FFI_VERSION)
	ln -sf libverifier.so.$(FFI_VERSION) $(DESTDIR)$(PREFIX)/lib/libverifier.so.0
	ln -sf libverifier.so.0 $(DESTDIR)$(PREFIX)/lib/libverifier.so
	install -m 644 include/verifier.h $(DESTDIR)$(PREFIX)/include/
	# Debug info is most of the size (release builds keep it for profiling).
	$(STRIP) --strip-debug $(DESTDIR)$(PREFIX)/lib/libverifier.a $(DESTDIR)$(PREFIX)/lib/libverifier.so.$(FFI_VERSION)
	for pc in verifier verifier-static; do \
	    sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(FFI_VERSION)|' ffi/$$pc.pc.in \
	        > $(DESTDIR)$(PREFIX)/lib/pkgconfig/$$pc.pc || exit 1; \
	done
ifeq ($(JWKS),1)
	install -m 644 $(JWKS_OUT)/libverifier-jwks.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(JWKS_OUT)/libverifier-jwks.so $(DESTDIR)$(PREFIX)/lib/libverifier-jwks.so.$(FFI_VERSION)
	ln -sf libverifier-jwks.so.$(FFI_VERSION) $(DESTDIR)$(PREFIX)/lib/libverifier-jwks.so.0
	ln -sf libverifier-jwks.so.0 $(DESTDIR)$(PREFIX)/lib/libverifier-jwks.so
	install -m 644 $(JWKS_DIR)/vf_jwks.h $(DESTDIR)$(PREFIX)/include/
	$(STRIP) --strip-debug $(DESTDIR)$(PREFIX)/lib/libverifier-jwks.a \
	    $(DESTDIR)$(PREFIX)/lib/libverifier-jwks.so.$(FFI_VERSION)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(FFI_VERSION)|' $(JWKS_DIR)/verifier-jwks.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/verifier-jwks.pc
endif

# What the README promises: `cc app.c $(pkg-config --cflags --libs verifier)` after an install.
FFI_PREFIX := $(FFI_BUILD)/prefix
ffi-test-install:
	rm -rf $(FFI_PREFIX)
	$(MAKE) --no-print-directory install PREFIX=$(FFI_PREFIX)
	export PKG_CONFIG_PATH=$(FFI_PREFIX)/lib/pkgconfig; \
	$(FFI_CC) $(FFI_WARN) examples/c/verify.c $$(pkg-config --cflags --libs verifier) \
	    -o $(FFI_BUILD)/verify-pc-dynamic && \
	$(FFI_CC) $(FFI_WARN) examples/c/verify.c $$(pkg-config --cflags --libs verifier-static) \
	    -o $(FFI_BUILD)/verify-pc-static && \
	$(FFI_CC) $(FFI_WARN) -static examples/c/verify.c $$(pkg-config --static --cflags --libs verifier-static) \
	    -o $(FFI_BUILD)/verify-pc-allstatic 2>$(FFI_BUILD)/allstatic.log && \
	for link in "verifier" "verifier-static"; do \
	    $(FFI_CC) $(FFI_WARN) -g ffi/tests/c/test_claims.c $$(pkg-config --cflags --libs $$link) \
	        -o $(FFI_BUILD)/test_claims-pc-$$link || exit 1; \
	done && \
	$(FFI_CC) $(FFI_WARN) -Iffi/jwks-curl examples/c/server.c ffi/jwks-curl/vf_jwks.c \
	    $$(pkg-config --cflags --libs verifier-static libmicrohttpd libcurl) -lpthread \
	    -o $(FFI_BUILD)/server-pc-static
	! ldd $(FFI_BUILD)/server-pc-static | grep -q 'libverifier'
	readelf -d $(FFI_BUILD)/verify-pc-dynamic | grep -q 'NEEDED.*\[libverifier\.so\.0\]'
	# Through pkg-config alone the static .pc gives a program without libverifier.so,
	# even with the .so installed beside the archive; -static gives no dynamic section at all.
	! ldd $(FFI_BUILD)/verify-pc-static | grep -q 'libverifier'
	! ldd $(FFI_BUILD)/test_claims-pc-verifier-static | grep -q 'libverifier'
	LD_LIBRARY_PATH=$(FFI_PREFIX)/lib ldd $(FFI_BUILD)/test_claims-pc-verifier | grep -q 'libverifier\.so'
	! readelf -d $(FFI_BUILD)/verify-pc-allstatic | grep -q NEEDED
	@# LTO leaves out Rust std's unused networking and user lookups: no glibc warning.
	! grep -i 'warning' $(FFI_BUILD)/allstatic.log
	$(VALGRIND) $(FFI_BUILD)/test_claims-pc-verifier-static
	LD_LIBRARY_PATH=$(FFI_PREFIX)/lib $(VALGRIND) $(FFI_BUILD)/test_claims-pc-verifier
	$(FFI_BUILD)/verify-pc-allstatic examples/keys/clerk-jwks.json \
	    "Bearer $$(cat examples/tokens/clerk.jwt)" 1764000000 | grep -q '^sub  *user_2abcDEF$$'
	LD_LIBRARY_PATH=$(FFI_PREFIX)/lib $(FFI_BUILD)/verify-pc-dynamic examples/keys/clerk-jwks.json \
	    "Bearer $$(cat examples/tokens/clerk.jwt)" 1764000000 | grep -q '^sub  *user_2abcDEF$$'
	$(FFI_BUILD)/verify-pc-static examples/keys/clerk-jwks.json \
	    "Bearer $$(cat examples/tokens/clerk.jwt)" 1764000000 | grep -q '^sub  *user_2abcDEF$$'
	# The JWKS component as installed: built with pkg-config alone (no source, no -I into the
	# tree), linked to libverifier-jwks.so.0, run against a loopback JWKS server.
	export PKG_CONFIG_PATH=$(FFI_PREFIX)/lib/pkgconfig; \
	$(FFI_CC) $(FFI_WARN) examples/c/jwks_verify.c $$(pkg-config --cflags --libs verifier-jwks) \
	    -o $(FFI_BUILD)/jwks-verify-pc
	readelf -d $(FFI_BUILD)/jwks-verify-pc | grep -q 'NEEDED.*\[libverifier-jwks\.so\.0\]'
	readelf -d $(FFI_PREFIX)/lib/libverifier-jwks.so.0 | grep -q 'SONAME.*\[libverifier-jwks\.so\.0\]'
	LD_LIBRARY_PATH=$(FFI_PREFIX)/lib $(WITH_JWKS) $(FFI_BUILD)/jwks-verify-pc @BASE@/jwks.json \
	    "Bearer $$(cat examples/tokens/clerk.jwt)" 1764000000 | grep -q '^sub user_2abcDEF$$'

example-c: ffi-lib
	@mkdir -p $(FFI_BUILD)
	$(FFI_CC) -std=c11 -Wall -Wextra -Iinclude examples/c/verify.c $(FFI_OUT)/libverifier.a \
	    $(FFI_STATIC_LIBS) -o $(FFI_BUILD)/verify
	$(FFI_BUILD)/verify examples/keys/clerk-jwks.json "Bearer $$(cat examples/tokens/clerk.jwt)" 1764000000

# ---- The JWKS component (ffi/jwks-curl) and the C server (examples/c) -------
# Optional and outside libverifier: built here from source, linked with libcurl.
JWKS_DIR := ffi/jwks-curl
JWKS_CFLAGS = $(FFI_CFLAGS) -I$(JWKS_DIR) $$(pkg-config --cflags libcurl)
JWKS_LIBS = $$(pkg-config --libs libcurl) -lpthread
MHD_CFLAGS = $$(pkg-config --cflags libmicrohttpd)
MHD_LIBS = $$(pkg-config --libs libmicrohttpd)
WITH_JWKS := $(JWKS_DIR)/with_jwks_server.sh examples/keys/clerk-jwks.json
# Load phase: threads x requests each (plus a few after the rotation).
C_SERVER_THREADS ?= 4
C_SERVER_REQUESTS ?= 2500
C_SERVER_REQUESTS_VALGRIND ?= 100
C_SERVER_REQUESTS_TSAN ?= 800
# ThreadSanitizer on the C side only. The Rust library cannot be instrumented
# with a stable toolchain, and its synchronisation (futex RwLock, Arc atomics)
# is invisible to TSan, so the server links libverifier.so and the libc calls
# made from it are ignored (examples/c/tsan.supp); the C code, libmicrohttpd's
# and libcurl's locking as seen from it, and vf_jwks are all checked.
# `setarch -R` (no ASLR): gcc 12's TSan refuses the memory layout of kernels
# with more than 28 bits of mmap randomisation.
TSAN_RUN := setarch $(shell uname -m) -R env \
    TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$(CURDIR)/examples/c/tsan.supp"

.PHONY: jwks-test c-server-test jwks-lib

# The component as a library: one PIC object in libverifier-jwks.a and in
# libverifier-jwks.so (soname libverifier-jwks.so.0, NEEDED libverifier.so.0
# and libcurl), so programs link it like libverifier instead of copying vf_jwks.c.
JWKS_OUT := $(FFI_BUILD)/jwks
jwks-lib: ffi-lib
	@mkdir -p $(JWKS_OUT)
	$(FFI_CC) $(FFI_WARN) -g -O2 -fPIC -Iinclude $$(pkg-config --cflags libcurl) \
	    -c $(JWKS_DIR)/vf_jwks.c -o $(JWKS_OUT)/vf_jwks.o
	rm -f $(JWKS_OUT)/libverifier-jwks.a
	ar rcs $(JWKS_OUT)/libverifier-jwks.a $(JWKS_OUT)/vf_jwks.o
	$(FFI_CC) -shared -Wl,-soname,libverifier-jwks.so.0 -Wl,--no-undefined -o $(JWKS_OUT)/libverifier-jwks.so \
	    $(JWKS_OUT)/vf_jwks.o -L$(FFI_OUT) -lverifier $$(pkg-config --libs libcurl) -lpthread

jwks-test: ffi-lib
	@mkdir -p $(FFI_BUILD)
	$(FFI_CC) $(JWKS_CFLAGS) -o $(FFI_BUILD)/test_jwks-static $(JWKS_DIR)/test_jwks.c $(JWKS_DIR)/vf_jwks.c \
	    $(FFI_OUT)/libverifier.a $(JWKS_LIBS) $(FFI_STATIC_LIBS)
	$(FFI_CC) $(JWKS_CFLAGS) -o $(FFI_BUILD)/test_jwks-dynamic $(JWKS_DIR)/test_jwks.c $(JWKS_DIR)/vf_jwks.c \
	    -L$(FFI_OUT) -lverifier -Wl,-rpath,$(FFI_OUT) $(JWKS_LIBS)
	$(FFI_CC) $(JWKS_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -o $(FFI_BUILD)/test_jwks-asan $(JWKS_DIR)/test_jwks.c $(JWKS_DIR)/vf_jwks.c \
	    $(FFI_OUT)/libverifier.a $(JWKS_LIBS) $(FFI_STATIC_LIBS)
	$(FFI_CC) $(JWKS_CFLAGS) -fsanitize=thread -o $(FFI_BUILD)/test_jwks-tsan $(JWKS_DIR)/test_jwks.c \
	    $(JWKS_DIR)/vf_jwks.c -L$(FFI_OUT) -lverifier -Wl,-rpath,$(FFI_OUT) $(JWKS_LIBS)
	$(WITH_JWKS) $(VALGRIND) $(FFI_BUILD)/test_jwks-static $(CURDIR) @BASE@
	$(WITH_JWKS) $(VALGRIND) $(FFI_BUILD)/test_jwks-dynamic $(CURDIR) @BASE@
	$(WITH_JWKS) $(FFI_BUILD)/test_jwks-asan $(CURDIR) @BASE@
	$(WITH_JWKS) $(TSAN_RUN) $(FFI_BUILD)/test_jwks-tsan $(CURDIR) @BASE@

c-server-test: ffi-lib
	@mkdir -p $(FFI_BUILD)
	$(FFI_CC) $(JWKS_CFLAGS) $(MHD_CFLAGS) -o $(FFI_BUILD)/server examples/c/server.c $(JWKS_DIR)/vf_jwks.c \
	    $(FFI_OUT)/libverifier.a $(MHD_LIBS) $(JWKS_LIBS) $(FFI_STATIC_LIBS)
	$(FFI_CC) $(JWKS_CFLAGS) $(MHD_CFLAGS) -fsanitize=thread -o $(FFI_BUILD)/server-tsan examples/c/server.c \
	    $(JWKS_DIR)/vf_jwks.c -L$(FFI_OUT) -lverifier -Wl,-rpath,$(FFI_OUT) $(MHD_LIBS) $(JWKS_LIBS)
	$(FFI_CC) $(JWKS_CFLAGS) $(MHD_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -o $(FFI_BUILD)/server-asan examples/c/server.c $(JWKS_DIR)/vf_jwks.c \
	    $(FFI_OUT)/libverifier.a $(MHD_LIBS) $(JWKS_LIBS) $(FFI_STATIC_LIBS)
	$(FFI_CC) $(JWKS_CFLAGS) -o $(FFI_BUILD)/load examples/c/load.c $(JWKS_LIBS)
	examples/c/server_test.sh $(FFI_BUILD)/server $(FFI_BUILD)/load $(C_SERVER_THREADS) $(C_SERVER_REQUESTS)
	examples/c/server_test.sh $(FFI_BUILD)/server $(FFI_BUILD)/load $(C_SERVER_THREADS) \
	    $(C_SERVER_REQUESTS_VALGRIND) $(VALGRIND)
	ASAN_OPTIONS=exitcode=67 examples/c/server_test.sh $(FFI_BUILD)/server-asan $(FFI_BUILD)/load \
	    $(C_SERVER_THREADS) $(C_SERVER_REQUESTS_TSAN)
	$(TSAN_RUN) examples/c/server_test.sh $(FFI_BUILD)/server-tsan $(FFI_BUILD)/load $(C_SERVER_THREADS) \
	    $(C_SERVER_REQUESTS_TSAN)

# Stack a verification takes, vf_claims on the stack vs vf_result (a figure, not a test).
.PHONY: ffi-stack-usage
ffi-stack-usage: ffi-lib
	@mkdir -p $(FFI_BUILD)
	$(FFI_CC) $(FFI_CFLAGS) -o $(FFI_BUILD)/stack_usage ffi/tests/c/stack_usage.c \
	    $(FFI_OUT)/libverifier.a $(FFI_STATIC_LIBS)
	$(FFI_BUILD)/stack_usage $(CURDIR)
