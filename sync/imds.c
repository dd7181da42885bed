/* SPDX-License-Identifier: MIT */
/* EC2 instance metadata, version 2 only (a PUT for a session token first,
 * which a forwarded or SSRF'd GET cannot do): the instance role's
 * temporary credentials for pam_cognito-sync. */
#include "config.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/bounds.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/json.h"
#include "base/secret.h"
#include "config/urlpolicy.h"
#include "net/curlmem.h"
#include "net/http.h"
#include "sync/imds.h"

#define PC_IMDS_MAX 16384
/* The metadata service is on the host's own link: slow means absent. */
#define PC_IMDS_CONNECT_MS 1000L

static size_t sink(char *p, size_t size, size_t n, void *ud) {
  return pc_buf_append(ud, p, size * n) == 0 ? size * n : 0;
}

/* One request; the answer (200 only) lands in out. */
static enum pc_status call(CURL *e, const char *method, const char *url,
                           const char *header, long timeout, struct pc_buf *out,
                           struct pc_error *err) {
  struct curl_slist *h = NULL;
  long status = 0;
  CURLcode rc;

  pc_buf_free(out);
  pc_buf_init(out, PC_IMDS_MAX);
  h = curl_slist_append(NULL, header);
  if (h == NULL)
    return PC_ERR_NOMEM;
  curl_easy_reset(e);
  if (curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, h) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_NOPROXY, "*") != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, PC_IMDS_CONNECT_MS) !=
          CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_TIMEOUT, timeout) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink) != CURLE_OK ||
      curl_easy_setopt(e, CURLOPT_WRITEDATA, out) != CURLE_OK) {
    curl_slist_free_all(h);
    return PC_ERR_NOMEM;
  }
  rc = curl_easy_perform(e);
  (void)curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  (void)curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all(h);
  if (rc != CURLE_OK) {
    pc_error_set(err, PC_ERR_PROTOCOL,
                 "instance metadata %s: %s (not on EC2? set credentials in the "
                 "environment or ~/.aws/credentials)",
                 url, curl_easy_strerror(rc));
    return PC_ERR_UNAVAIL;
  }
  if (status != 200 || out->data == NULL) {
    pc_error_set(err, PC_ERR_PROTOCOL, "instance metadata %s: HTTP %ld%s", url,
                 status, status == 404 ? " (no instance role attached?)" : "");
    return status >= 500 ? PC_ERR_UNAVAIL : PC_ERR_CONFIG;
  }
  return PC_OK;
}

static int take(char **dst, json_object *o, const char *key) {
  const char *v = pc_json_str(o, key);

  if (v == NULL || *v == '\0')
    return -1;
  *dst = pc_strdup(v);
  return *dst ? 0 : -1;
}

static const char creds_path[] = "/latest/meta-data/iam/security-credentials/";

/* Step 1, the PUT: the session token, as the header the GETs send. */
static enum pc_status session_header(CURL *e, const char *endpoint, int elen,
                                     long timeout, struct pc_buf *b, char *hdr,
                                     size_t hdrlen, struct pc_error *err) {
  char url[512];
  enum pc_status st;
  int n;

  (void)snprintf(url, sizeof(url), "%.*s/latest/api/token", elen, endpoint);
  st = call(e, "PUT", url, "X-aws-ec2-metadata-token-ttl-seconds: 300", timeout,
            b, err);
  if (st != PC_OK)
    return st;
  n = snprintf(hdr, hdrlen, "X-aws-ec2-metadata-token: %s", b->data);
  if (n < 0 || (size_t)n >= hdrlen || strpbrk(b->data, "\r\n") != NULL) {
    pc_error_set(err, PC_ERR_PROTOCOL,
                 "instance metadata: malformed session token");
    return PC_ERR_PROTOCOL;
  }
  return PC_OK;
}

/* Step 2: the instance profile's role. One role per profile: the first
 * line. */
