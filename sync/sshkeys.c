/* SPDX-License-Identifier: MIT */
/* SSH keys from the pool: checked line by line, written for sshd; see
 * sshkeys.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/codec.h"
#include "base/error.h"
#include "sync/nssfiles.h"
#include "sync/sshkeys.h"

/* ---- the key blob (RFC 4253 section 6.6, RFC 5656, OpenSSH PROTOCOL.u2f) */

struct blob {
  const unsigned char *p;
  size_t left;
};

/* The next string of the blob (uint32 length, bytes): 0, or -1 truncated. */
static int take(struct blob *b, const unsigned char **s, size_t *len) {
  uint32_t n;

  if (b->left < 4)
    return -1;
  n = (uint32_t)b->p[0] << 24 | (uint32_t)b->p[1] << 16 |
      (uint32_t)b->p[2] << 8 | b->p[3];
  if (n > b->left - 4)
    return -1;
  *s = b->p + 4;
  *len = n;
  b->p += 4 + n;
  b->left -= 4 + n;
  return 0;
}

static int is(const unsigned char *s, size_t len, const char *want) {
  return len == strlen(want) && memcmp(s, want, len) == 0;
}

/* Bits of an mpint (positive, big-endian, maybe a leading zero byte). */
static size_t mpint_bits(const unsigned char *s, size_t len) {
  size_t bits;
  unsigned char top;

  while (len > 0 && s[0] == 0) {
    s++;
    len--;
  }
  if (len == 0)
    return 0;
  bits = (len - 1) * 8;
  for (top = s[0]; top != 0; top >>= 1)
    bits++;
  return bits;
}

/* The fields after the type name, checked for type: NULL, or why not. */
static const char *check_body(const char *type, struct blob *b) {
  const unsigned char *f1, *f2, *f3;
  size_t l1, l2, l3;

  if (strcmp(type, "ssh-ed25519") == 0 ||
      strcmp(type, "sk-ssh-ed25519@openssh.com") == 0) {
    if (take(b, &f1, &l1) != 0 || l1 != 32)
      return "the Ed25519 key is not 32 bytes";
    if (type[0] == 's' && type[1] == 'k' && (take(b, &f2, &l2) != 0 || l2 == 0))
      return "the security key has no application";
  } else if (strcmp(type, "ssh-rsa") == 0) {
    if (take(b, &f1, &l1) != 0 || take(b, &f2, &l2) != 0 || l1 == 0)
      return "the RSA key is truncated";
    if (mpint_bits(f2, l2) < PC_SSHKEY_RSA_MIN)
      return "an RSA key shorter than 2048 bits";
  } else {
    /* ecdsa-sha2-<curve> and sk-ecdsa-sha2-nistp256@openssh.com */
    const char *curve = strstr(type, "nistp");
    size_t cl = strcspn(curve, "@");

    if (take(b, &f1, &l1) != 0 || l1 != cl || memcmp(f1, curve, cl) != 0)
      return "the curve inside the key is not the one its type names";
    if (take(b, &f2, &l2) != 0 || l2 < 65 || f2[0] != 4)
      return "the ECDSA point is malformed";
    if (type[0] == 's' && (take(b, &f3, &l3) != 0 || l3 == 0))
      return "the security key has no application";
  }
  return b->left == 0 ? NULL : "trailing bytes after the key";
}

static const char *const types[] = {"ssh-ed25519",
                                    "ecdsa-sha2-nistp256",
                                    "ecdsa-sha2-nistp384",
                                    "ecdsa-sha2-nistp521",
                                    "sk-ssh-ed25519@openssh.com",
                                    "sk-ecdsa-sha2-nistp256@openssh.com",
                                    "ssh-rsa",
                                    NULL};

static int known_type(const char *s, size_t len) {
  size_t i;

  for (i = 0; types[i] != NULL; i++)
    if (is((const unsigned char *)s, len, types[i]))
      return 1;
  return 0;
}

/* Decode b64 (a NUL-terminated copy) and check it is a key of type. */
static const char *check_blob(const char *type, const char *b64) {
  size_t n = 0, tl;
  unsigned char *raw = pc_base64_decode(b64, &n);
  const unsigned char *t;
  struct blob b;
  const char *why;

  if (raw == NULL)
    return "the key is not base64";
  b.p = raw;
  b.left = n;
  if (take(&b, &t, &tl) != 0 || !is(t, tl, type))
    why = "the type inside the key is not the one the line names";
  else
    why = check_body(type, &b);
  free(raw);
  return why;
}

/* ---- the line ---- */

