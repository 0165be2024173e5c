// `make bench`, resilience part (issue 16): a chaos run, not a timed test. Two `purpose serve` on one
// PostgreSQL (a dedicated server from tests/pg.sh) take mixed reads and writes from many clients
// while the run kills one serve every CHAOS_KILL_EVERY seconds (SIGKILL, then starts it again), stops
// PostgreSQL CHAOS_PG_STOPS times for CHAOS_PG_DOWN seconds, and imports a large handover file beside
// the servers. It prints requests served, answers by status, acknowledged writes lost (every write
// answered 2xx is read back at the end), crashes (a serve that exits without being killed) and the
// longest time to recover (from a killed serve's restart or PostgreSQL's return to both serves
// answering normally). Exits nonzero when a write is lost or a serve crashed.
//   node bench/chaos.mjs [build/release/purpose]
//   CHAOS_SECONDS=600 CHAOS_CLIENTS=64 CHAOS_KILL_EVERY=30 CHAOS_PG_STOPS=2 CHAOS_PG_DOWN=10
//   CHAOS_IMPORT_MB=1024 (0: no import)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requestInit } from '../tests/lib/client.mjs';

const bin = resolve(process.argv[2] || 'build/release/purpose');
const repo = new URL('..', import.meta.url).pathname;
const pgsh = join(repo, 'tests/pg.sh');
const num = (k, d) => (process.env[k] !== undefined && process.env[k] !== '' ? Number(process.env[k]) : d);
const SECONDS = num('CHAOS_SECONDS', 600), CLIENTS = num('CHAOS_CLIENTS', 64), KILL_EVERY = num('CHAOS_KILL_EVERY', 30);
const PG_STOPS = num('CHAOS_PG_STOPS', 2), PG_DOWN = num('CHAOS_PG_DOWN', 10), IMPORT_MB = num('CHAOS_IMPORT_MB', 1024);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let endRun;
const ended = new Promise((r) => { endRun = r; });
const pause = (ms) => Promise.race([sleep(ms), ended]); // cut short when the run ends
const log = (s) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${s}`);
const t0 = Date.now();

const dir = mkdtempSync(join(tmpdir(), 'purpose-chaos-'));
// A PostgreSQL URL has no key file beside it: one in the run's folder, for init, the serves and the import.
process.env.PURPOSE_KEY_FILE = process.env.PURPOSE_KEY_FILE || join(dir, 'purpose.key');
const pgdir = execFileSync(pgsh, ['start'], { encoding: 'utf8' }).trim();
const db = execFileSync(pgsh, ['newdb', pgdir], { encoding: 'utf8' }).trim();
execFileSync(bin, ['init', '--demo', '--db', db], { stdio: 'pipe', cwd: dir });
const creds = Object.fromEntries(readFileSync(join(dir, 'demo-credentials.txt'), 'utf8').split('\n')
  .filter((l) => l && !l.startsWith('#')).map((l) => l.trim().split(/\s+/)).map(([r, u, p]) => [r, { username: u, password: p }]));

// ---- the serves: started, killed by us, or crashed -------------------------------------------------
let crashes = 0, stopping = false, savedThenFailed = 0;
const crashLog = [];
function startServe(s) {
  return new Promise((res, rej) => {
    const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${s.port}`, '--quiet', '--threads', '8'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    proc.stdout.on('data', (d) => { out += d; if (/serving http/.test(out)) res(); });
    proc.stderr.on('data', (d) => {
      err = (err + d).slice(-4000);
      savedThenFailed += (String(d).match(/after its change was saved/g) || []).length;
    });
    proc.once('exit', (code, sig) => {
      if (!s.killing && !stopping) {
        crashes++;
        crashLog.push(`serve ${s.name} exited by itself (${code ?? sig}): ${err.split('\n').slice(-5).join(' | ')}`);
        log(`CRASH: serve ${s.name} exited (${code ?? sig}); starting it again`);
        startServe(s).catch(() => {});
      }
      rej(new Error(`serve ${s.name} exited ${code ?? sig} before serving: ${err}`));
    });
    s.proc = proc;
    s.killing = false;
  });
}
async function freePort() {
  const net = await import('node:net');
  return new Promise((res) => { const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => res(p)); }); });
}
const serves = [{ name: 'A', port: await freePort() }, { name: 'B', port: await freePort() }];
for (const s of serves) await startServe(s);
const url = (s) => `http://127.0.0.1:${s.port}`;

