#!/usr/bin/env node
// Judges requests a client sent to the emulator (EmulatorControl.Requests,
// as JSON on stdin) against the AWS SDK for JavaScript v3's model: each body
// must be the operation's input shape (only modeled members, the model's
// types, required members present), and an operation the model signs with
// SigV4 must have come signed. Prints one JSON object:
//   {"Judged": N, "Operations": {op: count}, "Problems": ["op #i: ..."]}
// and exits 1 when there is a problem. tests/pam/test_sdk_requests.py runs
// it on what pam_cognito sent.
'use strict';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const fs = require('fs');
const idp = require('@aws-sdk/client-cognito-identity-provider');
const cid = require('@aws-sdk/client-cognito-identity');
const sts = require('@aws-sdk/client-sts');
const { NormalizedSchema } = require('@smithy/core/schema');
const { CREDENTIALS, REGION, conform } = require('./sdk-model');

const SERVICES = {
  AWSCognitoIdentityProviderService: [idp, 'CognitoIdentityProviderClient'],
  AWSCognitoIdentityService: [cid, 'CognitoIdentityClient'],
  AWSSecurityTokenServiceV20110615: [sts, 'STSClient'],
};
const QUERY_VERSION = '2011-06-15';

// An STS form (the AWS query protocol) as the input it stands for: Action
// and Version are the protocol's, a number member must be digits. Flat
// members only (pam_cognito sends no lists or policies).
function fromForm(input, form, where, problems) {
  const members = new Map(NormalizedSchema.of(input).structIterator());
  const body = {};
  if (form.Version !== QUERY_VERSION) problems.push(`${where}: Version ${form.Version}`);
  for (const [k, v] of Object.entries(form)) {
    if (k === 'Action' || k === 'Version') continue;
    const m = members.get(k);
    // digits for a number member stand for the number; anything else stays
    // text, which the model check then refuses
    body[k] = m && m.isNumericSchema() && /^[0-9]+$/.test(v) ? Number(v) : v;
  }
  return body;
}

function judge(requests) {
  const out = { Judged: 0, Operations: {}, Problems: [] };
  const clients = {};
  requests.forEach((req, i) => {
    const where = `${req.Operation} #${i}`;
    const service = SERVICES[req.Service];
    out.Operations[req.Operation] = (out.Operations[req.Operation] || 0) + 1;
    out.Judged += 1;
    if (!service) {
      out.Problems.push(`${where}: service ${req.Service} is not one this judge knows`);
      return;
    }
    const [pkg, clientName] = service;
    const op = pkg[`${req.Operation}$`];
    if (!op) {
      out.Problems.push(`${where}: ${req.Service} has no operation ${req.Operation} in the SDK's model`);
      return;
    }
    if (req.Body === null || typeof req.Body !== 'object') {
      out.Problems.push(`${where}: the body is not a JSON object`);
      return;
    }
    const body = pkg === sts ? fromForm(op[4](), req.Body, where, out.Problems) : req.Body;
    for (const p of conform(op[4](), body)) out.Problems.push(`${where}: ${p}`);
    if (!clients[clientName]) {
      clients[clientName] = new pkg[clientName]({ region: REGION, credentials: CREDENTIALS });
    }
    const schemes = clients[clientName].config.httpAuthSchemeProvider(
      { operation: req.Operation, region: REGION, Region: REGION, UseDualStack: false,
        UseFIPS: false, UseGlobalEndpoint: false }).map(o => o.schemeId);
    if (!schemes.includes('smithy.api#noAuth') && !req.Signed) {
      out.Problems.push(`${where}: unsigned, the model signs it (${schemes.join(', ')})`);
    }
  });
  return out;
}

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const result = judge(Array.isArray(input) ? input : input.Requests);
console.log(JSON.stringify(result));
process.exit(result.Problems.length ? 1 : 0);
