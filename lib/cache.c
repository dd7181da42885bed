/* SPDX-License-Identifier: MIT */
/* The per-user cache directories and their files; see cache.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "cache.h"
#include "cacheowner.h"
#include "codec.h"
#include "secret.h"

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

/* Why opening name with O_DIRECTORY|O_NOFOLLOW failed, for the message. */
static const char *describe_open_error(int dirfd, const char *name, int e) {
  struct stat st;

  if (e != ELOOP && e != ENOTDIR)
    return strerror(e);
  if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISLNK(st.st_mode))
    return "it is a symlink (refusing to follow it; remove it)";
  return "it is not a directory (remove it)";
}

/* Open the base directory, creating it (root only) when asked. 0 with *fd,
 * 1 when it does not exist and create is 0, -1 refused. */
static int open_base(const char *base, int create, int *fd,
                     struct pc_error *e) {
  struct stat st;
  int created = 0;

  *fd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (*fd < 0 && errno == ENOENT) {
    if (!create || geteuid() != 0) {
      pc_error_set(e, REFUSE, "cache directory %s does not exist%s", base,
                   create ? " (only root can create it)" : "");
      return create ? -1 : 1;
    }
    if (mkdir(base, 0755) == 0)
      created = 1;
    else if (errno != EEXIST) {
      pc_error_set(e, REFUSE, "cannot create cache directory %s: %s", base,
                   strerror(errno));
      return -1;
    }
    *fd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  }
  if (*fd < 0) {
    pc_error_set(e, REFUSE, "cannot open cache directory %s: %s", base,
                 describe_open_error(AT_FDCWD, base, errno));
    return -1;
  }
  /* The umask must not make the base untraversable for the helper. */
  if (created && fchmod(*fd, 0755) != 0) {
    pc_error_set(e, REFUSE, "cannot chmod cache directory %s: %s", base,
                 strerror(errno));
  } else if (fstat(*fd, &st) != 0) {
    pc_error_set(e, REFUSE, "cannot stat cache directory %s: %s", base,
                 strerror(errno));
  } else if (!S_ISDIR(st.st_mode) || st.st_uid != 0 ||
             (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    /* Anyone who can write here could swap a user's directory for a
     * symlink between our checks: refuse to build on it. */
    pc_error_set(
        e, REFUSE,
        "cache directory %s is unsafe (owner uid %lu, mode %04o): it must "
        "be owned by root and not writable by group or others (fix: "
        "chown root:root %s; chmod 755 %s)",
        base, (unsigned long)st.st_uid, (unsigned)(st.st_mode & 07777), base,
        base);
  } else {
    return 0;
  }
  close(*fd);
  *fd = -1;
  return -1;
}

/* Make the directory name under parent already owned by uid:gid, mode
 * 0700: made under a dot name (which no sweep and no other open takes for
 * an area), given away through its fd, then renamed into place without
 * replacing anything. A root-owned area under its final name, even for a
 * moment, would be another uid's to a concurrent sweep (which removes it
 * under this login) or open (which refuses it). Returns the fd, or -1 with
 * errno (EEXIST: another process made name first). */
static int make_owned_dir(int parent, const char *name, uid_t uid, gid_t gid) {
  unsigned char rnd[6];
  char tmp[NAME_MAX + 1], sfx[2 * sizeof rnd + 1];
  int fd, en;

  if (RAND_bytes(rnd, sizeof rnd) != 1) {
    errno = EIO;
    return -1;
  }
  pc_hex_encode(rnd, sizeof rnd, sfx);
  if (snprintf(tmp, sizeof tmp, ".new-%s.%s", name, sfx) >= (int)sizeof tmp) {
    errno = ENAMETOOLONG;
    return -1;
  }
  if (mkdirat(parent, tmp, 0700) != 0)
    return -1;
  fd = openat(parent, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0 && fchown(fd, uid, gid) == 0 && fchmod(fd, 0700) == 0 &&
      renameat2(parent, tmp, parent, name, RENAME_NOREPLACE) == 0)
    return fd;
  en = errno;
  if (fd >= 0)
    close(fd);
  (void)unlinkat(parent, tmp, AT_REMOVEDIR);
  errno = en;
  return -1;
}

/* Open (or create) the directory name under parent, to be owned by
 * uid:gid with mode 0700, into *out; same returns as open_base. path names
 * it in messages. */
static int open_owned_dir(int parent, const char *name, const char *path,
                          uid_t uid, gid_t gid, int create, int *out,
                          struct pc_error *e) {
  struct stat st;
  int fd = -1, i;

  *out = -1;
  for (i = 0; i < 2; i++) {
    fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 || errno != ENOENT || !create)
      break;
    if ((fd = make_owned_dir(parent, name, uid, gid)) >= 0)
      break;
    if (errno != EEXIST) {
      pc_error_set(e, REFUSE, "cannot create %s: %s", path, strerror(errno));
      return -1;
    }
  }
  if (fd < 0) {
    int en = errno;
    if (en == ENOENT && !create) {
      pc_error_set(e, REFUSE, "%s does not exist", path);
      return 1;
    }
    pc_error_set(e, REFUSE, "cannot open %s: %s", path,
                 describe_open_error(parent, name, en));
    return -1;
  }
  if (fstat(fd, &st) != 0) {
    pc_error_set(e, REFUSE, "cannot stat %s: %s", path, strerror(errno));
    goto refuse;
  }
  if (!S_ISDIR(st.st_mode) || st.st_uid != uid) {
    pc_error_set(e, REFUSE,
                 "%s is owned by uid %lu, expected %lu: refusing to use it "
                 "(remove it and it will be recreated)",
                 path, (unsigned long)st.st_uid, (unsigned long)uid);
    goto refuse;
  }
  if ((st.st_mode & 077) != 0) {
    if (fchmod(fd, 0700) != 0) {
      pc_error_set(e, REFUSE, "%s has mode %04o and cannot be repaired: %s",
                   path, (unsigned)(st.st_mode & 07777), strerror(errno));
      goto refuse;
    }
    pc_error_set(e, PC_OK, "%s had mode %04o; repaired to 0700", path,
                 (unsigned)(st.st_mode & 07777));
  }
  *out = fd;
  return 0;
refuse:
  close(fd);
  return -1;
}

