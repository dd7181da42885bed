/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/secret.h"
#include "store/cachedir.h"
#include "store/creds_doc.h"
#include "tap.h"

/* The "user": nobody's ids, as a root PAM module would look them up. */
#define UID 65534
#define GID 65534
#define WRITERS 20
#define ROUNDS 50

static char root[] = "/tmp/pc-cache-test-XXXXXX";
static char versions[WRITERS][2100];

/* "<root>/<fmt...>" in one of a few rotating static buffers. */
static const char *P(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static const char *P(const char *fmt, ...) {
  static char bufs[4][512];
  static int k;
  char *b = bufs[k++ % 4];
  va_list ap;
  int n = snprintf(b, 512, "%s/", root);

  va_start(ap, fmt);
  if (n < 0 || vsnprintf(b + n, 512 - (size_t)n, fmt, ap) < 0)
    abort();
  va_end(ap);
  return b;
}

static struct stat lst(const char *path) {
  struct stat st;

  if (lstat(path, &st) != 0)
    memset(&st, 0, sizeof st);
  return st;
}

/* Whole file at path as a string in a static buffer; "" when unreadable. */
static const char *slurp(const char *path) {
  static char buf[8192];
  ssize_t n = -1;
  int fd = open(path, O_RDONLY | O_NOFOLLOW);

  if (fd >= 0) {
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
  }
  buf[n > 0 ? n : 0] = '\0';
  return buf;
}

static int put_file(const char *path, const char *s, uid_t uid, mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode);
  int rc = -1;

  if (fd < 0)
    return -1;
  if (write(fd, s, strlen(s)) == (ssize_t)strlen(s) &&
      fchown(fd, uid, uid) == 0 && fchmod(fd, mode) == 0)
    rc = 0;
  close(fd);
  return rc;
}

/* Entries of dir whose names start with '.', other than . and .. */
static int dot_files(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;

  if (d == NULL)
    return -1;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
        strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *f) {
  (void)st;
  (void)flag;
  (void)f;
  return remove(p);
}

/* 0 when the open succeeds; closes right away. */
static int try_open(const char *base, const char *user, int create,
                    struct pc_error *e) {
  struct pc_cache c;
  int rc = pc_cache_open(&c, base, user, UID, GID, create, e);

  if (rc == 0)
    pc_cache_close(&c);
  return rc;
}

static int is_version(const char *data, size_t len) {
  int k;

  for (k = 0; k < WRITERS; k++)
    if (data != NULL && len == strlen(versions[k]) &&
        memcmp(data, versions[k], len) == 0)
      return 1;
  return 0;
}

/* dir is the directory name of user, and names user back. */
static int spelled(const char *user, const char *dir) {
  char out[PC_CACHE_DIR_NAME_MAX], back[PC_USER_NAME_MAX + 1];

  return pc_cache_dir_name(user, out, sizeof out) == 0 &&
         strcmp(out, dir) == 0 &&
         pc_cache_dir_user(out, back, sizeof back) == 0 &&
         strcmp(back, user) == 0;
}

