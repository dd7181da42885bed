/* SPDX-License-Identifier: MIT */
/* From a pool snapshot to account entries: which users and groups, under
 * which names, with which ids. The rules are in pam_cognito-sync(8). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <openssl/sha.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "config/uidrule.h"
#include "sync/idset.h"
#include "sync/nssbuild.h"
#include "sync/privgroups.h"

#define PC_NAME_MAX 32

static int path_ok(const char *p) {
  return p != NULL && p[0] == '/' && strpbrk(p, ":\n") == NULL;
}

enum pc_status pc_nss_check_config(const struct pc_config *cfg,
                                   struct pc_error *err) {
  if (cfg->nss_groups == NULL && cfg->allowed_groups == NULL) {
    return pc_error_set(
        err, PC_ERR_CONFIG,
        "nss_groups: no groups to sync (set nss_groups or allowed_groups)");
  }
  if (cfg->uid_min > cfg->uid_max) {
    return pc_error_set(err, PC_ERR_CONFIG,
                        "uid_min (%ld) is above uid_max (%ld)", cfg->uid_min,
                        cfg->uid_max);
  }
  if (cfg->uid_min < cfg->min_uid) {
    return pc_error_set(
        err, PC_ERR_CONFIG,
        "uid_min (%ld) is below min_uid (%ld): the module would ignore "
        "these users",
        cfg->uid_min, cfg->min_uid);
  }
  if (pc_uid_range_check(cfg, err) != PC_OK)
    return PC_ERR_CONFIG;
  if (!path_ok(cfg->nss_dir) || !path_ok(cfg->home_base) ||
      !path_ok(cfg->default_shell)) {
    return pc_error_set(
        err, PC_ERR_CONFIG,
        "nss_dir, home_base and default_shell must be absolute paths "
        "without ':'");
  }
  return PC_OK;
}

/* A name useradd would accept on Debian without --badname: lower-case
 * letter or '_' first, then letters, digits, '_', '-', '.'. */
static const char *name_problem(const char *s) {
  size_t i, len = strlen(s);

  if (len == 0 || len > PC_NAME_MAX)
    return "empty or longer than 32 characters";
  if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
    return "does not start with a lower-case letter or '_'";
  for (i = 1; i < len; i++) {
    char c = s[i];

    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-' || c == '.'))
      return "holds characters other than a-z, 0-9, '_', '-', '.'";
  }
  return NULL;
}

static int sub_ok(const char *s) {
  return *s != '\0' && strlen(s) <= 128 &&
         strspn(s, "0123456789abcdefABCDEF-") == strlen(s);
}

long pc_nss_hash_id(const char *key, long min, long max) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  unsigned long long h = 0;
  int i;

  (void)SHA256((const unsigned char *)key, strlen(key), md);
  for (i = 0; i < 8; i++)
    h = (h << 8) | md[i];
  return min + (long)(h % (unsigned long long)(max - min + 1));
}

/* ---- sorted string lists for look-ups ---- */

struct names {
  char **v;
  size_t n, cap;
};

static int names_add(struct names *l, const char *s) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    char **v = realloc(l->v, cap * sizeof(*v));

    if (v == NULL)
      return -1;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n] = strdup(s);
  return l->v[l->n] ? (l->n++, 0) : -1;
}

/* qsort, but not on an empty (possibly NULL) array: qsort(NULL, 0, ...) is
 * undefined (glibc declares the array non-null; UBSan stops there when no
 * previous files exist). Found by fuzz_sync. */
