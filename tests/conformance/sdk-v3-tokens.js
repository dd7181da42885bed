// SDK v3 checks of what follows a sign-in: token renewal (REFRESH_TOKEN_AUTH,
// GetTokensFromRefreshToken with rotation), RevokeToken, the calls a
// signed-in user makes (ChangePassword, GetUser, SetUserMFAPreference,
// GlobalSignOut), the password reset (ForgotPassword, ConfirmForgotPassword)
// and the device calls (ConfirmDevice, UpdateDeviceStatus, device SRP).
'use strict';

const idp = require('@aws-sdk/client-cognito-identity-provider');
const { check, control } = require('./harness');
const { send, sendError } = require('./sdk-model');
const {
  MAIN_POOL, PUBLIC_CLIENT, clientSecret, deviceLogin, deviceVerifier, expectChallenge,
  expectTokens, initiate, passwordLogin, secretHash, srpLogin,
} = require('./sdk-v3-steps');

const SECRET_CLIENT = 'secretclient0000000000000001';
const ROTATION_CLIENT = 'rotationclient00000000000001';
const ROTATION_SECRET = 'rotationsecret00000000000001';
const DEV_POOL = 'us-east-1_DevAlways';
const DEV_CLIENT = 'devicesclient000000000000001';

let cip = null;

function refreshAuth(token, clientId = PUBLIC_CLIENT, extra = {}) {
  return initiate('REFRESH_TOKEN_AUTH', clientId, { REFRESH_TOKEN: token, ...extra });
}

function getTokens(input) {
  return new idp.GetTokensFromRefreshTokenCommand(input);
}

function expectEmpty(out, op) {
  const keys = Object.keys(out).filter(k => k !== '$metadata');
  if (keys.length) throw new Error(`${op} answered ${keys.join(', ')}; the model has no members`);
}

