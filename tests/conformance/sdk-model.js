// The AWS SDK for JavaScript v3 as a judge of the emulator: every exchange
// is recorded byte for byte, and the raw JSON is walked against the SDK's
// own schema for the operation. The SDK's deserializer alone would not do:
// it drops members it does not know and passes a wrong type through.
'use strict';

const { NodeHttpHandler } = require('@smithy/node-http-handler');
const { NormalizedSchema } = require('@smithy/core/schema');

// Fake static credentials the emulator accepts (tests/emulator/sigv4.py).
const CREDENTIALS = {
  accessKeyId: 'AKIAEMULATOR0000SYNC',
  secretAccessKey: 'emulator/sync/secret/key/0000000000000000',
};
const REGION = 'us-east-1';

// The request body as text: the SDK hands a Uint8Array (a subclass that
// warns when string methods are called on it) or a string.
function bodyText(body) {
  if (ArrayBuffer.isView(body)) {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  }
  return typeof body === 'string' ? body : '';
}

// An HTTP handler that reads each answer whole, keeps it, and hands the
// SDK the same bytes.
class RecordingHandler {
  constructor() {
    this.inner = new NodeHttpHandler({ requestTimeout: 10000, connectionTimeout: 5000 });
    this.last = null;
  }

  async handle(request, options) {
    const out = await this.inner.handle(request, options);
    const chunks = [];
    for await (const chunk of out.response.body) chunks.push(Buffer.from(chunk));
    const raw = Buffer.concat(chunks);
    this.last = {
      target: request.headers['x-amz-target'],
      signed: Boolean(request.headers.authorization),
      request: bodyText(request.body),
      status: out.response.statusCode,
      headers: out.response.headers,
      body: raw.toString('utf8'),
    };
    out.response.body = new Uint8Array(raw);
    return out;
  }

  updateHttpClientConfig(key, value) {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs() {
    return this.inner.httpHandlerConfigs();
  }

  destroy() {
    this.inner.destroy();
  }
}

// The client class clientName of the SDK package pkg pointed at the
// emulator, with its recorder and the package (for the error schemas).
function makeClient(pkg, clientName, endpoint, credentials = CREDENTIALS) {
  const recorder = new RecordingHandler();
  const client = new pkg[clientName]({
    endpoint, region: REGION, credentials, requestHandler: recorder, maxAttempts: 1,
  });
  client.recorder = recorder;
  client.pkg = pkg;
  return client;
}

function requiredCount(ns) {
  const raw = ns.getSchema();
  return Array.isArray(raw) && typeof raw[6] === 'number' ? raw[6] : 0;
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// Problems of value against schema, as "path: what" strings; allowType lets
// an error body carry its __type.
function conform(schema, value, path = '$', allowType = false) {
  const out = [];
  walk(NormalizedSchema.of(schema), value, path, out, allowType);
  return out;
}

function walk(ns, v, path, out, allowType = false) {
  if (v === null || v === undefined) {
    out.push(`${path}: null (Cognito leaves out a member it has no value for)`);
  } else if (ns.isDocumentSchema()) {
    /* any JSON */
  } else if (ns.isStructSchema()) {
    walkStruct(ns, v, path, out, allowType);
  } else if (ns.isListSchema()) {
    if (!Array.isArray(v)) out.push(`${path}: ${typeof v}, the model has a list`);
    else v.forEach((item, i) => walk(ns.getValueSchema(), item, `${path}[${i}]`, out));
  } else if (ns.isMapSchema()) {
    if (!isPlainObject(v)) out.push(`${path}: ${typeof v}, the model has a map`);
    else for (const k of Object.keys(v)) walk(ns.getValueSchema(), v[k], `${path}.${k}`, out);
  } else if (ns.isTimestampSchema()) {
    // awsJson1_1 sends timestamps as epoch seconds (a JSON number).
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      out.push(`${path}: ${JSON.stringify(v)}, the model has a timestamp (epoch seconds)`);
    }
  } else if (ns.isBlobSchema()) {
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
      out.push(`${path}: not base64 text, the model has a blob`);
    }
  } else if (ns.isBooleanSchema()) {
    if (typeof v !== 'boolean') out.push(`${path}: ${JSON.stringify(v)}, the model has a boolean`);
  } else if (ns.isNumericSchema()) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      out.push(`${path}: ${JSON.stringify(v)}, the model has a number`);
    }
  } else if (ns.isStringSchema()) {
    if (typeof v !== 'string') out.push(`${path}: ${JSON.stringify(v)}, the model has a string`);
  }
}

