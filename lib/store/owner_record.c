/* SPDX-License-Identifier: MIT */
/* The owner record of a user's cache area; see owner_record.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/cachename.h"
#include "store/owner_record.h"

#define RECORD "owner"

/* The account behind the name now: its uid and home directory's
 * identity. */
struct account {
  uid_t uid;
  char evidence[96]; /* "ino:btime" of the home directory, "" unknown */
};

static int lookup(const char *user, struct account *a) {
  struct passwd pw, *res = NULL;
  struct statx sx;
  char buf[16384];

  memset(a, 0, sizeof *a);
  if (getpwnam_r(user, &pw, buf, sizeof buf, &res) != 0 || res == NULL)
    return -1;
  a->uid = pw.pw_uid;
  if (pw.pw_dir && pw.pw_dir[0] == '/' &&
      statx(AT_FDCWD, pw.pw_dir, AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_BTIME,
            &sx) == 0 &&
      (sx.stx_mask & STATX_INO))
    (void)snprintf(a->evidence, sizeof a->evidence, "%llu:%lld.%09u",
                   (unsigned long long)sx.stx_ino,
                   (sx.stx_mask & STATX_BTIME) ? (long long)sx.stx_btime.tv_sec
                                               : 0LL,
                   (sx.stx_mask & STATX_BTIME) ? sx.stx_btime.tv_nsec : 0U);
  return 0;
}

/* The record, naming the user as the directory does: no name can add a
 * line to it. */
