/* SPDX-License-Identifier: MIT */
/* The warm-up worker (see warmup.h). One thread and one libcurl multi
 * handle per prompt: both endpoints connect in parallel. The thread blocks
 * every signal (the application's handlers run on its own thread), never
 * outlives pc_warmup_stop, and is woken from its waits by
 * curl_multi_wakeup. */
#include "config.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "login/warmup.h"
#include "net/http.h"
#include "tokens/idtoken.h"
#include "tokens/jwks.h"
#include "tokens/jwks_cache.h"

#define ENDPOINTS 2 /* 0: user pool, 1: identity pool */

struct pc_warmup {
  pthread_t thread;
  pthread_mutex_t mu;
  CURLM *multi;
  CURL *easy[ENDPOINTS];
  enum pc_warmup_mode mode;
  int stop; /* guarded by mu */
  /* The JWKS, when the store's copy is stale: fetched by the first round
   * (the worker writes, pc_warmup_stop reads after the join). */
  const struct pc_config *cfg;
  struct pc_buf jwks;
  long jwks_status;              /* 0 until the first user-pool GET completed */
  enum pc_issuer_form jwks_form; /* whose keys those are */
  char *idp_root;                /* what later rounds GET instead */
};

/* Keep the JWKS body; anything past its bound ends the transfer. */
static size_t keep_cb(char *ptr, size_t size, size_t nmemb, void *userdata) {
  struct pc_buf *b = userdata;

  if (b == NULL)
    return size * nmemb; /* a later round: read and drop */
  return pc_buf_append(b, ptr, size * nmemb) == 0 ? size * nmemb : 0;
}

static long now_ms(void) {
  struct timespec t;

  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long)t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static int stopping(struct pc_warmup *w) {
  int s;

  (void)pthread_mutex_lock(&w->mu);
  s = w->stop;
  (void)pthread_mutex_unlock(&w->mu);
  return s;
}

/* Wait ms, or until stopped (1). */
static int pause_ms(struct pc_warmup *w, long ms) {
  long end = now_ms() + ms, left;

  while (!stopping(w)) {
    left = end - now_ms();
    if (left <= 0)
      return 0;
    (void)curl_multi_poll(w->multi, NULL, 0, left > 1000 ? 1000 : (int)left,
                          NULL);
  }
  return 1;
}

/* The first user-pool GET done: note its answer, and let later rounds GET
 * the endpoint's root (only the connection matters then). */
static void collect_jwks(struct pc_warmup *w, CURLcode result) {
  char *ctype = NULL;
  long code = 0;

  if (w->jwks.max == 0 || w->jwks_status != 0)
    return;
  /* As in http.c: a body that is not JSON is not the key set. */
  if (result != CURLE_OK ||
      curl_easy_getinfo(w->easy[0], CURLINFO_RESPONSE_CODE, &code) !=
          CURLE_OK ||
      curl_easy_getinfo(w->easy[0], CURLINFO_CONTENT_TYPE, &ctype) !=
          CURLE_OK ||
      !pc_http_json_type(ctype))
    code = -1;
  w->jwks_status = code;
  if (w->idp_root != NULL &&
      (curl_easy_setopt(w->easy[0], CURLOPT_URL, w->idp_root) != CURLE_OK ||
       curl_easy_setopt(w->easy[0], CURLOPT_WRITEFUNCTION, keep_cb) !=
           CURLE_OK ||
       curl_easy_setopt(w->easy[0], CURLOPT_WRITEDATA, NULL) != CURLE_OK)) {
    /* keep_cb with no buffer fails the transfer: the round just ends. */
  }
}

/* One GET per endpoint, all at once, until all are answered or the answer
 * is here. A transfer still running then is abandoned at once: waiting
 * for it would add its wait to the login's (a hung server would cost two
 * timeouts), and a new connection costs the login no more than one still
 * being opened. */
