# shellcheck shell=bash
# Shared by fuzz/run-smoke and fuzz/run-long (sourced, not run): the target
# list (read from fuzz.mk), each target's dictionary, and the out-of-tree
# sanitizer build.
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
  esac
  [ -n "$d" ] && echo "-dict=$top/fuzz/$d"
}

# Probe clang and libFuzzer, configure once with --enable-fuzzing, build.
# Prints why and returns non-zero when it cannot.
fuzz_build() {
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
  # A build directory configured for another checkout would fuzz that one.
  if [ -f "$build/config.status" ] && ! grep -qF "configured by $top/configure," "$build/config.status"; then
    echo "$build was configured for another source tree; set FUZZ_BUILD"
    return 1
  fi
  if [ ! -f "$build/Makefile" ] || ! grep -q -- '--enable-fuzzing' "$build/config.status" 2>/dev/null; then
    (cd "$build" && CC=clang "$top/configure" -q --enable-fuzzing) >"$build/configure.log" 2>&1 ||
      { tail -20 "$build/configure.log"; echo "configure failed"; return 1; }
  fi
  make -C "$build" -s -j"${FUZZ_JOBS:-$(nproc)}" fuzzers >"$build/make.log" 2>&1 ||
    { tail -30 "$build/make.log"; echo "build failed"; return 1; }
}

fuzz_env() {
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/fuzz/lsan.supp:print_suppressions=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
}
