# fuzz.mk: libFuzzer targets over lib/ and an allocation-failure driver.
# Included as the last line of Makefile.am. Built only with
#   CC=clang ./configure --enable-fuzzing && make fuzzers
# and run by fuzz/run-smoke; see fuzz/README.md.

EXTRA_DIST += fuzz/README.md fuzz/run-smoke fuzz/run-long fuzz/coverage fuzz/gen-corpus \
	fuzz/corpus fuzz/api_reply.dict fuzz/config.dict fuzz/jwt_creds.dict \
	fuzz/store.dict fuzz/jwks.dict fuzz/records.dict fuzz/sync.dict fuzz/sts.dict \
	fuzz/passkey.dict \
	fuzz/lsan.supp fuzz/fixture-key.pem

if ENABLE_FUZZING
# Errors abort (no UBSan recovery) so that libFuzzer sees them as crashes.
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -g

# In a fuzzing build lib/ and sync/ themselves carry the coverage and the
# sanitizers, compiled once: the fuzzers link them, and so do the unit
# tests that tests/checks/sanitizers runs in the same build (fuzz/common.sh
# configures it).
LIB_FUZZ_CFLAGS = $(FUZZ_SAN) -fsanitize=fuzzer-no-link

# Each target links libcognito.la (and libsync.la), instrumented above.
FUZZ_TARGETS = fuzz/fuzz_config fuzz/fuzz_api_reply fuzz/fuzz_srp \
	fuzz/fuzz_jwt_creds fuzz/fuzz_store fuzz/fuzz_jwks fuzz/fuzz_idtoken \
	fuzz/fuzz_account fuzz/fuzz_offline fuzz/fuzz_challenges fuzz/fuzz_sync \
	fuzz/fuzz_identity fuzz/fuzz_flows fuzz/fuzz_sts fuzz/fuzz_sshkeys \
	fuzz/fuzz_snapshot fuzz/fuzz_passkey
noinst_PROGRAMS = $(FUZZ_TARGETS) fuzz/alloc-fail-login

