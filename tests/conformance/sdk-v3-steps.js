// Sign-in steps with the AWS SDK v3's commands, shared by the SDK checks:
// the fixture's app clients, SECRET_HASH, USER_PASSWORD_AUTH, USER_SRP_AUTH
// and device SRP (the arithmetic by amazon-cognito-identity-js's
// AuthenticationHelper, the calls by the SDK), and what a modeled answer
// must hold beyond its types.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const idp = require('@aws-sdk/client-cognito-identity-provider');
const { AuthenticationHelper, DateHelper } = require('amazon-cognito-identity-js');
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;
const { send } = require('./sdk-model');

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'emulator', 'fixtures',
  'default.json'), 'utf8'));
const MAIN_POOL = 'us-east-1_Emul4tor';
const PUBLIC_CLIENT = 'publicclient0000000000000001';

let cip = null; // the CognitoIdentityProviderClient the steps use

function use(client) {
  cip = client;
}

function clientSecret(clientId) {
  for (const pool of FIXTURE.UserPools) {
    const c = pool.Clients.find(x => x.ClientId === clientId);
    if (c) return c.ClientSecret;
  }
  return undefined;
}

function secretHash(username, clientId) {
  return crypto.createHmac('sha256', clientSecret(clientId))
    .update(username + clientId).digest('base64');
}

// Cognito's answer status: 400 for every modeled error but these two.
function statusOf(ErrorClass) {
  return { InternalErrorException: 500, ForbiddenException: 403 }[ErrorClass.name] || 400;
}

// PASSWORD_VERIFIER comes without a Session (as from Cognito: the
// SECRET_BLOCK ties the answer to it); every other challenge has one.
function expectChallenge(out, name, params = []) {
  if (!Object.values(idp.ChallengeNameType).includes(out.ChallengeName)) {
    throw new Error(`ChallengeName ${out.ChallengeName} is not in the model's ChallengeNameType`);
  }
  if (out.ChallengeName !== name) throw new Error(`challenge ${out.ChallengeName}, expected ${name}`);
  if (name === 'PASSWORD_VERIFIER' ? out.Session !== undefined
    : typeof out.Session !== 'string' || !out.Session) {
    throw new Error(`Session ${JSON.stringify(out.Session)} with ${name}`);
  }
  for (const p of params) {
    if (typeof out.ChallengeParameters[p] !== 'string') {
      throw new Error(`ChallengeParameters.${p} missing: ${JSON.stringify(out.ChallengeParameters)}`);
    }
  }
  if (out.AuthenticationResult) throw new Error('AuthenticationResult beside a challenge');
  return out.ChallengeParameters;
}

// The tokens of a finished sign-in, as the module reads them.
function expectTokens(out, { refresh = true } = {}) {
  const r = out.AuthenticationResult;
  if (!r) throw new Error(`no AuthenticationResult (challenge ${out.ChallengeName})`);
  if (out.ChallengeName) throw new Error(`ChallengeName ${out.ChallengeName} beside tokens`);
  for (const k of ['AccessToken', 'IdToken']) {
    if (typeof r[k] !== 'string' || r[k].split('.').length !== 3) throw new Error(`${k} not a JWT`);
  }
  if (refresh !== (typeof r.RefreshToken === 'string')) {
    throw new Error(refresh ? 'no RefreshToken' : 'a RefreshToken where none belongs');
  }
  if (r.ExpiresIn !== 3600 || r.TokenType !== 'Bearer') {
    throw new Error(`ExpiresIn ${r.ExpiresIn}, TokenType ${r.TokenType}`);
  }
  return r;
}

function initiate(flow, clientId, params, extra = {}) {
  return new idp.InitiateAuthCommand({ AuthFlow: flow, ClientId: clientId, AuthParameters: params,
    ...extra });
}

function respond(name, clientId, session, responses) {
  return new idp.RespondToAuthChallengeCommand({ ChallengeName: name, ClientId: clientId,
    Session: session, ChallengeResponses: responses });
}

function passwordLogin(username, password, clientId = PUBLIC_CLIENT) {
  const params = { USERNAME: username, PASSWORD: password };
  if (clientSecret(clientId)) params.SECRET_HASH = secretHash(username, clientId);
  return send(cip, initiate('USER_PASSWORD_AUTH', clientId, params));
}

