/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/json.h"
#include "store/cachedir.h"
#include "store/private_files.h"

static void explain(const struct pc_error *e, struct pc_error *why) {
  char text[1024];

  (void)pc_error_set(why, e->status, "%s", pc_error_text(e, text, sizeof text));
}

enum pc_status pc_private_read(const char *base, const char *user,
                               const char *name, struct pc_buf *out,
                               struct pc_error *why) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_error e;
  enum pc_status st;

  pc_buf_init(out, PC_CACHE_MAX_FILE);
  st = pc_cache_open_private(&c, base, user, 0, &e);
  if (st == PC_OK)
    st = pc_cache_read(&c, name, out, &e);
  if (st != PC_OK && st != PC_ABSENT)
    explain(&e, why);
  pc_cache_close(&c);
  return st;
}

enum pc_status pc_private_write(const char *base, const char *user,
                                const char *name, const void *data, size_t len,
                                struct pc_error *why) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_error e;
  enum pc_status st;

  st = pc_cache_open_private(&c, base, user, 1, &e);
  if (st == PC_OK)
    st = pc_cache_write(&c, name, data, len, &e);
  if (st != PC_OK) {
    explain(&e, why);
    if (st == PC_ABSENT) /* not after create; a refusal if it ever were */
      st = PC_ERR_CONFIG;
  }
  pc_cache_close(&c);
  return st;
}

enum pc_status pc_private_load_json(const struct pc_private_record *kind,
                                    const char *base, const char *user,
                                    json_object **doc, struct pc_error *why) {
  struct pc_buf b;
  enum pc_status st = pc_private_read(base, user, kind->name, &b, why);

  *doc = NULL;
  if (st == PC_OK) {
    *doc = pc_json_parse_object(b.data, b.len);
    if (*doc == NULL)
      st = pc_error_set(why, PC_ERR_PROTOCOL, "%s", kind->not_json);
  }
  pc_buf_free(&b);
  return st;
}

enum pc_status pc_private_load_record(const struct pc_private_record *kind,
                                      const char *base, const char *user,
                                      long long uid, void *r,
                                      struct pc_error *why) {
  json_object *doc;
  long long made_for = 0;
  enum pc_status st = pc_private_load_json(kind, base, user, &doc, why);

  if (st != PC_OK)
    return st;
  if (kind->parse(doc, r, &made_for, why) != 0) {
    st = PC_ERR_PROTOCOL;
  } else if (made_for != uid) {
    kind->release(r);
    st = pc_error_set(why, PC_ABSENT,
                      "%s of %s was made for uid %lld, not %lld: ignored",
                      kind->what, user, made_for, uid);
  }
  pc_json_put_secret(doc);
  return st;
}

enum pc_status pc_private_save_json(const struct pc_private_record *kind,
                                    const char *base, const char *user,
                                    const void *r, struct pc_error *why) {
  struct pc_buf b;
  enum pc_status st;

  pc_buf_init(&b, kind->max);
  if (kind->render(r, &b) != 0)
    st = pc_error_set(why, PC_ERR_NOMEM, "out of memory");
  else
    st = pc_private_write(base, user, kind->name, b.data, b.len, why);
  pc_buf_free(&b);
  return st;
}

void pc_private_remove(const char *base, const char *user, const char *name) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_error e;

  if (pc_cache_open_private(&c, base, user, 0, &e) == PC_OK)
    (void)pc_cache_remove(&c, name);
  pc_cache_close(&c);
}

/* The lock file must be root's own regular file: anything else in a
 * root-only area means something is wrong there. */
static int lock_file_ok(int fd) {
  struct stat st;

  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 &&
         (st.st_mode & 077) == 0;
}

/* flock with a bound: a holder that is stopped (SIGSTOP) or starved must
 * not hold every later login of the user for ever. */
static int lock_within(int fd, long wait_ms) {
  const struct timespec step = {0, 20 * 1000 * 1000};

  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
      return 0;
    if (errno != EWOULDBLOCK && errno != EINTR)
      return -1;
    if (wait_ms <= 0) {
      errno = ETIMEDOUT;
      return -1;
    }
    (void)nanosleep(&step, NULL);
    wait_ms -= 20;
  }
}

int pc_private_lock(const char *base, const char *user, const char *name,
                    int create, struct pc_error *why) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_error e;
  enum pc_status st = pc_cache_open_private(&c, base, user, create, &e);
  int fd;

  if (st != PC_OK) {
    if (st == PC_ABSENT)
      return -2;
    explain(&e, why);
    return -1;
  }
  fd = openat(c.dir_fd, name,
              O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
              0600);
  if (fd < 0 || !lock_file_ok(fd)) {
    (void)pc_error_set(why, PC_ERR_PROTOCOL, "%s/%s: %s", c.path, name,
                       fd < 0 ? strerror(errno)
                              : "not a root-only regular file; remove it");
    if (fd >= 0)
      (void)close(fd);
    pc_cache_close(&c);
    return -1;
  }
  if (lock_within(fd, PC_PRIVATE_LOCK_WAIT_MS) != 0) {
    (void)pc_error_set(why, PC_ERR_PROTOCOL, "%s/%s: cannot take the lock: %s",
                       c.path, name, strerror(errno));
    (void)close(fd);
    fd = -1;
  }
  pc_cache_close(&c);
  return fd;
}

void pc_private_unlock(int fd) {
  if (fd >= 0)
    (void)close(fd); /* closing the only fd releases the flock */
}