// ---- requests ----------------------------------------------------------------------------------
const statuses = {};
let served = 0, unavailableOutside = 0; // 503s while PostgreSQL was up (a restart's first moments)
async function request(s, method, path, opts = {}, ms = 30000) {
  try {
    const r = await fetch(url(s) + path, requestInit(method, opts, AbortSignal.timeout(ms)));
    const text = await r.text();
    return { status: r.status, headers: r.headers, text };
  } catch (e) {
    return { status: e.name === 'TimeoutError' ? 'timeout' : 'refused', headers: new Headers(), text: '' };
  }
}
async function signIn(s, role) {
  for (;;) {
    const page = await request(s, 'GET', '/sign-in');
    const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = (page.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
    const r = await request(s, 'POST', '/sign-in', { cookie: pre, form: { csrf, ...creds[role] } });
    const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
    const me = cookie ? await request(s, 'GET', '/api/v1/me', { cookie }) : null;
    if (me?.status === 200) return { cookie, csrf: JSON.parse(me.text).csrf_token };
    await sleep(200);
  }
}
const lead = await signIn(serves[0], 'lead'); // sessions live in the database: valid on both serves

const acked = []; // {id, name}
let running = true;
async function clientLoop(c) {
  const reads = ['/api/v1/purpose', '/values', '/strategy', '/api/v1/me', '/themes', '/api/v1/statements/vision'];
  for (let k = 0; running; k++) {
    const s = serves[(c + k) % 2];
    let r;
    if (k % 5 === 4) {
      const name = `chaos ${c}-${k}`;
      r = await request(s, 'POST', '/api/v1/values', { ...lead, json: { name, description: 'chaos run' } });
      if (r.status === 201) acked.push({ id: JSON.parse(r.text).id, name });
    } else {
      const path = reads[(c + k) % reads.length];
      r = await request(s, 'GET', path, { cookie: path === '/values' || path === '/themes' ? undefined : lead.cookie });
    }
    statuses[r.status] = (statuses[r.status] || 0) + 1;
    if (r.status === 503 && !pgDown) unavailableOutside++;
    if (r.status === 200 || r.status === 201) served++;
    if (typeof r.status !== 'number' || r.status >= 500) await sleep(50); // a client backs off a little
  }
}

// Time until both serves answer a page and an API read normally.
async function recovery(from) {
  for (;;) {
    const rs = await Promise.all(serves.flatMap((s) => [request(s, 'GET', '/api/v1/purpose', {}, 2000),
      request(s, 'GET', '/strategy', { cookie: lead.cookie }, 2000)]));
    if (rs.every((r) => r.status === 200)) return Date.now() - from;
    await sleep(20);
  }
}

// ---- the chaos -------------------------------------------------------------------------------
const recoveries = [];
async function killer() {
  for (let i = 0; running; i++) {
    await pause(KILL_EVERY * 1000);
    if (!running) break;
    if (pgDown) continue; // a kill during an outage would time the outage, not the restart
    const s = serves[i % 2];
    s.killing = true;
    const exited = new Promise((r) => s.proc.once('exit', r));
    s.proc.kill('SIGKILL');
    await exited;
    const at = Date.now();
    await startServe(s);
    const ms = await recovery(at);
    recoveries.push({ what: `serve ${s.name} killed and started again`, ms });
    log(`killed serve ${s.name}; serving again after ${ms} ms`);
  }
}
async function pgStopper() {
  for (let i = 1; i <= PG_STOPS; i++) {
    await pause(Math.max(0, (SECONDS * 1000 * i) / (PG_STOPS + 1) - (Date.now() - tRun)));
    if (!running) break;
    log(`stopping PostgreSQL for ${PG_DOWN} s`);
    pgDown = true;
    execFileSync(pgsh, ['down', pgdir]);
    await sleep(PG_DOWN * 1000);
    execFileSync(pgsh, ['up', pgdir]);
    const ms = await recovery(Date.now());
    pgDown = false;
    recoveries.push({ what: `PostgreSQL back (stop ${i})`, ms });
    log(`PostgreSQL back; both serves normal after ${ms} ms`);
  }
}
let importResult = 'not run', importProc = null, pgDown = false;
// The file is made before the run starts (the generator is quick, but it would hold the clients up).
const file = join(dir, 'handovers.csv');
if (IMPORT_MB) {
  // The generator writes about 13.1 KB a site-day: sites x days to reach the size asked for.
  const days = 365, sites = Math.max(1, Math.round((IMPORT_MB * 1e6) / (13100 * days)));
  execFileSync(bin, ['handovers', 'generate', '--sites', String(sites), '--days', String(days), '--seed', '7', '-o', file]);
}
async function importer() {
  if (!IMPORT_MB) return;
  const mb = (statSync(file).size / 1e6).toFixed(0);
  // Tried again while the run lasts when it fails (PostgreSQL stopped under it): all or nothing.
  for (let attempt = 1; running; attempt++) {
    log(`importing ${mb} MB of handovers beside the serves (attempt ${attempt})`);
    importResult = `${mb} MB: still running at the end (attempt ${attempt})`;
    const started = Date.now();
    const code = await new Promise((res) => {
      const p = spawn(bin, ['handovers', 'import', file, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
      importProc = p;
      let err = '';
      p.stderr.on('data', (d) => { err = (err + d).slice(-2000); });
      p.once('exit', (c, sig) => res({ c: c ?? sig, err }));
    });
    if (stopping) break;
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    importResult = `${mb} MB: ${code.c === 0 ? `stored in ${secs} s` : `attempt ${attempt} failed after ${secs} s (exit ${code.c}: ${code.err.trim().split('\n').pop()})`}`;
    log(`import ${importResult}`);
    if (code.c === 0) break;
    while (pgDown && running) await sleep(200);
  }
}

log(`chaos: ${SECONDS} s, ${CLIENTS} clients, 2 serves on one PostgreSQL, a kill every ${KILL_EVERY} s, ` +
  `${PG_STOPS} PostgreSQL stops of ${PG_DOWN} s, a ${IMPORT_MB} MB handover import`);
const tRun = Date.now();
const clients = [...Array(CLIENTS).keys()].map(clientLoop);
const chaos = [killer(), pgStopper(), importer()];
await sleep(SECONDS * 1000);
running = false;
endRun();
await Promise.all(clients);
await Promise.all(chaos.slice(0, 2));
log('load stopped; reading every acknowledged write back');

// ---- acknowledged writes, read back ------------------------------------------------------------
await recovery(Date.now());
const list = JSON.parse((await request(serves[0], 'GET', '/api/v1/values', { cookie: lead.cookie }, 120000)).text);
const stored = new Map((list.values || list).map((v) => [v.id, v.name]));
const lost = acked.filter((a) => stored.get(a.id) !== a.name);
const errors = Object.entries(statuses).filter(([s]) => !['200', '201'].includes(s));
const longest = recoveries.reduce((m, r) => (r.ms > m.ms ? r : m), { ms: 0, what: 'none' });

console.log('\nchaos run');
console.log(`  duration:                 ${SECONDS} s, ${CLIENTS} clients, 2 serves, one PostgreSQL`);
console.log(`  requests served (2xx):    ${served} (${(served / SECONDS).toFixed(0)}/s)`);
console.log(`  answers by status:        ${Object.entries(statuses).map(([s, n]) => `${s}: ${n}`).join(', ')}`);
console.log(`  errors by status:         ${errors.length ? errors.map(([s, n]) => `${s}: ${n}`).join(', ') : 'none'}`);
console.log(`  503 while PostgreSQL up:  ${unavailableOutside}`);
console.log(`  500 after a saved change: ${savedThenFailed} (the database went away between the commit and the answer)`);
console.log(`  writes acknowledged:      ${acked.length}`);
console.log(`  acknowledged writes lost: ${lost.length}${lost.length ? ` (${lost.slice(0, 5).map((l) => l.id).join(', ')}...)` : ''}`);
console.log(`  crashes:                  ${crashes}${crashLog.length ? `\n    ${crashLog.join('\n    ')}` : ''}`);
console.log(`  serves killed:            ${recoveries.filter((r) => r.what.startsWith('serve')).length}`);
console.log(`  longest recovery:         ${longest.ms} ms (${longest.what})`);
console.log(`  recoveries:               ${recoveries.map((r) => `${r.ms}`).join(', ')} ms`);
console.log(`  handover import:          ${importResult}`);

stopping = true;
for (const s of serves) s.proc.kill('SIGTERM');
if (importProc && importProc.exitCode === null) importProc.kill('SIGTERM');
await Promise.race([Promise.all(chaos), sleep(1000)]);
execFileSync(pgsh, ['stop', pgdir]);
rmSync(dir, { recursive: true, force: true });
process.exit(lost.length || crashes ? 1 : 0);
