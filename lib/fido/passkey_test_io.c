/* SPDX-License-Identifier: MIT */
/* libfido2's own I/O hook (fido_dev_set_io_functions) pointed at a Unix
 * socket where tests/fido/authenticator.py answers CTAPHID reports like a
 * USB security key: libfido2 still does all the CTAP2 work. No hardware and
 * no /dev/uhid exist where the tests run. Compiled to nothing but a NULL
 * return unless PC_FIDO_TEST_IO is defined (the check-only plugin). */
#include "config.h"

#include "fido/passkey_test_io.h"

#ifndef PC_FIDO_TEST_IO
fido_dev_t *pc_passkey_test_device(void) {
  return NULL;
}
#else
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define REPORT 64

static void *io_open(const char *path) {
  struct sockaddr_un sa;
  int *fd = malloc(sizeof(int));

  if (!fd || strlen(path) >= sizeof(sa.sun_path)) {
    free(fd);
    return NULL;
  }
  memset(&sa, 0, sizeof(sa));
  sa.sun_family = AF_UNIX;
  memcpy(sa.sun_path, path, strlen(path));
  if ((*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
      connect(*fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
    if (*fd >= 0)
      close(*fd);
    free(fd);
    return NULL;
  }
  return fd;
}

static void io_close(void *h) {
  close(*(int *)h);
  free(h);
}

/* One 64-byte report, or -1 after ms (-1: no limit). */
static int io_read(void *h, unsigned char *buf, size_t len, int ms) {
  struct pollfd p = {*(int *)h, POLLIN, 0};
  size_t got = 0;
  ssize_t n;

  if (len < REPORT)
    return -1;
  while (got < REPORT) {
    if (poll(&p, 1, ms) != 1)
      return -1;
    n = read(*(int *)h, buf + got, REPORT - got);
    if (n <= 0)
      return -1;
    got += (size_t)n;
  }
  return REPORT;
}

/* libfido2 writes the report ID (0) and a 64-byte report. */
static int io_write(void *h, const unsigned char *buf, size_t len) {
  size_t done = 0;
  ssize_t n;

  while (done < len) {
    n = write(*(int *)h, buf + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return -1;
    done += (size_t)n;
  }
  return (int)len;
}

fido_dev_t *pc_passkey_test_device(void) {
  static const fido_dev_io_t io = {io_open, io_close, io_read, io_write};
  const char *path = getenv("PAM_COGNITO_TEST_FIDO_SOCKET");
  fido_dev_t *dev;

  if (!path || !*path || !(dev = fido_dev_new()))
    return NULL;
  if (fido_dev_set_io_functions(dev, &io) != FIDO_OK ||
      fido_dev_open(dev, path) != FIDO_OK) {
    fido_dev_free(&dev);
    return NULL;
  }
  return dev;
}
#endif
