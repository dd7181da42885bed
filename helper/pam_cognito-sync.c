/* SPDX-License-Identifier: MIT */
/* pam_cognito-sync: members of chosen Cognito groups become local users and
 * groups through libnss-extrausers' files. See pam_cognito-sync(8). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "admit/access.h"
#include "admit/account_stage.h"
#include "admit/logout_revoke.h"
#include "config/cfg.h"
#include "helper/cli.h"
#include "net/api.h"
#include "net/http.h"
#include "store/cachedir.h"
#include "sync/adminapi.h"
#include "sync/aws_chain.h"
#include "sync/nssbuild.h"
#include "sync/nssfiles.h"
#include "sync/nssstate.h"
#include "sync/poolsnap.h"
#include "sync/sshkeys.h"
#include "sync/sudorules.h"
#include "sync/localgroups.h"
#include "sync/nsswitch.h"
#include "sync/sessions.h"
#include "sync/plan.h"
#include "sync/backoff.h"
#include "sync/clientcheck.h"
#include "sync/s3.h"
#include "sync/snapshot_fetch.h"
#include "sync/snapshot_serial.h"
#include "sync/snapshot_sign.h"

#define PROG "pam_cognito-sync"

struct opts {
  const char *config;
  const char *export_file;
  const char *import_file;
  const char *publish_url;
  const char *signing_key;
  const char *root; /* --root: "" for none, else a directory, no final / */
  int quiet;
};

/* Every system path the run reads and writes, below --root. */
struct sys_paths {
  char etc_passwd[4096], etc_group[4096];
  char sudoers_main[4096], sudoers_dir[4096], sudoers_out[4096];
  char nsswitch[4096];
  const char *sudoers[3]; /* read for privileged %groups, NULL-ended */
};

/* Every line may carry names from the pool: control characters are
 * replaced before they reach a terminal or the journal. */
__attribute__((format(printf, 2, 3))) static void note(void *ud,
                                                       const char *fmt, ...) {
  const struct opts *o = ud;
  char line[1024], clean[1024];
  va_list ap;

  if (o->quiet)
    return;
  va_start(ap, fmt);
  (void)vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  pc_sanitize(clean, sizeof(clean), line);
  fprintf(stderr, PROG ": %s\n", clean);
}

static void usage(FILE *f) {
  fprintf(f,
          "Usage: " PROG " [--config FILE] [--export FILE | --import FILE]\n"
          "Write the members of the Cognito groups named by nss_groups as\n"
          "users and groups in nss_dir (passwd, group, shadow) for\n"
          "libnss-extrausers.\n"
          "Options:\n"
          "  -c, --config FILE   configuration (default %s)\n"
          "  --export FILE       fetch from Cognito and write FILE only\n"
          "  --import FILE       build the files from FILE, no network\n"
          "  --publish URL       fetch from Cognito, sign with --signing-key\n"
          "                      FILE and PUT the snapshot at URL (s3://)\n"
          "  --root DIR          read and write the system's files below DIR\n"
          "                      (/etc/passwd, /etc/group, sudoers, nss_dir)\n"
          "  -q, --quiet         do not report users left out\n"
          "  --plan HOSTS INTERVAL [MEMBERS [GROUPS [CLIENTS]]]\n"
          "                      print the fleet's request rates, no config\n"
          "  --help, --version\n",
          PC_DEFAULT_CONFIG);
}

static int on_opt(int c, const char *arg, void *ud) {
  struct opts *o = ud;

  switch (c) {
  case 'c':
    o->config = arg;
    return 0;
  case 'e':
    o->export_file = arg;
    return 0;
  case 'i':
    o->import_file = arg;
    return 0;
  case 'q':
    o->quiet = 1;
    return 0;
  case 'P':
    o->publish_url = arg;
    return 0;
  case 'K':
    o->signing_key = arg;
    return 0;
  case 'R':
    o->root = arg;
    return 0;
  default:
    return -1;
  }
}

/* --root DIR: an absolute path to a directory, kept without its final
 * slashes ("" for / or none). */
