// SDK v3 checks of the identity pool's roles (issue 24 item 8): token-based
// role mapping (cognito:roles, cognito:preferred_role, CustomRoleArn,
// AmbiguousRoleResolution), InvalidIdentityPoolConfigurationException, and
// the basic flow: GetOpenIdToken with @aws-sdk/client-cognito-identity,
// then STS AssumeRoleWithWebIdentity with @aws-sdk/client-sts (the AWS
// query protocol: a form in, XML out), whose reply must hold only members
// the SDK keeps and whose errors must come out as its modeled classes.
'use strict';

const idp = require('@aws-sdk/client-cognito-identity-provider');
const cid = require('@aws-sdk/client-cognito-identity');
const sts = require('@aws-sdk/client-sts');
const { NormalizedSchema } = require('@smithy/core/schema');
const { check, claims, control, errorCatalog } = require('./harness');
const { makeClient, send, sendError } = require('./sdk-model');
const { MAIN_POOL, PUBLIC_CLIENT, expectTokens, passwordLogin } = require('./sdk-v3-steps');

const IDENTITY_POOL = 'us-east-1:11111111-2222-3333-4444-555555555555';
const PROVIDER = `cognito-idp.us-east-1.amazonaws.com/${MAIN_POOL}`;
const ACCOUNT = 'arn:aws:iam::123456789012:role/';
const AUTH_ROLE = `${ACCOUNT}CognitoAuthRole`;
const DEV_ROLE = `${ACCOUNT}DevRole`;
const OPS_ROLE = `${ACCOUNT}OpsRole`;

let cip = null;
let cidc = null;
let stsc = null;

// alice in groups dev and ops with roles; equal precedence: no preferred role.
async function groups(dev, ops) {
  for (const [name, role, precedence] of [['dev', DEV_ROLE, dev], ['ops', OPS_ROLE, ops]]) {
    await send(cip, new idp.CreateGroupCommand({ UserPoolId: MAIN_POOL, GroupName: name,
      RoleArn: role, Precedence: precedence }));
    await send(cip, new idp.AdminAddUserToGroupCommand({ UserPoolId: MAIN_POOL,
      Username: 'alice', GroupName: name }));
  }
}

async function signedIn() {
  const t = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
  const logins = { [PROVIDER]: t.IdToken };
  const id = await send(cidc, new cid.GetIdCommand({ IdentityPoolId: IDENTITY_POOL, Logins: logins }));
  return { t, logins, identityId: id.IdentityId };
}

async function issuedRole(input) {
  await send(cidc, new cid.GetCredentialsForIdentityCommand(input));
  const { Credentials } = await control('IssuedCredentials', {});
  return Credentials[Credentials.length - 1].RoleArn;
}

async function mappingChecks() {
  await check('token role mapping: preferred_role, a CustomRoleArn of cognito:roles, others NotAuthorizedException', async () => {
    await groups(2, 7);
    await control('SetIdentityPoolRoles', { IdentityPoolId: IDENTITY_POOL, RoleMappings: {
      [`${PROVIDER}:${PUBLIC_CLIENT}`]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } } });
    const { t, logins, identityId } = await signedIn();
    const c = claims(t.IdToken);
    if (c['cognito:preferred_role'] !== DEV_ROLE || !c['cognito:roles'].includes(OPS_ROLE)) {
      throw new Error(`role claims ${JSON.stringify(c['cognito:roles'])} ${c['cognito:preferred_role']}`);
    }
    const base = { IdentityId: identityId, Logins: logins };
    if (await issuedRole(base) !== DEV_ROLE) throw new Error('not the preferred role');
    if (await issuedRole({ ...base, CustomRoleArn: OPS_ROLE }) !== OPS_ROLE) {
      throw new Error('not the CustomRoleArn');
    }
    await sendError(cidc, new cid.GetCredentialsForIdentityCommand({ ...base,
      CustomRoleArn: AUTH_ROLE }), cid.NotAuthorizedException, 400);
    await control('Reset', {});
  });

  await check('token role mapping, no preferred role: Deny is NotAuthorizedException, AuthenticatedRole the pool\'s role', async () => {
    await groups(5, 5);
    const mapping = resolution => control('SetIdentityPoolRoles', { IdentityPoolId: IDENTITY_POOL,
      RoleMappings: { [`${PROVIDER}:${PUBLIC_CLIENT}`]: { Type: 'Token',
        AmbiguousRoleResolution: resolution } } });
    await mapping('Deny');
    const { logins, identityId } = await signedIn();
    const err = await sendError(cidc, new cid.GetCredentialsForIdentityCommand({
      IdentityId: identityId, Logins: logins }), cid.NotAuthorizedException, 400);
    if (!/ambiguous role mapping rules/.test(err.message)) throw new Error(err.message);
    await mapping('AuthenticatedRole');
    if (await issuedRole({ IdentityId: identityId, Logins: logins }) !== AUTH_ROLE) {
      throw new Error('not the authenticated role');
    }
    await control('Reset', {});
  });

  await check('no authenticated role: InvalidIdentityPoolConfigurationException', async () => {
    await control('SetIdentityPoolRoles', { IdentityPoolId: IDENTITY_POOL,
      Roles: { authenticated: null } });
    const { logins, identityId } = await signedIn();
    await sendError(cidc, new cid.GetCredentialsForIdentityCommand({ IdentityId: identityId,
      Logins: logins }), cid.InvalidIdentityPoolConfigurationException, 400);
    await control('Reset', {});
  });
}

