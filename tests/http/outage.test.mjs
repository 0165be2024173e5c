// Outages are survived (issue 16). On PostgreSQL: a dedicated server (tests/pg.sh, not the shared
// one) is stopped for 10 s under load: requests answer 503 with Retry-After (JSON for the API, an NHS page with
// a way back for pages), the process lives, and once the database is back the server answers
// normally within a second, without a restart. On SQLite: while `purpose handovers import` holds the
// write lock (its input is a pipe kept open), a write answers 503 with Retry-After, reads go on, and
// the same write succeeds once the import ends.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ok, done, engine, demoDb, startServer } from '../lib/server.mjs';
import { client, requestInit } from '../lib/client.mjs';

const bin = resolve(process.argv[2] || 'build/purpose');
const repo = new URL('../..', import.meta.url).pathname;
const pgsh = join(repo, 'tests/pg.sh');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const OUTAGE_MS = 10000; // how long PostgreSQL stays stopped under load

// A request that never waits past `ms`: {status, headers, text, ms} or {status: 0} on a timeout.
async function timed(U, method, path, opts = {}, ms = 20000) {
  const t0 = Date.now();
  try {
    const r = await fetch(U + path, requestInit(method, opts, AbortSignal.timeout(ms)));
    return { status: r.status, headers: r.headers, text: await r.text(), ms: Date.now() - t0 };
  } catch (e) {
    return { status: 0, headers: new Headers(), text: String(e), ms: Date.now() - t0 };
  }
}

const isJsonError = (r) => { try { return typeof JSON.parse(r.text).error === 'string'; } catch { return false; } };
const isPageWithWayBack = (r) => /text\/html/.test(r.headers.get('content-type') || '') &&
  r.text.includes('Sorry, the service is unavailable') && r.text.includes('href="/"');
const retryAfter = (r) => /^[0-9]+$/.test(r.headers.get('retry-after') || '');

function unavailable(r, what, kind) {
  ok(r.status === 503, `${what}: 503`, `${r.status} ${r.text.slice(0, 300)}`);
  ok(retryAfter(r), `${what}: Retry-After`, JSON.stringify([...r.headers]));
  ok(kind === 'api' ? isJsonError(r) : isPageWithWayBack(r),
    `${what}: ${kind === 'api' ? 'JSON with "error"' : 'an NHS page with a way back'}`, r.text.slice(0, 300));
}

async function postgresOutage() {
  const pgdir = execFileSync(pgsh, ['start'], { encoding: 'utf8' }).trim();
  let srv, cleanup = () => {};
  try {
    const db = execFileSync(pgsh, ['newdb', pgdir], { encoding: 'utf8' }).trim();
    const dir = mkdtempSync(join(tmpdir(), 'purpose-outage-'));
    cleanup = () => rmSync(dir, { recursive: true, force: true });
    execFileSync(bin, ['init', '--demo', '--db', db], { stdio: 'pipe', cwd: dir });
    const creds = Object.fromEntries(readFileSync(join(dir, 'demo-credentials.txt'), 'utf8').split('\n')
      .filter((l) => l && !l.startsWith('#')).map((l) => l.trim().split(/\s+/)).map(([r, u, p]) => [r, { username: u, password: p }]));
    srv = await startServer(bin, db, ['--quiet', '--timeout', '20']);
    const U = srv.url;
    const lead = await client(U, creds).signIn('lead');
    ok((await timed(U, 'GET', '/api/v1/purpose')).status === 200, 'PostgreSQL up: the API answers');

    // Load: four clients reading and one writing, for the whole outage.
    let load = true;
    const seen = {};
    const loaders = [0, 1, 2, 3, 4].map(async (i) => {
      for (let k = 0; load; k++) {
        const r = i === 4
          ? await timed(U, 'POST', '/api/v1/values', { ...lead, json: { name: `Load ${k}` } })
          : await timed(U, 'GET', i % 2 ? '/api/v1/purpose' : '/values', { cookie: k % 2 ? lead.cookie : undefined });
        seen[r.status] = (seen[r.status] || 0) + 1;
        if (r.status === 0) seen.slowest = Math.max(seen.slowest || 0, r.ms);
      }
    });
    await sleep(300);
    execFileSync(pgsh, ['down', pgdir]);
    const downAt = Date.now();
    await sleep(300);
    unavailable(await timed(U, 'GET', '/api/v1/purpose'), 'PostgreSQL down: GET /api/v1/purpose', 'api');
    unavailable(await timed(U, 'GET', '/values'), 'PostgreSQL down: GET /values', 'page');
    unavailable(await timed(U, 'GET', '/strategy', { cookie: lead.cookie }), 'PostgreSQL down: GET /strategy signed in', 'page');
    unavailable(await timed(U, 'POST', '/api/v1/values', { ...lead, json: { name: 'During the outage' } }),
      'PostgreSQL down: POST /api/v1/values', 'api');
    const slow = await timed(U, 'GET', '/api/v1/purpose');
    ok(slow.ms < 5000, 'PostgreSQL down: an answer comes at once, not after a timeout', `${slow.ms} ms`);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt))); // the outage: 10 s under load
    ok(srv.proc.exitCode === null && srv.proc.signalCode === null, 'PostgreSQL down: the server process lives');

    execFileSync(pgsh, ['up', pgdir]);
    const back = Date.now();
    let api, page;
    for (;;) {
      api = await timed(U, 'GET', '/api/v1/purpose', {}, 2000);
      page = await timed(U, 'GET', '/strategy', { cookie: lead.cookie }, 2000);
      if ((api.status === 200 && page.status === 200) || Date.now() - back > 10000) break;
      await sleep(50);
    }
    const recovered = Date.now() - back;
    ok(api.status === 200 && page.status === 200 && recovered <= 1000,
      'PostgreSQL back: the API and pages answer normally within 1 s, no restart', `${recovered} ms, ${api.status} ${page.status}`);
    const write = await timed(U, 'POST', '/api/v1/values', { ...lead, json: { name: 'After the outage' } });
    ok(write.status === 201 || write.status === 200, 'PostgreSQL back: a write succeeds', `${write.status} ${write.text}`);
    load = false;
    await Promise.all(loaders);
    ok(!seen[0] && Object.keys(seen).every((s) => ['200', '201', '503', 'slowest'].includes(s)),
      'under load during the outage: every answer is 200, 201 or 503, none timed out', JSON.stringify(seen));
    let normal = 0;
    for (let k = 0; k < 20; k++) normal += (await timed(U, 'GET', '/api/v1/purpose')).status === 200;
    ok(normal === 20, 'PostgreSQL back: every following request is served', `${normal}/20`);
    ok(srv.proc.exitCode === null, 'the same process served before, during and after the outage');
  } finally {
    if (srv) await srv.stop();
    execFileSync(pgsh, ['stop', pgdir]);
    cleanup();
  }
}