static void set_root(struct opts *o) {
  struct stat st;
  size_t n;

  if (o->root == NULL) {
    o->root = "";
    return;
  }
  if (o->root[0] != '/')
    cli_die("--root %s: not an absolute path", o->root);
  if (stat(o->root, &st) != 0 || !S_ISDIR(st.st_mode))
    cli_die("--root %s: not a directory", o->root);
  n = strlen(o->root);
  while (n > 0 && o->root[n - 1] == '/')
    n--;
  o->root = strndup(o->root, n);
  if (o->root == NULL)
    cli_die("out of memory");
}

/* path below --root (as given without one) into out. */
static void below(const struct opts *o, const char *path, char *out,
                  size_t size) {
  if ((size_t)snprintf(out, size, "%s%s", o->root, path) >= size)
    cli_die("--root: %s%s: path too long", o->root, path);
}

static void sys_paths(const struct opts *o, struct sys_paths *p) {
  below(o, "/etc/passwd", p->etc_passwd, sizeof(p->etc_passwd));
  below(o, "/etc/group", p->etc_group, sizeof(p->etc_group));
  below(o, "/etc/sudoers", p->sudoers_main, sizeof(p->sudoers_main));
  below(o, "/etc/sudoers.d", p->sudoers_dir, sizeof(p->sudoers_dir));
  below(o, PC_SUDOERS_FILE, p->sudoers_out, sizeof(p->sudoers_out));
  below(o, "/etc/nsswitch.conf", p->nsswitch, sizeof(p->nsswitch));
  p->sudoers[0] = p->sudoers_main;
  p->sudoers[1] = p->sudoers_dir;
  p->sudoers[2] = NULL;
}

/* nss_dir (checked absolute) moved below --root. */
static void root_nss_dir(struct pc_config *cfg, const struct opts *o) {
  char dir[4096];

  if (o->root[0] == '\0')
    return;
  below(o, cfg->nss_dir, dir, sizeof(dir));
  free(cfg->nss_dir);
  cfg->nss_dir = strdup(dir);
  if (cfg->nss_dir == NULL)
    cli_die("out of memory");
}

