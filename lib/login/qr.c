/* SPDX-License-Identifier: MIT */
/* QR code → text with libqrencode; see qr.h. */
#include "config.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "login/qr.h"

#define MARGIN 2

/* UTF-8 of the four half-block cells: top light/dark × bottom light/dark. */
static const char *const cell[2][2] = {
    {"\xe2\x96\x88", "\xe2\x96\x80"}, /* top light: full, upper half */
    {"\xe2\x96\x84", " "},            /* top dark: lower half, none */
};

/* 1 when the module at (x, y) is dark; the margin is light. */
static int dark(const QRcode *qr, int x, int y) {
  if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
    return 0;
  return qr->data[y * qr->width + x] & 1;
}

char *pc_qr_text(const char *text) {
  QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
  int side, x, y;
  size_t cap, len = 0;
  char *out;

  if (qr == NULL)
    return NULL;
  side = qr->width + 2 * MARGIN;
  /* At most 3 bytes a cell, a newline a line, a NUL. */
  cap = (size_t)side * 3 * (size_t)((side + 1) / 2) + (size_t)side + 1;
  out = malloc(cap);
  for (y = -MARGIN; out && y < qr->width + MARGIN; y += 2) {
    for (x = -MARGIN; x < qr->width + MARGIN; x++) {
      /* An odd last line's bottom half is one more row of margin. */
      const char *c = cell[dark(qr, x, y)][dark(qr, x, y + 1)];
      size_t n = strlen(c);

      memcpy(out + len, c, n);
      len += n;
    }
    out[len++] = '\n';
  }
  if (out) {
    if (len > 0)
      len--; /* no newline after the last line */
    out[len] = '\0';
  }
  /* The code carries the TOTP secret. */
  pc_wipe(qr->data, (size_t)qr->width * (size_t)qr->width);
  QRcode_free(qr);
  return out;
}
