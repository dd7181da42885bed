#!/usr/bin/env node
// Conformance: the bundled Cognito emulator against the official client
// amazon-cognito-identity-js. If the emulator's SRP server side or its
// challenge shapes drift from what real Cognito speaks, the official client
// fails here. Run: node tests/conformance/srp-login.test.js
'use strict';

const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
} = require('amazon-cognito-identity-js');

const REPO = path.resolve(__dirname, '..', '..');
const EMULATOR = path.join(REPO, 'tests', 'emulator', 'cognito_emulator.py');
const MAIN_POOL = 'us-east-1_Emul4tor';
const PUBLIC_CLIENT = 'publicclient0000000000000001';
const EMAIL_POOL = 'us-east-1_EmailPool';
const EMAIL_CLIENT = 'emailpoolclient000000000000001';
const STEP_TIMEOUT_MS = 15000;

let emulator = null;
let baseUrl = null;
let tmpDir = null;
const results = [];

function stopEmulator() {
  if (emulator && emulator.exitCode === null && emulator.signalCode === null) {
    try {
      process.kill(emulator.pid, 'SIGTERM');
    } catch (e) {
      /* already gone */
    }
  }
  emulator = null;
  if (tmpDir) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    tmpDir = null;
  }
}

process.on('exit', stopEmulator);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopEmulator();
    process.exit(130);
  });
}

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

async function startEmulator() {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-conformance-'));
  const portFile = path.join(tmpDir, 'port');
  emulator = spawn('python3', [EMULATOR, '--host', '127.0.0.1', '--port', '0',
    '--port-file', portFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    if (emulator.exitCode !== null) {
      throw new Error(`emulator exited with ${emulator.exitCode}`);
    }
    if (fs.existsSync(portFile)) {
      const text = fs.readFileSync(portFile, 'utf8').trim();
      if (text) {
        baseUrl = `http://127.0.0.1:${parseInt(text, 10)}`;
        return;
      }
    }
    await sleep(50);
  }
  throw new Error('emulator did not write its port file within 10 s');
}

async function control(op, body) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), STEP_TIMEOUT_MS);
  try {
    const resp = await fetch(`${baseUrl}/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `EmulatorControl.${op}`,
      },
      body: JSON.stringify(body || {}),
      signal: ctrl.signal,
    });
    const data = await resp.json();
    if (!resp.ok) throw new Error(`${op}: ${data.__type}: ${data.message}`);
    return data;
  } finally {
    clearTimeout(timer);
  }
}

function withTimeout(promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${STEP_TIMEOUT_MS} ms`)),
      STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

function makeUser(username, poolId = MAIN_POOL, clientId = PUBLIC_CLIENT) {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: baseUrl });
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

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
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

function totp(secretB32, when = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretB32.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(when / 30000)));
  const mac = crypto.createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const num = mac.readUInt32BE(off) & 0x7fffffff;
  return String(num % 1000000).padStart(6, '0');
}

async function check(name, fn) {
  try {
    await withTimeout(Promise.resolve().then(fn), name);
    results.push([name, true]);
    console.log(`PASS: ${name}`);
  } catch (err) {
    results.push([name, false]);
    console.log(`FAIL: ${name}: ${err && err.message ? err.message : err}`);
  }
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

  await check('SRP sign-in is repeatable (fresh salt and B each time)', async () => {
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
}

main()
  .catch(err => {
    results.push(['harness', false]);
    console.log(`FAIL: harness: ${err && err.stack ? err.stack : err}`);
  })
  .finally(() => {
    stopEmulator();
    const failed = results.filter(r => !r[1]).length;
    console.log(`# ${results.length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
