/* SPDX-License-Identifier: MIT */
/* The AuthFlow names; see authflow.h. */
#include "config.h"

#include <string.h>

#include "config/authflow.h"

#define NOT_A_SETTING (-1)

static const struct {
  const char *name;  /* AuthFlow */
  const char *allow; /* ExplicitAuthFlows */
  int setting;       /* enum pc_auth_flow, or NOT_A_SETTING */
} flows[] = {
    {"USER_SRP_AUTH", "ALLOW_USER_SRP_AUTH", PC_FLOW_SRP},
    {"USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", PC_FLOW_PASSWORD},
    {"USER_AUTH", "ALLOW_USER_AUTH", PC_FLOW_USER_AUTH},
    {"REFRESH_TOKEN_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", NOT_A_SETTING},
    /* REFRESH_TOKEN_AUTH's other name, which Cognito also takes */
    {"REFRESH_TOKEN", "ALLOW_REFRESH_TOKEN_AUTH", NOT_A_SETTING},
    {"CUSTOM_AUTH", "ALLOW_CUSTOM_AUTH", NOT_A_SETTING},
};

#define NFLOWS (sizeof(flows) / sizeof(flows[0]))

const char *pc_auth_flow_name(enum pc_auth_flow f) {
  size_t i;

  for (i = 0; i < NFLOWS; i++)
    if (flows[i].setting == (int)f)
      return flows[i].name;
  return flows[0].name; /* the setting's default */
}

int pc_auth_flow_parse(const char *name, enum pc_auth_flow *f) {
  size_t i;

  for (i = 0; name != NULL && i < NFLOWS; i++)
    if (flows[i].setting != NOT_A_SETTING && strcmp(flows[i].name, name) == 0) {
      *f = (enum pc_auth_flow)flows[i].setting;
      return 0;
    }
  return -1;
}

const char *pc_auth_flow_allow(const char *name) {
  size_t i;

  for (i = 0; name != NULL && i < NFLOWS; i++)
    if (strcmp(flows[i].name, name) == 0)
      return flows[i].allow;
  return NULL;
}
