/* SPDX-License-Identifier: MIT */
/* The passkey plugin (pam_cognito_passkey.so): a WebAuthn assertion or a
 * new resident credential from the attached FIDO2 key through libfido2,
 * which does all the CTAP2 work (PIN protocol included). Only this file
 * and passkey_test_io.c link libfido2; the module opens the plugin when a
 * person chooses a security key. */
#include "config.h"

#include <fido.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fido/passkey_plugin.h"
#include "fido/passkey_test_io.h"

static void wipe_free(char *s) {
  if (s) {
    explicit_bzero(s, strlen(s));
    free(s);
  }
}

static void say(char *why, size_t n, const char *what, int r) {
  snprintf(why, n, "%s: %s", what, fido_strerr(r));
}

/* The first attached key, opened; NULL when there is none. */
static fido_dev_t *open_first(char *why, size_t n) {
  fido_dev_info_t *list;
  fido_dev_t *dev = NULL;
  size_t found = 0;
  int r;

  if ((dev = pc_passkey_test_device()) != NULL)
    return dev;
  if (!(list = fido_dev_info_new(16)))
    return NULL;
  r = fido_dev_info_manifest(list, 16, &found);
  if (r == FIDO_OK && found > 0 && (dev = fido_dev_new()) != NULL) {
    r = fido_dev_open(dev, fido_dev_info_path(fido_dev_info_ptr(list, 0)));
    if (r != FIDO_OK) {
      say(why, n, "opening the security key", r);
      fido_dev_free(&dev);
    }
  }
  fido_dev_info_free(&list, 16);
  return dev;
}

/* The module's handle on an opened key. */
struct pc_passkey_dev {
  fido_dev_t *fido;
};

static struct pc_passkey_dev *dev_open(char *why, size_t whylen) {
  struct pc_passkey_dev *d;
  fido_dev_t *dev;

  fido_init(0);
  if (!(dev = open_first(why, whylen)))
    return NULL;
  if (!(d = malloc(sizeof(*d)))) {
    snprintf(why, whylen, "%s", "out of memory");
    fido_dev_close(dev);
    fido_dev_free(&dev);
    return NULL;
  }
  d->fido = dev;
  return d;
}

static void dev_close(struct pc_passkey_dev *d) {
  if (d) {
    fido_dev_close(d->fido);
    fido_dev_free(&d->fido);
    free(d);
  }
}

static enum pc_passkey_result result_of(int r) {
  switch (r) {
  case FIDO_OK:
    return PC_PK_OK;
  case FIDO_ERR_NO_CREDENTIALS:
    return PC_PK_NO_CREDENTIAL;
  case FIDO_ERR_ACTION_TIMEOUT:
  case FIDO_ERR_USER_ACTION_TIMEOUT:
  case FIDO_ERR_RX:
    return PC_PK_TIMEOUT;
  case FIDO_ERR_PIN_INVALID:
  case FIDO_ERR_PIN_AUTH_INVALID:
  case FIDO_ERR_UV_INVALID:
    return PC_PK_PIN_WRONG;
  case FIDO_ERR_PIN_BLOCKED:
  case FIDO_ERR_PIN_AUTH_BLOCKED:
  case FIDO_ERR_UV_BLOCKED:
    return PC_PK_PIN_BLOCKED;
  case FIDO_ERR_OPERATION_DENIED:
    return PC_PK_DENIED;
  default:
    return PC_PK_ERROR;
  }
}

/* The PIN when the request needs user verification and the key has one:
 * *pin set (or NULL when the key verifies by itself). */
static enum pc_passkey_result get_pin(fido_dev_t *dev, int uv_required,
                                      const struct pc_passkey_io *io,
                                      char **pin) {
  *pin = NULL;
  if (!uv_required)
    return PC_PK_OK;
  if (fido_dev_has_pin(dev)) {
    if (io->ask_pin(io->ctx, "Security key PIN: ", pin) != 0 || !*pin ||
        !**pin) {
      wipe_free(*pin);
      *pin = NULL;
      return PC_PK_PIN_UNANSWERED;
    }
    return PC_PK_OK;
  }
  return fido_dev_supports_uv(dev) ? PC_PK_OK : PC_PK_PIN_UNANSWERED;
}

static int copy_blob(struct pc_passkey_blob *b, const unsigned char *p,
                     size_t n) {
  b->len = 0;
  if (!(b->ptr = malloc(n ? n : 1)))
    return -1;
  if (n)
    memcpy(b->ptr, p, n);
  b->len = n;
  return 0;
}

/* libfido2 gives the authenticator data CBOR-wrapped (a byte string): the
 * relying party wants the bytes inside. */
static int unwrap_bstr(struct pc_passkey_blob *b, const unsigned char *p,
                       size_t n) {
  size_t head, len;

  if (n < 1 || (p[0] >> 5) != 2)
    return -1;
  if ((p[0] & 31) < 24) {
    head = 1;
    len = p[0] & 31;
  } else if ((p[0] & 31) == 24 && n >= 2) {
    head = 2;
    len = p[1];
  } else if ((p[0] & 31) == 25 && n >= 3) {
    head = 3;
    len = (size_t)p[1] << 8 | p[2];
  } else {
    return -1;
  }
  if (head + len != n)
    return -1;
  return copy_blob(b, p + head, len);
}

