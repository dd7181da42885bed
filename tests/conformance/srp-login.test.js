#!/usr/bin/env node
// Conformance: the bundled Cognito emulator against the official client
// amazon-cognito-identity-js. If the emulator's SRP server side or its
// challenge shapes drift from what real Cognito speaks, the official client
// fails here. Run: node tests/conformance/srp-login.test.js
'use strict';

const crypto = require('crypto');
const {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
} = require('amazon-cognito-identity-js');
const { check, claims, control, emulatorCall, run, startEmulator, totp, url } = require('./harness');

const MAIN_POOL = 'us-east-1_Emul4tor';
const PUBLIC_CLIENT = 'publicclient0000000000000001';
const EMAIL_POOL = 'us-east-1_EmailPool';
const EMAIL_CLIENT = 'emailpoolclient000000000000001';
const DEV_POOL = 'us-east-1_DevAlways';
const DEV_CLIENT = 'devicesclient000000000000001';

async function fetchJwks(poolId) {
  const resp = await fetch(`${url()}/${poolId}/.well-known/jwks.json`);
  if (resp.status !== 200) throw new Error(`JWKS: HTTP ${resp.status}`);
  return resp.json();
}

// An independent RS256 check: Node's crypto with the JWK as served.
function verifyRs256(token, jwks) {
  const [head, body, sig] = token.split('.');
  const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
  const jwk = jwks.keys.find(k => k.kid === header.kid);
  if (!jwk || header.alg !== 'RS256') return false;
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  return crypto.verify('RSA-SHA256', Buffer.from(`${head}.${body}`), key,
    Buffer.from(sig, 'base64url'));
}

function makeUser(username, poolId = MAIN_POOL, clientId = PUBLIC_CLIENT) {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: url() });
  return new CognitoUser({ Username: username, Pool: pool });
}

// Runs authenticateUser and resolves with the first callback that fires:
// { kind: 'success'|'failure'|'newPasswordRequired'|'mfaRequired'|..., args }.
function signIn(user, password) {
  return new Promise(resolve => {
    const done = kind => (...args) => resolve({ kind, args });
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: done('success'),
      onFailure: done('failure'),
      newPasswordRequired: done('newPasswordRequired'),
      mfaRequired: done('mfaRequired'),
      totpRequired: done('totpRequired'),
      selectMFAType: done('selectMFAType'),
      mfaSetup: done('mfaSetup'),
      customChallenge: done('customChallenge'),
    });
  });
}

// The same shape for the continuation calls (sendMFACode & co.).
function callbacks(resolve) {
  const done = kind => (...args) => resolve({ kind, args });
  return {
    onSuccess: done('success'),
    onFailure: done('failure'),
    newPasswordRequired: done('newPasswordRequired'),
    mfaRequired: done('mfaRequired'),
    totpRequired: done('totpRequired'),
    selectMFAType: done('selectMFAType'),
    mfaSetup: done('mfaSetup'),
    associateSecretCode: done('associateSecretCode'),
  };
}

function describe(outcome) {
  if (outcome.kind === 'failure') {
    const err = outcome.args[0] || {};
    return `onFailure(${err.code || err.name}: ${err.message})`;
  }
  return outcome.kind;
}

function expectKind(outcome, kind) {
  if (outcome.kind !== kind) throw new Error(`expected ${kind}, got ${describe(outcome)}`);
  return outcome.args;
}

function expectFailure(outcome, code) {
  if (outcome.kind !== 'failure') throw new Error(`expected ${code}, got ${outcome.kind}`);
  const err = outcome.args[0] || {};
  if (err.code !== code) throw new Error(`expected ${code}, got ${err.code}: ${err.message}`);
  return err;
}

function checkSession(session, username) {
  const id = session.getIdToken().getJwtToken();
  const access = session.getAccessToken().getJwtToken();
  const refresh = session.getRefreshToken().getToken();
  if (!id || !access || !refresh) throw new Error('a token is missing from the session');
  const c = claims(id);
  if (c['cognito:username'] !== username) {
    throw new Error(`ID token cognito:username is ${c['cognito:username']}, want ${username}`);
  }
  if (!session.isValid()) throw new Error('session reported invalid');
  return c;
}

