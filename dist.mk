# dist.mk: what a distribution ships besides the module and the helper.
# Included as the last line of Makefile.am ("include $(srcdir)/dist.mk").
#
#   man pages          pam_cognito(8), pam_cognito.conf(5),
#                      pam_cognito-credentials(1), hand-written roff;
#                      pam_cognito-passkey(1) with the tool only
#   example config     $(sconfdir)/pam_cognito.conf.example; the real
#                      pam_cognito.conf is the administrator's and is never
#                      installed, overwritten or removed by make
#   pam-auth-update    $(datadir)/pam-configs/cognito (Debian and
#                      derivatives; see debian/README.Debian for why its
#                      Priority is 128, below pam_unix's 256)
#   make check-man     lint the man pages (mandoc and groff, no output
#                      allowed)
#   make installcheck  verify the installed layout (run by distcheck too)

dist_man_MANS = \
	man/pam_cognito.8 \
	man/pam_cognito.conf.5 \
	man/pam_cognito-credentials.1 \
	man/pam_cognito-sync.8

# pam_cognito-passkey(1) is installed only with the tool it documents (a
# build without libfido2 has none); it is distributed and linted always.
PASSKEY_MAN = man/pam_cognito-passkey.1
EXTRA_DIST += $(PASSKEY_MAN)
if HAVE_FIDO2
man_MANS = $(PASSKEY_MAN)
endif

# Installed under its .example name only: "make install" on a configured
# host must not replace the file that holds the pool and client secret.
dist_sconf_DATA = conf/pam_cognito.conf.example

# pam-auth-update reads every file in this directory as a profile, so only
# the profile itself may be installed there (no README, no backup files).
pamconfigsdir = $(datadir)/pam-configs
dist_pamconfigs_DATA = conf/pam-configs/cognito

# pam_cognito-sync: the nsswitch.conf switch and the systemd units (the
# service names the installed paths, so it is generated).
dist_sbin_SCRIPTS = scripts/pam_cognito-nsswitch
systemdsystemunitdir = @systemdsystemunitdir@
nodist_systemdsystemunit_DATA = conf/systemd/pam_cognito-sync.service
dist_systemdsystemunit_DATA = conf/systemd/pam_cognito-sync.timer
CLEANFILES = conf/systemd/pam_cognito-sync.service
conf/systemd/pam_cognito-sync.service: $(srcdir)/conf/systemd/pam_cognito-sync.service.in Makefile
	$(MKDIR_P) conf/systemd
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sconfdir[@]|$(sconfdir)|g' \
	  $(srcdir)/conf/systemd/pam_cognito-sync.service.in >$@.tmp && mv $@.tmp $@

EXTRA_DIST += \
	conf/systemd/pam_cognito-sync.service.in \
	tests/sync \
	debian/README.Debian \
	debian/changelog \
	debian/control \
	debian/copyright \
	debian/libpam-cognito.dirs \
	debian/postinst \
	debian/postrm \
	debian/prerm \
	debian/rules \
	debian/source/format \
	docker/Dockerfile.demo \
	docker/Dockerfile.demo.dockerignore \
	docker/Dockerfile.test \
	docker/Dockerfile.test.dockerignore \
	docker/README.md \
	tests/checks/run \
	tests/checks/layering \
	docs/ARCHITECTURE.md

# ---- man page lint ----
MANDOC = mandoc
GROFF = groff

check-man:
	@rc=0; \
	for m in $(dist_man_MANS) $(PASSKEY_MAN); do \
	  f=$(srcdir)/$$m; \
	  out=`$(MANDOC) -T lint -W warning "$$f" 2>&1; \
	       $(GROFF) -man -ww -z "$$f" 2>&1`; \
	  if test -n "$$out"; then \
	    printf '%s\n' "$$out"; echo "FAIL: man-lint $$m"; rc=1; \
	  else \
	    echo "PASS: man-lint $$m"; \
	  fi; \
	done; \
	exit $$rc

# ---- the installed layout ----
# The module is 0644 with no .la beside it (install-exec-hook in
# Makefile.am), the helper is executable, and every page and data file is
# where the FILES sections of the man pages say.
installcheck-local:
	@set -e; \
	so='$(DESTDIR)$(pamdir)/pam_cognito.so'; \
	test -f "$$so" || { echo "installcheck: missing $$so"; exit 1; }; \
	test -n "`find "$$so" -perm 0644`" || \
	  { echo "installcheck: $$so is not mode 0644"; exit 1; }; \
	test ! -e '$(DESTDIR)$(pamdir)/pam_cognito.la' || \
	  { echo "installcheck: pam_cognito.la left in $(pamdir)"; exit 1; }; \
	test -x '$(DESTDIR)$(bindir)/pam_cognito-credentials' || \
	  { echo "installcheck: missing $(bindir)/pam_cognito-credentials"; exit 1; }; \
	for f in pam_cognito-sync pam_cognito-nsswitch; do \
	  test -x "$(DESTDIR)$(sbindir)/$$f" || \
	    { echo "installcheck: missing $(sbindir)/$$f"; exit 1; }; \
	done; \
	grep -q '^ExecStart=$(sbindir)/pam_cognito-sync ' \
	  '$(DESTDIR)$(systemdsystemunitdir)/pam_cognito-sync.service' || \
	  { echo "installcheck: pam_cognito-sync.service lacks ExecStart"; exit 1; }; \
	for f in '$(DESTDIR)$(man8dir)/pam_cognito.8' \
	         '$(DESTDIR)$(man5dir)/pam_cognito.conf.5' \
	         '$(DESTDIR)$(man1dir)/pam_cognito-credentials.1' \
	         '$(DESTDIR)$(man8dir)/pam_cognito-sync.8' \
	         '$(DESTDIR)$(systemdsystemunitdir)/pam_cognito-sync.timer' \
	         '$(DESTDIR)$(sconfdir)/pam_cognito.conf.example' \
	         '$(DESTDIR)$(pamconfigsdir)/cognito'; do \
	  test -f "$$f" || { echo "installcheck: missing $$f"; exit 1; }; \
	done; \
	echo "installcheck: layout OK"

.PHONY: check-man