static void free_blob(struct pc_passkey_blob *b) {
  if (b->ptr) {
    explicit_bzero(b->ptr, b->len);
    free(b->ptr);
  }
  b->ptr = NULL;
  b->len = 0;
}

/* The request's timeout, or libfido2's own wait when it names none. */
static int set_timeout(fido_dev_t *dev, int timeout_ms) {
  return fido_dev_set_timeout(dev, timeout_ms > 0 ? timeout_ms : -1) == FIDO_OK
             ? 0
             : -1;
}

/* What differs between signing in and registering: how the request is set
 * up on libfido2's object, the call to the key, what is taken from its
 * answer. op is the ceremony's own state. */
struct ceremony {
  const char *setup_failed;
  int (*setup)(void *op, fido_dev_t *dev, const char *pin);
  int (*run)(void *op, fido_dev_t *dev, const char *pin);
  enum pc_passkey_result (*take)(void *op, char *why, size_t whylen);
};

/* Both ceremonies on the opened key: its PIN when one is wanted, the
 * request set up, the touch, the answer taken; the PIN wiped whatever
 * happened (the key stays open: the caller closes it). */
static enum pc_passkey_result run_ceremony(const struct ceremony *c, void *op,
                                           fido_dev_t *dev, int uv_wanted,
                                           int pin_whenever_set,
                                           const struct pc_passkey_io *io,
                                           char *why, size_t whylen) {
  char *pin = NULL;
  enum pc_passkey_result res;
  int r;

  if (pin_whenever_set && fido_dev_has_pin(dev))
    uv_wanted = 1;
  res = get_pin(dev, uv_wanted, io, &pin);
  if (res == PC_PK_OK && c->setup(op, dev, pin) != 0) {
    snprintf(why, whylen, "%s", c->setup_failed);
    res = PC_PK_ERROR;
  }
  if (res == PC_PK_OK) {
    io->tell(io->ctx, "Touch your security key.");
    r = c->run(op, dev, pin);
    if ((res = result_of(r)) != PC_PK_OK)
      say(why, whylen, "the security key", r);
    else
      res = c->take(op, why, whylen);
  }
  wipe_free(pin);
  return res;
}

static int assert_setup(fido_assert_t *a, const struct pc_passkey_get *req,
                        fido_dev_t *dev, const char *pin) {
  size_t i;

  if (fido_assert_set_rp(a, req->rp_id) != FIDO_OK ||
      fido_assert_set_clientdata(a, req->client_data, req->client_data_len) !=
          FIDO_OK)
    return -1;
  for (i = 0; i < req->n_allow; i++)
    if (fido_assert_allow_cred(a, req->allow[i].ptr, req->allow[i].len) !=
        FIDO_OK)
      return -1;
  if (req->uv_required && !pin && fido_assert_set_uv(a, FIDO_OPT_TRUE))
    return -1;
  return set_timeout(dev, req->timeout_ms);
}

/* -- signing in (the module) --------------------------------------------- */

struct get_op {
  const struct pc_passkey_get *req;
  struct pc_passkey_assertion *out;
  fido_assert_t *a;
};

static int get_setup(void *op, fido_dev_t *dev, const char *pin) {
  struct get_op *g = op;

  return (g->a = fido_assert_new()) && assert_setup(g->a, g->req, dev, pin) == 0
             ? 0
             : -1;
}

static int get_run(void *op, fido_dev_t *dev, const char *pin) {
  return fido_dev_get_assert(dev, ((struct get_op *)op)->a, pin);
}

static enum pc_passkey_result take(const fido_assert_t *a,
                                   struct pc_passkey_assertion *out) {
  if (fido_assert_count(a) < 1)
    return PC_PK_NO_CREDENTIAL;
  if (copy_blob(&out->id, fido_assert_id_ptr(a, 0), fido_assert_id_len(a, 0)) ||
      unwrap_bstr(&out->auth_data, fido_assert_authdata_ptr(a, 0),
                  fido_assert_authdata_len(a, 0)) ||
      copy_blob(&out->signature, fido_assert_sig_ptr(a, 0),
                fido_assert_sig_len(a, 0)) ||
      copy_blob(&out->user_handle, fido_assert_user_id_ptr(a, 0),
                fido_assert_user_id_len(a, 0)))
    return PC_PK_ERROR;
  return PC_PK_OK;
}

static enum pc_passkey_result get_take(void *op, char *why, size_t whylen) {
  struct get_op *g = op;
  enum pc_passkey_result res = take(g->a, g->out);

  if (res != PC_PK_OK)
    snprintf(why, whylen, "%s", "the key's answer is incomplete");
  return res;
}

static const struct ceremony get_ceremony = {"cannot set up the assertion",
                                             get_setup, get_run, get_take};

