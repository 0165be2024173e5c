// The server's edges (issue 12), with raw sockets where fetch would tidy the request: ambiguous
// message framing, the per-address connection limit, a NUL in the path, and the access log
// reopened on SIGHUP for rotation. Prints TAP.
// usage: node tests/http/edges.test.mjs [build/release/purpose]
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ok, done, demoDb, startServer, engine } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const dir = mkdtempSync(join(tmpdir(), 'purpose-edges-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Sends text on a new connection; resolves with everything read until the server closes or `ms` pass.
function raw(url, text, ms = 2000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let data = '';
    const sock = connect(Number(port), hostname, () => sock.write(text));
    sock.on('data', (d) => { data += d; });
    sock.on('close', () => resolve(data));
    sock.on('error', () => resolve(data));
    setTimeout(() => { sock.destroy(); resolve(data); }, ms).unref();
  });
}

function open(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = connect(Number(port), hostname, () => resolve(sock));
    sock.on('error', () => {});
  });
}

// A row stored before the one UTF-8 rule (SQLite keeps any bytes; PostgreSQL never did): the API
// answers an error rather than a list silently missing the row.
if (engine === 'sqlite')
  execFileSync('sqlite3', [env.db, "INSERT INTO org_values(org_id, position, name, description) " +
    "VALUES((SELECT MIN(id) FROM organisations), 99, CAST(X'56EDA080' AS TEXT), '')"]);

const log = join(dir, 'access.log');
const srv = await startServer(bin, env.db, ['--access-log', log, '--max-per-address', '4']);
try {
  // ---- framing: RFC 9112 section 6.3 ------------------------------------------------------------
  const both = await raw(srv.url, 'POST /api/v1/values HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
  ok(/^HTTP\/1\.1 400/.test(both), 'Content-Length with Transfer-Encoding: 400', both.slice(0, 60));
  const two = await raw(srv.url, 'POST /api/v1/values HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 2\r\nContent-Length: 7\r\n\r\n{}');
  ok(/^HTTP\/1\.1 400/.test(two), 'two different Content-Length values: 400', two.slice(0, 60));
  const plain = await raw(srv.url, 'POST /api/v1/values HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 2\r\nConnection: close\r\n\r\n{}');
  ok(/^HTTP\/1\.1 401/.test(plain), 'one Content-Length: answered as before (401 without a session)', plain.slice(0, 60));

  if (engine === 'sqlite') {
    const legacy = await fetch(srv.url + '/api/v1/purpose');
    const body = await legacy.text();
    ok(legacy.status === 500 && JSON.parse(body).error, 'a stored row JSON cannot carry: an error, not a list without it', legacy.status + ' ' + body.slice(0, 80));
  }

  // ---- names from outside that are not UTF-8 find nothing (PostgreSQL refused them: 500) ---------
  ok((await fetch(srv.url + '/organisations/%FF/values')).status === 404, '/organisations/%FF/values: 404');
  const page = await fetch(srv.url + '/sign-in');
  const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await page.text()).match(/name="csrf" value="([^"]+)"/) || [])[1];
  const badUser = await fetch(srv.url + '/sign-in', { method: 'POST', redirect: 'manual',
    headers: { Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `csrf=${csrf}&username=ann%FF&password=whatever-it-is` });
  ok(badUser.status === 401, 'sign-in with a username that is not UTF-8: 401, as for any unknown user', badUser.status);

  // ---- a NUL in the path is not the end of the path -------------------------------------------
  const nul = await fetch(srv.url + '/assets/app.css%00.js');
  ok(nul.status === 404 && !(await nul.text()).includes('.nhsuk'), '/assets/app.css%00.js: 404, not app.css', nul.status);
  ok((await fetch(srv.url + '/assets/app.css')).status === 200, '/assets/app.css: 200');
  ok((await fetch(srv.url + '/values%00')).status === 404, '/values%00: 404');
  ok((await fetch(srv.url + '/val%75es')).status === 200, 'other escapes in the path are still decoded');

  // ---- per-address connection limit -----------------------------------------------------------
  const held = [];
  for (let i = 0; i < 4; i++) held.push(await open(srv.url));
  await sleep(100);
  const fifth = await raw(srv.url, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 1500);
  ok(fifth === '', 'a fifth connection from one address (--max-per-address 4) is closed unanswered', fifth.slice(0, 60));
  held[0].write('GET /values HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const first = await new Promise((resolve) => {
    let d = '';
    held[0].on('data', (x) => { d += x; });
    held[0].on('close', () => resolve(d));
    setTimeout(() => resolve(d), 10000).unref(); // generous: a sanitized server on a loaded machine
  });
  ok(/^HTTP\/1\.1 200/.test(first), 'the connections within the limit are served', first.slice(0, 40));
  for (const s of held) s.destroy();
  await sleep(100);
  ok((await fetch(srv.url + '/')).status === 200, 'once they close, the address is served again');

  // ---- the access log, reopened on SIGHUP -----------------------------------------------------
  await fetch(srv.url + '/themes');
  await sleep(100);
  renameSync(log, log + '.1');
  srv.proc.kill('SIGHUP');
  await sleep(300);
  await fetch(srv.url + '/values?after=rotation');
  await sleep(200);
  const old = readFileSync(log + '.1', 'utf8');
  ok(existsSync(log) && /^GET \/values 200 /m.test(readFileSync(log, 'utf8')), 'after SIGHUP the log starts again at the same path');
  ok(/^GET \/themes 200 /m.test(old) && !old.includes('after=rotation'), 'the rotated file keeps the earlier lines only');
  ok(srv.proc.exitCode === null, 'SIGHUP does not stop the server');
} catch (e) {
  ok(false, 'edge tests ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'server exits 0 after SIGTERM', srv.stderr().slice(-2000));
rmSync(dir, { recursive: true, force: true });
env.cleanup?.();
done();
