/* SPDX-License-Identifier: MIT */
/* The passkey plugin's interface: the only code that links libfido2 is the
 * plugin (pam_cognito_passkey.so), which the module opens with dlopen when a
 * person chooses a security key, so a password login loads nothing more.
 * The plugin takes raw bytes and gives raw bytes: JSON and base64url stay
 * in the module. */
#ifndef PC_FIDO_PASSKEY_PLUGIN_H
#define PC_FIDO_PASSKEY_PLUGIN_H

#include <stddef.h>

#define PC_PASSKEY_ABI 2
#define PC_PASSKEY_SYMBOL "pc_passkey_plugin"
#define PC_PASSKEY_FILE "pam_cognito_passkey.so"

enum pc_passkey_result {
  PC_PK_OK = 0,
  PC_PK_NO_DEVICE,      /* no FIDO2 security key is attached */
  PC_PK_TIMEOUT,        /* the key was not touched in time */
  PC_PK_PIN_WRONG,      /* the key refused the PIN */
  PC_PK_PIN_BLOCKED,    /* too many wrong PINs: the key is locked */
  PC_PK_PIN_UNANSWERED, /* a PIN was needed and none was given */
  PC_PK_NO_CREDENTIAL,  /* the key holds no passkey for this account */
  PC_PK_DENIED,         /* the person declined on the key */
  PC_PK_ERROR           /* anything else (detail in the message) */
};

/* What the plugin asks of the module while it works. */
struct pc_passkey_io {
  /* A hidden prompt; 0 with a heap answer (the plugin wipes and frees it),
   * -1 when none can be given. */
  int (*ask_pin)(void *ctx, const char *prompt, char **answer);
  void (*tell)(void *ctx, const char *text);
  void *ctx;
};

struct pc_passkey_blob {
  unsigned char *ptr;
  size_t len;
};

struct pc_passkey_get {
  const char *rp_id;
  const unsigned char *client_data; /* clientDataJSON as sent */
  size_t client_data_len;
  const struct pc_passkey_blob *allow; /* allowCredentials ids */
  size_t n_allow;
  int uv_required; /* userVerification "required": PIN or built-in UV */
  int timeout_ms;
};

struct pc_passkey_assertion {
  struct pc_passkey_blob id, auth_data, signature, user_handle;
};

struct pc_passkey_make {
  const char *rp_id, *rp_name;
  const unsigned char *client_data; /* clientDataJSON (webauthn.create) */
  size_t client_data_len;
  struct pc_passkey_blob user_id;
  const char *user_name, *display_name;
  const struct pc_passkey_blob *exclude;
  size_t n_exclude;
  int uv_required;
  int timeout_ms;
};

struct pc_passkey_made {
  struct pc_passkey_blob id, attestation_object;
};

/* An attached key, opened (the plugin's own; the module only passes it
 * back). */
struct pc_passkey_dev;

/* One ceremony opens the key once: open before anything is sent (no key,
 * no network call), get or make on it, close. */
struct pc_passkey_plugin {
  int abi; /* PC_PASSKEY_ABI */
  /* The first attached FIDO2 key, opened; NULL when none is attached or
   * it cannot be opened (why says which). */
  struct pc_passkey_dev *(*open)(char *why, size_t whylen);
  enum pc_passkey_result (*get)(struct pc_passkey_dev *dev,
                                const struct pc_passkey_get *req,
                                const struct pc_passkey_io *io,
                                struct pc_passkey_assertion *out, char *why,
                                size_t whylen);
  enum pc_passkey_result (*make)(struct pc_passkey_dev *dev,
                                 const struct pc_passkey_make *req,
                                 const struct pc_passkey_io *io,
                                 struct pc_passkey_made *out, char *why,
                                 size_t whylen);
  void (*close)(struct pc_passkey_dev *dev); /* NULL is ignored */
  void (*free_blob)(struct pc_passkey_blob *b);
};

/* The plugin's one exported symbol. */
const struct pc_passkey_plugin *pc_passkey_plugin(void);

#endif