async function main() {
  await startEmulator();
  await control('Reset', {});

  await check('SRP sign-in with the right password returns tokens', async () => {
    const user = makeUser('alice');
    const [session] = expectKind(await signIn(user, 'Alice-Passw0rd!'), 'success');
    const c = checkSession(session, 'alice');
    if (c.iss !== `https://cognito-idp.us-east-1.amazonaws.com/${MAIN_POOL}`) {
      throw new Error(`unexpected iss ${c.iss}`);
    }
    if (c.aud !== PUBLIC_CLIENT || c.token_use !== 'id') throw new Error('bad aud/token_use');
  });

  await check('SRP sign-in is repeatable (fresh B each time)', async () => {
    for (let i = 0; i < 5; i += 1) {
      expectKind(await signIn(makeUser('alice'), 'Alice-Passw0rd!'), 'success');
    }
  });

  await check('SRP sign-in with a wrong password fails with NotAuthorizedException', async () => {
    const err = expectFailure(await signIn(makeUser('alice'), 'Wrong-Passw0rd!'),
      'NotAuthorizedException');
    if (err.message !== 'Incorrect username or password.') {
      throw new Error(`unexpected message: ${err.message}`);
    }
  });

  await check('unknown user fails with UserNotFoundException', async () => {
    expectFailure(await signIn(makeUser('nosuchuser'), 'Whatever-1!'), 'UserNotFoundException');
  });

  await check('email-pool sign-in (USER_ID_FOR_SRP differs from the login name)', async () => {
    const user = makeUser('carol@example.com', EMAIL_POOL, EMAIL_CLIENT);
    const [session] = expectKind(await signIn(user, 'Carol-Passw0rd!'), 'success');
    const id = user.getUsername();
    if (id === 'carol@example.com' || !/^[0-9a-f-]{36}$/.test(id)) {
      throw new Error(`client did not switch to USER_ID_FOR_SRP (username now ${id})`);
    }
    const c = checkSession(session, id);
    if (c.email !== 'carol@example.com' || c.sub !== id) throw new Error('unexpected claims');
  });

  await check('NEW_PASSWORD_REQUIRED: newPasswordRequired then completeNewPasswordChallenge', async () => {
    const user = makeUser('newbie');
    const [attrs, required] = expectKind(await signIn(user, 'Temp-Passw0rd1!'),
      'newPasswordRequired');
    if (!Array.isArray(required) || !required.includes('name')) {
      throw new Error(`requiredAttributes should list name, got ${JSON.stringify(required)}`);
    }
    if (!attrs || attrs.email !== 'newbie@example.com') {
      throw new Error(`userAttributes look wrong: ${JSON.stringify(attrs)}`);
    }
    const weak = await new Promise(resolve => user.completeNewPasswordChallenge(
      'weakpassword', { name: 'New Bie' }, callbacks(resolve)));
    expectFailure(weak, 'InvalidPasswordException');
    const outcome = await new Promise(resolve => user.completeNewPasswordChallenge(
      'Newbie-Passw0rd9!', { name: 'New Bie' }, callbacks(resolve)));
    const [session] = expectKind(outcome, 'success');
    checkSession(session, 'newbie');
    expectKind(await signIn(makeUser('newbie'), 'Newbie-Passw0rd9!'), 'success');
  });

  await check('SMS_MFA: mfaRequired then sendMFACode with the delivered code', async () => {
    const user = makeUser('smsuser');
    const [challenge, params] = expectKind(await signIn(user, 'Sms-Passw0rd1!'), 'mfaRequired');
    if (challenge !== 'SMS_MFA') throw new Error(`challenge ${challenge}`);
    if (params.CODE_DELIVERY_DESTINATION !== '+*******1234'
        || params.CODE_DELIVERY_DELIVERY_MEDIUM !== 'SMS') {
      throw new Error(`unexpected delivery ${JSON.stringify(params)}`);
    }
    const { Code } = await control('GetLastCode', { UserPoolId: MAIN_POOL, Username: 'smsuser' });
    const outcome = await new Promise(resolve => user.sendMFACode(Code, callbacks(resolve)));
    checkSession(expectKind(outcome, 'success')[0], 'smsuser');
  });

  await check('SMS_MFA: a wrong code fails with CodeMismatchException, then the right one works', async () => {
    const user = makeUser('smsuser');
    expectKind(await signIn(user, 'Sms-Passw0rd1!'), 'mfaRequired');
    const { Code } = await control('GetLastCode', { UserPoolId: MAIN_POOL, Username: 'smsuser' });
    const wrong = String((parseInt(Code, 10) + 1) % 1000000).padStart(6, '0');
    const bad = await new Promise(resolve => user.sendMFACode(wrong, callbacks(resolve)));
    expectFailure(bad, 'CodeMismatchException');
    const good = await new Promise(resolve => user.sendMFACode(Code, callbacks(resolve)));
    expectKind(good, 'success');
  });

  await check('NEW_PASSWORD_REQUIRED followed by SMS_MFA (newsms)', async () => {
    const user = makeUser('newsms');
    expectKind(await signIn(user, 'Temp-Passw0rd2!'), 'newPasswordRequired');
    const next = await new Promise(resolve => user.completeNewPasswordChallenge(
      'Newsms-Passw0rd9!', {}, callbacks(resolve)));
    expectKind(next, 'mfaRequired');
    const { Code } = await control('GetLastCode', { UserPoolId: MAIN_POOL, Username: 'newsms' });
    const done = await new Promise(resolve => user.sendMFACode(Code, callbacks(resolve)));
    expectKind(done, 'success');
  });

  await check('SOFTWARE_TOKEN_MFA: totpRequired then sendMFACode(code, cb, SOFTWARE_TOKEN_MFA)', async () => {
    const user = makeUser('totpuser');
    expectKind(await signIn(user, 'Totp-Passw0rd1!'), 'totpRequired');
    const outcome = await new Promise(resolve => user.sendMFACode(
      totp('JBSWY3DPEHPK3PXP'), callbacks(resolve), 'SOFTWARE_TOKEN_MFA'));
    expectKind(outcome, 'success');
  });

  await check('SELECT_MFA_TYPE: selectMFAType then sendMFASelectionAnswer(SMS_MFA)', async () => {
    const user = makeUser('chooser');
    const [, params] = expectKind(await signIn(user, 'Choose-Passw0rd1!'), 'selectMFAType');
    const choices = JSON.parse(params.MFAS_CAN_CHOOSE);
    if (JSON.stringify(choices) !== JSON.stringify(['SMS_MFA', 'SOFTWARE_TOKEN_MFA'])) {
      throw new Error(`MFAS_CAN_CHOOSE ${params.MFAS_CAN_CHOOSE}`);
    }
    const sel = await new Promise(resolve => user.sendMFASelectionAnswer('SMS_MFA', callbacks(resolve)));
    expectKind(sel, 'mfaRequired');
    const { Code } = await control('GetLastCode', { UserPoolId: MAIN_POOL, Username: 'chooser' });
    expectKind(await new Promise(resolve => user.sendMFACode(Code, callbacks(resolve))), 'success');
  });

  await check('MFA_SETUP: mfaSetup, associateSoftwareToken, verifySoftwareToken', async () => {
    const user = makeUser('setupuser');
    expectKind(await signIn(user, 'Setup-Passw0rd1!'), 'mfaSetup');
    const [secret] = expectKind(await new Promise(resolve => user.associateSoftwareToken(
      callbacks(resolve))), 'associateSecretCode');
    const done = await new Promise(resolve => user.verifySoftwareToken(
      totp(secret), 'conformance', callbacks(resolve)));
    checkSession(expectKind(done, 'success')[0], 'setupuser');
  });

  await check('MFA_SETUP: a wrong verifySoftwareToken code fails with EnableSoftwareTokenMFAException, the same session then completes', async () => {
    await control('Reset', {}); // the check before set setupuser up
    const user = makeUser('setupuser');
    expectKind(await signIn(user, 'Setup-Passw0rd1!'), 'mfaSetup');
    const [secret] = expectKind(await new Promise(resolve => user.associateSoftwareToken(
      callbacks(resolve))), 'associateSecretCode');
    const bad = await new Promise(resolve => user.verifySoftwareToken(
      totp(secret) === '000000' ? '111111' : '000000', 'conformance', callbacks(resolve)));
    expectFailure(bad, 'EnableSoftwareTokenMFAException');
    const done = await new Promise(resolve => user.verifySoftwareToken(
      totp(secret), 'conformance', callbacks(resolve)));
    checkSession(expectKind(done, 'success')[0], 'setupuser');
    // Set up: the next sign-in asks for the app's code.
    const again = makeUser('setupuser');
    expectKind(await signIn(again, 'Setup-Passw0rd1!'), 'totpRequired');
    expectKind(await new Promise(resolve => again.sendMFACode(
      totp(secret), callbacks(resolve), 'SOFTWARE_TOKEN_MFA')), 'success');
    await control('Reset', {});
  });

  await check('disabled user fails with NotAuthorizedException "User is disabled."', async () => {
    const err = expectFailure(await signIn(makeUser('disabled'), 'Disabled-Passw0rd1!'),
      'NotAuthorizedException');
    if (err.message !== 'User is disabled.') throw new Error(`message ${err.message}`);
  });

  await check('USER_PASSWORD_AUTH (authenticationFlowType) returns tokens', async () => {
    const user = makeUser('alice');
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    checkSession(expectKind(await signIn(user, 'Alice-Passw0rd!'), 'success')[0], 'alice');
    const bad = makeUser('alice');
    bad.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    expectFailure(await signIn(bad, 'nope-Passw0rd!'), 'NotAuthorizedException');
  });

  await check('changePassword, then the new password signs in and the old one does not', async () => {
    const user = makeUser('bob');
    expectKind(await signIn(user, 'Bob-Passw0rd!'), 'success');
    const weak = await new Promise(resolve => user.changePassword('Bob-Passw0rd!', 'short',
      (err, res) => resolve({ err, res })));
    if (!weak.err || weak.err.code !== 'InvalidPasswordException') {
      throw new Error(`weak password: ${weak.err ? weak.err.code : weak.res}`);
    }
    const res = await new Promise(resolve => user.changePassword('Bob-Passw0rd!', 'Bob-Passw0rd2!',
      (err, result) => resolve({ err, result })));
    if (res.err || res.result !== 'SUCCESS') {
      throw new Error(`changePassword: ${res.err ? `${res.err.code}: ${res.err.message}` : res.result}`);
    }
    expectKind(await signIn(makeUser('bob'), 'Bob-Passw0rd2!'), 'success');
    expectFailure(await signIn(makeUser('bob'), 'Bob-Passw0rd!'), 'NotAuthorizedException');
  });

  await check('refreshSession returns new ID and access tokens', async () => {
    const user = makeUser('alice');
    const [session] = expectKind(await signIn(user, 'Alice-Passw0rd!'), 'success');
    const { err, fresh } = await new Promise(resolve => user.refreshSession(
      session.getRefreshToken(), (e, s) => resolve({ err: e, fresh: s })));
    if (err) throw new Error(`refreshSession: ${err.code}: ${err.message}`);
    const c = checkSession(fresh, 'alice');
    if (fresh.getIdToken().getJwtToken() === session.getIdToken().getJwtToken()) {
      throw new Error('ID token was not renewed');
    }
    if (fresh.getRefreshToken().getToken() !== session.getRefreshToken().getToken()) {
      throw new Error('refresh token should be kept');
    }
    if (c.auth_time !== claims(session.getIdToken().getJwtToken()).auth_time) {
      throw new Error('auth_time changed on refresh');
    }
  });

  await check('refreshSession with a forged refresh token fails with NotAuthorizedException', async () => {
    const user = makeUser('alice');
    const [session] = expectKind(await signIn(user, 'Alice-Passw0rd!'), 'success');
    const token = session.getRefreshToken();
    token.token = `${token.getToken().slice(0, -4)}AAAA`;
    const { err } = await new Promise(resolve => user.refreshSession(token,
      (e, s) => resolve({ err: e, fresh: s })));
    if (!err || err.code !== 'NotAuthorizedException') {
      throw new Error(`expected NotAuthorizedException, got ${err ? err.code : 'success'}`);
    }
  });

  await check('ID and access tokens verify (RS256) against the served JWKS with Node crypto', async () => {
    const user = makeUser('alice');
    const [session] = expectKind(await signIn(user, 'Alice-Passw0rd!'), 'success');
    const jwks = await fetchJwks(MAIN_POOL);
    for (const key of jwks.keys) {
      if (key.kty !== 'RSA' || key.alg !== 'RS256' || key.use !== 'sig' || !key.kid) {
        throw new Error(`JWKS entry not RS256/RSA/sig: ${JSON.stringify(key)}`);
      }
    }
    const id = session.getIdToken().getJwtToken();
    const access = session.getAccessToken().getJwtToken();
    for (const token of [id, access]) {
      if (!verifyRs256(token, jwks)) throw new Error('a token does not verify against the JWKS');
    }
    const [head, body, sig] = id.split('.');
    const other = Buffer.from(body, 'base64url').toString('utf8').replace('"alice"', '"bob"');
    if (verifyRs256(`${head}.${Buffer.from(other).toString('base64url')}.${sig}`, jwks)) {
      throw new Error('a token with changed claims still verifies');
    }
    const c = claims(id);
    if (c.iss !== `https://cognito-idp.us-east-1.amazonaws.com/${MAIN_POOL}` || c.aud !== PUBLIC_CLIENT
        || c.token_use !== 'id' || !(c.exp > Date.now() / 1000)) {
      throw new Error(`ID token claims: ${JSON.stringify(c)}`);
    }
    await control('RotateSigningKey', {});
    const fresh = expectKind(await signIn(makeUser('alice'), 'Alice-Passw0rd!'), 'success')[0];
    const rotated = await fetchJwks(MAIN_POOL);
    if (!verifyRs256(fresh.getIdToken().getJwtToken(), rotated) || verifyRs256(id, rotated)) {
      throw new Error('after rotation the new JWKS should verify new tokens only');
    }
    await control('Reset', {});
  });

  await check('forgotPassword (inputVerificationCode) then confirmPassword, then SRP with the new password', async () => {
    const user = makeUser('alice');
    const sent = await new Promise(resolve => user.forgotPassword({
      onSuccess: d => resolve({ kind: 'success', d }),
      onFailure: e => resolve({ kind: 'failure', e }),
      inputVerificationCode: d => resolve({ kind: 'code', d }),
    }));
    if (sent.kind !== 'code') throw new Error(`forgotPassword: ${sent.kind} ${sent.e && sent.e.message}`);
    const details = sent.d.CodeDeliveryDetails;
    if (details.Destination !== 'a***@e***' || details.DeliveryMedium !== 'EMAIL'
        || details.AttributeName !== 'email') {
      throw new Error(`CodeDeliveryDetails ${JSON.stringify(details)}`);
    }
    const { Code } = await control('GetLastCode', { UserPoolId: MAIN_POOL, Username: 'alice' });
    const confirm = (code, password) => new Promise(resolve => user.confirmPassword(code, password, {
      onSuccess: r => resolve({ kind: 'success', args: [r] }),
      onFailure: e => resolve({ kind: 'failure', args: [e] }),
    }));
    const wrong = String((parseInt(Code, 10) + 1) % 1000000).padStart(6, '0');
    expectFailure(await confirm(wrong, 'Reset-Passw0rd!1'), 'CodeMismatchException');
    expectFailure(await confirm(Code, 'weakpassword'), 'InvalidPasswordException');
    expectKind(await confirm(Code, 'Reset-Passw0rd!1'), 'success');
    expectKind(await signIn(makeUser('alice'), 'Reset-Passw0rd!1'), 'success');
    expectFailure(await signIn(makeUser('alice'), 'Alice-Passw0rd!'), 'NotAuthorizedException');
    expectFailure(await confirm(Code, 'Again-Passw0rd!1'), 'ExpiredCodeException');
    await control('Reset', {});
  });

  await check('AdminResetUserPassword: sign-in fails with PasswordResetRequiredException', async () => {
    await emulatorCall('AWSCognitoIdentityProviderService.AdminResetUserPassword',
      { UserPoolId: MAIN_POOL, Username: 'bob' });
    expectFailure(await signIn(makeUser('bob'), 'Bob-Passw0rd!'), 'PasswordResetRequiredException');
    await control('Reset', {});
  });

  await check('PasswordResetRequiredException, forgotPassword, an expired code (ExpiredCodeException), a new code, confirmPassword, then SRP sign-in', async () => {
    await emulatorCall('AWSCognitoIdentityProviderService.AdminResetUserPassword',
      { UserPoolId: MAIN_POOL, Username: 'bob' });
    expectFailure(await signIn(makeUser('bob'), 'Bob-Passw0rd!'), 'PasswordResetRequiredException');
    const user = makeUser('bob');
    const forgot = () => new Promise(resolve => user.forgotPassword({
      onSuccess: d => resolve({ kind: 'success', d }),
      onFailure: e => resolve({ kind: 'failure', e }),
      inputVerificationCode: d => resolve({ kind: 'code', d }),
    }));
    const confirm = (code, password) => new Promise(resolve => user.confirmPassword(code, password, {
      onSuccess: r => resolve({ kind: 'success', args: [r] }),
      onFailure: e => resolve({ kind: 'failure', args: [e] }),
    }));
    const lastCode = async () => (await control('GetLastCode',
      { UserPoolId: MAIN_POOL, Username: 'bob' })).Code;
    await control('SetOptions', { ResetCodeTtlSeconds: 0 }); // expired when sent
    if ((await forgot()).kind !== 'code') throw new Error('forgotPassword sent no code');
    const first = await lastCode();
    expectFailure(await confirm(first, 'Reset-Passw0rd!2'), 'ExpiredCodeException');
    await control('SetOptions', { ResetCodeTtlSeconds: 3600 });
    if ((await forgot()).kind !== 'code') throw new Error('forgotPassword sent no second code');
    expectKind(await confirm(await lastCode(), 'Reset-Passw0rd!2'), 'success');
    expectKind(await signIn(makeUser('bob'), 'Reset-Passw0rd!2'), 'success');
    await control('Reset', {});
  });

  await check('signed-in associateSoftwareToken, verifySoftwareToken, setUserMfaPreference, then totpRequired', async () => {
    const user = makeUser('alice');
    expectKind(await signIn(user, 'Alice-Passw0rd!'), 'success');
    const [secret] = expectKind(await new Promise(resolve => user.associateSoftwareToken(
      callbacks(resolve))), 'associateSecretCode');
    const bad = await new Promise(resolve => user.verifySoftwareToken(
      totp(secret) === '000000' ? '111111' : '000000', 'conformance', callbacks(resolve)));
    expectFailure(bad, 'EnableSoftwareTokenMFAException');
    const ok = await new Promise(resolve => user.verifySoftwareToken(
      totp(secret), 'conformance', callbacks(resolve)));
    const [data] = expectKind(ok, 'success');
    if (data.Status !== 'SUCCESS') throw new Error(`VerifySoftwareToken ${JSON.stringify(data)}`);
    const pref = await new Promise(resolve => user.setUserMfaPreference(null,
      { PreferredMfa: true, Enabled: true }, (err, res) => resolve({ err, res })));
    if (pref.err) throw new Error(`setUserMfaPreference: ${pref.err.code}: ${pref.err.message}`);
    const again = makeUser('alice');
    expectKind(await signIn(again, 'Alice-Passw0rd!'), 'totpRequired');
    const done = await new Promise(resolve => again.sendMFACode(
      totp(secret), callbacks(resolve), 'SOFTWARE_TOKEN_MFA'));
    expectKind(done, 'success');
    await control('Reset', {});
  });

  await check('lockout: after 5 wrong passwords the right one gets "Password attempts exceeded"', async () => {
    for (let i = 0; i < 5; i += 1) {
      expectFailure(await signIn(makeUser('alice'), 'Wrong-Passw0rd!'), 'NotAuthorizedException');
    }
    // The first lockout lasts 1 s of the emulator's clock, less than an SRP
    // sign-in can take on a loaded machine: set the clock back a minute so
    // the next attempt surely falls inside it, then past its end.
    await control('AdvanceClock', { Seconds: -60 });
    const err = expectFailure(await signIn(makeUser('alice'), 'Alice-Passw0rd!'),
      'NotAuthorizedException');
    if (err.message !== 'Password attempts exceeded') throw new Error(`message ${err.message}`);
    await control('AdvanceClock', { Seconds: 62 });
    expectKind(await signIn(makeUser('alice'), 'Alice-Passw0rd!'), 'success');
    await control('Reset', {});
  });

  await check('signOut(callback) revokes (RevokeToken): refresh then fails as revoked', async () => {
    const user = makeUser('alice');
    const [session] = expectKind(await signIn(user, 'Alice-Passw0rd!'), 'success');
    const refresh = session.getRefreshToken();
    const err = await new Promise(resolve => user.signOut(resolve));
    if (err) throw new Error(`signOut: ${err.code}: ${err.message}`);
    const again = makeUser('alice');
    const res = await new Promise(resolve => again.refreshSession(refresh,
      (e, s) => resolve({ err: e, fresh: s })));
    if (!res.err || res.err.message !== 'Refresh Token has been revoked') {
      throw new Error(`expected a revoked refresh token, got ${res.err ? res.err.message : 'success'}`);
    }
  });

  await check('globalSignOut revokes every sign-in of the user', async () => {
    const one = makeUser('alice');
    const [first] = expectKind(await signIn(one, 'Alice-Passw0rd!'), 'success');
    const two = makeUser('alice');
    expectKind(await signIn(two, 'Alice-Passw0rd!'), 'success');
    const out = await new Promise(resolve => two.globalSignOut({
      onSuccess: r => resolve({ ok: r }), onFailure: e => resolve({ err: e }) }));
    if (out.err) throw new Error(`globalSignOut: ${out.err.code}: ${out.err.message}`);
    const res = await new Promise(resolve => makeUser('alice').refreshSession(
      first.getRefreshToken(), (e, s) => resolve({ err: e, fresh: s })));
    if (!res.err || res.err.message !== 'Refresh Token has been revoked') {
      throw new Error(`expected a revoked refresh token, got ${res.err ? res.err.message : 'success'}`);
    }
  });

  await deviceChecks();
}