function largeA(helper) {
  return new Promise((resolve, reject) => helper.getLargeAValue((e, a) => (e ? reject(e) : resolve(a))));
}

// PASSWORD_CLAIM_SIGNATURE and TIMESTAMP for an SRP challenge; realm is
// the pool name (user SRP) or the device group key (device SRP).
function claimSignature(helper, realm, userId, password, params) {
  return new Promise((resolve, reject) => {
    helper.getPasswordAuthenticationKey(userId, password, new BigInteger(params.SRP_B, 16),
      new BigInteger(params.SALT, 16), (e, hkdf) => {
        if (e) return reject(e);
        const timestamp = new DateHelper().getNowString();
        const msg = Buffer.concat([Buffer.from(realm, 'utf8'), Buffer.from(userId, 'utf8'),
          Buffer.from(params.SECRET_BLOCK, 'base64'), Buffer.from(timestamp, 'utf8')]);
        const sig = crypto.createHmac('sha256', Buffer.from(hkdf)).update(msg).digest('base64');
        return resolve({ timestamp, sig });
      });
  });
}

// USER_SRP_AUTH up to the answer to PASSWORD_VERIFIER (tokens or the next
// challenge); device = { key, groupKey, password } for a remembered device.
async function srpLogin(username, password, { poolId = MAIN_POOL, clientId = PUBLIC_CLIENT,
  device = null } = {}) {
  const poolName = poolId.split('_')[1];
  const helper = new AuthenticationHelper(poolName);
  const params = { USERNAME: username, SRP_A: (await largeA(helper)).toString(16) };
  if (device) params.DEVICE_KEY = device.key;
  const first = await send(cip, initiate('USER_SRP_AUTH', clientId, params));
  const cp = expectChallenge(first, 'PASSWORD_VERIFIER',
    ['SALT', 'SRP_B', 'SECRET_BLOCK', 'USER_ID_FOR_SRP', 'USERNAME']);
  const userId = cp.USER_ID_FOR_SRP;
  const { timestamp, sig } = await claimSignature(helper, poolName, userId, password, cp);
  const answers = { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: cp.SECRET_BLOCK,
    PASSWORD_CLAIM_SIGNATURE: sig, TIMESTAMP: timestamp };
  if (device) answers.DEVICE_KEY = device.key;
  return send(cip, respond('PASSWORD_VERIFIER', clientId, first.Session, answers));
}

// The verifier ConfirmDevice takes for NewDeviceMetadata; resolves with
// { key, groupKey, password, config }.
function deviceVerifier(meta) {
  const helper = new AuthenticationHelper();
  return new Promise((resolve, reject) => helper.generateHashDevice(meta.DeviceGroupKey,
    meta.DeviceKey, e => {
      if (e) return reject(e);
      return resolve({ key: meta.DeviceKey, groupKey: meta.DeviceGroupKey,
        password: helper.getRandomPassword(),
        config: { Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
          PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64') } });
    }));
}

// DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER after a DEVICE_SRP_AUTH
// challenge; resolves with the last answer.
async function deviceLogin(challenge, username, device, clientId) {
  const helper = new AuthenticationHelper(device.groupKey);
  const srp = await send(cip, respond('DEVICE_SRP_AUTH', clientId, challenge.Session,
    { USERNAME: username, DEVICE_KEY: device.key, SRP_A: (await largeA(helper)).toString(16) }));
  const cp = expectChallenge(srp, 'DEVICE_PASSWORD_VERIFIER',
    ['SALT', 'SRP_B', 'SECRET_BLOCK', 'USERNAME']);
  const { timestamp, sig } = await claimSignature(helper, device.groupKey, device.key,
    device.password, cp);
  return send(cip, respond('DEVICE_PASSWORD_VERIFIER', clientId, srp.Session,
    { USERNAME: cp.USERNAME, DEVICE_KEY: device.key, PASSWORD_CLAIM_SECRET_BLOCK: cp.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: sig, TIMESTAMP: timestamp }));
}

module.exports = {
  FIXTURE, MAIN_POOL, PUBLIC_CLIENT, claimSignature, clientSecret, deviceLogin, deviceVerifier,
  expectChallenge, expectTokens, initiate, largeA, passwordLogin, respond, secretHash, srpLogin,
  statusOf, use,
};