static void one_round(struct pc_warmup *w) {
  int done[ENDPOINTS], left = 0, running, i, q;
  CURLMsg *msg;

  for (i = 0; i < ENDPOINTS; i++) {
    done[i] = w->easy[i] == NULL ||
              curl_multi_add_handle(w->multi, w->easy[i]) != CURLM_OK;
    left += !done[i];
  }
  while (left > 0) {
    if (curl_multi_perform(w->multi, &running) != CURLM_OK)
      break;
    while ((msg = curl_multi_info_read(w->multi, &q)) != NULL) {
      for (i = 0; i < ENDPOINTS; i++) {
        if (msg->msg != CURLMSG_DONE || msg->easy_handle != w->easy[i] ||
            done[i])
          continue;
        /* Removing it puts its connection back in the pool. */
        (void)curl_multi_remove_handle(w->multi, w->easy[i]);
        done[i] = 1;
        left--;
        if (i == 0)
          collect_jwks(w, msg->data.result);
      }
    }
    if (left == 0 || stopping(w))
      break;
    /* curl_multi_wakeup (pc_warmup_stop) ends the wait at once. */
    (void)curl_multi_poll(w->multi, NULL, 0, 1000, NULL);
  }
  /* Abandoned transfers: libcurl closes their connections. */
  for (i = 0; i < ENDPOINTS; i++)
    if (!done[i])
      (void)curl_multi_remove_handle(w->multi, w->easy[i]);
}

static void *worker(void *arg) {
  struct pc_warmup *w = arg;

  if (w->mode == PC_WARMUP_KEEP && pause_ms(w, PC_WARMUP_INTERVAL_MS))
    return NULL;
  do
    one_round(w);
  while (!pause_ms(w, PC_WARMUP_INTERVAL_MS));
  return NULL;
}

/* base + suffix, with exactly one '/' between them. */
static char *join_url(const char *base, const char *suffix) {
  size_t n = strlen(base), len;
  char *s;
  int rc;

  while (n > 0 && base[n - 1] == '/')
    n--;
  len = n + strlen(suffix) + 2;
  s = malloc(len);
  if (s == NULL)
    return NULL;
  rc = snprintf(s, len, "%.*s/%s", (int)n, base, suffix);
  if (rc < 0 || (size_t)rc >= len) {
    free(s);
    return NULL;
  }
  return s;
}

static CURL *handle_for(struct pc_http_pool *pool, const struct pc_config *cfg,
                        char *base, const char *suffix) {
  char *url = base ? join_url(base, suffix) : NULL;
  CURL *e = url ? pc_http_pool_get_handle(pool, url, cfg->timeout, cfg->ca_file)
                : NULL;

  /* The same route as the calls (https_proxy), or the warm connections
   * would be of no use to them; a handle that cannot take it is dropped. */
  if (e != NULL && cfg->https_proxy != NULL &&
      (curl_easy_setopt(e, CURLOPT_PROXY, cfg->https_proxy) != CURLE_OK ||
       curl_easy_setopt(e, CURLOPT_NOPROXY, "") != CURLE_OK)) {
    curl_easy_cleanup(e);
    e = NULL;
  }
  free(base);
  free(url);
  return e;
}

static char *root_url(char *base) {
  char *url = base ? join_url(base, "") : NULL;

  free(base);
  return url;
}

/* 1 when the stored JWKS is missing or older than its TTL. The pool's
 * issuer is the one whose keys were stored last time: the updated issuer's
 * when there are such, else the original's (as before any login). */
static int jwks_stale(const struct pc_config *cfg, enum pc_issuer_form *form) {
  struct pc_buf b;
  time_t fetched = 0, now = time(NULL);

  *form = PC_ISSUER_UPDATED;
  if (pc_jwks_store_load_form(cfg, *form, &b, &fetched) != 0) {
    *form = PC_ISSUER_ORIGINAL;
    if (pc_jwks_store_load_form(cfg, *form, &b, &fetched) != 0)
      return 1;
  }
  pc_buf_free(&b);
  return fetched > now || now - fetched >= PC_JWKS_TTL;
}

