#!/usr/bin/env node
// Conformance: the bundled Cognito emulator against the official AWS SDK
// for JavaScript v3 (@aws-sdk/client-cognito-identity-provider and
// @aws-sdk/client-cognito-identity). Every call pam_cognito, its
// credentials helper and pam_cognito-sync make is sent as the SDK's own
// command; each reply must hold only members of the SDK's model with the
// model's types (sdk-model.js), and each error must come out of the SDK as
// the modeled exception class with Cognito's HTTP status.
// Run: node tests/conformance/sdk-v3.test.js
'use strict';

// Node 20 is what Debian 12's users have; the SDK's notice about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const idp = require('@aws-sdk/client-cognito-identity-provider');
const cid = require('@aws-sdk/client-cognito-identity');
const { check, claims, control, run, startEmulator, totp } = require('./harness');
const { conform, makeClient, send, sendError } = require('./sdk-model');
const {
  MAIN_POOL, PUBLIC_CLIENT, expectChallenge, expectTokens, initiate, passwordLogin, respond,
  srpLogin, statusOf, use,
} = require('./sdk-v3-steps');
const tokenChecks = require('./sdk-v3-tokens');
const adminChecks = require('./sdk-v3-admin');
const userAuthChecks = require('./sdk-v3-user-auth');
const passkeyChecks = require('./sdk-v3-passkeys');
const multiRegionChecks = require('./sdk-v3-multiregion');
const motoChecks = require('./sdk-v3-moto');
const roleChecks = require('./sdk-v3-roles');
const signInRuleChecks = require('./sdk-v3-signin-rules');

const SECRET_CLIENT = 'secretclient0000000000000001';
const ROTATION_CLIENT = 'rotationclient00000000000001';

// The judge itself: the model check finds each kind of deviation.
async function judgeChecks() {
  await check('the model check refuses an unmodeled member, a wrong type, a missing required member', async () => {
    const cases = [
      [idp.InitiateAuthResponse$, { ChallengeName: 'SMS_MFA', Extra: 'x' }, 'not a member'],
      [idp.InitiateAuthResponse$, { AuthenticationResult: { ExpiresIn: '3600' } }, 'has a number'],
      [idp.InitiateAuthResponse$, { ChallengeParameters: { A: 1 } }, 'has a string'],
      [idp.InitiateAuthResponse$, { Session: null }, 'null'],
      [idp.GetUserResponse$, { Username: 'a' }, 'UserAttributes: missing'],
      [idp.ListGroupsResponse$, { Groups: [{ CreationDate: '2026-12-07' }] }, 'timestamp'],
      [idp.ConfirmDeviceResponse$, { UserConfirmationNecessary: 'true' }, 'has a boolean'],
    ];
    for (const [schema, value, want] of cases) {
      const problems = conform(schema, value);
      if (problems.length !== 1 || !problems[0].includes(want)) {
        throw new Error(`${JSON.stringify(value)}: ${JSON.stringify(problems)}`);
      }
    }
    if (conform(idp.InitiateAuthResponse$, { ChallengeName: 'SMS_MFA', Session: 's',
      ChallengeParameters: { A: 'b' } }).length) throw new Error('a valid reply refused');
  });
}