static void test_names(void) {
  char longname[80], out[PC_CACHE_DIR_NAME_MAX], back[PC_USER_NAME_MAX + 1];

  memset(longname, 'a', 65);
  longname[65] = '\0';
  ok(pc_user_name_valid("alice") && pc_user_name_valid("a.b-c_D9") &&
         pc_user_name_valid("nobody") && pc_user_name_valid("user@corp") &&
         pc_user_name_valid("a b") && pc_user_name_valid("../x"),
     "any name NSS can give is valid");
  ok(pc_user_name_valid(longname + 1), "64 bytes are valid");
  ok(!pc_user_name_valid(longname), "65 bytes are not");
  ok(!pc_user_name_valid("") && !pc_user_name_valid(NULL),
     "empty and NULL are not");
  ok(spelled("alice", "alice") && spelled("a.b-c_D9", "a.b-c_D9"),
     "a plain name is its own directory");
  ok(spelled("user@corp", "user%40corp") && spelled("a b", "a%20b") &&
         spelled("caf\xc3\xa9", "caf%c3%a9"),
     "other bytes are %%hh");
  ok(spelled("../x", "%2e.%2fx") && spelled("a/b", "a%2fb") &&
         spelled(".bashrc", "%2ebashrc") && spelled("-r", "%2dr") &&
         spelled(".private", "%2eprivate"),
     "no directory has '/' or starts with '.' or '-'");
  ok(spelled("a%40b", "a%2540b") && spelled("a@b", "a%40b"),
     "'%%' is encoded: a name cannot pose as another's encoding");
  ok(pc_cache_dir_user("a%2Fb", back, sizeof back) == -1 &&
         pc_cache_dir_user("%61lice", back, sizeof back) == -1 &&
         pc_cache_dir_user("a%", back, sizeof back) == -1 &&
         pc_cache_dir_user("a%00b", back, sizeof back) == -1 &&
         pc_cache_dir_user(".private", back, sizeof back) == -1 &&
         pc_cache_dir_user("", back, sizeof back) == -1,
     "only the one spelling the encoding makes names a user");
  memset(longname, '@', 64);
  longname[64] = '\0';
  ok(pc_cache_dir_name(longname, out, sizeof out) == 0 && strlen(out) == 192,
     "the longest name fits PC_CACHE_DIR_NAME_MAX");
  ok(pc_cache_dir_name("a@b", out, 4) == -1, "a short buffer is refused");
  memset(longname, 'a', 65);
  longname[65] = '\0';
  ok(try_open(P("base"), "", 1, NULL) == PC_ERR_CONFIG &&
         try_open(P("base"), longname, 1, NULL) == PC_ERR_CONFIG &&
         lst(P("base")).st_mode == 0,
     "open refuses bad names before touching the disk");
  ok(try_open("relative/base", "alice", 1, NULL) == PC_ERR_CONFIG,
     "a relative base is refused");
}

static void test_create_and_files(void) {
  struct pc_cache c;
  struct pc_buf b;
  struct pc_error e;
  struct stat st;

  ok(try_open(P("base"), "nobody", 0, &e) == PC_ABSENT,
     "nothing there and no create: 1 (%s)", e.detail);
  ok(pc_cache_open(&c, P("base"), "nobody", UID, GID, 1, &e) == 0,
     "open with create: %s", e.detail);
  st = lst(P("base"));
  ok(S_ISDIR(st.st_mode) && st.st_uid == 0 && (st.st_mode & 07777) == 0755,
     "base created root-owned 0755 despite umask 077 (%04o)",
     (unsigned)(st.st_mode & 07777));
  st = lst(P("base/nobody"));
  ok(S_ISDIR(st.st_mode) && st.st_uid == UID && st.st_gid == GID &&
         (st.st_mode & 07777) == 0700,
     "user dir owned by the user, 0700");
  ok(pc_cache_write(&c, "creds.json", "{\"v\":1}", 7, &e) == 0, "write: %s",
     e.detail);
  st = lst(P("base/nobody/creds.json"));
  ok(S_ISREG(st.st_mode) && st.st_uid == UID && st.st_gid == GID &&
         (st.st_mode & 07777) == 0600,
     "file owned by the user, 0600");
  is_str(slurp(P("base/nobody/creds.json")), "{\"v\":1}", "exact contents");
  ok(pc_cache_read(&c, "creds.json", &b, &e) == 0 && b.len == 7 &&
         memcmp(b.data, "{\"v\":1}", 7) == 0,
     "read back");
  pc_buf_free(&b);
  ok(pc_cache_write(&c, "creds.json", "second", 6, &e) == 0, "replace");
  is_str(slurp(P("base/nobody/creds.json")), "second", "replaced contents");
  ok(dot_files(P("base/nobody")) == 0, "no temporary files left");
  ok(pc_cache_write(&c, "empty", "", 0, &e) == 0 &&
         pc_cache_read(&c, "empty", &b, &e) == 0 && b.len == 0,
     "an empty file reads as empty");
  pc_buf_free(&b);
  ok(pc_cache_read(&c, "absent", &b, &e) == PC_ABSENT, "absent: PC_ABSENT");
  ok(pc_cache_write(&c, "../escape", "x", 1, &e) == PC_ERR_CONFIG &&
         pc_cache_write(&c, ".hidden", "x", 1, &e) == PC_ERR_CONFIG &&
         pc_cache_read(&c, "a/b", &b, &e) == PC_ERR_CONFIG &&
         lst(P("base/escape")).st_mode == 0,
     "file names are validated too");
  pc_cache_close(&c);
  pc_cache_close(&c);
  ok(try_open(P("base"), "nobody", 0, &e) == 0,
     "reopening the existing dir without create");
}