// Leaf elements of the XML answer (name -> text); the SDK's output must
// hold each of them somewhere, or it dropped a member it does not model.
function xmlLeaves(xml) {
  const out = {};
  for (const m of xml.matchAll(/<([A-Za-z]+)>([^<]*)<\/\1>/g)) out[m[1]] = m[2];
  return out;
}

function outputLeaves(value, out = {}) {
  for (const [k, v] of Object.entries(value)) {
    if (k === '$metadata') continue;
    if (v instanceof Date || typeof v !== 'object') out[k] = v;
    else outputLeaves(v, out);
  }
  return out;
}

async function assumeRole(input) {
  const out = await stsc.send(new sts.AssumeRoleWithWebIdentityCommand(input));
  const rec = stsc.recorder.last;
  if (rec.signed) throw new Error('the SDK signed AssumeRoleWithWebIdentity');
  if (rec.status !== 200 || !/^text\/xml/.test(rec.headers['content-type'] || '')) {
    throw new Error(`HTTP ${rec.status} ${rec.headers['content-type']}`);
  }
  const parsed = outputLeaves(out);
  const dropped = Object.keys(xmlLeaves(rec.body)).filter(k => k !== 'RequestId' && !(k in parsed));
  if (dropped.length) throw new Error(`the SDK dropped ${dropped.join(', ')}`);
  return out;
}

async function stsError(input, ErrorClass, name, status) {
  let err = null;
  try {
    await stsc.send(new sts.AssumeRoleWithWebIdentityCommand(input));
  } catch (e) {
    err = e;
  }
  if (!err) throw new Error(`succeeded, expected ${name}`);
  if (!(err instanceof ErrorClass) || err.name !== name || err.$metadata.httpStatusCode !== status) {
    throw new Error(`${err.name} (HTTP ${err.$metadata && err.$metadata.httpStatusCode}: ${err.message}), expected ${name} (${status})`);
  }
  return err;
}