/* Checks shared by both opens; fills c's owner and path, and dir with
 * user's directory name. 0 or -1. */
static int prepare(struct pc_cache *c, const char *base, const char *user,
                   const char *area, uid_t uid, gid_t gid, char *dir,
                   struct pc_error *e) {
  c->dir_fd = -1;
  c->uid = uid;
  c->gid = gid;
  c->path[0] = '\0';
  pc_error_clear(e);
  if (pc_cache_dir_name(user, dir, PC_CACHE_DIR_NAME_MAX) != 0) {
    pc_error_set(e, REFUSE, "invalid user name for the cache: refusing");
    return -1;
  }
  if (base == NULL || base[0] != '/') {
    pc_error_set(e, REFUSE, "cache_dir must be an absolute path");
    return -1;
  }
  if (snprintf(c->path, sizeof c->path, "%s/%s%s", base, area, dir) < 0)
    c->path[0] = '\0';
  return 0;
}

int pc_cache_open(struct pc_cache *c, const char *base, const char *user,
                  uid_t uid, gid_t gid, int create, struct pc_error *e) {
  char dir[PC_CACHE_DIR_NAME_MAX];
  int bfd, rc;

  if (prepare(c, base, user, "", uid, gid, dir, e) != 0)
    return -1;
  rc = open_base(base, create, &bfd, e);
  if (rc != 0)
    return rc;
  rc = open_owned_dir(bfd, dir, c->path, uid, gid, create, &c->dir_fd, e);
  if (rc == 0) {
    struct pc_error note = *e; /* a repair notice from the open */
    struct pc_cache root_area = PC_CACHE_INIT;
    int bound = -1;

    /* Root's own record of the owner lives where the user cannot write. */
    if (geteuid() != 0 ||
        pc_cache_open_private(&root_area, base, user, 1, e) == 0)
      bound = pc_cacheowner_bind(c, root_area.dir_fd >= 0 ? &root_area : NULL,
                                 user, e);
    pc_cache_close(&root_area);

    if (bound < 0) {
      pc_cache_close(c);
      rc = -1;
    } else {
      if (e->detail[0] == '\0')
        *e = note;
      /* A new area: no other name may keep files under this uid. */
      if (bound > 0 && create && geteuid() == 0)
        (void)pc_cacheowner_sweep(bfd);
    }
  }
  close(bfd);
  return rc;
}