static void test_planted_files(void) {
  struct pc_cache c;
  struct pc_buf b;
  struct pc_error e;
  char big[PC_CACHE_MAX_FILE + 2];
  struct stat st;

  if (pc_cache_open(&c, P("base"), "nobody", UID, GID, 1, &e)) {
    ok(0, "open for planted-file tests: %s", e.detail);
    return;
  }
  /* A symlink planted where the cache file goes. */
  ok(put_file(P("victim"), "VICTIM", 0, 0644) == 0 &&
         symlink(P("victim"), P("base/nobody/link")) == 0,
     "plant a symlink to a root file");
  ok(pc_cache_read(&c, "link", &b, &e) == PC_ERR_CONFIG && b.data == NULL,
     "read refuses the symlink: %s", e.detail);
  ok(pc_cache_write(&c, "link", "mine", 4, &e) == 0, "write");
  ok(S_ISREG(lst(P("base/nobody/link")).st_mode), "the link was replaced");
  is_str(slurp(P("base/nobody/link")), "mine", "with the new contents");
  is_str(slurp(P("victim")), "VICTIM", "the link target is untouched");
  st = lst(P("victim"));
  ok(st.st_uid == 0 && (st.st_mode & 07777) == 0644, "target owner/mode too");

  /* A file of another uid, then one with loose mode. */
  ok(put_file(P("base/nobody/other"), "theirs", 1234, 0600) == 0, "plant");
  ok(pc_cache_read(&c, "other", &b, &e) == PC_ERR_CONFIG,
     "read refuses a file owned by uid 1234: %s", e.detail);
  ok(pc_cache_write(&c, "other", "ours", 4, &e) == 0 &&
         lst(P("base/nobody/other")).st_uid == UID,
     "write replaces it, now owned by the user");
  is_str(slurp(P("base/nobody/other")), "ours", "with our contents");
  ok(put_file(P("base/nobody/loose"), "x", UID, 0644) == 0 &&
         pc_cache_read(&c, "loose", &b, &e) == PC_ERR_CONFIG,
     "read refuses mode 0644: %s", e.detail);
  ok(mkfifo(P("base/nobody/fifo"), 0600) == 0 &&
         chown(P("base/nobody/fifo"), UID, GID) == 0 &&
         pc_cache_read(&c, "fifo", &b, &e) == PC_ERR_CONFIG,
     "a FIFO is refused without blocking: %s", e.detail);
  ok(mkdir(P("base/nobody/dir"), 0700) == 0 &&
         pc_cache_write(&c, "dir", "x", 1, &e) == PC_ERR_CONFIG &&
         dot_files(P("base/nobody")) == 0,
     "a directory in the way fails the write, leaving no temp file");
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  ok(pc_cache_write(&c, "big", big, PC_CACHE_MAX_FILE, &e) == 0 &&
         pc_cache_read(&c, "big", &b, &e) == 0 && b.len == PC_CACHE_MAX_FILE,
     "a file of exactly the limit reads");
  pc_buf_free(&b);
  ok(pc_cache_write(&c, "big", big, sizeof big - 1, &e) == 0 &&
         pc_cache_read(&c, "big", &b, &e) == PC_ERR_CONFIG,
     "one byte more is refused: %s", e.detail);
  pc_cache_close(&c);
}

