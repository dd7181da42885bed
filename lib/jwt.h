/* jwt: see DESIGN.md */
#ifndef PAM_COGNITO_JWT_H
#define PAM_COGNITO_JWT_H
#endif