async function basicFlowChecks() {
  await check('basic flow: GetOpenIdToken, then STS AssumeRoleWithWebIdentity as @aws-sdk/client-sts models it', async () => {
    await control('SetIdentityPoolRoles', { IdentityPoolId: IDENTITY_POOL, AllowClassicFlow: true,
      TrustedRoleArns: [AUTH_ROLE, DEV_ROLE] });
    const { logins, identityId } = await signedIn();
    const oid = await send(cidc, new cid.GetOpenIdTokenCommand({ IdentityId: identityId, Logins: logins }));
    if (oid.IdentityId !== identityId || claims(oid.Token).aud !== IDENTITY_POOL) {
      throw new Error(`GetOpenIdToken ${JSON.stringify(oid)}`);
    }
    const out = await assumeRole({ RoleArn: DEV_ROLE, RoleSessionName: 'pam_cognito-alice',
      WebIdentityToken: oid.Token, DurationSeconds: 3600 });
    const c = out.Credentials;
    if (!/^ASIA/.test(c.AccessKeyId) || !c.SecretAccessKey || !c.SessionToken
        || !(c.Expiration instanceof Date) || Math.abs(c.Expiration - Date.now() - 3600e3) > 120e3) {
      throw new Error(`Credentials ${JSON.stringify(c)}`);
    }
    if (!/^arn:aws:sts::123456789012:assumed-role\/DevRole\/pam_cognito-alice$/.test(out.AssumedRoleUser.Arn)
        || out.SubjectFromWebIdentityToken !== identityId || out.Audience !== IDENTITY_POOL
        || out.Provider !== 'cognito-identity.amazonaws.com') {
      throw new Error(`AssumeRoleWithWebIdentity ${JSON.stringify(out)}`);
    }
  });

  await check('STS errors: InvalidIdentityTokenException, AccessDenied (403), ExpiredTokenException', async () => {
    await control('SetIdentityPoolRoles', { IdentityPoolId: IDENTITY_POOL, AllowClassicFlow: true,
      TrustedRoleArns: [AUTH_ROLE, DEV_ROLE] });
    const { logins, identityId } = await signedIn();
    const oid = await send(cidc, new cid.GetOpenIdTokenCommand({ IdentityId: identityId, Logins: logins }));
    const input = { RoleArn: DEV_ROLE, RoleSessionName: 'pam_cognito-alice', WebIdentityToken: oid.Token };
    await stsError({ ...input, WebIdentityToken: 'not.a.token' }, sts.InvalidIdentityTokenException,
      'InvalidIdentityTokenException', 400);
    await stsError({ ...input, RoleArn: OPS_ROLE }, sts.STSServiceException, 'AccessDenied', 403);
    await control('AdvanceClock', { Seconds: 601 });
    await stsError(input, sts.ExpiredTokenException, 'ExpiredTokenException', 400);
    await control('Reset', {});
  });

  await check('GetOpenIdToken without the basic flow allowed: InvalidParameterException', async () => {
    const { logins, identityId } = await signedIn();
    await sendError(cidc, new cid.GetOpenIdTokenCommand({ IdentityId: identityId, Logins: logins }),
      cid.InvalidParameterException, 400);
  });
}

// The STS SDK's exception class for a wire code and the HTTP status its
// model gives (the awsQueryError trait), or null.
function stsException(code) {
  for (const [name, schema] of Object.entries(sts)) {
    if (!name.endsWith('Exception$')) continue;
    const q = NormalizedSchema.of(schema).getMergedTraits().awsQueryError;
    if (q && q[0] === code) return { ErrorClass: sts[name.slice(0, -1)], status: q[1] };
  }
  return null;
}

async function stsCatalogChecks() {
  const catalog = errorCatalog('STS_ERRORS');
  for (const op of Object.keys(catalog)) {
    await check(`STS ${op}: each error code of the catalog is the STS SDK's modeled exception, with its status`, async () => {
      if (op !== 'AssumeRoleWithWebIdentity') throw new Error(`no STS input for ${op} here`);
      const input = { RoleArn: DEV_ROLE, RoleSessionName: 'pam_cognito-alice',
        WebIdentityToken: 'x.y.z' };
      for (const code of catalog[op]) {
        const modeled = stsException(code);
        if (!modeled) throw new Error(`${code}: no exception of the STS model has this code`);
        await control('SetFault', { Operation: op, Kind: 'error', ErrorType: code,
          Message: `injected ${code}` });
        const err = await stsError(input, modeled.ErrorClass, modeled.ErrorClass.name, modeled.status);
        if (err.message !== `injected ${code}`) throw new Error(`${code}: message ${err.message}`);
        if (!/^text\/xml/.test(stsc.recorder.last.headers['content-type'] || '')) {
          throw new Error(`${code}: answered ${stsc.recorder.last.headers['content-type']}`);
        }
      }
    });
  }
  await control('ClearFaults', {});
}

module.exports = async function roleChecks(endpoint, client, identityClient) {
  cip = client;
  cidc = identityClient;
  stsc = makeClient(sts, 'STSClient', endpoint);
  await control('Reset', {});
  await mappingChecks();
  await basicFlowChecks();
  await stsCatalogChecks();
  await control('Reset', {});
};