static void test_planted_dirs(void) {
  struct pc_error e;
  struct stat st;

  ok(mkdir(P("elsewhere"), 0755) == 0 && chmod(P("elsewhere"), 0755) == 0 &&
         symlink(P("elsewhere"), P("base/sym")) == 0,
     "plant a user-dir symlink");
  ok(try_open(P("base"), "sym", 1, &e) == PC_ERR_CONFIG,
     "a symlinked user dir is refused: %s", e.detail);
  st = lst(P("elsewhere"));
  ok(dot_files(P("elsewhere")) == 0 && st.st_uid == 0 &&
         (st.st_mode & 07777) == 0755,
     "its target is untouched");
  ok(symlink(P("nowhere"), P("base/dangling")) == 0 &&
         try_open(P("base"), "dangling", 1, &e) == PC_ERR_CONFIG &&
         lst(P("nowhere")).st_mode == 0,
     "a dangling symlink is refused, its target not created");
  ok(put_file(P("base/plain"), "x", UID, 0600) == 0 &&
         try_open(P("base"), "plain", 1, &e) == PC_ERR_CONFIG,
     "a file in place of the user dir is refused: %s", e.detail);
  ok(mkdir(P("base/taken"), 0700) == 0 &&
         chown(P("base/taken"), 1234, 1234) == 0 &&
         try_open(P("base"), "taken", 1, &e) == PC_ERR_CONFIG &&
         lst(P("base/taken")).st_uid == 1234,
     "a user dir owned by uid 1234 is refused: %s", e.detail);
  /* The area of an account that exists (nobody has uid 65534). */
  ok(mkdir(P("lb"), 0755) == 0 && mkdir(P("lb/nobody"), 0700) == 0 &&
         chown(P("lb/nobody"), UID, GID) == 0 &&
         chmod(P("lb/nobody"), 0777) == 0 &&
         try_open(P("lb"), "nobody", 0, &e) == 0 &&
         strstr(e.detail, "repaired") != NULL,
     "a 0777 user dir of the user is repaired and reported: %s", e.detail);
  ok((lst(P("lb/nobody")).st_mode & 07777) == 0700, "now 0700");
  /* A name that is no account's (any more) gets no area. */
  ok(mkdir(P("base/gone"), 0700) == 0 && chown(P("base/gone"), UID, GID) == 0 &&
         try_open(P("base"), "gone", 0, &e) == PC_ERR_CONFIG &&
         strstr(e.detail, "does not have uid") != NULL,
     "the area of a name without an account is refused: %s", e.detail);

  ok(mkdir(P("ww"), 0777) == 0 && chmod(P("ww"), 0777) == 0 &&
         try_open(P("ww"), "nobody", 1, &e) == PC_ERR_CONFIG &&
         lst(P("ww/nobody")).st_mode == 0,
     "a world-writable base is refused: %s", e.detail);
  ok(chmod(P("ww"), 01777) == 0 &&
         try_open(P("ww"), "nobody", 1, &e) == PC_ERR_CONFIG,
     "sticky does not make it acceptable");
  ok(mkdir(P("notroot"), 0755) == 0 && chown(P("notroot"), 1234, 1234) == 0 &&
         try_open(P("notroot"), "nobody", 1, &e) == PC_ERR_CONFIG,
     "a base not owned by root is refused: %s", e.detail);
  ok(symlink(P("base"), P("baselink")) == 0 &&
         try_open(P("baselink"), "nobody", 1, &e) == PC_ERR_CONFIG,
     "a base that is a symlink is refused: %s", e.detail);
  ok(try_open(P("no/such/base"), "nobody", 1, &e) == PC_ERR_CONFIG,
     "a base whose parent is missing fails: %s", e.detail);
}

