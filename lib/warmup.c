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

#include "warmup.h"

#define ENDPOINTS 2 /* 0: user pool, 1: identity pool */

struct pc_warmup {
  pthread_t thread;
  pthread_mutex_t mu;
  CURLM *multi;
  CURL *easy[ENDPOINTS];
  enum pc_warmup_mode mode;
  long grace_ms;
  int stop;     /* guarded by mu */
  long stop_at; /* ms, guarded by mu */
};

static long now_ms(void) {
  struct timespec t;

  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long)t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static int stopping(struct pc_warmup *w, long *stop_at) {
  int s;

  (void)pthread_mutex_lock(&w->mu);
  s = w->stop;
  *stop_at = w->stop_at;
  (void)pthread_mutex_unlock(&w->mu);
  return s;
}

/* Wait ms, or until stopped (1). */
static int pause_ms(struct pc_warmup *w, long ms) {
  long end = now_ms() + ms, at, left;

  while (!stopping(w, &at)) {
    left = end - now_ms();
    if (left <= 0)
      return 0;
    (void)curl_multi_poll(w->multi, NULL, 0, left > 1000 ? 1000 : (int)left,
                          NULL);
  }
  return 1;
}

/* One GET per endpoint, all at once, until all are answered. Once stopped,
 * a transfer still running gets the grace period; when the user pool's is
 * done, the others get only as long again as it took (they started
 * together), so a slow identity endpoint does not hold the login. */
static void one_round(struct pc_warmup *w) {
  int done[ENDPOINTS], left = 0, running, i, q;
  long start = now_ms(), idp_done = -1, at, limit;
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
          idp_done = now_ms();
      }
    }
    if (left == 0)
      break;
    if (stopping(w, &at)) {
      limit = at + w->grace_ms;
      if (idp_done >= 0 &&
          (idp_done > at ? idp_done : at) + (idp_done - start) < limit)
        limit = (idp_done > at ? idp_done : at) + (idp_done - start);
      if (now_ms() >= limit)
        break;
    }
    (void)curl_multi_poll(w->multi, NULL, 0, 100, NULL);
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

  free(base);
  free(url);
  return e;
}

static void free_warmup(struct pc_warmup *w) {
  int i;

  for (i = 0; i < ENDPOINTS; i++)
    if (w->easy[i] != NULL)
      curl_easy_cleanup(w->easy[i]);
  if (w->multi != NULL)
    (void)curl_multi_cleanup(w->multi);
  (void)pthread_mutex_destroy(&w->mu);
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
  w->grace_ms = cfg->timeout > 0 && cfg->timeout * 1000L < PC_WARMUP_GRACE_MS
                    ? cfg->timeout * 1000L
                    : PC_WARMUP_GRACE_MS;
  w->multi = curl_multi_init();
  w->easy[0] = handle_for(pool, cfg, pc_config_idp_url(cfg), jwks);
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

void pc_warmup_stop(struct pc_warmup *w) {
  if (w == NULL)
    return;
  (void)pthread_mutex_lock(&w->mu);
  w->stop = 1;
  w->stop_at = now_ms();
  (void)pthread_mutex_unlock(&w->mu);
  (void)curl_multi_wakeup(w->multi);
  (void)pthread_join(w->thread, NULL);
  free_warmup(w);
}