static void parse_args(int argc, char **argv, struct opts *o) {
  static const struct option longopts[] = {
      {"config", required_argument, NULL, 'c'},
      {"export", required_argument, NULL, 'e'},
      {"import", required_argument, NULL, 'i'},
      {"quiet", no_argument, NULL, 'q'},
      {"publish", required_argument, NULL, 'P'},
      {"signing-key", required_argument, NULL, 'K'},
      {"root", required_argument, NULL, 'R'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
  };

  memset(o, 0, sizeof(*o));
  o->config = PC_DEFAULT_CONFIG;
  cli_parse(argc, argv, "c:q", longopts, usage, on_opt, o);
  if (o->export_file != NULL && o->import_file != NULL)
    cli_die("--export and --import exclude each other");
  if ((o->publish_url != NULL) != (o->signing_key != NULL))
    cli_die("--publish and --signing-key go together");
  if (o->publish_url != NULL &&
      (o->export_file != NULL || o->import_file != NULL))
    cli_die("--publish excludes --export and --import");
  if (o->root != NULL && (o->publish_url != NULL || o->export_file != NULL))
    cli_die("--root is for a run that writes the files: not with --publish "
            "or --export");
  set_root(o);
}

struct fill {
  struct pc_snap *snap;
  const struct pc_config *cfg;
  struct opts *o;
  const char *group;
};

static int add_user(json_object *user, void *ud) {
  struct fill *f = ud;
  struct pc_error skipped;
  enum pc_status st = pc_snap_add_user(f->snap, f->cfg, user, &skipped);

  if (st == PC_ERR_PROTOCOL) /* a record without a name or sub */
    note(f->o, "group %s: %s left out", f->group, skipped.detail);
  return st == PC_OK || st == PC_ERR_PROTOCOL ? 0 : -1;
}

/* The attributes the sync takes names, uids and keys from that a user
 * might write (NULL-terminated, roles beside): uid_attribute,
 * ssh_keys_attribute, and login_claim
 * unless it is the user name or sub; for email and phone_number it is the
 * verified flag that must be out of the users' reach (a user may change
 * the address; poolsnap drops it until verified). */
static size_t trusted_attrs(const struct pc_config *cfg, const char *attrs[4],
                            const char *roles[4]) {
  const char *claim = cfg->login_claim;
  size_t n = 0;

  if (cfg->uid_attribute != NULL) {
    attrs[n] = cfg->uid_attribute;
    roles[n++] = "uid_attribute";
  }
  if (cfg->ssh_keys_attribute != NULL) {
    attrs[n] = cfg->ssh_keys_attribute;
    roles[n++] = "ssh_keys_attribute";
  }
  if (strcmp(claim, "email") == 0 || strcmp(claim, "phone_number") == 0) {
    attrs[n] = strcmp(claim, "email") == 0 ? "email_verified"
                                           : "phone_number_verified";
    roles[n++] = "login_claim's verified flag";
  } else if (strcmp(claim, "cognito:username") != 0 &&
             strcmp(claim, "sub") != 0) {
    attrs[n] = claim;
    roles[n++] = "login_claim";
  }
  attrs[n] = roles[n] = NULL;
  return n;
}

/* A failed read of the pool: the requests made are said, and a throttled
 * one makes the next runs wait (backoff.h). Does not return. */
static void fetch_failed(const struct pc_config *cfg, enum pc_status st,
                         const struct pc_error *e, long pages, struct opts *o) {
  struct pc_error be;
  long long until;

  note(o, "%ld requests to Cognito before the failure", pages);
  pc_error_clear(&be);
  if (st == PC_ERR_LIMIT &&
      pc_backoff_throttled(cfg, (long long)time(NULL), &until, &be) == PC_OK)
    cli_die("%s; the previous files are left as they were; throttled: no "
            "direct read before %lld (%lld s)",
            e->detail, until, until - (long long)time(NULL));
  cli_die("%s%s; the previous files are left as they were", e->detail,
          st == PC_ABSENT ? " (nss_groups)" : "");
}

/* No app client lets its users write a trusted attribute: checked, or a
 * check of the last hours stands (clientcheck.h). Only a run that writes
 * the files keeps a pass: the publisher, which every host trusts, and an
 * export check every time (and leave nss_dir alone). Dies when not. */
static void check_clients(const struct pc_config *cfg, struct pc_client *cl,
                          const char *const *attrs, const char *const *roles,
                          long *pages, struct opts *o) {
  struct pc_error e, n;
  long long expires = 0;
  int cached = 0;
  enum pc_status st;

  pc_error_clear(&e);
  st = pc_clientcheck(cl, cfg, attrs, roles,
                      o->export_file == NULL && o->publish_url == NULL,
                      (long long)time(NULL), pages, &cached, &expires, &n, &e);
  if (n.detail[0] != '\0')
    note(o, "app client check not remembered: %s", n.detail);
  if (st != PC_OK)
    fetch_failed(cfg, st, &e, *pages, o);
  if (cached)
    note(o,
         "app clients: the check that passed earlier stands until %lld "
         "(no client read this run)",
         expires);
  else if (expires != 0)
    note(o, "app clients checked; not again before %lld", expires);
}

/* A throttled run asked Cognito to wait: until then, no request and no
 * file written, and the exit status says so (EX_TEMPFAIL), so that a timer
 * unit does not look healthy while the files age. Said even with -q. */
static void maybe_wait(const struct pc_config *cfg) {
  struct pc_error e;
  long long until, now = (long long)time(NULL);
  char when[64];
  enum pc_status st;

  pc_error_clear(&e);
  st = pc_backoff_check(cfg, now, &until, &e);
  if (st == PC_ERR_LIMIT) {
    time_t t = (time_t)until;
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL ||
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
      (void)snprintf(when, sizeof(when), "%lld", until);
    fprintf(stderr,
            PROG ": backing off after Cognito throttled an earlier run: no "
                 "request before %s (%lld, in %lld s); the files in place "
                 "stay as they are (exit %d)\n",
            when, until, until - now, EX_TEMPFAIL);
    exit(EX_TEMPFAIL);
  }
  if (st != PC_OK)
    cli_die("%s", e.detail);
}

/* The AWS keys of a run that reads Cognito, after the back-off check (a
 * backing-off run exits EX_TEMPFAIL first). The caller frees them with
 * pc_chain_creds_free. */
static void load_creds(const struct pc_config *cfg, struct pc_chain_creds *cr) {
  struct pc_error e;

  maybe_wait(cfg);
  pc_error_clear(&e);
  if (pc_chain_creds_load(cfg, cr, &e) != PC_OK)
    cli_die("AWS credentials: %s", e.detail);
}

/* The members of every synced group, from Cognito, signed with cr (from
 * load_creds; the caller keeps and frees them). */
static void fetch(const struct pc_config *cfg, char *const *groups,
                  struct opts *o, const struct pc_chain_creds *cr,
                  struct pc_snap *snap) {
  struct pc_client cl;
  struct pc_http *http;
  struct fill f = {snap, cfg, o, NULL};
  const char *attrs[4], *roles[4];
  enum pc_status st;
  struct pc_error e;
  long pages = 0;
  size_t i;

  pc_error_clear(&e);
  http = pc_http_new(cfg->timeout, cfg->ca_file);
  if (http == NULL ||
      pc_http_set_aws_sigv4(http, cfg->region, "cognito-idp", cr->key_id,
                            cr->secret, cr->token) != 0)
    cli_die("cannot set up HTTPS with SigV4 signing (libcurl 7.75 or later)");
  note(o, "AWS credentials from the %s (%s)", cr->where, cr->key_id);
  if (pc_client_init(&cl, cfg, http) != PC_OK)
    cli_die("cannot set up the Cognito client");
  /* A uid or name a user can set is no identity: refuse the run. */
  if (trusted_attrs(cfg, attrs, roles) > 0)
    check_clients(cfg, &cl, attrs, roles, &pages, o);
  for (i = 0; groups[i] != NULL; i++) {
    f.group = groups[i];
    if (pc_snap_add_group(snap, groups[i]) != 0)
      cli_die("out of memory");
    st = pc_admin_list_users_in_group(&cl, groups[i], add_user, &f, &pages, &e);
    if (st != PC_OK)
      fetch_failed(cfg, st, &e, pages, o);
  }
  note(o, "%ld requests to %s", pages, cl.idp_url);
  if (pc_backoff_clear(cfg, &e) != PC_OK)
    cli_die("%s", e.detail);
  pc_client_free(&cl);
}

/* Keep only the groups this host syncs: an export may carry more (one
 * file for hosts with different nss_groups), and a group it lacks is an
 * error, as a group missing from the pool is in a live run. */
static void filter_groups(struct pc_snap *snap, char *const *groups,
                          const char *from, struct opts *o) {
  size_t i, k = 0;

  for (i = 0; groups[i] != NULL; i++) {
    size_t j;

    for (j = 0; j < snap->n; j++)
      if (strcmp(snap->groups[j].name, groups[i]) == 0)
        break;
    if (j == snap->n)
      cli_die("%s: group %s (nss_groups) is not in the export; the previous "
              "files are left as they were",
              from, groups[i]);
  }
  for (i = 0; i < snap->n; i++) {
    if (pc_config_list_has(groups, snap->groups[i].name)) {
      snap->groups[k++] = snap->groups[i];
      continue;
    }
    note(o, "group %s of the export left out: not in nss_groups",
         snap->groups[i].name);
    pc_snap_group_free(&snap->groups[i]);
  }
  snap->n = k;
}

/* --publish: the pool read once, signed, PUT at the URL. The serial is
 * the publisher's clock in milliseconds, or one more than the last one
 * published when the clock went back (snapshot_serial.h): hosts refuse a
 * lower one. */
static void publish(const struct pc_config *cfg, char *const *groups,
                    struct opts *o) {
  struct pc_chain_creds cr;
  struct pc_snap snap;
  struct timespec ts;
  struct pc_error e;
  long long serial;
  char *blob;
  size_t len;

  memset(&snap, 0, sizeof(snap));
  blob = pc_s3_http_url(cfg, o->publish_url);
  if (blob == NULL)
    cli_die("--publish %s: expected s3://bucket/key (no . or .. segment, no "
            "control character), an https:// URL or http:// to a loopback "
            "host; nothing was read or published",
            o->publish_url);
  free(blob);
  pc_error_clear(&e);
  if (pc_snapshot_check_key(o->signing_key, &e) != PC_OK)
    cli_die("--signing-key: %s; nothing was read or published", e.detail);
  (void)clock_gettime(CLOCK_REALTIME, &ts);
  if (pc_snapshot_serial_next(
          cfg, (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, &serial,
          &e) != PC_OK)
    cli_die("%s; nothing was read or published", e.detail);
  load_creds(cfg, &cr); /* once: for Cognito and for the PUT */
  fetch(cfg, groups, o, &cr, &snap);
  (void)clock_gettime(CLOCK_REALTIME, &ts);
  pc_error_clear(&e);
  if (pc_snapshot_seal(cfg, &snap, serial, (long long)ts.tv_sec, o->signing_key,
                       &blob, &len, &e) != PC_OK) {
    pc_chain_creds_free(&cr);
    cli_die("%s", e.detail);
  }
  if (pc_s3_put(cfg, &cr, o->publish_url, blob, len, &e) != PC_OK) {
    pc_chain_creds_free(&cr);
    cli_die("%s; the snapshot in place is left as it was", e.detail);
  }
  pc_chain_creds_free(&cr);
  note(o, "snapshot serial %lld (%zu bytes, %zu groups) published to %s",
       serial, len, snap.n, o->publish_url);
  free(blob);
  pc_snap_free(&snap);
}

/* snapshot_url: the signed snapshot instead of Cognito; on a 304 the kept
 * copy of the one applied last, applied again (the host's configuration
 * may have changed). Exits 1 on a refusal with the files in place kept. */
static void snapshot_in(const struct pc_config *cfg, char *const *groups,
                        struct opts *o, struct pc_snap *snap,
                        struct pc_snapshot_state *next) {
  struct pc_error e;
  enum pc_status st;

  pc_error_clear(&e);
  st = pc_snapshot_fetch(cfg, (long long)time(NULL), snap, next, &e);
  if (st != PC_OK && st != PC_ABSENT)
    cli_die("%s; the previous files are left as they were", e.detail);
  if (st == PC_ABSENT)
    note(o,
         "snapshot serial %lld unchanged (1 request: GET, 304 Not Modified): "
         "the kept copy applied again, signature good",
         next->serial);
  else
    note(o, "snapshot serial %lld of %s (1 request: GET), signature good",
         next->serial, cfg->snapshot_url);
  filter_groups(snap, groups, cfg->snapshot_url, o);
}

/* The pool's members from where this run takes them: an --import file,
 * the signed snapshot (snapshot_url; not for --export), or Cognito. */
static void read_pool(const struct pc_config *cfg, char *const *groups,
                      struct opts *o, struct pc_snap *snap,
                      struct pc_snapshot_state *snapst) {
  struct pc_chain_creds cr;
  struct pc_error e;

  pc_error_clear(&e);
  if (o->import_file != NULL) {
    if (pc_snap_import(snap, o->import_file, &e) != 0)
      cli_die("%s", e.detail);
    filter_groups(snap, groups, o->import_file, o);
  } else if (cfg->snapshot_url != NULL && o->export_file == NULL) {
    snapshot_in(cfg, groups, o, snap, snapst);
  } else {
    load_creds(cfg, &cr);
    fetch(cfg, groups, o, &cr, snap);
    pc_chain_creds_free(&cr);
  }
}

/* Every file of the run, in the order that lets a refusal change nothing:
 * the local groups checked and the sudoers file staged and checked by
 * visudo first, then the account
 * files, then the sudoers file renamed into place (or an earlier one
 * removed), the SSH keys and the state. */
static void write_all(const struct pc_config *cfg, const struct pc_snap *snap,
                      const struct sys_paths *sp, struct pc_nss_db *db,
                      struct opts *o, time_t read_at,
                      struct pc_syncstate *now_out) {
  struct pc_syncstate now;
  const char *sudoers = sp->sudoers_out;
  struct pc_error e;
  char *sudo_tmp;
  int rm;

  if (pc_nss_state_make(cfg, snap, db, pc_access_rules_admit, read_at, &now) !=
      0)
    cli_die("out of memory");
  if (pc_local_groups_build(cfg, &now, sp->etc_group, note, o, db, &e) !=
          PC_OK ||
      pc_sudo_stage(cfg, &now, sudoers, &sudo_tmp, &e) != PC_OK)
    cli_die("%s; the previous files are left as they were", e.detail);
  if (pc_nss_write(cfg, db, &e) != PC_OK) {
    if (sudo_tmp != NULL)
      (void)unlink(sudo_tmp);
    cli_die("%s; the previous files are left as they were", e.detail);
  }
  note(o, "%zu users and %zu groups written to %s", db->nu, db->ng,
       cfg->nss_dir);
  if (sudo_tmp != NULL && pc_nss_commit_file(sudo_tmp, sudoers, &e) != PC_OK)
    cli_die("%s", e.detail);
  if (sudo_tmp != NULL)
    note(o, "sudo rules written to %s", sudoers);
  else if (pc_sudo_remove(sudoers, &rm, &e) != PC_OK)
    cli_die("%s", e.detail);
  else if (rm)
    note(o, "sudo_rules is not set: removed %s", sudoers);
  if (pc_sshkeys_write(cfg, snap, db, note, o, &e) != 0)
    cli_die("SSH keys: %s", e.detail);
  if (pc_nss_state_write(cfg, &now, &e) != 0)
    cli_die("%s", e.detail);
  *now_out = now;
}

/* The holder of uid in st other than name, or NULL. */
static const char *other_holder(const struct pc_syncstate *st, long uid,
                                const char *name) {
  size_t i;

  for (i = 0; i < st->n; i++)
    if (st->users[i].uid == uid && strcmp(st->users[i].name, name) != 0)
      return st->users[i].name;
  return NULL;
}

/* end_sessions for one user of the last run who lost access: processes
 * ended, refresh tokens revoked, a syslog line. 0, or -1 on a failure. */
static int end_one(const struct pc_config *cfg, const struct pc_synced_user *u,
                   const struct pc_syncstate *now, const char *why,
                   struct opts *o) {
  const char *holder = other_holder(now, u->uid, u->name);
  int ended = 0, logind = 0, revoked = 0, handed = 0, rc = 0;
  struct pc_error e, r;

  pc_error_clear(&e);
  pc_error_clear(&r);
  if (holder == NULL && pc_sessions_end(u->uid, &ended, &logind, &e) != PC_OK)
    rc = -1;
  if (pc_account_revoke(cfg, u->name, (uid_t)u->uid, &revoked, &r) != PC_OK)
    rc = -1;
  /* Still an account here (synced, no longer allowed): the helper's copy. */
  if (pc_syncstate_find(now, u->name, u->uid) != NULL &&
      pc_logout_user(cfg, u->name, &handed, &r) != PC_OK)
    rc = -1;
  syslog(LOG_NOTICE,
         "user %s (uid %ld) lost access (%s): %s%d processes ended%s; refresh "
         "token %s%s%s",
         u->name, u->uid, why, holder ? "uid now held by another user, " : "",
         ended, logind ? " (loginctl terminate-user)" : "",
         revoked || handed ? "revoked" : "none kept", e.detail[0] ? "; " : "",
         e.detail[0] ? e.detail : r.detail);
  note(o,
       "user %s (uid %ld) lost access (%s): %d processes ended; refresh "
       "token %s%s%s",
       u->name, u->uid, why, ended, revoked || handed ? "revoked" : "none kept",
       rc ? "; " : "", rc ? (e.detail[0] ? e.detail : r.detail) : "");
  return rc;
}

/* Users the last run admitted that this one does not: with end_sessions,
 * their sessions end. 0, or -1 when one could not be ended. */
static int end_lost(const struct pc_config *cfg,
                    const struct pc_syncstate *prev,
                    const struct pc_syncstate *now, struct opts *o) {
  size_t i;
  int rc = 0;

  openlog(PROG, LOG_PID, LOG_AUTHPRIV);
  for (i = 0; i < prev->n; i++) {
    const struct pc_synced_user *u = &prev->users[i],
                                *n = pc_syncstate_find(now, u->name, u->uid);

    if (!u->admitted || (n != NULL && n->admitted))
      continue;
    if (!cfg->end_sessions) {
      note(o, "user %s lost access; end_sessions is off: sessions left open",
           u->name);
      continue;
    }
    if (end_one(cfg, u, now,
                n != NULL ? "no longer in allowed_users or allowed_groups"
                          : "disabled, deleted or out of every synced group",
                o) != 0)
      rc = -1;
  }
  closelog();
  return rc;
}

/* The last run's state; none (a first run, or one that cannot be read:
 * said so) is empty. */
static void load_prev(const struct pc_config *cfg, struct pc_syncstate *prev,
                      struct opts *o) {
  struct pc_error e;
  enum pc_status st;

  pc_error_clear(&e);
  st = pc_syncstate_load(cfg, prev, &e);
  if (st != PC_OK && st != PC_ERR_USER_UNKNOWN)
    note(o, "the last run's state: %s; no one's sessions are ended this run",
         e.detail);
}

/* A count or a duration (INTERVAL: seconds, or with s, m or h), > 0. */
static long plan_number(const char *what, const char *s, int duration) {
  char *end;
  long v, unit = 1;

  errno = 0;
  v = strtol(s, &end, 10);
  if (duration && end != s && end[0] != '\0' && end[1] == '\0')
    unit = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 : 0;
  else if (end[0] != '\0')
    unit = 0;
  if (errno != 0 || end == s || unit == 0 || v <= 0 || v > 100000000)
    cli_die("--plan: %s '%s' is not a positive %s", what, s,
            duration ? "number of seconds (or with s, m, h)" : "number");
  return v * unit;
}

/* --plan HOSTS INTERVAL [MEMBERS [GROUPS [CLIENTS]]]: defaults one group
 * of 600 members and one app client. */
static int plan_main(int argc, char **argv) {
  struct pc_plan p = {0, 0, 1, 600, 1};

  if (argc < 4 || argc > 7)
    cli_die("usage: --plan HOSTS INTERVAL [MEMBERS [GROUPS [CLIENTS]]]");
  p.hosts = plan_number("HOSTS", argv[2], 0);
  p.interval = plan_number("INTERVAL", argv[3], 1);
  if (argc > 4)
    p.members = plan_number("MEMBERS", argv[4], 0);
  if (argc > 5)
    p.groups = plan_number("GROUPS", argv[5], 0);
  if (argc > 6)
    p.clients =
        strcmp(argv[6], "0") == 0 ? 0 : plan_number("CLIENTS", argv[6], 0);
  pc_plan_print(stdout, &p);
  return 0;
}

/* The files from snap: built, written, then the sessions of users who lost
 * access ended (not with --root: those are not this host's users).
 * Returns the exit status. */
static int apply(struct pc_config *cfg, struct pc_snap *snap,
                 const struct pc_snapshot_state *snapst, struct opts *o) {
  struct pc_nss_paths paths;
  struct sys_paths sp;
  char prev_passwd[4096], prev_group[4096];
  struct pc_syncstate prev, now;
  struct pc_nss_db db;
  struct pc_error e;
  int lost = 0;

  sys_paths(o, &sp);
  (void)snprintf(prev_passwd, sizeof(prev_passwd), "%s/passwd", cfg->nss_dir);
  (void)snprintf(prev_group, sizeof(prev_group), "%s/group", cfg->nss_dir);
  memset(&paths, 0, sizeof(paths));
  paths.etc_passwd = sp.etc_passwd;
  paths.etc_group = sp.etc_group;
  paths.prev_passwd = prev_passwd;
  paths.prev_group = prev_group;
  paths.sudoers = sp.sudoers;
  paths.root = o->root;
  pc_error_clear(&e);
  if (pc_nss_build(cfg, snap, &paths, note, o, &db, &e) != 0)
    cli_die("%s; the previous files are left as they were", e.detail);
  /* Said even with -q: without the merge the groups written do nothing. */
  if (cfg->local_groups != NULL &&
      pc_nsswitch_group_merges(sp.nsswitch, &e) != PC_OK)
    fprintf(stderr,
            PROG ": warning: local_groups is set, but %s: id, sudo and login "
                 "do not see the local groups written; run "
                 "pam_cognito-nsswitch merge%s%s\n",
            e.detail, o->root[0] != '\0' ? " " : "",
            o->root[0] != '\0' ? sp.nsswitch : "");
  load_prev(cfg, &prev, o);
  /* The state's time is when Cognito was read (the account stage trusts it
   * for account_grace): in snapshot mode the publisher's read, so a kept
   * copy applied again after a 304 is no fresher than it was. */
  write_all(cfg, snap, &sp, &db, o,
            cfg->snapshot_url != NULL && o->import_file == NULL
                ? (time_t)snapst->when
                : time(NULL),
            &now);
  if (cfg->snapshot_url != NULL && o->import_file == NULL &&
      pc_snapshot_state_save(cfg, snapst, &e) != PC_OK)
    cli_die("%s", e.detail);
  if (o->root[0] != '\0') {
    note(o, "--root %s: no session ended and no cache area swept here",
         o->root);
  } else {
    lost = end_lost(cfg, &prev, &now, o);
    /* Removed users' cache areas go now, not at the next login. */
    (void)pc_cache_sweep(cfg->cache_dir);
  }
  pc_syncstate_free(&prev);
  pc_syncstate_free(&now);
  pc_nss_db_free(&db);
  if (lost != 0)
    cli_die("the files were written, but ending the sessions of a user who "
            "lost access failed (see above)");
  return 0;
}

int main(int argc, char **argv) {
  struct pc_error err;
  struct pc_error e;
  struct pc_config cfg;
  struct pc_snap snap;
  struct pc_snapshot_state snapst;
  struct opts o;
  char **groups;
  int rc = 0;

  cli_set_prog(PROG);
  if (argc > 1 && strcmp(argv[1], "--plan") == 0)
    return plan_main(argc, argv);
  parse_args(argc, argv, &o);
  if (pc_config_init(&cfg) != 0)
    cli_die("out of memory");
  if (pc_config_load(&cfg, o.config, 1, 0, &err) != 0 ||
      pc_config_validate(&cfg, &err) != 0)
    cli_die("%s", err.detail);
  pc_error_clear(&e);
  groups = cfg.nss_groups ? cfg.nss_groups : cfg.allowed_groups;
  if (pc_nss_check_config(&cfg, &e) != 0 ||
      pc_fleet_check_groups(&cfg, groups, &e) != PC_OK)
    cli_die("%s", e.detail);
  root_nss_dir(&cfg, &o);
  memset(&snap, 0, sizeof(snap));
  memset(&snapst, 0, sizeof(snapst));

  if (o.publish_url != NULL) {
    publish(&cfg, groups, &o);
  } else {
    read_pool(&cfg, groups, &o, &snap, &snapst);
    if (o.export_file != NULL) {
      if (pc_snap_export(&snap, o.export_file, &e) != 0)
        cli_die("%s", e.detail);
      note(&o, "wrote %s", o.export_file);
    } else {
      rc = apply(&cfg, &snap, &snapst, &o);
    }
    pc_snapshot_state_free(&snapst);
  }
  pc_snap_free(&snap);
  pc_config_free(&cfg);
  return rc;
}