/* Run as nobody, like the credential helper. Exit status bit k = check k. */
static int as_user(void) {
  struct pc_cache c;
  struct pc_buf b;
  struct pc_error e;
  int bad = 0;

  if (setgroups(0, NULL) != 0 || setgid(GID) != 0 || setuid(UID) != 0)
    return 255;
  if (pc_cache_open(&c, P("base"), "nobody", UID, GID, 0, &e))
    return 1;
  if (pc_cache_read(&c, "other", &b, &e) != 0 || b.len != 4)
    bad |= 2;
  pc_buf_free(&b);
  if (pc_cache_write(&c, "helper", "h", 1, &e) != 0)
    bad |= 4;
  pc_cache_close(&c);
  if (try_open(P("fresh"), "nobody", 1, &e) != PC_ERR_CONFIG ||
      lst(P("fresh")).st_mode != 0)
    bad |= 8;
  if (try_open(P("fresh"), "nobody", 0, &e) != PC_ABSENT)
    bad |= 16;
  return bad;
}

/* The root-only area <base>/.private/<user>/. */
static void test_private_area(void) {
  struct pc_cache c;
  struct pc_buf b;
  struct pc_error e;
  struct stat st;
  int status = -1;
  pid_t pid;

  ok(pc_cache_open_private(&c, P("priv"), "nobody", 0, &e) == PC_ABSENT,
     "nothing there and no create: PC_ABSENT");
  ok(pc_cache_open_private(&c, P("priv"), "nobody", 1, &e) == 0,
     "open with create: %s", e.detail);
  st = lst(P("priv/.private"));
  ok(S_ISDIR(st.st_mode) && st.st_uid == 0 && (st.st_mode & 07777) == 0700,
     ".private is root's, 0700");
  st = lst(P("priv/.private/nobody"));
  ok(S_ISDIR(st.st_mode) && st.st_uid == 0 && st.st_gid == 0 &&
         (st.st_mode & 07777) == 0700,
     "the user's private directory is root's too, 0700");
  ok(pc_cache_write(&c, "secret", "s", 1, &e) == 0, "write: %s", e.detail);
  st = lst(P("priv/.private/nobody/secret"));
  ok(st.st_uid == 0 && (st.st_mode & 07777) == 0600, "file root 0600");
  ok(pc_cache_read(&c, "secret", &b, &e) == 0 && b.len == 1, "read back");
  pc_buf_free(&b);
  ok(put_file(P("priv/.private/nobody/planted"), "x", UID, 0600) == 0 &&
         pc_cache_read(&c, "planted", &b, &e) == PC_ERR_CONFIG,
     "a file of the user's there is refused: %s", e.detail);
  pc_cache_close(&c);

  ok(chown(P("priv/.private/nobody"), UID, GID) == 0 &&
         pc_cache_open_private(&c, P("priv"), "nobody", 1, &e) == PC_ERR_CONFIG,
     "a private directory the user owns is refused: %s", e.detail);
  ok(chown(P("priv/.private/nobody"), 0, 0) == 0 &&
         chown(P("priv/.private"), UID, GID) == 0 &&
         pc_cache_open_private(&c, P("priv"), "nobody", 1, &e) == PC_ERR_CONFIG,
     "a .private the user owns is refused: %s", e.detail);
  ok(mkdir(P("privlink"), 0755) == 0 && mkdir(P("privtarget"), 0700) == 0 &&
         symlink(P("privtarget"), P("privlink/.private")) == 0,
     "set up a symlinked .private");
  ok(pc_cache_open_private(&c, P("privlink"), "nobody", 1, &e) ==
             PC_ERR_CONFIG &&
         lst(P("privtarget/nobody")).st_mode == 0,
     "a symlinked .private is refused, not followed: %s", e.detail);
  ok(pc_cache_open_private(&c, P("priv"), ".private", 1, &e) == PC_ERR_CONFIG &&
         pc_cache_open(&c, P("priv"), ".private", UID, GID, 1, &e) ==
             PC_ERR_CONFIG,
     "\".private\" is never a user name");

  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    if (setgroups(0, NULL) != 0 || setgid(GID) != 0 || setuid(UID) != 0)
      _exit(255);
    _exit(pc_cache_open_private(&c, P("priv"), "nobody", 0, &e) == PC_ERR_CONFIG
              ? 0
              : 1);
  }
  ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0,
     "the user cannot open the private area (status %d)", status);
}