async function sqliteLock() {
  const env = demoDb(bin);
  const srv = await startServer(bin, env.db, ['--quiet']);
  const U = srv.url;
  try {
    const lead = await client(U, env.creds).signIn('lead');
    // The import begins its one transaction (BEGIN IMMEDIATE) before it reads: it holds the write
    // lock for as long as its input stays open.
    const imp = spawn(bin, ['handovers', 'import', '-', '--db', env.db], { stdio: ['pipe', 'pipe', 'pipe'] });
    let impErr = '';
    imp.stderr.on('data', (d) => { impErr += d; });
    imp.stdin.write('site,arrival,handover,clear,ref\nOutage Site,2024-03-01T10:00:00+00:00,2024-03-01T10:10:00+00:00,2024-03-01T10:20:00+00:00,R1\n');
    await sleep(1000);
    const pageForm = await timed(U, 'GET', '/strategy/values/new', { cookie: lead.cookie });
    const csrf = (pageForm.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
    const [api, page, read] = await Promise.all([
      timed(U, 'POST', '/api/v1/values', { ...lead, json: { name: 'While importing' } }),
      timed(U, 'POST', '/strategy/values/new', { cookie: lead.cookie, form: { csrf, name: 'While importing (form)' } }),
      timed(U, 'GET', '/api/v1/values', { cookie: lead.cookie }),
    ]);
    unavailable(api, 'SQLite locked by an import: POST /api/v1/values', 'api');
    unavailable(page, 'SQLite locked by an import: POST /strategy/values/new', 'page');
    ok(api.ms < 15000 && page.ms < 15000, 'SQLite locked: the writers answer within the busy timeout, not the request timeout', `${api.ms} ${page.ms} ms`);
    ok(read.status === 200, 'SQLite locked: reads go on', read.status);
    ok(srv.proc.exitCode === null, 'SQLite locked: the server process lives');
    imp.stdin.end();
    const code = await new Promise((r) => imp.once('exit', r));
    ok(code === 0, 'the import finishes and commits', impErr);
    const after = await timed(U, 'POST', '/api/v1/values', { ...lead, json: { name: 'After the import' } });
    ok(after.status === 201 || after.status === 200, 'lock released: the same write succeeds', `${after.status} ${after.text}`);
    const names = JSON.parse((await timed(U, 'GET', '/api/v1/values', { cookie: lead.cookie })).text);
    const list = JSON.stringify(names);
    ok(list.includes('After the import') && !list.includes('While importing'), 'only the acknowledged write is stored', list.slice(0, 400));
  } finally {
    await srv.stop();
    env.cleanup();
  }
}

if (engine === 'postgresql') await postgresOutage();
else await sqliteLock();
done();
