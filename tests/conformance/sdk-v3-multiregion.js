// SDK v3 checks of the multi-Region side of a user pool (issue 24 item 1):
// tokens of the updated issuer (issuer-cognito-idp) verify with the keys
// served for that issuer only, the identity pool takes them under the
// pool's provider name, and a secondary Region's refusals come out of the
// SDK as its modeled OperationNotEnabledException.
'use strict';

const crypto = require('crypto');
const idp = require('@aws-sdk/client-cognito-identity-provider');
const cid = require('@aws-sdk/client-cognito-identity');
const { check, claims, control, url } = require('./harness');
const { makeClient, send, sendError } = require('./sdk-model');
const { MAIN_POOL, PUBLIC_CLIENT, expectTokens, passwordLogin } = require('./sdk-v3-steps');

const IDENTITY_POOL = 'us-east-1:11111111-2222-3333-4444-555555555555';
const PROVIDER = `cognito-idp.us-east-1.amazonaws.com/${MAIN_POOL}`;
const UPDATED = `https://issuer-cognito-idp.us-east-1.amazonaws.com/${MAIN_POOL}`;

let cip = null;
let cidc = null;

async function jwks(path) {
  const resp = await fetch(`${url()}${path}`);
  if (resp.status !== 200) throw new Error(`${path}: HTTP ${resp.status}`);
  return resp.json();
}

function verifies(token, set) {
  const [head, body, sig] = token.split('.');
  const header = JSON.parse(Buffer.from(head, 'base64url'));
  const jwk = set.keys.find(k => k.kid === header.kid);
  if (!jwk || header.alg !== 'RS256') return false;
  return crypto.verify('RSA-SHA256', Buffer.from(`${head}.${body}`),
    crypto.createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(sig, 'base64url'));
}

async function issuerChecks() {
  await check('updated issuer: tokens name issuer-cognito-idp and verify only with its own JWKS', async () => {
    await control('SetIssuerType', { Type: 'UPDATED', UserPoolId: MAIN_POOL });
    const t = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    const own = await jwks(`/issuer-cognito-idp/${MAIN_POOL}/.well-known/jwks.json`);
    const pools = await jwks(`/${MAIN_POOL}/.well-known/jwks.json`);
    for (const token of [t.IdToken, t.AccessToken]) {
      if (claims(token).iss !== UPDATED) throw new Error(`iss ${claims(token).iss}`);
      if (!verifies(token, own)) throw new Error('a token does not verify with its issuer\'s JWKS');
      if (verifies(token, pools)) throw new Error('the original issuer\'s JWKS verifies it too');
    }
    const user = await send(cip, new idp.GetUserCommand({ AccessToken: t.AccessToken }));
    if (user.Username !== 'alice') throw new Error(`GetUser ${user.Username}`);
    const logins = { [PROVIDER]: t.IdToken };
    const id = await send(cidc, new cid.GetIdCommand({ IdentityPoolId: IDENTITY_POOL, Logins: logins }));
    await send(cidc, new cid.GetCredentialsForIdentityCommand({ IdentityId: id.IdentityId,
      Logins: logins }));
    await sendError(cidc, new cid.GetIdCommand({ IdentityPoolId: IDENTITY_POOL,
      Logins: { [UPDATED.slice(8)]: t.IdToken } }), cid.NotAuthorizedException, 400);
    await control('Reset', {});
  });

  await check('secondary Region: ChangePassword, ForgotPassword, AssociateSoftwareToken are OperationNotEnabledException', async () => {
    await control('SetReplicaRole', { Role: 'SECONDARY' });
    const t = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    await sendError(cip, new idp.ChangePasswordCommand({ AccessToken: t.AccessToken,
      PreviousPassword: 'Alice-Passw0rd!', ProposedPassword: 'Alice-Passw0rd!2' }),
    idp.OperationNotEnabledException, 400);
    await sendError(cip, new idp.ForgotPasswordCommand({ ClientId: PUBLIC_CLIENT,
      Username: 'alice' }), idp.OperationNotEnabledException, 400);
    await sendError(cip, new idp.AssociateSoftwareTokenCommand({ AccessToken: t.AccessToken }),
      idp.OperationNotEnabledException, 400);
    await control('Reset', {});
  });
}

module.exports = async function multiRegionChecks(endpoint, client) {
  cip = client;
  cidc = makeClient(cid, 'CognitoIdentityClient', endpoint);
  await issuerChecks();
};