int pc_cache_open_private(struct pc_cache *c, const char *base,
                          const char *user, int create, struct pc_error *e) {
  char area[PC_CACHE_PATH_MAX], dir[PC_CACHE_DIR_NAME_MAX];
  int bfd, afd, rc;

  if (prepare(c, base, user, PC_CACHE_PRIVATE "/", 0, 0, dir, e) != 0)
    return -1;
  if (geteuid() != 0) {
    pc_error_set(e, REFUSE, "only root can open %s", c->path);
    return -1;
  }
  (void)snprintf(area, sizeof area, "%s/%s", base, PC_CACHE_PRIVATE);
  rc = open_base(base, create, &bfd, e);
  if (rc != 0)
    return rc;
  rc = open_owned_dir(bfd, PC_CACHE_PRIVATE, area, 0, 0, create, &afd, e);
  close(bfd);
  if (rc != 0)
    return rc;
  rc = open_owned_dir(afd, dir, c->path, 0, 0, create, &c->dir_fd, e);
  close(afd);
  return rc;
}

int pc_cache_open_private_root(struct pc_cache *c, const char *base, int create,
                               struct pc_error *e) {
  int bfd, rc;

  c->dir_fd = -1;
  c->uid = 0;
  c->gid = 0;
  pc_error_clear(e);
  if (base == NULL || base[0] != '/') {
    pc_error_set(e, REFUSE, "cache_dir must be an absolute path");
    return -1;
  }
  (void)snprintf(c->path, sizeof c->path, "%s/%s", base, PC_CACHE_PRIVATE);
  if (geteuid() != 0) {
    pc_error_set(e, REFUSE, "only root can open %s", c->path);
    return -1;
  }
  rc = open_base(base, create, &bfd, e);
  if (rc != 0)
    return rc;
  rc = open_owned_dir(bfd, PC_CACHE_PRIVATE, c->path, 0, 0, create, &c->dir_fd,
                      e);
  close(bfd);
  return rc;
}

int pc_cache_sweep(const char *base) {
  struct pc_error e;
  int bfd, n;

  if (geteuid() != 0 || base == NULL || base[0] != '/' ||
      open_base(base, 0, &bfd, &e) != 0)
    return 0;
  n = pc_cacheowner_sweep(bfd);
  close(bfd);
  return n;
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

int pc_cache_write(const struct pc_cache *c, const char *name, const void *data,
                   size_t len, struct pc_error *e) {
  char tmp[PC_CACHE_NAME_MAX + 16];
  const char *what;
  struct stat st;
  int fd;

  pc_error_clear(e);
  if (!name_ok(name, PC_CACHE_NAME_MAX) || c->dir_fd < 0 ||
      (data == NULL && len > 0)) {
    pc_error_set(e, REFUSE, "invalid cache write request");
    return -1;
  }
  fd = create_temp(c, name, tmp, sizeof tmp);
  if (fd < 0) {
    pc_error_set(e, REFUSE, "cannot create a temporary file in %s: %s", c->path,
                 strerror(errno));
    return -1;
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
  return 0;
fail:
  pc_error_set(e, REFUSE, "cannot write %s/%s (%s): %s", c->path, name, what,
               strerror(errno));
  if (fd >= 0)
    close(fd);
  if (unlinkat(c->dir_fd, tmp, 0) != 0) {
    /* nothing more to do: a stray temp file is harmless and named .* */
  }
  return -1;
}

int pc_cache_read(const struct pc_cache *c, const char *name,
                  struct pc_buf *out, struct pc_error *e) {
  unsigned char chunk[4096];
  struct stat st;
  ssize_t n;
  int fd, rc = -1;

  pc_buf_init(out, PC_CACHE_MAX_FILE);
  pc_error_clear(e);
  if (!name_ok(name, PC_CACHE_NAME_MAX) || c->dir_fd < 0) {
    pc_error_set(e, REFUSE, "invalid cache read request");
    return -1;
  }
  fd = openat(c->dir_fd, name,
              O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int en = errno;
    if (en == ENOENT)
      return 1;
    pc_error_set(e, REFUSE, "ignoring %s/%s: %s", c->path, name,
                 en == ELOOP ? "a symlink (it will be replaced, not followed)"
                             : strerror(en));
    return -1;
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
      rc = 0;
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