static enum pc_status role_name(CURL *e, const char *endpoint, int elen,
                                const char *hdr, long timeout, struct pc_buf *b,
                                char *role, size_t rolelen,
                                struct pc_error *err) {
  char url[512];
  enum pc_status st;
  size_t rl;

  (void)snprintf(url, sizeof(url), "%.*s%s", elen, endpoint, creds_path);
  st = call(e, "GET", url, hdr, timeout, b, err);
  if (st != PC_OK)
    return st;
  rl = strcspn(b->data, "\r\n");
  if (rl == 0 || rl >= rolelen ||
      strspn(b->data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                      "0123456789+=,.@_-") < rl) {
    pc_error_set(err, PC_ERR_PROTOCOL,
                 "instance metadata: no usable role name");
    return PC_ERR_PROTOCOL;
  }
  memcpy(role, b->data, rl);
  role[rl] = '\0';
  return PC_OK;
}

/* Step 3: the role's temporary credentials into c. */
static enum pc_status role_creds(CURL *e, const char *endpoint, int elen,
                                 const char *hdr, long timeout,
                                 struct pc_buf *b, const char *role,
                                 struct pc_chain_creds *c,
                                 struct pc_error *err) {
  char url[512];
  json_object *o;
  enum pc_status st;
  const char *code;

  (void)snprintf(url, sizeof(url), "%.*s%s%s", elen, endpoint, creds_path,
                 role);
  st = call(e, "GET", url, hdr, timeout, b, err);
  if (st != PC_OK)
    return st;
  o = pc_json_parse_object(b->data, b->len);
  code = o ? pc_json_str(o, "Code") : NULL;
  if (code == NULL || strcmp(code, "Success") != 0) {
    pc_error_set(err, PC_ERR_PROTOCOL, "instance metadata: role %s: %s", role,
                 o == NULL ? "reply is not JSON" : "Code is not Success");
    st = PC_ERR_PROTOCOL;
  } else if (take(&c->key_id, o, "AccessKeyId") != 0 ||
             take(&c->secret, o, "SecretAccessKey") != 0 ||
             take(&c->token, o, "Token") != 0) {
    pc_error_set(err, PC_ERR_PROTOCOL,
                 "instance metadata: role %s: incomplete credentials", role);
    pc_chain_creds_free(c);
    st = PC_ERR_PROTOCOL;
  } else {
    c->where = "instance metadata (IMDSv2)";
  }
  pc_json_put_secret(o);
  return st;
}

enum pc_status pc_imds_fetch(const char *endpoint, long timeout,
                             struct pc_chain_creds *c, struct pc_error *err) {
  char hdr[256], role[128];
  struct pc_buf b;
  enum pc_status st;
  size_t elen;
  CURL *e;

  elen = strlen(endpoint);
  while (elen > 0 && endpoint[elen - 1] == '/')
    elen--;
  if (!pc_metadata_url_allowed(endpoint) || elen > PC_IMDS_URL_MAX) {
    pc_error_set(err, PC_ERR_PROTOCOL,
                 "imds_endpoint: '%s' refused: use http://169.254.169.254, "
                 "https://, or http:// to a loopback host",
                 endpoint);
    return PC_ERR_CONFIG;
  }
  if (pc_curlmem_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return PC_ERR_NOMEM;
  e = curl_easy_init();
  if (e == NULL)
    return PC_ERR_NOMEM;
  pc_buf_init(&b, PC_IMDS_MAX);
  st =
      session_header(e, endpoint, (int)elen, timeout, &b, hdr, sizeof hdr, err);
  if (st == PC_OK)
    st = role_name(e, endpoint, (int)elen, hdr, timeout, &b, role, sizeof role,
                   err);
  if (st == PC_OK)
    st = role_creds(e, endpoint, (int)elen, hdr, timeout, &b, role, c, err);
  pc_wipe(hdr, sizeof(hdr));
  pc_buf_free(&b);
  curl_easy_cleanup(e);
  return st;
}
