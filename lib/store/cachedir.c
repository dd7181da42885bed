/* SPDX-License-Identifier: MIT */
/* The per-user cache directories; see cachedir.h. */
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

#include "base/codec.h"
#include "base/secret.h"
#include "store/cachedir.h"
#include "store/owner_record.h"

/* Every refusal is a host problem the message explains. */
#define REFUSE PC_ERR_CONFIG

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

/* The helpers' 0, 1 (absent, and create not asked) or -1 as the opens
 * return them. */
static enum pc_status opened(int rc) {
  return rc == 0 ? PC_OK : rc > 0 ? PC_ABSENT : REFUSE;
}

enum pc_status pc_cache_open(struct pc_cache *c, const char *base,
                             const char *user, uid_t uid, gid_t gid, int create,
                             struct pc_error *e) {
  char dir[PC_CACHE_DIR_NAME_MAX];
  int bfd, rc;

  if (prepare(c, base, user, "", uid, gid, dir, e) != 0)
    return REFUSE;
  rc = open_base(base, create, &bfd, e);
  if (rc != 0)
    return opened(rc);
  rc = open_owned_dir(bfd, dir, c->path, uid, gid, create, &c->dir_fd, e);
  if (rc == 0) {
    struct pc_error note = *e; /* a repair notice from the open */
    struct pc_cache root_area = PC_CACHE_INIT;
    enum pc_status bound = REFUSE;
    int fresh = 0;

    /* Root's own record of the owner lives where the user cannot write. */
    if (geteuid() != 0 ||
        pc_cache_open_private(&root_area, base, user, 1, e) == PC_OK)
      bound = pc_cacheowner_bind(c, root_area.dir_fd >= 0 ? &root_area : NULL,
                                 user, &fresh, e);
    pc_cache_close(&root_area);

    if (bound != PC_OK) {
      pc_cache_close(c);
      rc = -1;
    } else {
      if (e->detail[0] == '\0')
        *e = note;
      /* A new area: no other name may keep files under this uid. */
      if (fresh && create && geteuid() == 0)
        (void)pc_cacheowner_sweep(bfd);
    }
  }
  close(bfd);
  return opened(rc);
}

enum pc_status pc_cache_open_private_root(struct pc_cache *c, const char *base,
                                          int create, struct pc_error *e) {
  int bfd, rc;

  c->dir_fd = -1;
  c->uid = 0;
  c->gid = 0;
  pc_error_clear(e);
  if (base == NULL || base[0] != '/') {
    pc_error_set(e, REFUSE, "cache_dir must be an absolute path");
    return REFUSE;
  }
  (void)snprintf(c->path, sizeof c->path, "%s/%s", base, PC_CACHE_PRIVATE);
  if (geteuid() != 0) {
    pc_error_set(e, REFUSE, "only root can open %s", c->path);
    return REFUSE;
  }
  rc = open_base(base, create, &bfd, e);
  if (rc != 0)
    return opened(rc);
  rc = open_owned_dir(bfd, PC_CACHE_PRIVATE, c->path, 0, 0, create, &c->dir_fd,
                      e);
  close(bfd);
  return opened(rc);
}

/* The user's root-only area is a directory of .private/, opened through
 * pc_cache_open_private_root: one place checks the base and .private/. */
enum pc_status pc_cache_open_private(struct pc_cache *c, const char *base,
                                     const char *user, int create,
                                     struct pc_error *e) {
  struct pc_cache area = PC_CACHE_INIT;
  char dir[PC_CACHE_DIR_NAME_MAX];
  enum pc_status st;

  if (prepare(c, base, user, PC_CACHE_PRIVATE "/", 0, 0, dir, e) != 0)
    return REFUSE;
  if (geteuid() != 0) {
    return pc_error_set(e, REFUSE, "only root can open %s", c->path);
  }
  st = pc_cache_open_private_root(&area, base, create, e);
  if (st == PC_OK)
    st = opened(
        open_owned_dir(area.dir_fd, dir, c->path, 0, 0, create, &c->dir_fd, e));
  pc_cache_close(&area);
  return st;
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