/* What the warm-up fetched: keys the pool publishes go to the store, so
 * the verification after Enter needs no request. */
static void save_jwks(struct pc_warmup *w) {
  struct pc_jwks keys;

  if (w->jwks_status != 200 || w->jwks.data == NULL ||
      pc_jwks_parse(w->jwks.data, w->jwks.len, &keys) != 0)
    return;
  pc_jwks_free(&keys);
  (void)pc_jwks_store_save_form(w->cfg, w->jwks_form, w->jwks.data, w->jwks.len,
                                time(NULL));
}

static void free_warmup(struct pc_warmup *w) {
  int i;

  for (i = 0; i < ENDPOINTS; i++)
    if (w->easy[i] != NULL)
      curl_easy_cleanup(w->easy[i]);
  if (w->multi != NULL)
    (void)curl_multi_cleanup(w->multi);
  (void)pthread_mutex_destroy(&w->mu);
  pc_buf_free(&w->jwks);
  free(w->idp_root);
  free(w);
}

struct pc_warmup *pc_warmup_start(struct pc_http_pool *pool,
                                  const struct pc_config *cfg,
                                  enum pc_warmup_mode mode) {
  struct pc_warmup *w;
  char jwks[256];
  sigset_t all, old;
  int rc;

  if (pool == NULL || cfg == NULL || cfg->user_pool_id == NULL)
    return NULL;
  rc = snprintf(jwks, sizeof(jwks), "%s/.well-known/jwks.json",
                cfg->user_pool_id);
  if (rc < 0 || (size_t)rc >= sizeof(jwks))
    return NULL;
  w = calloc(1, sizeof(*w));
  if (w == NULL)
    return NULL;
  (void)pthread_mutex_init(&w->mu, NULL);
  w->mode = mode;
  w->multi = curl_multi_init();
  w->cfg = cfg;
  /* The keys are needed after Enter only when the stored copy is stale:
   * then this GET fetches them; otherwise any cheap GET warms the
   * connection. */
  if (mode == PC_WARMUP_NOW && jwks_stale(cfg, &w->jwks_form)) {
    pc_buf_init(&w->jwks, PC_JWKS_MAX);
    w->easy[0] =
        handle_for(pool, cfg,
                   w->jwks_form == PC_ISSUER_UPDATED ? pc_config_issuer_url(cfg)
                                                     : pc_config_idp_url(cfg),
                   jwks);
    if (w->easy[0] != NULL &&
        (curl_easy_setopt(w->easy[0], CURLOPT_WRITEFUNCTION, keep_cb) !=
             CURLE_OK ||
         curl_easy_setopt(w->easy[0], CURLOPT_WRITEDATA, &w->jwks) != CURLE_OK))
      w->jwks.max = 0;
    w->idp_root = root_url(pc_config_idp_url(cfg));
  } else {
    w->easy[0] = handle_for(pool, cfg, pc_config_idp_url(cfg), "");
  }
  if (cfg->identity_pool_id != NULL)
    w->easy[1] = handle_for(pool, cfg, pc_config_identity_url(cfg), "");
  if (w->multi == NULL || w->easy[0] == NULL) {
    free_warmup(w);
    return NULL;
  }
  sigfillset(&all);
  (void)pthread_sigmask(SIG_SETMASK, &all, &old);
  rc = pthread_create(&w->thread, NULL, worker, w);
  (void)pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    free_warmup(w);
    return NULL;
  }
  return w;
}

long pc_warmup_stop(struct pc_warmup *w) {
  long start;

  if (w == NULL)
    return 0;
  start = now_ms();
  (void)pthread_mutex_lock(&w->mu);
  w->stop = 1;
  (void)pthread_mutex_unlock(&w->mu);
  (void)curl_multi_wakeup(w->multi);
  (void)pthread_join(w->thread, NULL);
  save_jwks(w);
  free_warmup(w);
  return now_ms() - start;
}