static void sort(void *v, size_t n, size_t size,
                 int (*cmp)(const void *, const void *)) {
  if (n > 1)
    qsort(v, n, size, cmp);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int names_has(const struct names *l, const char *s) {
  return l->n > 0 && bsearch(&s, l->v, l->n, sizeof(*l->v), cmp_str) != NULL;
}

static void names_free(struct names *l) {
  size_t i;

  for (i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof(*l));
}

/* ---- what is already there ---- */

struct local {
  struct names users, groups; /* /etc names */
  struct pc_idset taken;      /* /etc uids and gids, sudoers' %#gids */
  struct names prev_keys;     /* "sub\tuid" and "group\tgid" of last run */
  struct names priv;          /* %groups of sudoers (built-ins apart) */
};

static int read_etc(struct local *l, const struct pc_nss_paths *p,
                    struct pc_error *err) {
  FILE *f = fopen(p->etc_passwd, "re");
  struct passwd *pw;
  struct group *gr;

  if (f == NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: %s", p->etc_passwd, strerror(errno));
    return -1;
  }
  while ((pw = fgetpwent(f)) != NULL)
    if (names_add(&l->users, pw->pw_name) != 0 ||
        pc_idset_add(&l->taken, (long)pw->pw_uid) != 0 ||
        pc_idset_add(&l->taken, (long)pw->pw_gid) != 0) {
      (void)fclose(f);
      return -1;
    }
  (void)fclose(f);
  f = fopen(p->etc_group, "re");
  if (f == NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: %s", p->etc_group, strerror(errno));
    return -1;
  }
  while ((gr = fgetgrent(f)) != NULL)
    if (names_add(&l->groups, gr->gr_name) != 0 ||
        pc_idset_add(&l->taken, (long)gr->gr_gid) != 0) {
      (void)fclose(f);
      return -1;
    }
  (void)fclose(f);
  sort(l->users.v, l->users.n, sizeof(char *), cmp_str);
  sort(l->groups.v, l->groups.n, sizeof(char *), cmp_str);
  return 0;
}

static int priv_token(const char *name, long gid, void *ud) {
  struct local *l = ud;

  return name != NULL ? names_add(&l->priv, name)
                      : pc_idset_add(&l->taken, gid);
}

/* The groups sudoers grants privilege to: their names are never synced,
 * their numeric %#gids never given out. */
static int read_priv(struct local *l, const struct pc_nss_paths *p,
                     struct pc_error *err) {
  size_t i;

  for (i = 0; p->sudoers != NULL && p->sudoers[i] != NULL; i++)
    if (pc_priv_sudoers(p->root, p->sudoers[i], priv_token, l, err) != 0)
      return -1;
  sort(l->priv.v, l->priv.n, sizeof(char *), cmp_str);
  return 0;
}

/* A name that grants privilege on this host. */
static int privileged(const struct local *l, const char *name) {
  return pc_priv_builtin(name) || names_has(&l->priv, name);
}

/* The last run's ids, so that a collision solved once stays solved: users
 * by sub (kept in the GECOS field), groups by name. Missing files are a
 * first run. */
static int read_prev(struct local *l, const struct pc_nss_paths *p) {
  char line[256];
  FILE *f = p->prev_passwd ? fopen(p->prev_passwd, "re") : NULL;
  struct passwd *pw;
  struct group *gr;

  if (f != NULL) {
    while ((pw = fgetpwent(f)) != NULL) {
      (void)snprintf(line, sizeof(line), "u:%s\t%lu", pw->pw_gecos,
                     (unsigned long)pw->pw_uid);
      if (names_add(&l->prev_keys, line) != 0) {
        (void)fclose(f);
        return -1;
      }
    }
    (void)fclose(f);
  }
  f = p->prev_group ? fopen(p->prev_group, "re") : NULL;
  if (f != NULL) {
    while ((gr = fgetgrent(f)) != NULL) {
      (void)snprintf(line, sizeof(line), "g:%s\t%lu", gr->gr_name,
                     (unsigned long)gr->gr_gid);
      if (names_add(&l->prev_keys, line) != 0) {
        (void)fclose(f);
        return -1;
      }
    }
    (void)fclose(f);
  }
  sort(l->prev_keys.v, l->prev_keys.n, sizeof(char *), cmp_str);
  return 0;
}

/* The previous id of key ("u:<sub>" or "g:<name>"), or -1. prev_keys is
 * sorted; '\t' sorts below every character a key holds. */
static long prev_id(const struct local *l, const char *key) {
  size_t lo = 0, hi = l->prev_keys.n, kl = strlen(key);

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *e = l->prev_keys.v[mid];
    int c = strncmp(e, key, kl);

    if (c == 0 && e[kl] == '\t')
      return strtol(e + kl + 1, NULL, 10);
    if (c < 0 || (c == 0 && e[kl] < '\t'))
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

static void local_free(struct local *l) {
  names_free(&l->users);
  names_free(&l->groups);
  names_free(&l->prev_keys);
  names_free(&l->priv);
  pc_idset_free(&l->taken);
}

/* ---- users ---- */

/* The local name of u (heap) or NULL with why: the login claim with
 * username_suffix removed, as the module forms the sign-in name. */
static char *local_name(const struct pc_config *cfg,
                        const struct pc_snap_user *u, const char **why) {
  const char *suffix = cfg->username_suffix;
  size_t len, sl;
  const char *p;
  char *name;

  if (u->login == NULL) {
    *why = u->unverified ? "its email or phone_number is not verified"
                         : "has no login_claim attribute";
    return NULL;
  }
  len = strlen(u->login);
  if (suffix != NULL) {
    sl = strlen(suffix);
    if (len <= sl || strcmp(u->login + len - sl, suffix) != 0) {
      *why = "login name does not end with username_suffix";
      return NULL;
    }
    len -= sl;
  }
  name = strndup(u->login, len);
  if (name == NULL) {
    *why = "out of memory";
    return NULL;
  }
  p = name_problem(name);
  if (p != NULL) {
    *why = p;
    free(name);
    return NULL;
  }
  return name;
}

/* A valid uid_attribute value, or -1. */
static long fixed_uid(const struct pc_config *cfg, const char *v) {
  char *end;
  long id;

  if (v == NULL || *v < '0' || *v > '9')
    return -1;
  errno = 0;
  id = strtol(v, &end, 10);
  if (errno != 0 || *end != '\0' || id > 2147483646L ||
      pc_uid_not_cognitos(cfg, id) != NULL)
    return -1; /* also the reserved uids: systemd's dynamic users are in no
                  /etc file, and nobody's uid is nobody's to claim */
  return id;
}

static int cmp_key(const void *a, const void *b) {
  return strcmp(((const struct pc_nss_entry *)a)->key,
                ((const struct pc_nss_entry *)b)->key);
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(((const struct pc_nss_entry *)a)->name,
                ((const struct pc_nss_entry *)b)->name);
}

static void entry_free(struct pc_nss_entry *e) {
  size_t i;

  free(e->name);
  free(e->key);
  for (i = 0; e->members != NULL && e->members[i] != NULL; i++)
    free(e->members[i]);
  free(e->members);
  memset(e, 0, sizeof(*e));
}

/* Drop entries for which drop[i] is set, keeping the order. */
static void compact(struct pc_nss_entry *v, size_t *n, const char *drop) {
  size_t i, o = 0;

  for (i = 0; i < *n; i++) {
    if (drop[i])
      entry_free(&v[i]);
    else
      v[o++] = v[i];
  }
  *n = o;
}

/* Every distinct, acceptable member of the snapshot, one entry per sub. */
/* The local name of pool user u, or NULL (logged why) when u is left out:
 * disabled, a malformed sub, no usable name, or a name /etc or privilege
 * already owns. */
static char *admitted_name(const struct pc_config *cfg, const struct local *l,
                           const struct pc_snap_user *u, pc_nss_log_fn log,
                           void *ud) {
  const char *why = NULL;
  char *name;

  if (!u->enabled) {
    log(ud, "user %s left out: disabled in the pool", u->username);
    return NULL;
  }
  if (!sub_ok(u->sub)) {
    log(ud, "user %s left out: malformed sub", u->username);
    return NULL;
  }
  name = local_name(cfg, u, &why);
  if (name == NULL) {
    log(ud, "user %s left out: %s", u->username, why);
    return NULL;
  }
  if (names_has(&l->users, name) || names_has(&l->groups, name)) {
    log(ud,
        "user %s left out: %s is a local %s of /etc; it is never "
        "shadowed",
        u->username, name, names_has(&l->users, name) ? "user" : "group");
    free(name);
    return NULL;
  }
  /* The private group carries the user's name: sudoers' %admin would
   * make a user called admin root. */
  if (privileged(l, name)) {
    log(ud,
        "user %s left out: %s is a group that grants privilege on this "
        "host (sudoers or a system group)",
        u->username, name);
    free(name);
    return NULL;
  }
  return name;
}

/* The same person in several groups is one user; two people must never
 * share a login name: both are left out. */
static int one_entry_per_person(struct pc_nss_db *db, pc_nss_log_fn log,
                                void *ud) {
  char *drop;
  size_t i;

  sort(db->users, db->nu, sizeof(*db->users), cmp_key);
  drop = calloc(db->nu + 1, 1);
  if (drop == NULL)
    return -1;
  for (i = 1; i < db->nu; i++)
    if (strcmp(db->users[i].key, db->users[i - 1].key) == 0)
      drop[i] = 1;
  compact(db->users, &db->nu, drop);
  sort(db->users, db->nu, sizeof(*db->users), cmp_name);
  memset(drop, 0, db->nu + 1);
  for (i = 1; i < db->nu; i++)
    if (strcmp(db->users[i].name, db->users[i - 1].name) == 0) {
      if (!drop[i - 1])
        log(ud, "name %s left out: more than one pool user maps to it",
            db->users[i].name);
      drop[i] = drop[i - 1] = 1;
    }
  compact(db->users, &db->nu, drop);
  free(drop);
  return 0;
}

static int collect_users(const struct pc_config *cfg, const struct pc_snap *s,
                         const struct local *l, pc_nss_log_fn log, void *ud,
                         struct pc_nss_db *db) {
  size_t i, j, total = 0;

  for (i = 0; i < s->n; i++)
    total += s->groups[i].n;
  db->users = calloc(total ? total : 1, sizeof(*db->users));
  if (db->users == NULL)
    return -1;
  for (i = 0; i < s->n; i++) {
    for (j = 0; j < s->groups[i].n; j++) {
      const struct pc_snap_user *u = &s->groups[i].users[j];
      struct pc_nss_entry *e = &db->users[db->nu];
      char *name = admitted_name(cfg, l, u, log, ud);

      if (name == NULL)
        continue;
      e->name = name;
      e->key = strdup(u->sub);
      e->fixed = fixed_uid(cfg, u->uid);
      e->prev = -1;
      if (e->key == NULL)
        return -1;
      if (cfg->uid_attribute != NULL && u->uid != NULL && e->fixed < 0)
        log(ud,
            "user %s: %s '%s' is not a uid from min_uid to max_uid outside "
            "60000-65535; hashing",
            u->username, cfg->uid_attribute, u->uid);
      db->nu++;
    }
  }
  return one_entry_per_person(db, log, ud);
}

static int cmp_key_ptr(const void *a, const void *b) {
  return strcmp((*(struct pc_nss_entry *const *)a)->key,
                (*(struct pc_nss_entry *const *)b)->key);
}

/* Member names of snapshot group g among the accepted users, sorted.
 * bykey: the accepted users sorted by sub. */
static int group_members(const struct pc_snap_group *g,
                         struct pc_nss_entry **bykey, size_t nu, char ***out) {
  size_t j, n = 0;
  char **m = calloc(g->n + 1, sizeof(*m));

  *out = m;
  if (m == NULL)
    return -1;
  for (j = 0; j < g->n && nu > 0; j++) {
    struct pc_nss_entry probe, *pp = &probe, **hit;

    probe.key = g->users[j].sub;
    hit = bsearch(&pp, bykey, nu, sizeof(*bykey), cmp_key_ptr);
    if (hit == NULL || !g->users[j].enabled)
      continue;
    m[n] = strdup((*hit)->name);
    if (m[n++] == NULL)
      return -1;
  }
  sort(m, n, sizeof(*m), cmp_str);
  /* A user listed twice in one group's pages is one member. */
  for (j = 1; j < n; j++)
    if (strcmp(m[j], m[j - 1]) == 0) {
      free(m[j]);
      memmove(&m[j], &m[j + 1], (n - j) * sizeof(*m));
      n--;
      j--;
    }
  return 0;
}

static int collect_groups(const struct pc_snap *s, const struct local *l,
                          pc_nss_log_fn log, void *ud, struct pc_nss_db *db) {
  struct pc_nss_entry **bykey;
  size_t i, k;
  int rc = -1;

  db->groups = calloc(s->n ? s->n : 1, sizeof(*db->groups));
  bykey = calloc(db->nu ? db->nu : 1, sizeof(*bykey));
  if (db->groups == NULL || bykey == NULL)
    goto out;
  for (i = 0; i < db->nu; i++)
    bykey[i] = &db->users[i];
  sort(bykey, db->nu, sizeof(*bykey), cmp_key_ptr);
  for (i = 0; i < s->n; i++) {
    const struct pc_snap_group *g = &s->groups[i];
    struct pc_nss_entry *e = &db->groups[db->ng];
    struct pc_nss_entry probe;
    const char *why = name_problem(g->name);
    int dup = 0;

    for (k = 0; k < db->ng; k++)
      dup |= strcmp(db->groups[k].name, g->name) == 0;
    if (dup)
      continue;
    probe.name = g->name;
    if (why == NULL &&
        (names_has(&l->groups, g->name) || names_has(&l->users, g->name)))
      why = "a local group or user of /etc has that name";
    if (why == NULL && privileged(l, g->name))
      why = "it grants privilege on this host (sudoers or a system group)";
    if (why == NULL && db->nu > 0 &&
        bsearch(&probe, db->users, db->nu, sizeof(*db->users), cmp_name))
      why = "a synced user's private group has that name";
    if (why != NULL) {
      log(ud, "group %s left out: %s", g->name, why);
      continue;
    }
    e->name = strdup(g->name);
    e->fixed = -1;
    if (e->name == NULL)
      goto out;
    db->ng++;
    if (group_members(g, bykey, db->nu, &e->members) != 0)
      goto out;
  }
  rc = 0;
out:
  free(bykey);
  return rc;
}

/* ---- ids ---- */

/* Give e an id: the first free one from its hash upward, wrapping. */
static int probe_id(const struct pc_config *cfg, struct pc_idset *taken,
                    struct pc_nss_entry *e, const char *hkey) {
  long range = cfg->uid_max - cfg->uid_min + 1, i;
  long id = pc_nss_hash_id(hkey, cfg->uid_min, cfg->uid_max);

  for (i = 0; i < range; i++) {
    if (!pc_idset_has(taken, id)) {
      e->id = id;
      return pc_idset_add(taken, id);
    }
    id = id == cfg->uid_max ? cfg->uid_min : id + 1;
  }
  return 1;
}

/* The id an entry asks for in pass 0 (kept from the last run: inside
 * uid_min..uid_max, or outside it when the attribute still names it) or
 * pass 1 (uid_attribute), or -1. */
static long wanted(const struct pc_config *cfg, const struct pc_nss_entry *e,
                   int pass) {
  if (pass == 1)
    return e->fixed;
  if (e->prev < 0)
    return -1;
  if ((e->prev >= cfg->uid_min && e->prev <= cfg->uid_max) ||
      e->prev == e->fixed)
    return e->prev;
  return -1;
}

/* The synced user or group holding id, or NULL. */
static const struct pc_nss_entry *holder(const struct pc_nss_db *db, long id) {
  size_t i;

  for (i = 0; i < db->nu; i++)
    if (db->users[i].id == id)
      return &db->users[i];
  for (i = 0; i < db->ng; i++)
    if (db->groups[i].id == id)
      return &db->groups[i];
  return NULL;
}

/* Say why a user's uid_attribute value is not its uid. */
static void explain_fixed(const struct pc_config *cfg, const struct local *l,
                          const struct pc_nss_db *db, pc_nss_log_fn log,
                          void *ud) {
  size_t i;

  for (i = 0; i < db->nu; i++) {
    const struct pc_nss_entry *e = &db->users[i], *h;

    if (e->fixed < 0 || e->id == e->fixed)
      continue;
    h = holder(db, e->fixed);
    if (h != NULL)
      log(ud, "user %s: %s %ld refused: %s holds that id%s; uid %ld", e->name,
          cfg->uid_attribute, e->fixed, h->name,
          h->id == h->prev ? " since the last run" : "", e->id);
    else if (pc_idset_has(&l->taken, e->fixed))
      log(ud,
          "user %s: %s %ld refused: a local account of /etc (or a sudoers "
          "%%#gid) uses that id; uid %ld",
          e->name, cfg->uid_attribute, e->fixed, e->id);
    else if (e->id == e->prev)
      log(ud,
          "user %s: %s %ld not used: the user keeps uid %ld from the last "
          "run",
          e->name, cfg->uid_attribute, e->fixed, e->id);
  }
}

/* Users, then groups, in three passes so that nothing already settled
 * moves: last run's ids first (so that no attribute a pool user sets can
 * take another person's uid, and with it their files), then uid_attribute
 * values, then new hashes. Each pass goes in key order, so the outcome does
 * not depend on reply order. */
static int assign_ids(const struct pc_config *cfg, struct local *l,
                      pc_nss_log_fn log, void *ud, struct pc_nss_db *db,
                      struct pc_error *err) {
  struct pc_nss_entry *v[2] = {db->users, db->groups};
  size_t n[2] = {db->nu, db->ng}, t, i;
  char hkey[160];
  int pass, rc;

  sort(db->users, db->nu, sizeof(*db->users), cmp_key);
  for (i = 0; i < db->nu; i++) {
    db->users[i].id = -1;
    (void)snprintf(hkey, sizeof(hkey), "u:%s", db->users[i].key);
    db->users[i].prev = prev_id(l, hkey);
  }
  for (i = 0; i < db->ng; i++) {
    db->groups[i].id = -1;
    (void)snprintf(hkey, sizeof(hkey), "g:%s", db->groups[i].name);
    db->groups[i].prev = prev_id(l, hkey);
  }
  for (pass = 0; pass < 3; pass++) {
    for (t = 0; t < 2; t++) {
      for (i = 0; i < n[t]; i++) {
        struct pc_nss_entry *e = &v[t][i];

        if (e->id >= 0)
          continue;
        if (pass < 2) {
          long want = wanted(cfg, e, pass);

          if (want < 0 || pc_idset_has(&l->taken, want))
            continue;
          e->id = want;
          if (pc_idset_add(&l->taken, want) != 0)
            return -1;
          continue;
        }
        if (t == 0)
          rc = probe_id(cfg, &l->taken, e, e->key);
        else {
          (void)snprintf(hkey, sizeof(hkey), "group:%s", e->name);
          rc = probe_id(cfg, &l->taken, e, hkey);
        }
        if (rc < 0)
          return -1;
        if (rc > 0) {
          pc_error_set(err, PC_ERR_CONFIG,
                       "no free id left in uid_min..uid_max (%ld..%ld) for %s",
                       cfg->uid_min, cfg->uid_max, e->name);
          return -2;
        }
      }
    }
  }
  explain_fixed(cfg, l, db, log, ud);
  sort(db->users, db->nu, sizeof(*db->users), cmp_name);
  sort(db->groups, db->ng, sizeof(*db->groups), cmp_name);
  return 0;
}

void pc_nss_db_free(struct pc_nss_db *db) {
  size_t i;

  for (i = 0; i < db->nu; i++)
    entry_free(&db->users[i]);
  for (i = 0; i < db->ng; i++)
    entry_free(&db->groups[i]);
  for (i = 0; i < db->nl; i++)
    entry_free(&db->locals[i]);
  free(db->users);
  free(db->groups);
  free(db->locals);
  memset(db, 0, sizeof(*db));
}

enum pc_status pc_nss_build(const struct pc_config *cfg,
                            const struct pc_snap *s,
                            const struct pc_nss_paths *paths, pc_nss_log_fn log,
                            void *ud, struct pc_nss_db *db,
                            struct pc_error *err) {
  struct local l;
  int rc = -1;

  memset(&l, 0, sizeof(l));
  memset(db, 0, sizeof(*db));
  pc_error_set(err, PC_ERR_NOMEM, "out of memory");
  if (read_etc(&l, paths, err) != 0 || read_prev(&l, paths) != 0 ||
      read_priv(&l, paths, err) != 0 ||
      collect_users(cfg, s, &l, log, ud, db) != 0 ||
      collect_groups(s, &l, log, ud, db) != 0)
    goto out;
  rc = assign_ids(cfg, &l, log, ud, db, err);
  if (rc != 0)
    rc = -1;
out:
  local_free(&l);
  if (rc != 0)
    pc_nss_db_free(db);
  return rc == 0 ? PC_OK : pc_error_failed(err, PC_ERR_NOMEM);
}