static int format_record(char *out, size_t n, const char *user, uid_t uid,
                         const struct account *a) {
  char dir[PC_CACHE_DIR_NAME_MAX];
  int k;

  if (pc_cache_dir_name(user, dir, sizeof dir) != 0)
    return -1;
  k = snprintf(out, n, "pam_cognito owner 1\nuser=%s\nuid=%lu\nhome=%s\n", dir,
               (unsigned long)uid, a->evidence);
  return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* The home= value of a record, into ev ("" when none). */
static void record_evidence(const char *rec, char *ev, size_t n) {
  const char *p = strstr(rec, "\nhome=");
  size_t len;

  ev[0] = '\0';
  if (p == NULL)
    return;
  p += 6;
  len = strcspn(p, "\n");
  if (len < n) {
    memcpy(ev, p, len);
    ev[len] = '\0';
  }
}

/* The record's user and uid lines equal ours, and the evidence too when
 * both sides have it. */
static int matches(const char *rec, const char *want) {
  char a[96], b[96];
  const char *end_a = strstr(rec, "\nhome="), *end_b = strstr(want, "\nhome=");

  if (end_a == NULL || end_b == NULL || end_a - rec != end_b - want ||
      memcmp(rec, want, (size_t)(end_a - rec)) != 0)
    return 0;
  record_evidence(rec, a, sizeof a);
  record_evidence(want, b, sizeof b);
  return a[0] == '\0' || b[0] == '\0' || strcmp(a, b) == 0;
}

/* Each name in the directory dir_fd but "." and "..", given to fn; the
 * number of names for which fn returned 1. */
static int each_entry(int dir_fd, int (*fn)(int dir_fd, const char *name)) {
  int fd = dup(dir_fd), n = 0;
  DIR *d;
  struct dirent *e;

  if (fd < 0)
    return 0;
  if ((d = fdopendir(fd)) == NULL) {
    close(fd);
    return 0;
  }
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n += fn(dir_fd, e->d_name);
  closedir(d);
  return n;
}

static int remove_file(int dir_fd, const char *name) {
  return unlinkat(dir_fd, name, 0) == 0;
}

/* Remove every file in the directory dir_fd; the number removed. */
static int empty_dir(int dir_fd) {
  return each_entry(dir_fd, remove_file);
}

/* The record in area: 0 and a copy in out (a NUL-terminated string),
 * 1 none, -1 unreadable. */
static int read_record(const struct pc_cache *area, char *out, size_t n) {
  struct pc_buf rec;
  struct pc_error re;
  enum pc_status st = pc_cache_read(area, RECORD, &rec, &re);
  int rc = st == PC_OK ? 0 : st == PC_ABSENT ? 1 : -1;

  out[0] = '\0';
  if (rc == 0 && rec.data != NULL && rec.len < n) {
    memcpy(out, rec.data, rec.len);
    out[rec.len] = '\0';
  }
  pc_buf_free(&rec);
  return rc;
}

/* Whether the files of c may be kept for want. Root decides from its own
 * record (root_area): the user's copy is the user's to write, and an old
 * account could have loosened it to outlive its deletion. A root record
 * with no home evidence (none existed then) takes the evidence now. */
static int keep(const struct pc_cache *c, const struct pc_cache *root_area,
                const char *want, int *had, struct pc_error *e) {
  char rec[512];
  int rc;

  if (root_area == NULL) {
    rc = read_record(c, rec, sizeof rec);
    *had = rc == 0;
    return rc == 0 && matches(rec, want);
  }
  rc = read_record(root_area, rec, sizeof rec);
  *had = rc == 0;
  if (rc == 0 && matches(rec, want) && strcmp(rec, want) == 0)
    return 1;
  if (rc == 0 && !matches(rec, want))
    return 0;
  /* An area from before root's records: the user's copy counts only when
   * it is exactly the record of the account now (its home's inode and
   * birth time are not to be guessed by an earlier account). */
  if (rc == 1 &&
      (read_record(c, rec, sizeof rec) != 0 || strcmp(rec, want) != 0))
    return 0;
  if (rc < 0)
    return 0;
  return pc_cache_write(root_area, RECORD, want, strlen(want), e) == PC_OK ? 1
                                                                           : -1;
}

enum pc_status pc_cacheowner_bind(const struct pc_cache *c,
                                  const struct pc_cache *root_area,
                                  const char *user, int *fresh,
                                  struct pc_error *e) {
  struct account a;
  char want[PC_CACHE_DIR_NAME_MAX + 160];
  int kept, had = 0, gone;

  pc_error_clear(e);
  *fresh = 0;
  if (lookup(user, &a) != 0 || a.uid != c->uid) {
    /* The name is nobody's now, or another uid's: not this account's. */
    pc_error_set(e, PC_ERR_CONFIG,
                 "%s: the account does not have uid %lu now; refusing the "
                 "cache (remove the directory)",
                 c->path, (unsigned long)c->uid);
    return PC_ERR_CONFIG;
  }
  if (format_record(want, sizeof want, user, c->uid, &a) != 0) {
    return pc_error_set(e, PC_ERR_CONFIG, "%s: cannot describe the owner",
                        c->path);
  }
  kept = keep(c, root_area, want, &had, e);
  if (kept != 0)
    return kept > 0 ? PC_OK : PC_ERR_CONFIG;
  /* No record (a new area, or one from before records), or another
   * account's: nothing in it may be read. */
  gone = empty_dir(c->dir_fd);
  if (pc_cache_write(c, RECORD, want, strlen(want), e) != 0 ||
      (root_area != NULL &&
       pc_cache_write(root_area, RECORD, want, strlen(want), e) != 0))
    return PC_ERR_CONFIG;
  *fresh = 1;
  if (gone > 0 && had)
    pc_error_set(e, PC_OK,
                 "%s was made for an earlier account with uid %lu (deleted "
                 "and reused): its %d files were discarded",
                 c->path, (unsigned long)c->uid, gone);
  else if (gone > 0)
    pc_error_set(e, PC_OK,
                 "%s had no owner record: its %d files were discarded", c->path,
                 gone);
  return PC_OK;
}

/* Remove the area dir under base_fd: its files, then the directory (an
 * area holds files only; what else is there keeps it). Never follows a
 * link: entries go by unlinkat on the area's own fd. */
static void remove_area(int base_fd, const char *dir) {
  int sub =
      openat(base_fd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

  if (sub < 0)
    return;
  (void)empty_dir(sub);
  close(sub);
  (void)unlinkat(base_fd, dir, AT_REMOVEDIR);
}

/* An area under base_fd whose user is gone, or is another uid now, is
 * removed: 1 then. */
static int sweep_area(int base_fd, const char *name) {
  struct passwd pw, *res = NULL;
  struct stat st;
  char user[PC_USER_NAME_MAX + 1], buf[16384];

  /* ".private" and temporaries are not areas; neither is a name this
   * encoding does not make. */
  if (name[0] == '.' || pc_cache_dir_user(name, user, sizeof user) != 0 ||
      fstatat(base_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
      !S_ISDIR(st.st_mode))
    return 0;
  /* A lookup that failed says nothing: keep. A name that is nobody's now,
   * or another uid's, left its files to whoever gets the uid next. */
  if (getpwnam_r(user, &pw, buf, sizeof buf, &res) != 0 ||
      (res != NULL && pw.pw_uid == st.st_uid))
    return 0;
  remove_area(base_fd, name);
  return 1;
}

int pc_cacheowner_sweep(int base_fd) {
  return each_entry(base_fd, sweep_area);
}
