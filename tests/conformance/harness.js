// What every conformance script shares: one emulator of its own (started on
// a free port, stopped by PID on any exit), the control API, bounded checks
// printed as PASS:/FAIL: lines, and the closing "# N passed, M failed".
'use strict';

const { execFileSync, spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const EMULATOR = path.join(REPO, 'tests', 'emulator', 'cognito_emulator.py');
const STEP_TIMEOUT_MS = 15000;

let emulator = null;
let baseUrl = null;
let tmpDir = null;
const results = [];

function stopEmulator() {
  if (emulator && emulator.exitCode === null && emulator.signalCode === null) {
    try {
      process.kill(emulator.pid, 'SIGTERM');
    } catch (e) {
      /* already gone */
    }
  }
  emulator = null;
  if (tmpDir) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    tmpDir = null;
  }
}

process.on('exit', stopEmulator);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopEmulator();
    process.exit(130);
  });
}

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

// Starts the emulator (extra command-line arguments allowed) and resolves
// with its base URL once it has written its port file.
async function startEmulator(extraArgs = []) {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-conformance-'));
  const portFile = path.join(tmpDir, 'port');
  emulator = spawn('python3', [EMULATOR, '--host', '127.0.0.1', '--port', '0',
    '--port-file', portFile, ...extraArgs], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    if (emulator.exitCode !== null) {
      throw new Error(`emulator exited with ${emulator.exitCode}`);
    }
    if (fs.existsSync(portFile)) {
      const text = fs.readFileSync(portFile, 'utf8').trim();
      if (text) {
        baseUrl = `http://127.0.0.1:${parseInt(text, 10)}`;
        return baseUrl;
      }
    }
    await sleep(50);
  }
  throw new Error('emulator did not write its port file within 10 s');
}

function url() {
  return baseUrl;
}

// One unsigned JSON call; resolves with the parsed reply, rejects on an error.
async function emulatorCall(target, body) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), STEP_TIMEOUT_MS);
  try {
    const resp = await fetch(`${baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target },
      body: JSON.stringify(body || {}),
      signal: ctrl.signal,
    });
    const data = await resp.json();
    if (!resp.ok) throw new Error(`${target}: ${data.__type}: ${data.message}`);
    return data;
  } finally {
    clearTimeout(timer);
  }
}

// The emulator's test-only API (EmulatorControl.*: Reset, GetLastCode, ...).
function control(op, body) {
  return emulatorCall(`EmulatorControl.${op}`, body);
}

function withTimeout(promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${STEP_TIMEOUT_MS} ms`)),
      STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function check(name, fn) {
  try {
    await withTimeout(Promise.resolve().then(fn), name);
    results.push([name, true]);
    console.log(`PASS: ${name}`);
  } catch (err) {
    results.push([name, false]);
    console.log(`FAIL: ${name}: ${err && err.message ? err.message : err}`);
  }
}

// Runs main, counts a throw outside any check as a failure, stops the
// emulator, prints the totals and exits (non-zero when anything failed).
function run(main) {
  main()
    .catch(err => {
      results.push(['harness', false]);
      console.log(`FAIL: harness: ${err && err.stack ? err.stack : err}`);
    })
    .finally(() => {
      stopEmulator();
      const failed = results.filter(r => !r[1]).length;
      console.log(`# ${results.length - failed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    });
}

// RFC 6238 code (SHA-1, 30 s, 6 digits) for a base32 secret.
function totp(secretB32, when = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretB32.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(when / 30000)));
  const mac = crypto.createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const num = mac.readUInt32BE(off) & 0x7fffffff;
  return String(num % 1000000).padStart(6, '0');
}

// A table of the emulator's error catalog (tests/emulator/error_catalog.py:
// ERRORS, operation -> error types as botocore's models list them, or
// STS_ERRORS, operation -> STS wire codes).
function errorCatalog(name) {
  const dir = path.join(REPO, 'tests', 'emulator');
  const code = 'import json, sys; sys.path.insert(0, sys.argv[1]); import error_catalog; ' +
    'print(json.dumps({k: list(v) for k, v in getattr(error_catalog, sys.argv[2]).items()}))';
  return JSON.parse(execFileSync('python3', ['-c', code, dir, name], { encoding: 'utf8' }));
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

module.exports = {
  STEP_TIMEOUT_MS, check, claims, control, emulatorCall, errorCatalog, run, sleep, startEmulator,
  stopEmulator, totp, url, withTimeout,
};
