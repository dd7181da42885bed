/* SPDX-License-Identifier: MIT */
/* pam_cognito-credentials: the credential_process helper.
 *
 * AWS tools run it as the user (credential_process in ~/.aws/config) and read
 * temporary credentials as JSON on its stdout. It prints the credentials the
 * PAM module cached at login while they stay valid for --min-validity
 * seconds; after that it renews them with the refresh token the module left
 * in the store (REFRESH_TOKEN_AUTH, then GetCredentialsForIdentity),
 * updates the store atomically and prints the new ones.
 *
 * The user is getpwuid(getuid()), never $USER, $LOGNAME or $HOME: those are
 * whatever the caller's environment says (su, sudo, a hostile parent), and
 * the cache must be the real user's. The cache checks (owner, mode, no
 * symlinks) are the module's own, with the user's uid. The pool settings
 * come from the stored hand-over (the configuration file is root-only) and
 * pass the
 * same validation, endpoints included (https, or http to loopback only). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admit/logout_revoke.h"
#include "aws/session_creds.h"
#include "base/buf.h"
#include "base/secret.h"
#include "helper/cli.h"
#include "store/creds_doc.h"
#include "store/user_files.h"

#define PROG "pam_cognito-credentials"

struct opts {
  const char *cache_dir;
  long min_validity;
  int logout;
};

static void usage(FILE *f) {
  fprintf(f,
          "Usage: " PROG " [--cache-dir DIR] [--min-validity SECONDS]\n"
          "Print the AWS credentials of your last pam_cognito login as\n"
          "credential_process JSON, renewing them with the cached refresh\n"
          "token when they expire within SECONDS (default 300).\n"
          "Use in ~/.aws/config:\n"
          "  [default]\n"
          "  credential_process = " PROG "\n"
          "Options:\n"
          "  --cache-dir DIR         cache root (default %s)\n"
          "  --min-validity SECONDS  renew below this lifetime (0..43200)\n"
          "  --logout                revoke the refresh token at Cognito and\n"
          "                          remove your cached credentials (every\n"
          "                          session of yours on this host then\n"
          "                          needs a new login to renew)\n"
          "  --help, --version\n",
          PC_DEFAULT_CACHE_DIR);
}

static int on_opt(int c, const char *arg, void *ud) {
  struct opts *o = ud;
  char *end;

  switch (c) {
  case 'c':
    if (arg[0] != '/')
      cli_die("--cache-dir must be an absolute path");
    o->cache_dir = arg;
    return 0;
  case 'm':
    errno = 0;
    o->min_validity = strtol(arg, &end, 10);
    if (errno || end == arg || *end || o->min_validity < 0 ||
        o->min_validity > 43200)
      cli_die("--min-validity wants seconds between 0 and 43200");
    return 0;
  case 'l':
    o->logout = 1;
    return 0;
  default:
    return -1;
  }
}

static void parse_args(int argc, char **argv, struct opts *o) {
  static const struct option longopts[] = {
      {"cache-dir", required_argument, NULL, 'c'},
      {"min-validity", required_argument, NULL, 'm'},
      {"logout", no_argument, NULL, 'l'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
  };

  o->cache_dir = PC_DEFAULT_CACHE_DIR;
  o->min_validity = 300;
  o->logout = 0;
  cli_parse(argc, argv, "", longopts, usage, on_opt, o);
}

/* Who we are, from the kernel's idea of the real uid. */
static void who_am_i(char *name, size_t n, uid_t *uid, gid_t *gid) {
  struct passwd pw, *res = NULL;
  char buf[16384];

  *uid = getuid();
  if (getpwuid_r(*uid, &pw, buf, sizeof buf, &res) != 0 || res == NULL)
    cli_die("uid %lu has no passwd entry", (unsigned long)*uid);
  if (!pc_user_name_valid(pw.pw_name))
    cli_die("user name of uid %lu is not usable for the cache",
            (unsigned long)*uid);
  *gid = pw.pw_gid;
  (void)snprintf(name, n, "%s", pw.pw_name);
}

/* Print the credential_process document; 0 or -1. */
static int print_creds(const struct pc_aws_creds *cr) {
  char *doc = pc_creds_process_json(cr->access_key_id, cr->secret_access_key,
                                    cr->session_token, cr->expiration);
  int rc = -1;

  if (doc != NULL && fputs(doc, stdout) >= 0 && fputc('\n', stdout) != EOF &&
      fflush(stdout) == 0)
    rc = 0;
  pc_buf_string_free(&doc);
  return rc;
}

/* --logout: what the user may do alone. The refresh token is the user's
 * own (revoking it is the user's right); the root-only records (device,
 * account, sessions) stay, and a client with a secret cannot be revoked
 * from here (the secret is root's). */
static int logout(struct pc_store *s, const char *user) {
  struct pc_error e;
  int revoked = 0;

  if (pc_logout_revoke(s, NULL, &revoked, &e) != PC_OK)
    cli_die("%s", e.detail);
  printf(PROG ": %s logged out: %s, cached credentials removed\n", user,
         revoked ? "refresh token revoked" : "no refresh token was kept");
  return 0;
}

static void print_warnings(const struct pc_error *e) {
  int i;

  for (i = 0; i < e->n_notes && i < PC_NOTES_MAX; i++)
    if (e->note[i].status != PC_OK)
      fprintf(stderr, PROG ": warning: %s\n", e->note[i].text);
}

int main(int argc, char **argv) {
  struct opts o;
  struct pc_store s = PC_STORE_INIT;
  struct pc_aws_creds cr = {0};
  struct pc_error e;
  char user[PC_USER_NAME_MAX + 1];
  enum pc_store_load st;
  enum pc_status renewed;
  uid_t uid;
  gid_t gid;
  int rc;

  cli_set_prog(PROG);
  parse_args(argc, argv, &o);
  who_am_i(user, sizeof user, &uid, &gid);
  renewed = pc_store_open(&s, o.cache_dir, user, uid, gid, 0, &e);
  if (renewed == PC_ABSENT)
    cli_die("no cached credentials for %s: log in first", user);
  if (renewed != PC_OK)
    cli_die("%s", e.detail);
  if (o.logout) {
    rc = logout(&s, user);
    pc_store_close(&s);
    return rc;
  }
  st = pc_store_load_creds(&s, o.min_validity, &cr, &e);
  if (st == PC_STORE_REFUSED)
    fprintf(stderr, PROG ": warning: %s\n", e.detail);
  if (st != PC_STORE_LOADED) {
    renewed = pc_credentials_renew(&s, &cr, &e);
    print_warnings(&e);
    if (renewed == PC_ABSENT)
      cli_die(st != PC_STORE_ABSENT
                  ? "cached credentials for %s have expired and cannot be "
                    "renewed here: log in again"
                  : "no cached credentials for %s (logged out, or never "
                    "logged in here): log in first",
              user);
    if (renewed != PC_OK)
      cli_die("%s", e.detail);
  }
  rc = print_creds(&cr);
  pc_aws_creds_free(&cr);
  pc_store_close(&s);
  if (rc != 0)
    cli_die("cannot write to standard output");
  return 0;
}
