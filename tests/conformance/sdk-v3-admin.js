// SDK v3 checks of the signed calls (pam_cognito-sync's ListGroups,
// ListUsersInGroup, ListUserPoolClients, DescribeUserPoolClient and the
// admin calls the emulator serves), the identity pool's GetId and
// GetCredentialsForIdentity (the module and the credentials helper), and
// every error type of the emulator's catalog, as the SDK parses it.
'use strict';

const idp = require('@aws-sdk/client-cognito-identity-provider');
const cid = require('@aws-sdk/client-cognito-identity');
const { check, control, errorCatalog } = require('./harness');
const { makeClient, send, sendError } = require('./sdk-model');
const { MAIN_POOL, PUBLIC_CLIENT, expectTokens, passwordLogin, statusOf } = require('./sdk-v3-steps');

const IDENTITY_POOL = 'us-east-1:11111111-2222-3333-4444-555555555555';
const PROVIDER = `cognito-idp.us-east-1.amazonaws.com/${MAIN_POOL}`;

let cip = null;
let cidc = null;

async function syncChecks(endpoint) {
  await check('signed ListGroups and ListUsersInGroup (pam_cognito-sync), paginated as modeled', async () => {
    const groups = await send(cip, new idp.ListGroupsCommand({ UserPoolId: MAIN_POOL }));
    const names = groups.Groups.map(g => g.GroupName);
    if (!names.includes('users') || !(groups.Groups[0].CreationDate instanceof Date)) {
      throw new Error(`ListGroups ${JSON.stringify(groups.Groups)}`);
    }
    if (!cip.recorder.last.signed) throw new Error('the SDK did not sign ListGroups');
    const page = await send(cip, new idp.ListUsersInGroupCommand({ UserPoolId: MAIN_POOL,
      GroupName: 'users', Limit: 1 }));
    if (page.Users.length !== 1 || typeof page.NextToken !== 'string') {
      throw new Error(`first page ${JSON.stringify(page)}`);
    }
    const rest = await send(cip, new idp.ListUsersInGroupCommand({ UserPoolId: MAIN_POOL,
      GroupName: 'users', NextToken: page.NextToken }));
    const users = page.Users.concat(rest.Users).map(u => u.Username).sort();
    if (JSON.stringify(users) !== '["alice","bob"]' || rest.NextToken !== undefined) {
      throw new Error(`members ${JSON.stringify(users)}`);
    }
    const u = page.Users[0];
    if (!Object.values(idp.UserStatusType).includes(u.UserStatus) || u.Enabled !== true) {
      throw new Error(`UserType ${JSON.stringify(u)}`);
    }
    await sendError(cip, new idp.ListUsersInGroupCommand({ UserPoolId: MAIN_POOL,
      GroupName: 'nosuchgroup' }), idp.ResourceNotFoundException, 400);
  });

  await check('signed ListUserPoolClients and DescribeUserPoolClient (WriteAttributes)', async () => {
    const listed = await send(cip, new idp.ListUserPoolClientsCommand({ UserPoolId: MAIN_POOL,
      MaxResults: 60 }));
    if (!listed.UserPoolClients.some(c => c.ClientId === PUBLIC_CLIENT)) {
      throw new Error(`ListUserPoolClients ${JSON.stringify(listed)}`);
    }
    const d = await send(cip, new idp.DescribeUserPoolClientCommand({ UserPoolId: MAIN_POOL,
      ClientId: PUBLIC_CLIENT }));
    if (d.UserPoolClient.ClientId !== PUBLIC_CLIENT) throw new Error(JSON.stringify(d));
    await sendError(cip, new idp.DescribeUserPoolClientCommand({ UserPoolId: MAIN_POOL,
      ClientId: 'nosuchclient0000000000000001' }), idp.ResourceNotFoundException, 400);
  });

  await check('a signed call with an unknown key: the SDK names UnrecognizedClientException', async () => {
    const stranger = makeClient(idp, 'CognitoIdentityProviderClient', endpoint,
      { accessKeyId: 'AKIANOTKNOWN00000000', secretAccessKey: 'not/known/secret/key/0000000000000000' });
    let err = null;
    try {
      await stranger.send(new idp.ListGroupsCommand({ UserPoolId: MAIN_POOL }));
    } catch (e) {
      err = e;
    }
    if (!err || err.name !== 'UnrecognizedClientException'
        || !(err instanceof idp.CognitoIdentityProviderServiceException)) {
      throw new Error(`got ${err ? `${err.name}: ${err.message}` : 'success'}`);
    }
  });

  await check('admin calls the tests use: AdminGetUser, AdminListGroupsForUser as modeled', async () => {
    const u = await send(cip, new idp.AdminGetUserCommand({ UserPoolId: MAIN_POOL, Username: 'bob' }));
    if (u.Username !== 'bob' || !(u.UserCreateDate instanceof Date)) throw new Error(JSON.stringify(u));
    const g = await send(cip, new idp.AdminListGroupsForUserCommand({ UserPoolId: MAIN_POOL,
      Username: 'bob' }));
    if (g.Groups.map(x => x.GroupName).sort().join() !== 'admins,users') throw new Error(JSON.stringify(g));
    await sendError(cip, new idp.AdminGetUserCommand({ UserPoolId: MAIN_POOL,
      Username: 'nosuchuser' }), idp.UserNotFoundException, 400);
  });
}