async function renewalChecks() {
  await check('InitiateAuth REFRESH_TOKEN_AUTH: new ID and access tokens, no refresh token', async () => {
    const first = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    expectTokens(await send(cip, refreshAuth(first.RefreshToken)), { refresh: false });
    const bob = expectTokens(await passwordLogin('bob', 'Bob-Passw0rd!', SECRET_CLIENT));
    expectTokens(await send(cip, refreshAuth(bob.RefreshToken, SECRET_CLIENT,
      { SECRET_HASH: secretHash('bob', SECRET_CLIENT) })), { refresh: false });
    const err = await sendError(cip, refreshAuth('forged-refresh-token'),
      idp.NotAuthorizedException, 400);
    if (err.message !== 'Invalid Refresh Token.') throw new Error(err.message);
  });

  await check('GetTokensFromRefreshToken with rotation: a new refresh token; the old one then RefreshTokenReuseException', async () => {
    const first = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!', ROTATION_CLIENT));
    const next = expectTokens(await send(cip, getTokens({ RefreshToken: first.RefreshToken,
      ClientId: ROTATION_CLIENT, ClientMetadata: { source: 'conformance' } })));
    if (next.RefreshToken === first.RefreshToken) throw new Error('the refresh token did not rotate');
    await control('AdvanceClock', { Seconds: 11 });
    await sendError(cip, getTokens({ RefreshToken: first.RefreshToken, ClientId: ROTATION_CLIENT }),
      idp.RefreshTokenReuseException, 400);
    expectTokens(await send(cip, getTokens({ RefreshToken: next.RefreshToken,
      ClientId: ROTATION_CLIENT })));
  });

  await check('GetTokensFromRefreshToken with ClientSecret; without it NotAuthorizedException', async () => {
    const first = expectTokens(await passwordLogin('bob', 'Bob-Passw0rd!', ROTATION_SECRET));
    await sendError(cip, getTokens({ RefreshToken: first.RefreshToken, ClientId: ROTATION_SECRET }),
      idp.NotAuthorizedException, 400);
    expectTokens(await send(cip, getTokens({ RefreshToken: first.RefreshToken,
      ClientId: ROTATION_SECRET, ClientSecret: clientSecret(ROTATION_SECRET) })));
  });

  await check('InitiateAuth REFRESH_TOKEN_AUTH on a rotating client is refused as modeled', async () => {
    const first = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!', ROTATION_CLIENT));
    await sendError(cip, refreshAuth(first.RefreshToken, ROTATION_CLIENT),
      idp.InvalidParameterException, 400);
  });

  await check('GetTokensFromRefreshToken with rotation: the new token runs out when the one it replaced would have', async () => {
    await control('SetOptions', { RefreshTokenTtlSeconds: 3600 });
    try {
      const first = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!', ROTATION_CLIENT));
      await control('AdvanceClock', { Seconds: 3000 });
      const next = expectTokens(await send(cip, getTokens({ RefreshToken: first.RefreshToken,
        ClientId: ROTATION_CLIENT })));
      await control('AdvanceClock', { Seconds: 601 });
      const err = await sendError(cip, getTokens({ RefreshToken: next.RefreshToken,
        ClientId: ROTATION_CLIENT }), idp.NotAuthorizedException, 400);
      if (err.message !== 'Refresh Token has expired') throw new Error(err.message);
    } finally {
      await control('Reset', {});
    }
  });

  await check('a server without GetTokensFromRefreshToken: the SDK names UnknownOperationException (HTTP 400)', async () => {
    try {
      await control('SetUnservedOperations', { Operations: ['GetTokensFromRefreshToken'] });
      let err = null;
      try {
        await cip.send(getTokens({ RefreshToken: 'x', ClientId: ROTATION_CLIENT }));
      } catch (e) {
        err = e;
      }
      if (!err || err.name !== 'UnknownOperationException'
          || !(err instanceof idp.CognitoIdentityProviderServiceException)
          || err.$metadata.httpStatusCode !== 400) {
        throw new Error(`got ${err ? `${err.name} (HTTP ${err.$metadata.httpStatusCode})` : 'success'}`);
      }
    } finally {
      await control('Reset', {});
    }
  });

  await check('RevokeToken: {} and the token is then revoked; a JWT is UnsupportedTokenTypeException', async () => {
    const first = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    await sendError(cip, new idp.RevokeTokenCommand({ Token: first.AccessToken,
      ClientId: PUBLIC_CLIENT }), idp.UnsupportedTokenTypeException, 400);
    expectEmpty(await send(cip, new idp.RevokeTokenCommand({ Token: first.RefreshToken,
      ClientId: PUBLIC_CLIENT })), 'RevokeToken');
    const err = await sendError(cip, refreshAuth(first.RefreshToken), idp.NotAuthorizedException, 400);
    if (err.message !== 'Refresh Token has been revoked') throw new Error(err.message);
  });

  await check('RevokeToken: a client with a secret, without ClientSecret, is UnauthorizedException', async () => {
    const first = expectTokens(await passwordLogin('bob', 'Bob-Passw0rd!', SECRET_CLIENT));
    await sendError(cip, new idp.RevokeTokenCommand({ Token: first.RefreshToken,
      ClientId: SECRET_CLIENT }), idp.UnauthorizedException, 400);
    expectEmpty(await send(cip, new idp.RevokeTokenCommand({ Token: first.RefreshToken,
      ClientId: SECRET_CLIENT, ClientSecret: clientSecret(SECRET_CLIENT) })), 'RevokeToken');
  });
}