// The official client's own device handling: it confirms the device that
// NewDeviceMetadata names (generateHashDevice + ConfirmDevice), keeps the
// device key, group key and device password in its storage, and answers
// DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER at the next sign-in.
async function deviceChecks() {
  await control('Reset', {});
  const devices = async username => (await emulatorCall(
    'AWSCognitoIdentityProviderService.AdminListDevices',
    { UserPoolId: DEV_POOL, Username: username })).Devices;
  const remembered = device => device.DeviceAttributes.find(
    a => a.Name === 'dev:device_remembered_status').Value;
  const smsLogin = async () => {
    const user = makeUser('devsms', DEV_POOL, DEV_CLIENT);
    expectKind(await signIn(user, 'DevSms-Passw0rd1!'), 'mfaRequired');
    const { Code } = await control('GetLastCode', { UserPoolId: DEV_POOL, Username: 'devsms' });
    const outcome = await new Promise(resolve => user.sendMFACode(Code, callbacks(resolve)));
    return { user, args: expectKind(outcome, 'success') };
  };

  await check('device "Always": the first sign-in (SMS code) confirms the device through ConfirmDevice', async () => {
    const { args } = await smsLogin();
    checkSession(args[0], 'devsms');
    if (args[1] === true) throw new Error('UserConfirmationNecessary in an "Always" pool');
    const list = await devices('devsms');
    if (list.length !== 1 || remembered(list[0]) !== 'remembered') {
      throw new Error(`devices after the first sign-in: ${JSON.stringify(list)}`);
    }
  });

  await check('device "Always": the second sign-in skips the SMS code with DEVICE_SRP_AUTH', async () => {
    const before = await control('GetLastCode', { UserPoolId: DEV_POOL, Username: 'devsms' });
    await control('ResetStats', {});
    const user = makeUser('devsms', DEV_POOL, DEV_CLIENT);
    const [session] = expectKind(await signIn(user, 'DevSms-Passw0rd1!'), 'success');
    checkSession(session, 'devsms');
    const after = await control('GetLastCode', { UserPoolId: DEV_POOL, Username: 'devsms' });
    if (after.Time !== before.Time) throw new Error('an SMS code was sent');
    const stats = await control('Stats', {});
    // PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER
    if (stats.ByOperation.RespondToAuthChallenge !== 3) {
      throw new Error(`RespondToAuthChallenge calls: ${JSON.stringify(stats.ByOperation)}`);
    }
    const list = await devices('devsms');
    if (list.length !== 1 || !list[0].DeviceLastAuthenticatedDate) {
      throw new Error(`the device was not authenticated: ${JSON.stringify(list)}`);
    }
    const { err, fresh } = await new Promise(resolve => user.refreshSession(
      session.getRefreshToken(), (e, s) => resolve({ err: e, fresh: s })));
    if (err) throw new Error(`refreshSession with the device key: ${err.code}: ${err.message}`);
    checkSession(fresh, 'devsms');
  });

  await check('a device forgotten by an admin: "Device does not exist.", the client retries without it', async () => {
    const [device] = await devices('devsms');
    await emulatorCall('AWSCognitoIdentityProviderService.AdminForgetDevice',
      { UserPoolId: DEV_POOL, Username: 'devsms', DeviceKey: device.DeviceKey });
    const { args } = await smsLogin();
    checkSession(args[0], 'devsms');
    const list = await devices('devsms');
    if (list.length !== 1 || list[0].DeviceKey === device.DeviceKey) {
      throw new Error(`expected one new device, got ${JSON.stringify(list)}`);
    }
  });

  await check('device "User opt-in": setDeviceStatusRemembered, then DEVICE_SRP_AUTH; forgetDevice', async () => {
    await control('SetDeviceConfiguration', { UserPoolId: DEV_POOL,
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
    const user = makeUser('devplain', DEV_POOL, DEV_CLIENT);
    const [session, confirmationNecessary] = expectKind(
      await signIn(user, 'DevPlain-Passw0rd1!'), 'success');
    checkSession(session, 'devplain');
    if (confirmationNecessary !== true) throw new Error('UserConfirmationNecessary not true');
    if (remembered((await devices('devplain'))[0]) !== 'not_remembered') {
      throw new Error('an opt-in device is remembered before the user opts in');
    }
    const set = await new Promise(resolve => user.setDeviceStatusRemembered({
      onSuccess: r => resolve({ ok: r }), onFailure: e => resolve({ err: e }) }));
    if (set.err) throw new Error(`setDeviceStatusRemembered: ${set.err.code}: ${set.err.message}`);
    const listed = await new Promise(resolve => user.listDevices(10, null, {
      onSuccess: r => resolve({ ok: r }), onFailure: e => resolve({ err: e }) }));
    if (listed.err || listed.ok.Devices.length !== 1) {
      throw new Error(`listDevices: ${listed.err ? listed.err.message : JSON.stringify(listed.ok)}`);
    }
    await control('ResetStats', {});
    const again = makeUser('devplain', DEV_POOL, DEV_CLIENT);
    checkSession(expectKind(await signIn(again, 'DevPlain-Passw0rd1!'), 'success')[0], 'devplain');
    const stats = await control('Stats', {});
    if (stats.ByOperation.RespondToAuthChallenge !== 3 || stats.ByOperation.ConfirmDevice) {
      throw new Error(`second sign-in did not use the device: ${JSON.stringify(stats.ByOperation)}`);
    }
    const gone = await new Promise(resolve => again.forgetDevice({
      onSuccess: r => resolve({ ok: r }), onFailure: e => resolve({ err: e }) }));
    if (gone.err) throw new Error(`forgetDevice: ${gone.err.code}: ${gone.err.message}`);
    if ((await devices('devplain')).length !== 0) throw new Error('device still listed');
    await control('Reset', {});
  });
}

run(main);
