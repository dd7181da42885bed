/* SPDX-License-Identifier: MIT */
/* The fleet budget of pam_cognito-sync --plan. A rate is requests per run
 * times hosts divided by the interval: the timer spreads the hosts over
 * the interval (RandomizedDelaySec), so this is the steady rate, not a
 * burst. In the snapshot mode only the publisher reads Cognito; hosts
 * make one S3 GET per run (a 304 when nothing changed). */
#include "config.h"

#include "sync/clientcheck.h"
#include "sync/plan.h"

/* A host keeps a passed client check at least this long (clientcheck.h),
 * so it checks at most once in that time, or every run when runs are
 * further apart. */
#define CHECK_KEPT (PC_CLIENTCHECK_TTL * 3 / 4)

void pc_plan_run_cost(const struct pc_plan *p, struct pc_plan_run *r) {
  long pages = (p->members + PC_PLAN_PAGE - 1) / PC_PLAN_PAGE;

  if (pages < 1)
    pages = 1; /* an empty group still costs its one page */
  r->list_members = p->groups * pages;
  r->client_reads = p->clients > 0 ? 1 + p->clients : 0;
}

static void line(FILE *f, const char *what, double rps, double quota,
                 const char *qname) {
  fprintf(f, "  %-44s %9.3f req/s", what, rps);
  if (quota > 0)
    fprintf(f, "  %5.1f%% of %s (%.0f req/s)%s", 100.0 * rps / quota, qname,
            quota, rps > quota ? "  OVER QUOTA" : "");
  fputc('\n', f);
}

void pc_plan_print(FILE *f, const struct pc_plan *p) {
  struct pc_plan_run r;
  double iv = (double)p->interval, hosts = (double)p->hosts;

  pc_plan_run_cost(p, &r);
  fprintf(f,
          "fleet: %ld hosts, one run each every %ld s; %ld group(s) of %ld "
          "members, %ld app client(s)\n"
          "one direct run: %ld ListUsersInGroup (pages of "
          "%d), %ld client reads (ListUserPoolClients, "
          "DescribeUserPoolClient) when it checks the app clients: on a "
          "host's first run, after a change of the pool, client or trusted "
          "attributes, then every %d to %d h\n",
          p->hosts, p->interval, p->groups, p->members, p->clients,
          r.list_members, PC_PLAN_PAGE, r.client_reads, CHECK_KEPT / 3600,
          PC_CLIENTCHECK_TTL / 3600);
  fprintf(f, "direct mode (every host reads Cognito):\n");
  line(f, "ListUsersInGroup (UserList category)",
       hosts * (double)r.list_members / iv, PC_PLAN_USERLIST_RPS,
       "the UserList quota");
  line(f, "client reads (UserPoolClientRead), a pass kept",
       hosts * (double)r.client_reads / (iv > CHECK_KEPT ? iv : CHECK_KEPT),
       PC_PLAN_CLIENTREAD_RPS, "the UserPoolClientRead quota");
  line(f, "client reads in the interval after a change",
       hosts * (double)r.client_reads / iv, PC_PLAN_CLIENTREAD_RPS,
       "the UserPoolClientRead quota");
  fprintf(f, "snapshot mode (one publisher reads Cognito, hosts read S3):\n");
  line(f, "ListUsersInGroup (UserList category)", (double)r.list_members / iv,
       PC_PLAN_USERLIST_RPS, "the UserList quota");
  line(f, "client reads (UserPoolClientRead), every run",
       (double)r.client_reads / iv, PC_PLAN_CLIENTREAD_RPS,
       "the UserPoolClientRead quota");
  line(f, "S3 GET of the snapshot", hosts / iv, PC_PLAN_S3_GET_RPS,
       "S3's GET rate per prefix");
}
