// Passkeys (WebAuthn) through the AWS SDK v3's own commands, against the
// emulator's us-east-1_PasskeyPool: StartWebAuthnRegistration,
// CompleteWebAuthnRegistration, ListWebAuthnCredentials,
// DeleteWebAuthnCredential, and the WEB_AUTHN first factor of USER_AUTH
// (CREDENTIAL_REQUEST_OPTIONS, CREDENTIAL). The authenticator side is
// written here with Node's own crypto (ES256 over P-256), independently of
// the Python test key, so the emulator's checks meet a second client.
'use strict';

const crypto = require('crypto');
const idp = require('@aws-sdk/client-cognito-identity-provider');
const { check, control } = require('./harness');
const { send, sendError } = require('./sdk-model');
const { expectChallenge, expectTokens, initiate, respond, statusOf } = require('./sdk-v3-steps');

const CLIENT = 'passkeyclient000000000000001';
const RP = 'auth.example.com';

const b64u = buf => Buffer.from(buf).toString('base64url');

// The CBOR an attestation object needs (RFC 8949): ints, byte and text
// strings, maps.
function cbor(v) {
  const head = (major, n) => {
    if (n < 24) return Buffer.from([major << 5 | n]);
    if (n < 256) return Buffer.from([major << 5 | 24, n]);
    const b = Buffer.alloc(3); b[0] = major << 5 | 25; b.writeUInt16BE(n, 1); return b;
  };
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (Buffer.isBuffer(v)) return Buffer.concat([head(2, v.length), v]);
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)]);
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}

class NodeKey {
  constructor() { this.count = 0; }

  authData(flags, attested) {
    this.count += 1;
    const count = Buffer.alloc(4); count.writeUInt32BE(this.count);
    const parts = [crypto.createHash('sha256').update(RP).digest(), Buffer.from([flags]), count];
    if (attested) {
      const jwk = this.publicKey.export({ format: 'jwk' });
      const len = Buffer.alloc(2); len.writeUInt16BE(this.id.length);
      parts.push(Buffer.alloc(16), len, this.id, cbor(new Map([[1, 2], [3, -7], [-1, 1],
        [-2, Buffer.from(jwk.x, 'base64url')], [-3, Buffer.from(jwk.y, 'base64url')]])));
    }
    return Buffer.concat(parts);
  }

  register(options) {
    ({ publicKey: this.publicKey, privateKey: this.privateKey } =
      crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    this.id = crypto.randomBytes(16);
    this.userHandle = Buffer.from(options.user.id, 'base64url');
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.create',
      challenge: options.challenge, origin: `https://${options.rp.id}` }));
    const authData = this.authData(0x45, true);
    const att = cbor({ fmt: 'none', attStmt: {}, authData });
    return { id: b64u(this.id), rawId: b64u(this.id), type: 'public-key',
      response: { clientDataJSON: b64u(clientData), attestationObject: b64u(att),
        transports: ['usb'] },
      authenticatorAttachment: 'cross-platform', clientExtensionResults: {} };
  }

  assert(options, { origin = `https://${options.rpId}`, tamper = null } = {}) {
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get',
      challenge: options.challenge, origin }));
    const authData = this.authData(0x05);
    const sig = crypto.sign('sha256', Buffer.concat([authData,
      crypto.createHash('sha256').update(clientData).digest()]), this.privateKey);
    if (tamper) sig[sig.length - 1] ^= 1;
    return JSON.stringify({ id: b64u(this.id), rawId: b64u(this.id), type: 'public-key',
      response: { clientDataJSON: b64u(clientData), authenticatorData: b64u(authData),
        signature: b64u(sig), userHandle: b64u(this.userHandle) },
      clientExtensionResults: {} });
  }
}

async function accessToken(cip) {
  const out = expectTokens(await send(cip, initiate('USER_AUTH', CLIENT,
    { USERNAME: 'alice', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Alice-Passkey1!' })));
  return out.AccessToken;
}

async function webAuthnChallenge(cip) {
  const out = await send(cip, initiate('USER_AUTH', CLIENT,
    { USERNAME: 'alice', PREFERRED_CHALLENGE: 'WEB_AUTHN' }));
  const cp = expectChallenge(out, 'WEB_AUTHN', ['CREDENTIAL_REQUEST_OPTIONS']);
  return { session: out.Session, options: JSON.parse(cp.CREDENTIAL_REQUEST_OPTIONS) };
}

module.exports = async function passkeyChecks(cip) {
  await control('Reset', {});
  const key = new NodeKey();
  let token;

  await check('StartWebAuthnRegistration and CompleteWebAuthnRegistration: modeled replies', async () => {
    token = await accessToken(cip);
    const started = await send(cip, new idp.StartWebAuthnRegistrationCommand({ AccessToken: token }));
    const options = started.CredentialCreationOptions;
    if (options.rp.id !== RP || !options.challenge) throw new Error(JSON.stringify(options));
    await send(cip, new idp.CompleteWebAuthnRegistrationCommand({ AccessToken: token,
      Credential: key.register(options) }));
  });

  await check('CompleteWebAuthnRegistration without a started registration: WebAuthnChallengeNotFoundException', async () => {
    await sendError(cip, new idp.CompleteWebAuthnRegistrationCommand({ AccessToken: token,
      Credential: { id: 'x', rawId: 'x', type: 'public-key',
        response: { clientDataJSON: 'e30', attestationObject: 'oA' } } }),
    idp.WebAuthnChallengeNotFoundException, statusOf(idp.WebAuthnChallengeNotFoundException));
  });

  await check('ListWebAuthnCredentials: the registered passkey with its CreatedAt as a date', async () => {
    const out = await send(cip, new idp.ListWebAuthnCredentialsCommand({ AccessToken: token }));
    if (out.Credentials.length !== 1 || out.Credentials[0].CredentialId !== b64u(key.id) ||
        !(out.Credentials[0].CreatedAt instanceof Date)) throw new Error(JSON.stringify(out));
  });

  await check('USER_AUTH WEB_AUTHN: CREDENTIAL_REQUEST_OPTIONS, a Node-signed CREDENTIAL, tokens', async () => {
    const { session, options } = await webAuthnChallenge(cip);
    if (options.rpId !== RP || options.allowCredentials[0].id !== b64u(key.id)) {
      throw new Error(JSON.stringify(options));
    }
    expectTokens(await send(cip, respond('WEB_AUTHN', CLIENT, session,
      { USERNAME: 'alice', CREDENTIAL: key.assert(options) })));
  });

  await check('WEB_AUTHN: a tampered signature or a foreign origin is NotAuthorizedException', async () => {
    for (const change of [{ tamper: true }, { origin: 'https://evil.example' }]) {
      const { session, options } = await webAuthnChallenge(cip);
      await sendError(cip, respond('WEB_AUTHN', CLIENT, session,
        { USERNAME: 'alice', CREDENTIAL: key.assert(options, change) }),
      idp.NotAuthorizedException, 400);
    }
  });

  await check('DeleteWebAuthnCredential: gone from the list; again is ResourceNotFoundException', async () => {
    await send(cip, new idp.DeleteWebAuthnCredentialCommand({ AccessToken: token,
      CredentialId: b64u(key.id) }));
    const out = await send(cip, new idp.ListWebAuthnCredentialsCommand({ AccessToken: token }));
    if (out.Credentials.length) throw new Error(JSON.stringify(out));
    await sendError(cip, new idp.DeleteWebAuthnCredentialCommand({ AccessToken: token,
      CredentialId: b64u(key.id) }), idp.ResourceNotFoundException, 400);
  });
  await control('Reset', {});
};