async function identityChecks() {
  await check('GetId and GetCredentialsForIdentity (unsigned): IdentityId and Credentials as modeled', async () => {
    const t = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    const logins = { [PROVIDER]: t.IdToken };
    const id = await send(cidc, new cid.GetIdCommand({ IdentityPoolId: IDENTITY_POOL, Logins: logins }));
    if (cidc.recorder.last.signed) throw new Error('the SDK signed GetId');
    if (!/^us-east-1:[0-9a-f-]{36}$/.test(id.IdentityId)) throw new Error(`IdentityId ${id.IdentityId}`);
    const out = await send(cidc, new cid.GetCredentialsForIdentityCommand({
      IdentityId: id.IdentityId, Logins: logins }));
    const c = out.Credentials;
    if (out.IdentityId !== id.IdentityId || !/^ASIA/.test(c.AccessKeyId) || !c.SecretKey
        || !c.SessionToken || !(c.Expiration instanceof Date) || c.Expiration <= new Date()) {
      throw new Error(`Credentials ${JSON.stringify(out)}`);
    }
  });

  await check('identity pool errors: NotAuthorizedException, ResourceNotFoundException, InvalidParameterException', async () => {
    const t = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    await sendError(cidc, new cid.GetIdCommand({ IdentityPoolId: IDENTITY_POOL,
      Logins: { [PROVIDER]: 'not.a.token' } }), cid.NotAuthorizedException, 400);
    await sendError(cidc, new cid.GetIdCommand({ IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
      Logins: { [PROVIDER]: t.IdToken } }), cid.ResourceNotFoundException, 400);
    const logins = { [PROVIDER]: t.IdToken };
    const id = await send(cidc, new cid.GetIdCommand({ IdentityPoolId: IDENTITY_POOL, Logins: logins }));
    await sendError(cidc, new cid.GetCredentialsForIdentityCommand({ IdentityId: id.IdentityId,
      Logins: logins, CustomRoleArn: 'arn:aws:iam::123456789012:role/NotAllowed' }),
    cid.InvalidParameterException, 400);
  });
}