static int option_ok(const char *s, size_t len) {
  static const char *const allowed[] = {"restrict",
                                        "no-pty",
                                        "no-port-forwarding",
                                        "no-agent-forwarding",
                                        "no-X11-forwarding",
                                        "no-user-rc",
                                        NULL};
  size_t i;

  for (i = 0; allowed[i] != NULL; i++)
    if (strlen(allowed[i]) == len && strncasecmp(s, allowed[i], len) == 0)
      return 1;
  return 0;
}

/* Options: a comma-separated run of allowed words (no quotes, so no
 * command=, from=, environment= or the like). NULL, or why not. */
static const char *check_options(const char *s, size_t len) {
  const char *end = s + len;

  while (s < end) {
    const char *c = memchr(s, ',', (size_t)(end - s));
    size_t l = c ? (size_t)(c - s) : (size_t)(end - s);

    if (!option_ok(s, l))
      return "an option other than restrict, no-pty, no-port-forwarding, "
             "no-agent-forwarding, no-X11-forwarding, no-user-rc";
    s += l + 1;
  }
  return NULL;
}

/* The next blank-separated word of [*p, end): its start and length. */
static size_t word(const char **p, const char *end, const char **start) {
  const char *s = *p;
  size_t n = 0;

  while (s < end && (*s == ' ' || *s == '\t'))
    s++;
  *start = s;
  while (s + n < end && s[n] != ' ' && s[n] != '\t')
    n++;
  *p = s + n;
  return n;
}

int pc_sshkey_check(const char *line, size_t len, char *out, size_t outsize,
                    const char **why) {
  const char *end = line + len, *p = line, *opt = NULL, *type, *b64;
  size_t ol = 0, tl, bl, i;
  char copy[PC_SSHKEY_LINE_MAX + 1], tname[64];

  while (len > 0 && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
    end--, len--;
  tl = word(&p, end, &type);
  if (tl == 0 || type[0] == '#')
    return -1;
  *why = "a line longer than 8192 bytes";
  if (len > PC_SSHKEY_LINE_MAX)
    return 0;
  for (i = 0; i < len; i++)
    if ((unsigned char)line[i] < 0x20 && line[i] != '\t') {
      *why = "a control character in the line";
      return 0;
    }
  if (!known_type(type, tl)) {
    opt = type;
    ol = tl;
    tl = word(&p, end, &type);
  }
  if (!known_type(type, tl)) {
    *why = "not a key of an allowed type (ed25519, ecdsa, sk-ssh-ed25519, "
           "sk-ecdsa, RSA of 2048 bits or more)";
    return 0;
  }
  if (opt != NULL && (*why = check_options(opt, ol)) != NULL)
    return 0;
  bl = word(&p, end, &b64);
  (void)snprintf(tname, sizeof(tname), "%.*s", (int)tl, type);
  (void)snprintf(copy, sizeof(copy), "%.*s", (int)bl, b64);
  if (bl == 0 || (*why = check_blob(tname, copy)) != NULL) {
    if (bl == 0)
      *why = "no key after the type";
    return 0;
  }
  if ((size_t)snprintf(out, outsize, "%.*s%s%s %s", (int)ol, opt ? opt : "",
                       opt ? " " : "", tname, copy) >= outsize) {
    *why = "a line longer than 8192 bytes";
    return 0;
  }
  return 1;
}

/* ---- the files ---- */

/* The keys attribute of the pool user with sub, or NULL. */
static const char *keys_of(const struct pc_snap *s, const char *sub) {
  size_t i, j;

  for (i = 0; i < s->n; i++)
    for (j = 0; j < s->groups[i].n; j++)
      if (strcmp(s->groups[i].users[j].sub, sub) == 0 &&
          s->groups[i].users[j].keys != NULL)
        return s->groups[i].users[j].keys;
  return NULL;
}

/* The accepted lines of text for user name into b; refused ones logged. */
static int render(const char *name, const char *text, struct pc_buf *b,
                  pc_nss_log_fn log, void *ud) {
  char out[PC_SSHKEY_LINE_MAX + 1];
  const char *p = text, *why = NULL;
  unsigned no = 0;

  while (*p != '\0') {
    size_t len = strcspn(p, "\n");
    int rc = pc_sshkey_check(p, len, out, sizeof(out), &why);

    no++;
    if (rc == 0)
      log(ud, "user %s: SSH key on line %u left out: %s", name, no, why);
    else if (rc == 1 && (pc_buf_append(b, out, strlen(out)) != 0 ||
                         pc_buf_append(b, "\n", 1) != 0))
      return -1;
    p += len;
    if (*p == '\n')
      p++;
  }
  return 0;
}

/* <nss_dir>/ssh: created 0755; root's and writable by root only, as sshd's
 * StrictModes wants every directory above an AuthorizedKeysFile. */
static int keys_dir(const char *dir, struct pc_error *err) {
  struct stat st;

  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: cannot create: %s", dir,
                 strerror(errno));
    return -1;
  }
  if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
      (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
      (geteuid() == 0 && st.st_uid != 0)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "%s: must be a directory owned by root and writable by root "
                 "only (chown root; chmod 0755)",
                 dir);
    return -1;
  }
  return 0;
}