static void test_as_user(void) {
  int status = -1;
  pid_t pid;
  struct stat st;

  fflush(stdout);
  pid = fork();
  if (pid == 0)
    _exit(as_user());
  ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0,
     "as the user: open, read, write work; no base creation (status %d)",
     status);
  st = lst(P("base/nobody/helper"));
  ok(st.st_uid == UID && (st.st_mode & 07777) == 0600, "helper's file");
}

static int writer(int k) {
  struct pc_cache c;
  struct pc_error e;
  int i, bad = 0;

  if (pc_cache_open(&c, P("base"), "nobody", UID, GID, 1, &e))
    return 1;
  for (i = 0; i < ROUNDS; i++)
    if (pc_cache_write(&c, "race", versions[k], strlen(versions[k]), &e) != 0)
      bad = 1;
  pc_cache_close(&c);
  return bad;
}

static void test_concurrent(void) {
  struct pc_cache c;
  struct pc_buf b;
  struct pc_error e;
  pid_t pids[WRITERS];
  int k, status, failed = 0, reads = 0, torn = 0, running = WRITERS;

  for (k = 0; k < WRITERS; k++) {
    int n = snprintf(versions[k], sizeof versions[k],
                     "{\"Version\": 1, \"writer\": %d, \"pad\": \"", k);
    memset(versions[k] + n, 'a' + k, 2000);
    memcpy(versions[k] + n + 2000, "\"}", 3);
  }
  if (pc_cache_open(&c, P("base"), "nobody", UID, GID, 1, &e)) {
    ok(0, "open for the race: %s", e.detail);
    return;
  }
  fflush(stdout);
  for (k = 0; k < WRITERS; k++) {
    pids[k] = fork();
    if (pids[k] == 0) {
      pc_cache_close(&c);
      _exit(writer(k));
    }
    if (pids[k] < 0)
      failed++;
  }
  /* Read while they write: every read must see one whole version. */
  while (running > 0) {
    int rc = pc_cache_read(&c, "race", &b, &e);
    if (rc == 0) {
      reads++;
      if (!is_version(b.data, b.len))
        torn++;
    } else if (rc != PC_ABSENT) {
      torn++;
    }
    pc_buf_free(&b);
    for (k = 0; k < WRITERS; k++)
      if (pids[k] > 0 && waitpid(pids[k], &status, WNOHANG) == pids[k]) {
        pids[k] = 0;
        running--;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
          failed++;
      }
  }
  ok(failed == 0, "%d writers x %d rounds all succeeded", WRITERS, ROUNDS);
  ok(torn == 0, "%d concurrent reads, none torn or refused", reads);
  ok(pc_cache_read(&c, "race", &b, &e) == 0 && is_version(b.data, b.len),
     "the final file is exactly one complete version");
  pc_buf_free(&b);
  ok(dot_files(P("base/nobody")) == 0, "no temporary files left");
  pc_cache_close(&c);
}

