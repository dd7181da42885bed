// SDK v3 check of answers in moto's style (issue 24 item 9: text/html, the
// connection closed after each), which the SDK must read as it reads AWS's.
'use strict';

const idp = require('@aws-sdk/client-cognito-identity-provider');
const cid = require('@aws-sdk/client-cognito-identity');
const { check, control } = require('./harness');
const { send, sendError } = require('./sdk-model');
const { MAIN_POOL, PUBLIC_CLIENT, expectTokens, passwordLogin } = require('./sdk-v3-steps');

const IDENTITY_POOL = 'us-east-1:11111111-2222-3333-4444-555555555555';
const PROVIDER = `cognito-idp.us-east-1.amazonaws.com/${MAIN_POOL}`;

let cip = null;
let cidc = null;

function expectMotoStyle(client) {
  const h = client.recorder.last.headers;
  if (!/^text\/html/.test(h['content-type'] || '') || (h.connection || '') !== 'close') {
    throw new Error(`answered with Content-Type ${h['content-type']}, Connection ${h.connection}`);
  }
}

async function motoChecks() {
  await check('moto-style answers (text/html, Connection: close): the SDK reads replies and errors alike', async () => {
    await control('SetReplyStyle', { Style: 'moto', Services: 'all' });
    try {
      const t = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
      expectMotoStyle(cip);
      const logins = { [PROVIDER]: t.IdToken };
      const id = await send(cidc, new cid.GetIdCommand({ IdentityPoolId: IDENTITY_POOL,
        Logins: logins }));
      expectMotoStyle(cidc);
      await send(cidc, new cid.GetCredentialsForIdentityCommand({ IdentityId: id.IdentityId,
        Logins: logins }));
      expectMotoStyle(cidc);
      await sendError(cidc, new cid.GetIdCommand({ IdentityPoolId: IDENTITY_POOL,
        Logins: { [PROVIDER]: 'not.a.token' } }), cid.NotAuthorizedException, 400);
      expectMotoStyle(cidc);
      await sendError(cip, new idp.InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: PUBLIC_CLIENT, AuthParameters: { USERNAME: 'alice', PASSWORD: 'Wrong-1!' } }),
      idp.NotAuthorizedException, 400);
      expectMotoStyle(cip);
    } finally {
      await control('Reset', {});
    }
  });
}

module.exports = async function motoStyleChecks(client, identityClient) {
  cip = client;
  cidc = identityClient;
  await motoChecks();
};