function walkStruct(ns, v, path, out, allowType) {
  if (!isPlainObject(v)) {
    out.push(`${path}: ${Array.isArray(v) ? 'array' : typeof v}, the model has a structure`);
    return;
  }
  const members = new Map(ns.structIterator());
  const names = [...members.keys()];
  for (const name of names.slice(0, requiredCount(ns))) {
    if (!(name in v)) out.push(`${path}.${name}: missing, the model requires it`);
  }
  for (const k of Object.keys(v)) {
    if ((allowType && k === '__type') || v[k] === undefined) continue; // undefined: not sent
    if (!members.has(k)) out.push(`${path}.${k}: not a member of ${ns.getName()}`);
    else walk(members.get(k), v[k], `${path}.${k}`, out);
  }
}

// The operation's input and output schemas, from the command.
function operationSchemas(command) {
  const op = command.schema;
  return { name: op[2], input: op[4](), output: op[5]() };
}

function fail(what, problems) {
  throw new Error(`${what}: ${problems.join('; ')}`);
}

// Sends the command and checks: the request the SDK built is valid for the
// model, the emulator answered 200 with a JSON object that has only modeled
// members of the right types (required ones present) and a request id, and
// the SDK's output has every member the raw reply had. Resolves with the
// SDK's output.
async function send(client, command) {
  const { name, input, output } = operationSchemas(command);
  const sentProblems = conform(input, command.input);
  if (sentProblems.length) fail(`${name} request (the test's own input)`, sentProblems);
  let result;
  try {
    result = await client.send(command);
  } catch (err) {
    const rec = client.recorder.last;
    throw new Error(`${name}: ${err.name}: ${err.message}` +
      (rec ? ` (HTTP ${rec.status} ${rec.body.slice(0, 200)})` : ''));
  }
  const rec = client.recorder.last;
  if (rec.status !== 200) fail(name, [`HTTP ${rec.status}`]);
  let raw;
  try {
    raw = JSON.parse(rec.body);
  } catch (e) {
    fail(name, [`reply is not JSON: ${rec.body.slice(0, 80)}`]);
  }
  const problems = conform(output, raw);
  if (!result.$metadata.requestId) problems.push('no x-amzn-RequestId: $metadata.requestId is empty');
  for (const k of isPlainObject(raw) ? Object.keys(raw) : []) {
    if (result[k] === undefined) problems.push(`$.${k}: dropped by the SDK's deserializer`);
  }
  if (problems.length) fail(`${name} reply`, problems);
  return result;
}

// Sends a command that must fail with ErrorClass (the SDK's modeled
// exception) and HTTP status; checks the error body against the exception's
// schema, that it names the same type as the x-amzn-ErrorType header and
// that it has a request id.
// Resolves with the exception.
async function sendError(client, command, ErrorClass, status) {
  const { name } = operationSchemas(command);
  let err = null;
  try {
    await client.send(command);
  } catch (e) {
    err = e;
  }
  const rec = client.recorder.last;
  const want = ErrorClass.name;
  if (!err) throw new Error(`${name}: succeeded, expected ${want}`);
  if (!(err instanceof ErrorClass) || err.name !== want) {
    throw new Error(`${name}: ${err.name} (${err.message}), expected ${want}`);
  }
  const got = err.$metadata && err.$metadata.httpStatusCode;
  if (got !== status) throw new Error(`${name}: ${want} with HTTP ${got}, expected ${status}`);
  const raw = JSON.parse(rec.body);
  const schema = client.pkg[`${want}$`];
  const problems = schema ? conform(schema, raw, '$', true) : [`no schema for ${want}`];
  if (raw.__type !== want) problems.push(`$.__type is ${raw.__type}`);
  if (!err.$metadata.requestId) problems.push('no x-amzn-RequestId: $metadata.requestId is empty');
  const header = String(rec.headers['x-amzn-errortype'] || '').split(':')[0];
  if (header && header !== want) problems.push(`x-amzn-ErrorType is ${header}`);
  if (typeof raw.message !== 'string' || raw.message !== err.message) {
    problems.push(`message ${JSON.stringify(raw.message)} not the SDK's ${JSON.stringify(err.message)}`);
  }
  if (problems.length) fail(`${name} error reply`, problems);
  return err;
}

module.exports = { CREDENTIALS, REGION, RecordingHandler, conform, makeClient, send, sendError };