static enum pc_passkey_result get(struct pc_passkey_dev *dev,
                                  const struct pc_passkey_get *req,
                                  const struct pc_passkey_io *io,
                                  struct pc_passkey_assertion *out, char *why,
                                  size_t whylen) {
  struct get_op op = {req, out, NULL};
  enum pc_passkey_result res;

  memset(out, 0, sizeof(*out));
  res = run_ceremony(&get_ceremony, &op, dev->fido, req->uv_required, 0, io,
                     why, whylen);
  fido_assert_free(&op.a);
  return res;
}

static enum pc_passkey_result make(struct pc_passkey_dev *dev,
                                   const struct pc_passkey_make *req,
                                   const struct pc_passkey_io *io,
                                   struct pc_passkey_made *out, char *why,
                                   size_t whylen);

static const struct pc_passkey_plugin plugin = {
    PC_PASSKEY_ABI, dev_open, get, make, dev_close, free_blob};

const struct pc_passkey_plugin *pc_passkey_plugin(void) {
  return &plugin;
}

/* -- registration (pam_cognito-passkey) --------------------------------- */

static int cred_setup(fido_cred_t *c, const struct pc_passkey_make *req,
                      fido_dev_t *dev, const char *pin) {
  size_t i;

  if (fido_cred_set_type(c, COSE_ES256) != FIDO_OK ||
      fido_cred_set_rp(c, req->rp_id, req->rp_name) != FIDO_OK ||
      fido_cred_set_clientdata(c, req->client_data, req->client_data_len) !=
          FIDO_OK ||
      fido_cred_set_user(c, req->user_id.ptr, req->user_id.len, req->user_name,
                         req->display_name, NULL) != FIDO_OK ||
      fido_cred_set_rk(c, FIDO_OPT_TRUE) != FIDO_OK)
    return -1;
  for (i = 0; i < req->n_exclude; i++)
    if (fido_cred_exclude(c, req->exclude[i].ptr, req->exclude[i].len) !=
        FIDO_OK)
      return -1;
  if (req->uv_required && !pin && fido_cred_set_uv(c, FIDO_OPT_TRUE))
    return -1;
  return set_timeout(dev, req->timeout_ms);
}

/* The attestation object WebAuthn wants: {fmt, attStmt, authData}, from
 * the parts libfido2 keeps (attStmt and authData already CBOR). */
static int attestation_object(const fido_cred_t *c,
                              struct pc_passkey_blob *out) {
  const char *fmt = fido_cred_fmt(c);
  size_t flen = fmt ? strlen(fmt) : 0;
  size_t slen = fido_cred_attstmt_len(c), alen = fido_cred_authdata_len(c);
  size_t n = 1 + 4 + 1 + flen + 8 + slen + 9 + alen;
  unsigned char *p;

  if (!fmt || flen > 23 || slen == 0 || alen == 0 || !(p = malloc(n)))
    return -1;
  out->ptr = p;
  *p++ = 0xa3; /* map of 3, keys in canonical order */
  memcpy(p,
         "\x63"
         "fmt",
         4);
  p += 4;
  *p++ = (unsigned char)(0x60 | flen);
  memcpy(p, fmt, flen);
  p += flen;
  memcpy(p,
         "\x67"
         "attStmt",
         8);
  p += 8;
  memcpy(p, fido_cred_attstmt_ptr(c), slen);
  p += slen;
  memcpy(p,
         "\x68"
         "authData",
         9);
  p += 9;
  memcpy(p, fido_cred_authdata_ptr(c), alen);
  p += alen;
  out->len = (size_t)(p - out->ptr);
  return 0;
}

struct make_op {
  const struct pc_passkey_make *req;
  struct pc_passkey_made *out;
  fido_cred_t *c;
};

static int make_setup(void *op, fido_dev_t *dev, const char *pin) {
  struct make_op *m = op;

  return (m->c = fido_cred_new()) && cred_setup(m->c, m->req, dev, pin) == 0
             ? 0
             : -1;
}

static int make_run(void *op, fido_dev_t *dev, const char *pin) {
  return fido_dev_make_cred(dev, ((struct make_op *)op)->c, pin);
}

static enum pc_passkey_result make_take(void *op, char *why, size_t whylen) {
  const fido_cred_t *c = ((struct make_op *)op)->c;
  struct pc_passkey_made *out = ((struct make_op *)op)->out;

  (void)why;
  (void)whylen;
  if (copy_blob(&out->id, fido_cred_id_ptr(c), fido_cred_id_len(c)) ||
      attestation_object(c, &out->attestation_object))
    return PC_PK_ERROR;
  return PC_PK_OK;
}

static const struct ceremony make_ceremony = {"cannot set up the credential",
                                              make_setup, make_run, make_take};

/* A key with a PIN is always asked for it when registering. */
static enum pc_passkey_result make(struct pc_passkey_dev *dev,
                                   const struct pc_passkey_make *req,
                                   const struct pc_passkey_io *io,
                                   struct pc_passkey_made *out, char *why,
                                   size_t whylen) {
  struct make_op op = {req, out, NULL};
  enum pc_passkey_result res;

  memset(out, 0, sizeof(*out));
  res = run_ceremony(&make_ceremony, &op, dev->fido, req->uv_required, 1, io,
                     why, whylen);
  fido_cred_free(&op.c);
  return res;
}