async function signInChecks() {
  await check('InitiateAuth USER_SRP_AUTH and RespondToAuthChallenge PASSWORD_VERIFIER: modeled replies', async () => {
    const r = expectTokens(await srpLogin('alice', 'Alice-Passw0rd!'));
    if (claims(r.IdToken)['cognito:username'] !== 'alice') throw new Error('wrong user in the ID token');
  });

  await check('InitiateAuth USER_PASSWORD_AUTH with SECRET_HASH (app client with a secret)', async () => {
    expectTokens(await passwordLogin('bob', 'Bob-Passw0rd!', SECRET_CLIENT));
  });

  await check('InitiateAuth: wrong password is the SDK\'s NotAuthorizedException (HTTP 400)', async () => {
    const err = await sendError(cip, initiate('USER_PASSWORD_AUTH', PUBLIC_CLIENT,
      { USERNAME: 'alice', PASSWORD: 'Wrong-Passw0rd!' }), idp.NotAuthorizedException,
    statusOf(idp.NotAuthorizedException));
    if (err.message !== 'Incorrect username or password.') throw new Error(err.message);
  });

  await check('InitiateAuth: a secret client without SECRET_HASH is NotAuthorizedException', async () => {
    await sendError(cip, initiate('USER_PASSWORD_AUTH', SECRET_CLIENT,
      { USERNAME: 'bob', PASSWORD: 'Bob-Passw0rd!' }), idp.NotAuthorizedException, 400);
  });

  await check('InitiateAuth: UserNotFoundException, UserNotConfirmedException, disabled user', async () => {
    await sendError(cip, initiate('USER_SRP_AUTH', PUBLIC_CLIENT,
      { USERNAME: 'nosuchuser', SRP_A: 'abcdef' }), idp.UserNotFoundException, 400);
    await sendError(cip, initiate('USER_PASSWORD_AUTH', PUBLIC_CLIENT,
      { USERNAME: 'unconfirmed', PASSWORD: 'Unconfirmed-Passw0rd1!' }),
    idp.UserNotConfirmedException, 400);
    const err = await sendError(cip, initiate('USER_PASSWORD_AUTH', PUBLIC_CLIENT,
      { USERNAME: 'disabled', PASSWORD: 'Disabled-Passw0rd1!' }), idp.NotAuthorizedException, 400);
    if (err.message !== 'User is disabled.') throw new Error(err.message);
  });

  await check('InitiateAuth: an unknown app client is ResourceNotFoundException', async () => {
    await sendError(cip, initiate('USER_PASSWORD_AUTH', 'nosuchclient0000000000000001',
      { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' }), idp.ResourceNotFoundException, 400);
  });

  await check('InitiateAuth: a flow the app client does not allow is InvalidParameterException naming it', async () => {
    const err = await sendError(cip, initiate('REFRESH_TOKEN_AUTH', ROTATION_CLIENT,
      { REFRESH_TOKEN: 'x' }), idp.InvalidParameterException, 400);
    // the words the module reads to name the missing ExplicitAuthFlows value
    if (err.message !== 'REFRESH_TOKEN_AUTH flow not enabled for this client') {
      throw new Error(err.message);
    }
  });

  await check('InitiateAuth: PasswordResetRequiredException after AdminResetUserPassword', async () => {
    await send(cip, new idp.AdminResetUserPasswordCommand({ UserPoolId: MAIN_POOL, Username: 'bob' }));
    await sendError(cip, initiate('USER_PASSWORD_AUTH', PUBLIC_CLIENT,
      { USERNAME: 'bob', PASSWORD: 'Bob-Passw0rd!' }), idp.PasswordResetRequiredException, 400);
    await control('Reset', {});
  });
}

async function challengeChecks() {
  await check('SMS_MFA: challenge parameters, CodeMismatchException, then tokens', async () => {
    const first = await passwordLogin('smsuser', 'Sms-Passw0rd1!');
    const cp = expectChallenge(first, 'SMS_MFA',
      ['CODE_DELIVERY_DESTINATION', 'CODE_DELIVERY_DELIVERY_MEDIUM']);
    if (!Object.values(idp.DeliveryMediumType).includes(cp.CODE_DELIVERY_DELIVERY_MEDIUM)) {
      throw new Error(`delivery medium ${cp.CODE_DELIVERY_DELIVERY_MEDIUM}`);
    }
    const { Code } = await control('GetLastCode', { UserPoolId: MAIN_POOL, Username: 'smsuser' });
    const wrong = String((parseInt(Code, 10) + 1) % 1000000).padStart(6, '0');
    await sendError(cip, respond('SMS_MFA', PUBLIC_CLIENT, first.Session,
      { USERNAME: 'smsuser', SMS_MFA_CODE: wrong }), idp.CodeMismatchException, 400);
    expectTokens(await send(cip, respond('SMS_MFA', PUBLIC_CLIENT, first.Session,
      { USERNAME: 'smsuser', SMS_MFA_CODE: Code })));
  });

  await check('SOFTWARE_TOKEN_MFA after SRP: the app\'s code gives tokens', async () => {
    const first = await srpLogin('totpuser', 'Totp-Passw0rd1!');
    expectChallenge(first, 'SOFTWARE_TOKEN_MFA');
    expectTokens(await send(cip, respond('SOFTWARE_TOKEN_MFA', PUBLIC_CLIENT, first.Session,
      { USERNAME: 'totpuser', SOFTWARE_TOKEN_MFA_CODE: totp('JBSWY3DPEHPK3PXP') })));
  });

  await check('SELECT_MFA_TYPE: MFAS_CAN_CHOOSE, the answer, then SOFTWARE_TOKEN_MFA', async () => {
    const first = await passwordLogin('chooser', 'Choose-Passw0rd1!');
    const cp = expectChallenge(first, 'SELECT_MFA_TYPE', ['MFAS_CAN_CHOOSE']);
    const choices = JSON.parse(cp.MFAS_CAN_CHOOSE);
    if (!choices.includes('SOFTWARE_TOKEN_MFA')) throw new Error(cp.MFAS_CAN_CHOOSE);
    const next = await send(cip, respond('SELECT_MFA_TYPE', PUBLIC_CLIENT, first.Session,
      { USERNAME: 'chooser', ANSWER: 'SOFTWARE_TOKEN_MFA' }));
    expectChallenge(next, 'SOFTWARE_TOKEN_MFA');
    expectTokens(await send(cip, respond('SOFTWARE_TOKEN_MFA', PUBLIC_CLIENT, next.Session,
      { USERNAME: 'chooser', SOFTWARE_TOKEN_MFA_CODE: totp('JBSWY3DPEHPK3PXP') })));
  });

  await check('NEW_PASSWORD_REQUIRED: InvalidPasswordException for a weak one, then tokens', async () => {
    const first = await passwordLogin('newbie', 'Temp-Passw0rd1!');
    const cp = expectChallenge(first, 'NEW_PASSWORD_REQUIRED', ['userAttributes', 'requiredAttributes']);
    if (!JSON.parse(cp.requiredAttributes).includes('userAttributes.name')) {
      throw new Error(`requiredAttributes ${cp.requiredAttributes}`);
    }
    await sendError(cip, respond('NEW_PASSWORD_REQUIRED', PUBLIC_CLIENT, first.Session,
      { USERNAME: 'newbie', NEW_PASSWORD: 'weakpassword', 'userAttributes.name': 'New Bie' }),
    idp.InvalidPasswordException, 400);
    expectTokens(await send(cip, respond('NEW_PASSWORD_REQUIRED', PUBLIC_CLIENT, first.Session,
      { USERNAME: 'newbie', NEW_PASSWORD: 'Newbie-Passw0rd9!', 'userAttributes.name': 'New Bie' })));
    await control('Reset', {});
  });

  await check('MFA_SETUP: AssociateSoftwareToken, VerifySoftwareToken (wrong, right), tokens', async () => {
    const first = await passwordLogin('setupuser', 'Setup-Passw0rd1!');
    expectChallenge(first, 'MFA_SETUP', ['MFAS_CAN_SETUP']);
    const assoc = await send(cip, new idp.AssociateSoftwareTokenCommand({ Session: first.Session }));
    if (typeof assoc.SecretCode !== 'string' || typeof assoc.Session !== 'string') {
      throw new Error('AssociateSoftwareToken without SecretCode and Session');
    }
    const bad = totp(assoc.SecretCode) === '000000' ? '111111' : '000000';
    await sendError(cip, new idp.VerifySoftwareTokenCommand({ Session: assoc.Session,
      UserCode: bad }), idp.EnableSoftwareTokenMFAException, 400);
    const ok = await send(cip, new idp.VerifySoftwareTokenCommand({ Session: assoc.Session,
      UserCode: totp(assoc.SecretCode), FriendlyDeviceName: 'conformance' }));
    if (ok.Status !== idp.VerifySoftwareTokenResponseType.SUCCESS || !ok.Session) {
      throw new Error(`VerifySoftwareToken: ${JSON.stringify(ok)}`);
    }
    expectTokens(await send(cip, respond('MFA_SETUP', PUBLIC_CLIENT, ok.Session,
      { USERNAME: 'setupuser' })));
    await control('Reset', {});
  });
}

let cip = null; // the CognitoIdentityProviderClient

async function main() {
  const endpoint = await startEmulator();
  await control('Reset', {});
  cip = makeClient(idp, 'CognitoIdentityProviderClient', endpoint);
  use(cip);
  await judgeChecks();
  await signInChecks();
  await challengeChecks();
  await tokenChecks(cip);
  await userAuthChecks(cip);
  await passkeyChecks(cip);
  const cidc = makeClient(cid, 'CognitoIdentityClient', endpoint);
  await adminChecks(endpoint, cip, cidc);
  await multiRegionChecks(endpoint, cip);
  await motoChecks(cip, cidc);
  await roleChecks(endpoint, cip, cidc);
  await signInRuleChecks(cip);
}

run(main);
