# shellcheck shell=bash
# Shared by fuzz/run-smoke, fuzz/run-long and tests/checks/sanitizers
# (sourced, not run): the target list (read from fuzz.mk), each target's
# dictionary, and the out-of-tree sanitizer build they share.
# Expects $top (the source tree) and $build (the build directory).

# The targets are fuzz.mk's FUZZ_TARGETS, the one list (fuzz/ prefix off).
# shellcheck disable=SC2207
targets=($(sed -n '/^FUZZ_TARGETS = /,/[^\\]$/p' "$top/fuzz.mk" |
  sed -e 's/^FUZZ_TARGETS = //' -e 's/\\$//' | tr ' \t' '\n\n' | sed -n 's#^fuzz/##p'))
[ ${#targets[@]} -gt 0 ] || { echo "no FUZZ_TARGETS in $top/fuzz.mk" >&2; exit 1; }

# The -dict= option of target $1 (nothing when it has none).
fuzz_dict() {
  local d=
  case $1 in
    fuzz_api_reply | fuzz_challenges | fuzz_identity | fuzz_flows) d=api_reply.dict ;;
    fuzz_config) d=config.dict ;;
    fuzz_jwt_creds) d=jwt_creds.dict ;;
    fuzz_store) d=store.dict ;;
    fuzz_jwks | fuzz_idtoken) d=jwks.dict ;;
    fuzz_account | fuzz_offline) d=records.dict ;;
    fuzz_sync) d=sync.dict ;;
    fuzz_sts) d=sts.dict ;;
    fuzz_passkey) d=passkey.dict ;;
  esac
  [ -n "$d" ] && echo "-dict=$top/fuzz/$d"
}

# One build serves the fuzzers and tests/checks/sanitizers: clang, lib/ and
# sync/ compiled once with ASan+UBSan and libFuzzer's coverage
# (-fsanitize=fuzzer-no-link, fuzz.mk), the fuzzers linked with libFuzzer,
# the unit tests with the sanitizers' runtimes only. Coverage hooks with no
# libFuzzer to call are the runtime's no-ops, so the unit tests run as in
# a plain ASan+UBSan build. The two must not run at once in one directory
# (tests/run has them in one lane, one after the other).
FUZZ_CFLAGS="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
FUZZ_LDFLAGS="-fsanitize=address,undefined"
# shellcheck disable=SC2034 # read by the scripts that source this one
fuzz_default_build=/tmp/pam_cognito-fuzz-$(printf %s "$top" | md5sum | cut -c1-8)

# Probe clang and libFuzzer and configure $build once with --enable-fuzzing
# and the flags above (again when it was configured otherwise). Prints why
# and returns non-zero when it cannot.
fuzz_configure() {
  local probe
  command -v clang >/dev/null ||
    { echo "clang not found (apt-get install clang libclang-rt-14-dev)"; return 1; }
  probe=$(mktemp -d /tmp/pc-fuzz-probe.XXXXXX) || return 1
  printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return d && n ? 0 : 0; }\n' >"$probe/p.c"
  if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
    cat "$probe/err"
    rm -rf "$probe"
    echo "clang cannot link libFuzzer (apt-get install libclang-rt-14-dev)"
    return 1
  fi
  rm -rf "$probe"
  # The same generated files the normal build uses; regenerate when stale.
  if ! { [ -x "$top/configure" ] && [ "$top/configure" -nt "$top/configure.ac" ] &&
         [ "$top/Makefile.in" -nt "$top/Makefile.am" ] &&
         [ "$top/Makefile.in" -nt "$top/fuzz.mk" ]; }; then
    (cd "$top" && autoreconf -fi) >/dev/null 2>&1 || { echo "autoreconf failed"; return 1; }
  fi
  mkdir -p "$build" || return 1
  # A build directory configured for another checkout would test that one.
  if [ -f "$build/config.status" ] && ! grep -qF "configured by $top/configure," "$build/config.status"; then
    echo "$build was configured for another source tree; set FUZZ_BUILD"
    return 1
  fi
  if [ ! -f "$build/Makefile" ] || ! grep -q -- '--enable-fuzzing' "$build/config.status" 2>/dev/null ||
     ! grep -q -- '--without-fido2' "$build/config.status" ||
     ! grep -qF -- "$FUZZ_CFLAGS" "$build/config.status"; then
    # Objects of other flags would stay (make does not see flags): start over.
    rm -rf "${build:?}"/*
    # --without-fido2: the passkey plugin is a shared object linked with
    # -z defs, which an ASan-instrumented object cannot be under clang (the
    # runtime is the executable's); nothing fuzzed or unit-tested needs it.
    (cd "$build" && CC=clang "$top/configure" -q --enable-fuzzing --without-fido2 \
       CFLAGS="$FUZZ_CFLAGS" LDFLAGS="$FUZZ_LDFLAGS") >"$build/configure.log" 2>&1 ||
      { tail -20 "$build/configure.log"; echo "configure failed"; return 1; }
  fi
}

# Configure as above and build the fuzzers.
fuzz_build() {
  fuzz_configure || return 1
  make -C "$build" -s -j"${FUZZ_JOBS:-$(nproc)}" fuzzers >"$build/make.log" 2>&1 ||
    { tail -30 "$build/make.log"; echo "build failed"; return 1; }
}

fuzz_env() {
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/fuzz/lsan.supp:print_suppressions=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
}