async function accountChecks() {
  await check('GetUser and SetUserMFAPreference with the access token', async () => {
    const t = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    const user = await send(cip, new idp.GetUserCommand({ AccessToken: t.AccessToken }));
    const sub = user.UserAttributes.find(a => a.Name === 'sub');
    if (user.Username !== 'alice' || !sub || sub.Value !== 'a11ce000-0000-4000-8000-000000000001') {
      throw new Error(`GetUser: ${JSON.stringify(user)}`);
    }
    expectEmpty(await send(cip, new idp.SetUserMFAPreferenceCommand({ AccessToken: t.AccessToken,
      SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false } })), 'SetUserMFAPreference');
    await sendError(cip, new idp.GetUserCommand({ AccessToken: 'not-a-token' }),
      idp.NotAuthorizedException, 400);
  });

  await check('ChangePassword: InvalidPasswordException, NotAuthorizedException, then {}', async () => {
    const t = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    const change = (previous, proposed) => new idp.ChangePasswordCommand({
      PreviousPassword: previous, ProposedPassword: proposed, AccessToken: t.AccessToken });
    await sendError(cip, change('Alice-Passw0rd!', 'weakpassword'), idp.InvalidPasswordException, 400);
    await sendError(cip, change('Wrong-Passw0rd!', 'Alice-Passw0rd2!'), idp.NotAuthorizedException, 400);
    expectEmpty(await send(cip, change('Alice-Passw0rd!', 'Alice-Passw0rd2!')), 'ChangePassword');
    expectTokens(await srpLogin('alice', 'Alice-Passw0rd2!'));
    await control('Reset', {});
  });

  await check('ForgotPassword: CodeDeliveryDetails; ConfirmForgotPassword: CodeMismatchException, then {}', async () => {
    const sent = await send(cip, new idp.ForgotPasswordCommand({ ClientId: SECRET_CLIENT,
      Username: 'alice', SecretHash: secretHash('alice', SECRET_CLIENT) }));
    const d = sent.CodeDeliveryDetails;
    if (!d || d.DeliveryMedium !== idp.DeliveryMediumType.EMAIL || d.AttributeName !== 'email'
        || !/^a\*+@/.test(d.Destination)) {
      throw new Error(`CodeDeliveryDetails ${JSON.stringify(d)}`);
    }
    const { Code } = await control('GetLastCode', { UserPoolId: MAIN_POOL, Username: 'alice' });
    const confirm = (code, password) => new idp.ConfirmForgotPasswordCommand({
      ClientId: SECRET_CLIENT, Username: 'alice', ConfirmationCode: code, Password: password,
      SecretHash: secretHash('alice', SECRET_CLIENT) });
    const wrong = String((parseInt(Code, 10) + 1) % 1000000).padStart(6, '0');
    await sendError(cip, confirm(wrong, 'Alice-Passw0rd3!'), idp.CodeMismatchException, 400);
    await sendError(cip, confirm(Code, 'weakpassword'), idp.InvalidPasswordException, 400);
    expectEmpty(await send(cip, confirm(Code, 'Alice-Passw0rd3!')), 'ConfirmForgotPassword');
    await sendError(cip, confirm(Code, 'Alice-Passw0rd4!'), idp.ExpiredCodeException, 400);
    expectTokens(await srpLogin('alice', 'Alice-Passw0rd3!'));
    await sendError(cip, new idp.ForgotPasswordCommand({ ClientId: PUBLIC_CLIENT,
      Username: 'nosuchuser' }), idp.UserNotFoundException, 400);
    await control('Reset', {});
  });

  await check('GlobalSignOut: {}; the refresh token and the access token are then refused', async () => {
    const t = expectTokens(await passwordLogin('alice', 'Alice-Passw0rd!'));
    expectEmpty(await send(cip, new idp.GlobalSignOutCommand({ AccessToken: t.AccessToken })),
      'GlobalSignOut');
    await sendError(cip, refreshAuth(t.RefreshToken), idp.NotAuthorizedException, 400);
    await sendError(cip, new idp.GetUserCommand({ AccessToken: t.AccessToken }),
      idp.NotAuthorizedException, 400);
  });
}

// devsms signs in with an SMS code in the "Always" pool and gets
// NewDeviceMetadata; resolves with the tokens.
async function smsDeviceLogin() {
  const first = await passwordLogin('devsms', 'DevSms-Passw0rd1!', DEV_CLIENT);
  expectChallenge(first, 'SMS_MFA');
  const { Code } = await control('GetLastCode', { UserPoolId: DEV_POOL, Username: 'devsms' });
  return expectTokens(await send(cip, new idp.RespondToAuthChallengeCommand({
    ChallengeName: 'SMS_MFA', ClientId: DEV_CLIENT, Session: first.Session,
    ChallengeResponses: { USERNAME: 'devsms', SMS_MFA_CODE: Code } })));
}