static void test_json(void) {
  struct pc_aws_creds cr;
  char when[32], *j;

  ok(pc_iso8601(1700000000, when, sizeof when) == 0, "format");
  is_str(when, "2023-11-14T22:13:20Z", "1700000000 in ISO 8601");
  ok(pc_iso8601(0, when, sizeof when) == 0 &&
         strcmp(when, "1970-01-01T00:00:00Z") == 0,
     "epoch 0");
  ok(pc_iso8601(-1, when, sizeof when) == -1 &&
         pc_iso8601(253402300800LL, when, sizeof when) == -1 &&
         pc_iso8601(1, when, 20) == -1,
     "out of range or short buffer");

  j = pc_creds_process_json("ASIAEXAMPLE", "se/cr+et\"\\", "to=ken",
                            1700000000);
  is_str(j,
         "{\"Version\": 1, \"AccessKeyId\": \"ASIAEXAMPLE\", "
         "\"SecretAccessKey\": \"se/cr+et\\\"\\\\\", \"SessionToken\": "
         "\"to=ken\", \"Expiration\": \"2023-11-14T22:13:20Z\"}",
         "credential_process JSON, escaped");
  ok(pc_creds_process_parse(j, &cr) == 0, "parses back");
  is_str(cr.access_key_id, "ASIAEXAMPLE", "AccessKeyId");
  is_str(cr.secret_access_key, "se/cr+et\"\\", "SecretAccessKey");
  is_str(cr.session_token, "to=ken", "SessionToken");
  ok(cr.expiration == 1700000000, "Expiration %lld", cr.expiration);
  pc_aws_creds_free(&cr);
  ok(cr.access_key_id == NULL && cr.session_token == NULL, "freed and reset");
  pc_buf_string_free(&j);
  ok(pc_creds_process_json("A", "", "T", 1) == NULL &&
         pc_creds_process_json(NULL, "S", "T", 1) == NULL &&
         pc_creds_process_json("A", "S", "T", -5) == NULL,
     "refuses empty or missing fields");

  j = pc_creds_process_json("A", "S", "T", 951782400); /* 2000-02-29 */
  ok(pc_creds_process_parse(j, &cr) == 0 && cr.expiration == 951782400,
     "leap day round trip");
  pc_aws_creds_free(&cr);
  pc_buf_string_free(&j);
#define BAD(doc, why)                                                          \
  ok(pc_creds_process_parse(doc, &cr) == -1 && cr.access_key_id == NULL, why)
#define DOC(v, e)                                                              \
  "{\"Version\": " v ", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", "  \
  "\"SessionToken\": \"T\", \"Expiration\": " e "}"
  ok(pc_creds_process_parse(DOC("1", "\"2030-01-01T00:00:00Z\""), &cr) == 0,
     "minimal document");
  pc_aws_creds_free(&cr);
  BAD(DOC("2", "\"2030-01-01T00:00:00Z\""), "Version 2");
  BAD(DOC("\"1\"", "\"2030-01-01T00:00:00Z\""), "Version as a string");
  BAD(DOC("1", "1893456000"), "Expiration as a number");
  BAD(DOC("1", "\"2030-01-01 00:00:00Z\""), "space instead of T");
  BAD(DOC("1", "\"2030-13-01T00:00:00Z\""), "month 13");
  BAD(DOC("1", "\"2031-02-29T00:00:00Z\""), "Feb 29 of a common year");
  BAD(DOC("1", "\"2030-01-01T24:00:00Z\""), "hour 24");
  BAD(DOC("1", "\"2030-01-01T00:00:00+00:00\""), "offset instead of Z");
  BAD(DOC("1", "\"2030-01-01T00:00:00.5Z\""), "fractional seconds");
  BAD("{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", "
      "\"Expiration\": \"2030-01-01T00:00:00Z\"}",
      "missing SessionToken");
  BAD("{\"Version\": 1, \"AccessKeyId\": \"\", \"SecretAccessKey\": \"S\", "
      "\"SessionToken\": \"T\", \"Expiration\": \"2030-01-01T00:00:00Z\"}",
      "empty AccessKeyId");
  BAD("{\"Version\": 1, \"AccessKeyId\": \"\\u0000x\", \"SecretAccessKey\": "
      "\"S\", "
      "\"SessionToken\": \"T\", \"Expiration\": \"2030-01-01T00:00:00Z\"}",
      "AccessKeyId with an embedded NUL (found by fuzz_jwt_creds)");
  BAD("[1]", "an array");
  BAD("", "empty input (a corrupt file)");
  BAD("{\"Version\": 1, \"AccessKeyId\": \"A\"", "truncated");
  BAD(NULL, "NULL");
}

int main(void) {
  umask(077);
  if (mkdtemp(root) == NULL || chmod(root, 0755) != 0) {
    ok(0, "mkdtemp");
    return tap_done();
  }
  if (geteuid() != 0) {
    printf("1..0 # SKIP the cache tests need root (chown)\n");
    rmdir(root);
    return 0;
  }
  test_names();
  test_create_and_files();
  test_planted_files();
  test_planted_dirs();
  test_as_user();
  test_private_area();
  test_concurrent();
  test_json();
  ok(nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS) == 0, "clean up %s", root);
  return tap_done();
}
