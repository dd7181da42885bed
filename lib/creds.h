/* creds: see DESIGN.md */
#ifndef PAM_COGNITO_CREDS_H
#define PAM_COGNITO_CREDS_H
#endif