async function deviceChecks() {
  let device = null;
  let tokens = null;

  await check('an unconfirmed device: NewDeviceMetadata\'s key renews without ConfirmDevice; without it NotAuthorizedException', async () => {
    const t = await smsDeviceLogin();
    const key = t.NewDeviceMetadata && t.NewDeviceMetadata.DeviceKey;
    if (!key) throw new Error('no NewDeviceMetadata');
    expectTokens(await send(cip, getTokens({ RefreshToken: t.RefreshToken, ClientId: DEV_CLIENT,
      DeviceKey: key })), { refresh: false });
    expectTokens(await send(cip, refreshAuth(t.RefreshToken, DEV_CLIENT, { DEVICE_KEY: key })),
      { refresh: false });
    const err = await sendError(cip, getTokens({ RefreshToken: t.RefreshToken,
      ClientId: DEV_CLIENT }), idp.NotAuthorizedException, 400);
    if (err.message !== 'Invalid Refresh Token.') throw new Error(err.message);
  });
  await check('NewDeviceMetadata, ConfirmDevice (UserConfirmationNecessary), DeviceKeyExistsException', async () => {
    tokens = await smsDeviceLogin();
    const meta = tokens.NewDeviceMetadata;
    if (!meta || !/^us-east-1_[0-9a-f-]{36}$/.test(meta.DeviceKey) || !meta.DeviceGroupKey) {
      throw new Error(`NewDeviceMetadata ${JSON.stringify(meta)}`);
    }
    device = await deviceVerifier(meta);
    const confirm = new idp.ConfirmDeviceCommand({ AccessToken: tokens.AccessToken,
      DeviceKey: device.key, DeviceSecretVerifierConfig: device.config, DeviceName: 'conformance' });
    const out = await send(cip, confirm);
    if (out.UserConfirmationNecessary !== false) {
      throw new Error(`UserConfirmationNecessary ${out.UserConfirmationNecessary} in an "Always" pool`);
    }
    await sendError(cip, confirm, idp.DeviceKeyExistsException, 400);
  });

  await check('UpdateDeviceStatus: {}; an unknown device is ResourceNotFoundException', async () => {
    if (!device) throw new Error('no device from the check before');
    expectEmpty(await send(cip, new idp.UpdateDeviceStatusCommand({ AccessToken: tokens.AccessToken,
      DeviceKey: device.key, DeviceRememberedStatus: idp.DeviceRememberedStatusType.REMEMBERED })),
    'UpdateDeviceStatus');
    await sendError(cip, new idp.UpdateDeviceStatusCommand({ AccessToken: tokens.AccessToken,
      DeviceKey: 'us-east-1_00000000-0000-4000-8000-000000000000',
      DeviceRememberedStatus: 'remembered' }), idp.ResourceNotFoundException, 400);
  });

  await check('USER_SRP_AUTH with DEVICE_KEY: DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, tokens', async () => {
    if (!device) throw new Error('no device from the check before');
    const after = await srpLogin('devsms', 'DevSms-Passw0rd1!', { poolId: DEV_POOL,
      clientId: DEV_CLIENT, device });
    expectChallenge(after, 'DEVICE_SRP_AUTH');
    const t = expectTokens(await deviceLogin(after, 'devsms', device, DEV_CLIENT));
    if (t.NewDeviceMetadata) throw new Error('NewDeviceMetadata for a known device');
  });

  await check('renewal with the device key: REFRESH_TOKEN_AUTH DEVICE_KEY, GetTokensFromRefreshToken DeviceKey', async () => {
    if (!device) throw new Error('no device from the check before');
    expectTokens(await send(cip, refreshAuth(tokens.RefreshToken, DEV_CLIENT,
      { DEVICE_KEY: device.key })), { refresh: false });
    expectTokens(await send(cip, getTokens({ RefreshToken: tokens.RefreshToken,
      ClientId: DEV_CLIENT, DeviceKey: device.key })), { refresh: false });
    await sendError(cip, refreshAuth(tokens.RefreshToken, DEV_CLIENT),
      idp.NotAuthorizedException, 400);
  });

  await check('ListDevices, GetDevice, ForgetDevice: DeviceType as modeled', async () => {
    if (!device) throw new Error('no device from the check before');
    const listed = await send(cip, new idp.ListDevicesCommand({ AccessToken: tokens.AccessToken }));
    if (listed.Devices.length !== 1 || listed.Devices[0].DeviceKey !== device.key) {
      throw new Error(`ListDevices ${JSON.stringify(listed.Devices)}`);
    }
    const got = await send(cip, new idp.GetDeviceCommand({ AccessToken: tokens.AccessToken,
      DeviceKey: device.key }));
    if (!(got.Device.DeviceCreateDate instanceof Date)) throw new Error('DeviceCreateDate not a Date');
    expectEmpty(await send(cip, new idp.ForgetDeviceCommand({ AccessToken: tokens.AccessToken,
      DeviceKey: device.key })), 'ForgetDevice');
    await sendError(cip, new idp.GetDeviceCommand({ AccessToken: tokens.AccessToken,
      DeviceKey: device.key }), idp.ResourceNotFoundException, 400);
  });
  await control('Reset', {});
}

module.exports = async function tokenChecks(client) {
  cip = client;
  await renewalChecks();
  await accountChecks();
  await deviceChecks();
};