FUZZ_CC_FLAGS = $(AM_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer
FUZZ_LINK_FLAGS = $(FUZZ_SAN) -fsanitize=fuzzer
# The targets over files: fixture.c's fsync stand-in (see there).
FUZZ_FILE_LINK_FLAGS = $(FUZZ_LINK_FLAGS) -Wl,--wrap=fsync
FUZZ_FIXTURE = fuzz/fixture.c fuzz/fixture.h fuzz/fixture_keys.h
# SRP's modular exponentiations (milliseconds each, 3072 bits) replaced by
# a modular multiplication in the targets where the point is parsing: see
# fuzz/cheap_modexp.c.
FUZZ_SRP_LINK_FLAGS = $(FUZZ_LINK_FLAGS) -Wl,--wrap=BN_mod_exp_mont_consttime

fuzz_fuzz_sts_SOURCES = fuzz/fuzz_sts.c
fuzz_fuzz_sts_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_sts_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_fuzz_sts_LDADD = libcognito.la

fuzz_fuzz_passkey_SOURCES = fuzz/fuzz_passkey.c
fuzz_fuzz_passkey_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_passkey_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_fuzz_passkey_LDADD = libcognito.la

fuzz_fuzz_config_SOURCES = fuzz/fuzz_config.c
fuzz_fuzz_config_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_config_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_fuzz_config_LDADD = libcognito.la

fuzz_fuzz_api_reply_SOURCES = fuzz/fuzz_api_reply.c fuzz/canned.c \
	fuzz/canned.h fuzz/cheap_modexp.c
fuzz_fuzz_api_reply_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_api_reply_LDFLAGS = $(FUZZ_SRP_LINK_FLAGS)
fuzz_fuzz_api_reply_LDADD = libcognito.la

fuzz_fuzz_srp_SOURCES = fuzz/fuzz_srp.c fuzz/cheap_modexp.c
fuzz_fuzz_srp_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_srp_LDFLAGS = $(FUZZ_SRP_LINK_FLAGS)
fuzz_fuzz_srp_LDADD = libcognito.la

fuzz_fuzz_jwt_creds_SOURCES = fuzz/fuzz_jwt_creds.c
fuzz_fuzz_jwt_creds_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_jwt_creds_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_fuzz_jwt_creds_LDADD = libcognito.la

fuzz_fuzz_store_SOURCES = fuzz/fuzz_store.c $(FUZZ_FIXTURE)
fuzz_fuzz_store_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_store_LDFLAGS = $(FUZZ_FILE_LINK_FLAGS)
fuzz_fuzz_store_LDADD = libcognito.la

fuzz_fuzz_jwks_SOURCES = fuzz/fuzz_jwks.c $(FUZZ_FIXTURE)
fuzz_fuzz_jwks_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_jwks_LDFLAGS = $(FUZZ_FILE_LINK_FLAGS)
fuzz_fuzz_jwks_LDADD = libcognito.la

fuzz_fuzz_idtoken_SOURCES = fuzz/fuzz_idtoken.c $(FUZZ_FIXTURE) fuzz/canned.c fuzz/canned.h
fuzz_fuzz_idtoken_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_idtoken_LDFLAGS = $(FUZZ_FILE_LINK_FLAGS)
fuzz_fuzz_idtoken_LDADD = libcognito.la

fuzz_fuzz_account_SOURCES = fuzz/fuzz_account.c $(FUZZ_FIXTURE) fuzz/canned.c fuzz/canned.h
fuzz_fuzz_account_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_account_LDFLAGS = $(FUZZ_FILE_LINK_FLAGS)
fuzz_fuzz_account_LDADD = libcognito.la

fuzz_fuzz_offline_SOURCES = fuzz/fuzz_offline.c $(FUZZ_FIXTURE)
fuzz_fuzz_offline_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_offline_LDFLAGS = $(FUZZ_FILE_LINK_FLAGS) -Wl,--wrap=crypt_r
fuzz_fuzz_offline_LDADD = libcognito.la

fuzz_fuzz_challenges_SOURCES = fuzz/fuzz_challenges.c $(FUZZ_FIXTURE) fuzz/canned.c fuzz/canned.h
fuzz_fuzz_challenges_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_challenges_LDFLAGS = $(FUZZ_FILE_LINK_FLAGS)
fuzz_fuzz_challenges_LDADD = libcognito.la

fuzz_fuzz_sync_SOURCES = fuzz/fuzz_sync.c $(FUZZ_FIXTURE) fuzz/canned.c fuzz/canned.h
fuzz_fuzz_sync_CPPFLAGS = $(SYNC_CPPFLAGS)
fuzz_fuzz_sync_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_sync_LDFLAGS = $(FUZZ_FILE_LINK_FLAGS)
fuzz_fuzz_sync_LDADD = libsync.la libcognito.la

fuzz_fuzz_sshkeys_SOURCES = fuzz/fuzz_sshkeys.c
fuzz_fuzz_sshkeys_CPPFLAGS = $(SYNC_CPPFLAGS)
fuzz_fuzz_sshkeys_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_sshkeys_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_fuzz_sshkeys_LDADD = libsync.la libcognito.la

fuzz_fuzz_snapshot_SOURCES = fuzz/fuzz_snapshot.c
fuzz_fuzz_snapshot_CPPFLAGS = $(SYNC_CPPFLAGS)
fuzz_fuzz_snapshot_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_snapshot_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_fuzz_snapshot_LDADD = libsync.la libcognito.la

fuzz_fuzz_identity_SOURCES = fuzz/fuzz_identity.c $(FUZZ_FIXTURE) fuzz/canned.c \
	fuzz/canned.h
fuzz_fuzz_identity_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_identity_LDFLAGS = $(FUZZ_FILE_LINK_FLAGS)
fuzz_fuzz_identity_LDADD = libcognito.la

fuzz_fuzz_flows_SOURCES = fuzz/fuzz_flows.c $(FUZZ_FIXTURE) fuzz/canned.c \
	fuzz/canned.h fuzz/cheap_modexp.c
fuzz_fuzz_flows_CFLAGS = $(FUZZ_CC_FLAGS)
fuzz_fuzz_flows_LDFLAGS = $(FUZZ_FILE_LINK_FLAGS) \
	-Wl,--wrap=BN_mod_exp_mont_consttime
fuzz_fuzz_flows_LDADD = libcognito.la

# Not a libFuzzer target: its own main, every allocation made by lib/ and
# the driver, the json-c constructors lib/ calls, and (with -o) OpenSSL's
# allocations routed through failalloc.c.
fuzz_alloc_fail_login_SOURCES = fuzz/alloc_fail_login.c fuzz/failalloc.c \
	fuzz/failalloc.h fuzz/canned.c fuzz/canned.h
fuzz_alloc_fail_login_CFLAGS = $(AM_CFLAGS) $(FUZZ_SAN)
fuzz_alloc_fail_login_LDFLAGS = $(FUZZ_SAN) \
	-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup \
	-Wl,--wrap=json_object_new_object,--wrap=json_object_new_string \
	-Wl,--wrap=json_object_object_add,--wrap=json_tokener_new_ex \
	-Wl,--wrap=json_tokener_parse \
	-Wl,--wrap=json_object_to_json_string_length
fuzz_alloc_fail_login_LDADD = libcognito.la

fuzzers: $(noinst_PROGRAMS)
else
LIB_FUZZ_CFLAGS =
fuzzers:
	@echo "fuzzers: configure with CC=clang --enable-fuzzing" >&2; exit 1
endif
.PHONY: fuzzers
libcognito_la_CFLAGS = $(AM_CFLAGS) $(LIB_FUZZ_CFLAGS)
libsync_la_CFLAGS = $(AM_CFLAGS) $(LIB_FUZZ_CFLAGS)