const ANY_DEVICE = 'us-east-1_00000000-0000-4000-8000-000000000000';
// A model-valid input for each operation of the catalog (the fault answers
// before the emulator looks at it).
const INPUTS = {
  InitiateAuth: { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: PUBLIC_CLIENT },
  RespondToAuthChallenge: { ChallengeName: 'SMS_MFA', ClientId: PUBLIC_CLIENT },
  ChangePassword: { ProposedPassword: 'x', AccessToken: 'x' },
  ForgotPassword: { ClientId: PUBLIC_CLIENT, Username: 'alice' },
  ConfirmForgotPassword: { ClientId: PUBLIC_CLIENT, Username: 'alice', ConfirmationCode: '1',
    Password: 'x' },
  AssociateSoftwareToken: { Session: 'x' },
  VerifySoftwareToken: { UserCode: '123456', Session: 'x' },
  RevokeToken: { Token: 'x', ClientId: PUBLIC_CLIENT },
  GlobalSignOut: { AccessToken: 'x' },
  GetTokensFromRefreshToken: { RefreshToken: 'x', ClientId: PUBLIC_CLIENT },
  ConfirmDevice: { AccessToken: 'x', DeviceKey: ANY_DEVICE },
  UpdateDeviceStatus: { AccessToken: 'x', DeviceKey: ANY_DEVICE },
  ListDevices: { AccessToken: 'x' },
  GetDevice: { DeviceKey: ANY_DEVICE, AccessToken: 'x' },
  ForgetDevice: { DeviceKey: ANY_DEVICE, AccessToken: 'x' },
  AdminListDevices: { UserPoolId: MAIN_POOL, Username: 'alice' },
  AdminGetDevice: { DeviceKey: ANY_DEVICE, UserPoolId: MAIN_POOL, Username: 'alice' },
  AdminUpdateDeviceStatus: { UserPoolId: MAIN_POOL, Username: 'alice', DeviceKey: ANY_DEVICE },
  AdminForgetDevice: { UserPoolId: MAIN_POOL, Username: 'alice', DeviceKey: ANY_DEVICE },
  GetUser: { AccessToken: 'x' },
  SetUserMFAPreference: { AccessToken: 'x' },
  ListGroups: { UserPoolId: MAIN_POOL },
  ListUsersInGroup: { UserPoolId: MAIN_POOL, GroupName: 'users' },
  ListUserPoolClients: { UserPoolId: MAIN_POOL },
  DescribeUserPoolClient: { UserPoolId: MAIN_POOL, ClientId: PUBLIC_CLIENT },
  GetId: { IdentityPoolId: IDENTITY_POOL },
  GetCredentialsForIdentity: { IdentityId: 'us-east-1:00000000-0000-4000-8000-000000000000' },
  GetOpenIdToken: { IdentityId: 'us-east-1:00000000-0000-4000-8000-000000000000' },
  // the passkey tool's calls
  StartWebAuthnRegistration: { AccessToken: 'x' },
  CompleteWebAuthnRegistration: { AccessToken: 'x', Credential: {} },
  ListWebAuthnCredentials: { AccessToken: 'x' },
  DeleteWebAuthnCredential: { AccessToken: 'x', CredentialId: 'x' },
};

// The SDK package and client that model op: the user pool's or the
// identity pool's.
function modelOf(op) {
  if (idp[`${op}Command`]) return [idp, cip];
  if (cid[`${op}Command`]) return [cid, cidc];
  return [null, null];
}

async function catalogChecks() {
  const catalog = errorCatalog('ERRORS');
  for (const op of Object.keys(catalog)) {
    await check(`${op}: each error type of the catalog is the SDK's modeled exception`, async () => {
      const [pkg, client] = modelOf(op);
      if (!pkg || !INPUTS[op]) throw new Error(`no SDK command or input for ${op} here`);
      const Command = pkg[`${op}Command`];
      for (const type of catalog[op]) {
        const ErrorClass = pkg[type];
        if (typeof ErrorClass !== 'function') throw new Error(`${type}: not in the SDK's model`);
        await control('SetFault', { Operation: op, Kind: 'error', ErrorType: type,
          Message: `injected ${type}` });
        const err = await sendError(client, new Command(INPUTS[op]), ErrorClass, statusOf(ErrorClass));
        if (err.message !== `injected ${type}`) throw new Error(`${type}: message ${err.message}`);
      }
    });
  }
  await control('ClearFaults', {});
}

module.exports = async function adminChecks(endpoint, client, identityClient) {
  cip = client;
  cidc = identityClient;
  await syncChecks(endpoint);
  await identityChecks();
  await catalogChecks();
};