/* 1 when path already is what pc_nss_write_file would make of text: a
 * regular file of this user's (group root's when root), mode 0644, one
 * link, with
 * these bytes. Anything else (missing, loosened, a link, another owner,
 * other bytes) is 0: written again. An unchanged run so leaves the files,
 * their inode and mtime, alone. */
static int already(const char *path, const char *text, size_t len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  char chunk[4096];
  struct stat st;
  size_t off = 0;
  ssize_t n;
  int same = 0;

  if (fd < 0)
    return 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
      st.st_uid == geteuid() && (geteuid() != 0 || st.st_gid == 0) &&
      (st.st_mode & 07777) == 0644 && (size_t)st.st_size == len) {
    same = 1;
    while (same && (n = read(fd, chunk, sizeof(chunk))) > 0) {
      same =
          off + (size_t)n <= len && memcmp(text + off, chunk, (size_t)n) == 0;
      off += (size_t)n;
    }
    same = same && off == len;
  }
  (void)close(fd);
  return same;
}

static int synced_name(const struct pc_nss_db *db, const char *name) {
  size_t i;

  for (i = 0; i < db->nu; i++)
    if (strcmp(db->users[i].name, name) == 0)
      return 1;
  return 0;
}

/* Remove the key file of every name that is no longer a synced user. */
static int prune(const char *dir, const struct pc_nss_db *db,
                 struct pc_error *err) {
  DIR *d = opendir(dir);
  struct dirent *de;
  char path[4096];

  if (d == NULL) {
    pc_error_set(err, PC_ERR_CONFIG, "%s: %s", dir, strerror(errno));
    return -1;
  }
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.' || synced_name(db, de->d_name))
      continue;
    (void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
    if (unlink(path) != 0 && errno != ENOENT) {
      pc_error_set(err, PC_ERR_CONFIG, "%s: cannot remove: %s", path,
                   strerror(errno));
      (void)closedir(d);
      return -1;
    }
  }
  (void)closedir(d);
  return 0;
}

enum pc_status pc_sshkeys_write(const struct pc_config *cfg,
                                const struct pc_snap *s,
                                const struct pc_nss_db *db, pc_nss_log_fn log,
                                void *ud, struct pc_error *err) {
  char dir[4096], path[4200];
  struct pc_buf b;
  size_t i;
  int rc = 0;

  (void)snprintf(dir, sizeof(dir), "%s/ssh", cfg->nss_dir);
  if (cfg->ssh_keys_attribute == NULL) {
    /* Switched off: no key of an earlier run may stay in force. */
    struct pc_nss_db none;
    struct stat st;

    memset(&none, 0, sizeof(none));
    rc = lstat(dir, &st) != 0 ? 0 : prune(dir, &none, err);
    return rc == 0 ? PC_OK : pc_error_failed(err, PC_ERR_CONFIG);
  }
  if (keys_dir(dir, err) != 0)
    return pc_error_failed(err, PC_ERR_CONFIG);
  for (i = 0; i < db->nu && rc == 0; i++) {
    const char *text = keys_of(s, db->users[i].key);

    (void)snprintf(path, sizeof(path), "%s/%s", dir, db->users[i].name);
    pc_buf_init(&b, 1024 * 1024);
    if (text != NULL && render(db->users[i].name, text, &b, log, ud) != 0) {
      pc_error_set(err, PC_ERR_NOMEM, "out of memory");
      rc = -1;
    } else if (b.len > 0) {
      if (!already(path, b.data, b.len))
        rc = pc_nss_write_file(path, b.data, b.len, 0644, NULL, err);
    } else if (unlink(path) != 0 && errno != ENOENT) {
      pc_error_set(err, PC_ERR_CONFIG, "%s: cannot remove: %s", path,
                   strerror(errno));
      rc = -1;
    }
    pc_buf_free(&b);
  }
  if (rc == 0)
    rc = prune(dir, db, err);
  return rc == 0 ? PC_OK : pc_error_failed(err, PC_ERR_CONFIG);
}
