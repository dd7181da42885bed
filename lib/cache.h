/* cache: see DESIGN.md */
#ifndef PAM_COGNITO_CACHE_H
#define PAM_COGNITO_CACHE_H
#endif
