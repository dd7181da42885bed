// SDK v3 checks of the emulator's sign-in rules from issue 24: threat
// protection's block, PasswordResetRequiredException answered to
// PASSWORD_VERIFIER, and the lockout that ends only after a success once
// a lockout expired or after 15 minutes without attempts.
'use strict';

const idp = require('@aws-sdk/client-cognito-identity-provider');
const { AuthenticationHelper } = require('amazon-cognito-identity-js');
const { check, control } = require('./harness');
const { send, sendError } = require('./sdk-model');
const {
  MAIN_POOL, PUBLIC_CLIENT, claimSignature, expectChallenge, expectTokens, initiate, largeA,
  passwordLogin, respond, srpLogin,
} = require('./sdk-v3-steps');

let cip = null;
const LOCKED = 'Password attempts exceeded';
const WRONG = 'Incorrect username or password.';

// USER_SRP_AUTH whose PASSWORD_VERIFIER answer must fail with ErrorClass.
async function srpRefused(username, password, ErrorClass) {
  const poolName = MAIN_POOL.split('_')[1];
  const helper = new AuthenticationHelper(poolName);
  const first = await send(cip, initiate('USER_SRP_AUTH', PUBLIC_CLIENT,
    { USERNAME: username, SRP_A: (await largeA(helper)).toString(16) }));
  const cp = expectChallenge(first, 'PASSWORD_VERIFIER',
    ['SALT', 'SRP_B', 'SECRET_BLOCK', 'USER_ID_FOR_SRP', 'USERNAME']);
  const { timestamp, sig } = await claimSignature(helper, poolName, cp.USER_ID_FOR_SRP,
    password, cp);
  return sendError(cip, respond('PASSWORD_VERIFIER', PUBLIC_CLIENT, first.Session,
    { USERNAME: cp.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: cp.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: sig, TIMESTAMP: timestamp }), ErrorClass, 400);
}

async function passwordRefused(username, password, message) {
  const err = await sendError(cip, initiate('USER_PASSWORD_AUTH', PUBLIC_CLIENT,
    { USERNAME: username, PASSWORD: password }), idp.NotAuthorizedException, 400);
  if (err.message !== message) throw new Error(`message ${err.message}, expected ${message}`);
}

async function failures(username) {
  return (await control('GetUserState', { Username: username })).Lockout.Failures;
}

async function threatChecks() {
  await check('threat protection block: NotAuthorizedException with the two messages, both flows', async () => {
    try {
      await control('SetThreatProtectionBlock', { Username: 'alice', Block: 'SignIn' });
      await passwordRefused('alice', 'Alice-Passw0rd!',
        'Unable to login because of security reasons.');
      await control('SetThreatProtectionBlock', { Username: 'alice', Block: 'Request' });
      const err = await srpRefused('alice', 'Alice-Passw0rd!', idp.NotAuthorizedException);
      if (err.message !== 'Request not allowed due to security reasons.') throw new Error(err.message);
      await passwordRefused('alice', 'Wrong-Passw0rd!', WRONG);
      await control('SetThreatProtectionBlock', { Username: 'alice', Block: null });
      expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    } finally {
      await control('Reset', {});
    }
  });
}

async function resetStepChecks() {
  await check('PasswordResetRequiredException from RespondToAuthChallenge after PASSWORD_VERIFIER', async () => {
    try {
      await send(cip, new idp.AdminResetUserPasswordCommand({ UserPoolId: MAIN_POOL,
        Username: 'alice' }));
      await control('SetOptions', { PasswordResetStep: 'PASSWORD_VERIFIER' });
      await srpRefused('alice', 'Alice-Passw0rd!', idp.PasswordResetRequiredException);
      if (!/RespondToAuthChallenge$/.test(cip.recorder.last.target)) {
        throw new Error(`refused by ${cip.recorder.last.target}`);
      }
      await control('SetOptions', { PasswordResetStep: 'InitiateAuth' });
      await sendError(cip, initiate('USER_SRP_AUTH', PUBLIC_CLIENT,
        { USERNAME: 'alice', SRP_A: 'abcdef' }), idp.PasswordResetRequiredException, 400);
    } finally {
      await control('Reset', {});
    }
  });
}

async function lockoutChecks() {
  await check('lockout: a success before any lockout keeps the count; 15 quiet minutes end it', async () => {
    try {
      for (let i = 0; i < 4; i += 1) await passwordRefused('alice', 'Wrong-Passw0rd!', WRONG);
      expectTokens(await srpLogin('alice', 'Alice-Passw0rd!'));
      if (await failures('alice') !== 4) throw new Error('a success before a lockout reset the count');
      await passwordRefused('alice', 'Wrong-Passw0rd!', WRONG);
      // The first lockout lasts 1 s of the emulator's clock, which a loaded
      // machine can spend between two calls: the clock goes back a minute.
      await control('AdvanceClock', { Seconds: -60 });
      await passwordRefused('alice', 'Alice-Passw0rd!', LOCKED);
      await control('AdvanceClock', { Seconds: 901 });
      if (await failures('alice') !== 0) throw new Error('15 quiet minutes did not end the count');
      for (let i = 0; i < 4; i += 1) await passwordRefused('alice', 'Wrong-Passw0rd!', WRONG);
      expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    } finally {
      await control('Reset', {});
    }
  });

  await check('lockout: a success once a lockout has expired ends the count', async () => {
    try {
      for (let i = 0; i < 5; i += 1) await passwordRefused('alice', 'Wrong-Passw0rd!', WRONG);
      await control('AdvanceClock', { Seconds: -60 });
      await passwordRefused('alice', 'Alice-Passw0rd!', LOCKED);
      await control('AdvanceClock', { Seconds: 62 });
      expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
      if (await failures('alice') !== 0) throw new Error('a success after the lockout kept the count');
    } finally {
      await control('Reset', {});
    }
  });
}

module.exports = async function signInRuleChecks(client) {
  cip = client;
  await threatChecks();
  await resetStepChecks();
  await lockoutChecks();
};
