/* SPDX-License-Identifier: MIT */
/* The files of an open cache area; see cachefile.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "base/codec.h"
#include "base/secret.h"
#include "store/cachefile.h"

/* Every refusal is a host problem the message explains. */
#define REFUSE PC_ERR_CONFIG

/* Names we put in a path: no '/', no leading '.' (temporary files and ".."),
 * no leading '-' (would read as an option to tools run on the path). */
static int name_ok(const char *s, size_t max) {
  size_t i;

  if (s == NULL || s[0] == '\0' || s[0] == '-' || s[0] == '.')
    return 0;
  for (i = 0; s[i] != '\0'; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (i >= max)
      return 0;
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
          (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
      return 0;
  }
  return 1;
}

int pc_cache_remove(const struct pc_cache *c, const char *name) {
  if (!name_ok(name, PC_CACHE_NAME_MAX) || c->dir_fd < 0) {
    errno = EINVAL;
    return -1;
  }
  if (unlinkat(c->dir_fd, name, 0) != 0 && errno != ENOENT)
    return -1;
  return 0;
}

void pc_cache_close(struct pc_cache *c) {
  if (c->dir_fd >= 0)
    close(c->dir_fd);
  c->dir_fd = -1;
}

static int write_all(int fd, const unsigned char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0)
        errno = EIO;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Create ".<name>.<12 hex>" exclusively; the fd, or -1 with errno set. */
static int create_temp(const struct pc_cache *c, const char *name, char *tmp,
                       size_t n) {
  unsigned char rnd[6];
  char sfx[2 * sizeof rnd + 1];
  int tries, fd = -1;

  for (tries = 0; tries < 8 && fd < 0; tries++) {
    if (RAND_bytes(rnd, sizeof rnd) != 1) {
      errno = EIO;
      return -1;
    }
    pc_hex_encode(rnd, sizeof rnd, sfx);
    if (snprintf(tmp, n, ".%s.%s", name, sfx) >= (int)n) {
      errno = ENAMETOOLONG;
      return -1;
    }
    fd = openat(c->dir_fd, tmp,
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
      return -1;
  }
  return fd;
}

enum pc_status pc_cache_write(const struct pc_cache *c, const char *name,
                              const void *data, size_t len,
                              struct pc_error *e) {
  char tmp[PC_CACHE_NAME_MAX + 16];
  const char *what;
  struct stat st;
  int fd;

  pc_error_clear(e);
  if (!name_ok(name, PC_CACHE_NAME_MAX) || c->dir_fd < 0 ||
      (data == NULL && len > 0)) {
    return pc_error_set(e, REFUSE, "invalid cache write request");
  }
  fd = create_temp(c, name, tmp, sizeof tmp);
  if (fd < 0) {
    return pc_error_set(e, REFUSE, "cannot create a temporary file in %s: %s",
                        c->path, strerror(errno));
  }
  what = "write";
  if (write_all(fd, data, len) != 0)
    goto fail;
  what = "chown";
  if (fstat(fd, &st) != 0 || ((st.st_uid != c->uid || st.st_gid != c->gid) &&
                              fchown(fd, c->uid, c->gid) != 0))
    goto fail;
  what = "chmod";
  if (fchmod(fd, 0600) != 0)
    goto fail;
  what = "fsync";
  if (fsync(fd) != 0)
    goto fail;
  what = "close";
  if (close(fd) != 0) {
    fd = -1;
    goto fail;
  }
  fd = -1;
  what = "rename";
  if (renameat(c->dir_fd, tmp, c->dir_fd, name) != 0)
    goto fail;
  /* Make the new name durable too; the data is already safe, so a failure
   * here is not worth failing the write for. */
  if (fsync(c->dir_fd) != 0) {
    /* ignored on purpose: see above */
  }
  return PC_OK;
fail:
  pc_error_set(e, REFUSE, "cannot write %s/%s (%s): %s", c->path, name, what,
               strerror(errno));
  if (fd >= 0)
    close(fd);
  if (unlinkat(c->dir_fd, tmp, 0) != 0) {
    /* nothing more to do: a stray temp file is harmless and named .* */
  }
  return REFUSE;
}

enum pc_status pc_cache_read(const struct pc_cache *c, const char *name,
                             struct pc_buf *out, struct pc_error *e) {
  unsigned char chunk[4096];
  struct stat st;
  ssize_t n;
  enum pc_status rc = REFUSE;
  int fd;

  pc_buf_init(out, PC_CACHE_MAX_FILE);
  pc_error_clear(e);
  if (!name_ok(name, PC_CACHE_NAME_MAX) || c->dir_fd < 0) {
    return pc_error_set(e, REFUSE, "invalid cache read request");
  }
  fd = openat(c->dir_fd, name,
              O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int en = errno;
    if (en == ENOENT)
      return PC_ABSENT;
    return pc_error_set(e, REFUSE, "ignoring %s/%s: %s", c->path, name,
                        en == ELOOP
                            ? "a symlink (it will be replaced, not followed)"
                            : strerror(en));
  }
  if (fstat(fd, &st) != 0) {
    pc_error_set(e, REFUSE, "cannot stat %s/%s: %s", c->path, name,
                 strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    pc_error_set(e, REFUSE, "ignoring %s/%s: not a regular file (remove it)",
                 c->path, name);
  } else if (st.st_uid != c->uid) {
    pc_error_set(e, REFUSE,
                 "ignoring %s/%s: owned by uid %lu, expected %lu; it will be "
                 "replaced",
                 c->path, name, (unsigned long)st.st_uid,
                 (unsigned long)c->uid);
  } else if ((st.st_mode & 077) != 0) {
    pc_error_set(e, REFUSE,
                 "ignoring %s/%s: mode %04o gives group/other access, expected "
                 "0600; it will be replaced",
                 c->path, name, (unsigned)(st.st_mode & 07777));
  } else if (st.st_size > PC_CACHE_MAX_FILE) {
    pc_error_set(e, REFUSE, "ignoring %s/%s: %lld bytes, more than %d", c->path,
                 name, (long long)st.st_size, PC_CACHE_MAX_FILE);
  } else {
    for (;;) {
      n = read(fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      if (pc_buf_append(out, chunk, (size_t)n) != 0) {
        errno = EFBIG;
        n = -1;
        break;
      }
    }
    if (n == 0)
      rc = PC_OK;
    else
      pc_error_set(e, REFUSE, "cannot read %s/%s: %s", c->path, name,
                   strerror(errno));
  }
  pc_wipe(chunk, sizeof chunk);
  close(fd);
  if (rc != 0)
    pc_buf_free(out);
  return rc;
}
