// Choice-based sign-in (USER_AUTH) through the AWS SDK v3's own commands,
// against the emulator's us-east-1_ChoicePool: AvailableChallenges,
// PREFERRED_CHALLENGE, SELECT_CHALLENGE, PASSWORD and PASSWORD_SRP,
// EMAIL_OTP and SMS_OTP as the first factor, ALLOW_USER_AUTH on the app
// client, a user without a password, and each refusal as the SDK's modeled
// exception. Every reply must fit the SDK's model (send()).
'use strict';

const idp = require('@aws-sdk/client-cognito-identity-provider');
const { AuthenticationHelper } = require('amazon-cognito-identity-js');
const { check, claims, control } = require('./harness');
const { send, sendError } = require('./sdk-model');
const {
  PUBLIC_CLIENT, claimSignature, expectChallenge, expectTokens, initiate, largeA, respond,
  secretHash, statusOf,
} = require('./sdk-v3-steps');

const CHOICE_POOL = 'us-east-1_ChoicePool';
const ONLY = 'userauthonly0000000000000001';
const SECRET_ONLY = 'choicesecret0000000000000001';

function lastCode(username) {
  return control('GetLastCode', { UserPoolId: CHOICE_POOL, Username: username })
    .then(r => r.Code);
}

// AvailableChallenges: present, each a ChallengeNameType of the model.
function expectChoice(out, want) {
  expectChallenge(out, 'SELECT_CHALLENGE');
  const got = out.AvailableChallenges || [];
  const known = Object.values(idp.ChallengeNameType);
  for (const c of got) if (!known.includes(c)) throw new Error(`${c} not a ChallengeNameType`);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`AvailableChallenges ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  return out.Session;
}

async function verifier(cip, helper, first, password, clientId) {
  const cp = expectChallenge(first, 'PASSWORD_VERIFIER',
    ['SALT', 'SRP_B', 'SECRET_BLOCK', 'USER_ID_FOR_SRP', 'USERNAME']);
  const { timestamp, sig } = await claimSignature(helper, CHOICE_POOL.split('_')[1],
    cp.USER_ID_FOR_SRP, password, cp);
  return send(cip, respond('PASSWORD_VERIFIER', clientId, first.Session,
    { USERNAME: cp.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: cp.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: sig, TIMESTAMP: timestamp }));
}

module.exports = async function userAuthChecks(cip) {
  await control('Reset', {});

  await check('USER_AUTH without PREFERRED_CHALLENGE: SELECT_CHALLENGE with AvailableChallenges', async () => {
    const out = await send(cip, initiate('USER_AUTH', ONLY, { USERNAME: 'alice' }));
    expectChoice(out, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
    expectChoice(await send(cip, initiate('USER_AUTH', ONLY, { USERNAME: 'nopass' })),
      ['EMAIL_OTP']);
  });

  await check('USER_AUTH PREFERRED_CHALLENGE PASSWORD_SRP with SRP_A, then PASSWORD_VERIFIER', async () => {
    const helper = new AuthenticationHelper(CHOICE_POOL.split('_')[1]);
    const first = await send(cip, initiate('USER_AUTH', ONLY, { USERNAME: 'alice',
      PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: (await largeA(helper)).toString(16) }));
    const r = expectTokens(await verifier(cip, helper, first, 'Alice-Choice1!', ONLY));
    if (claims(r.IdToken)['cognito:username'] !== 'alice') throw new Error('wrong user');
  });

  await check('USER_AUTH PREFERRED_CHALLENGE PASSWORD with SECRET_HASH: tokens in one call', async () => {
    expectTokens(await send(cip, initiate('USER_AUTH', SECRET_ONLY, { USERNAME: 'bob',
      PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Bob-Choice1!',
      SECRET_HASH: secretHash('bob', SECRET_ONLY) })));
    await sendError(cip, initiate('USER_AUTH', ONLY, { USERNAME: 'bob',
      PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong-Choice1!' }),
    idp.NotAuthorizedException, statusOf(idp.NotAuthorizedException));
  });

  await check('SELECT_CHALLENGE ANSWER PASSWORD_SRP, then PASSWORD_VERIFIER', async () => {
    const session = expectChoice(await send(cip, initiate('USER_AUTH', ONLY,
      { USERNAME: 'bob' })), ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const helper = new AuthenticationHelper(CHOICE_POOL.split('_')[1]);
    const first = await send(cip, respond('SELECT_CHALLENGE', ONLY, session,
      { USERNAME: 'bob', ANSWER: 'PASSWORD_SRP', SRP_A: (await largeA(helper)).toString(16) }));
    expectTokens(await verifier(cip, helper, first, 'Bob-Choice1!', ONLY));
  });

  await check('SELECT_CHALLENGE ANSWER EMAIL_OTP: EMAIL_OTP challenge, CodeMismatchException, tokens', async () => {
    const session = expectChoice(await send(cip, initiate('USER_AUTH', ONLY,
      { USERNAME: 'nopass' })), ['EMAIL_OTP']);
    const otp = await send(cip, respond('SELECT_CHALLENGE', ONLY, session,
      { USERNAME: 'nopass', ANSWER: 'EMAIL_OTP' }));
    const cp = expectChallenge(otp, 'EMAIL_OTP',
      ['CODE_DELIVERY_DELIVERY_MEDIUM', 'CODE_DELIVERY_DESTINATION']);
    if (cp.CODE_DELIVERY_DELIVERY_MEDIUM !== 'EMAIL' || cp.CODE_DELIVERY_DESTINATION !== 'n***@e***') {
      throw new Error(JSON.stringify(cp));
    }
    const code = await lastCode('nopass');
    await sendError(cip, respond('EMAIL_OTP', ONLY, otp.Session, { USERNAME: 'nopass',
      EMAIL_OTP_CODE: code === '000000' ? '111111' : '000000' }), idp.CodeMismatchException, 400);
    expectTokens(await send(cip, respond('EMAIL_OTP', ONLY, otp.Session,
      { USERNAME: 'nopass', EMAIL_OTP_CODE: code })));
  });

  await check('USER_AUTH PREFERRED_CHALLENGE SMS_OTP: SMS_OTP challenge and SMS_OTP_CODE', async () => {
    const otp = await send(cip, initiate('USER_AUTH', ONLY,
      { USERNAME: 'smsonly', PREFERRED_CHALLENGE: 'SMS_OTP' }));
    const cp = expectChallenge(otp, 'SMS_OTP', ['CODE_DELIVERY_DESTINATION']);
    if (cp.CODE_DELIVERY_DELIVERY_MEDIUM !== 'SMS') throw new Error(JSON.stringify(cp));
    expectTokens(await send(cip, respond('SMS_OTP', ONLY, otp.Session,
      { USERNAME: 'smsonly', SMS_OTP_CODE: await lastCode('smsonly') })));
  });

  await check('EMAIL_OTP: an expired code is ExpiredCodeException', async () => {
    await control('SetOptions', { CodeTtlSeconds: 0 });
    const otp = await send(cip, initiate('USER_AUTH', ONLY,
      { USERNAME: 'bob', PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
    expectChallenge(otp, 'EMAIL_OTP');
    await sendError(cip, respond('EMAIL_OTP', ONLY, otp.Session,
      { USERNAME: 'bob', EMAIL_OTP_CODE: await lastCode('bob') }), idp.ExpiredCodeException, 400);
    await control('Reset', {});
  });

  await check('USER_AUTH refusals: client without ALLOW_USER_AUTH, other flows on a USER_AUTH-only client, an ANSWER not offered', async () => {
    await sendError(cip, initiate('USER_AUTH', PUBLIC_CLIENT, { USERNAME: 'alice' }),
      idp.InvalidParameterException, 400);
    await sendError(cip, initiate('USER_PASSWORD_AUTH', ONLY,
      { USERNAME: 'alice', PASSWORD: 'Alice-Choice1!' }), idp.InvalidParameterException, 400);
    const session = expectChoice(await send(cip, initiate('USER_AUTH', ONLY,
      { USERNAME: 'bob' })), ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    await sendError(cip, respond('SELECT_CHALLENGE', ONLY, session,
      { USERNAME: 'bob', ANSWER: 'SMS_OTP' }), idp.InvalidParameterException, 400);
  });

  await check('USER_AUTH: the send limit is the SDK\'s LimitExceededException', async () => {
    await control('SetOptions', { OtpSendLimit: 1 });
    await send(cip, initiate('USER_AUTH', ONLY, { USERNAME: 'nopass', PREFERRED_CHALLENGE: 'EMAIL_OTP' }));
    await sendError(cip, initiate('USER_AUTH', ONLY,
      { USERNAME: 'nopass', PREFERRED_CHALLENGE: 'EMAIL_OTP' }), idp.LimitExceededException, 400);
    await control('Reset', {});
  });
};
