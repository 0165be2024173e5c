// Writes run on workers (serve --workers, src/web/workers.h): a write that waits on the database
// holds up no read, even one on the only request thread. Another process (sqlite3 or psql) locks
// the table a write needs for 4 s; the write waits for it while a read on another connection is
// answered at once; the write then lands. Then the same with the server stopped (SIGTERM) while a
// write waits: the write is answered before it exits. Prints TAP.
// usage: node tests/http/workers.test.mjs [build/release/purpose]
import { execFileSync, spawn } from 'node:child_process';
import { ok, done, demoDb, startServer, engine } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const HOLD_S = 4;

// Whether another process holds the lock (the locker's own output is buffered until it exits).
function isLocked() {
  try {
    if (engine === 'sqlite') {
      execFileSync('sqlite3', ['-cmd', '.timeout 0', env.db, 'BEGIN IMMEDIATE; ROLLBACK;'], { stdio: 'pipe' });
      return false;
    }
    return execFileSync('psql', ['-X', '-At', env.db, '-c', "SELECT count(*) FROM pg_locks l JOIN pg_class c ON " +
      "c.oid = l.relation WHERE c.relname = 'statements' AND l.mode = 'ShareRowExclusiveLock' AND l.granted"],
    { encoding: 'utf8' }).trim() === '1';
  } catch {
    return engine === 'sqlite'; // sqlite3 fails: "database is locked"
  }
}

// Holds a write lock on the statements table for HOLD_S seconds; resolves once it is held, with a
// promise of the locker's end.
async function lockStatements() {
  const p = engine === 'sqlite'
    ? spawn('sqlite3', [env.db], { stdio: ['pipe', 'ignore', 'inherit'] })
    : spawn('psql', ['-X', '-q', '-At', env.db], { stdio: ['pipe', 'ignore', 'inherit'] });
  const ended = new Promise((res) => p.once('close', res));
  p.stdin.end(engine === 'sqlite'
    ? `BEGIN IMMEDIATE;\n.shell sleep ${HOLD_S}\nCOMMIT;\n`
    : `BEGIN;\nLOCK TABLE statements IN SHARE ROW EXCLUSIVE MODE;\nSELECT pg_sleep(${HOLD_S});\nCOMMIT;\n`);
  for (let i = 0; i < 100 && !isLocked(); i++) await new Promise((r) => setTimeout(r, 20));
  return { ended };
}

const cookieOf = (r) => r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

async function signIn(url) {
  const page = await fetch(url + '/sign-in');
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const { username, password } = env.creds.lead;
  const r = await fetch(url + '/sign-in', { method: 'POST', redirect: 'manual',
    headers: { Cookie: cookieOf(page), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, username, password, next: '/' }) });
  const cookie = cookieOf(r).split('; ').filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
  const me = await (await fetch(url + '/api/v1/me', { headers: { Cookie: cookie } })).json();
  return { cookie, csrf: me.csrf_token };
}

const putVision = (url, who, text) => fetch(url + '/api/v1/statements/vision', { method: 'PUT',
  headers: { Cookie: who.cookie, 'X-CSRF-Token': who.csrf, 'Content-Type': 'application/json' },
  body: JSON.stringify({ text }) });

try {
  // One request thread: before the workers, a write waiting there held up every other connection.
  const srv = await startServer(bin, env.db, ['--quiet', '--threads', '1', '--workers', '2']);
  const who = await signIn(srv.url);
  const locked = await lockStatements();
  const t0 = performance.now();
  const vision = `Written while locked ${Date.now()}`;
  const put = putVision(srv.url, who, vision).then(async (r) => ({ status: r.status, ms: performance.now() - t0 }));
  await new Promise((r) => setTimeout(r, 300)); // the write is waiting on the lock by now
  const t1 = performance.now();
  const read = await fetch(srv.url + '/');
  await read.text();
  const readMs = performance.now() - t1;
  ok(read.status === 200 && readMs < 1500, `${engine}: a read is answered while a write waits on a lock (${readMs.toFixed(0)} ms)`);
  const wrote = await put;
  await locked.ended;
  ok(wrote.status === 200 && wrote.ms > 1000, `the write lands once the lock is gone (${wrote.status} after ${wrote.ms.toFixed(0)} ms)`);
  const shown = await (await fetch(srv.url + '/api/v1/purpose', { headers: { Cookie: who.cookie } })).text();
  ok(shown.includes(vision), 'and is read back');

  // Many writes at once through two workers: each answered, none lost.
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => putVision(srv.url, who, `Vision ${i}`)
    .then((r) => r.status)));
  ok(many.every((s) => s === 200), '20 writes at once through 2 workers are all answered', many.join(' '));

  // Stopped while a write waits: the write is answered, then the server exits cleanly.
  const locked2 = await lockStatements();
  const late = putVision(srv.url, who, `Written while stopping ${Date.now()}`).then((r) => r.status, () => 'cut off');
  await new Promise((r) => setTimeout(r, 300));
  const code = srv.stop();
  ok((await late) === 200, 'a write waiting when the server is told to stop is still answered', await late);
  ok((await code) === 0, 'and the server then exits 0', await code);
  await locked2.ended;
} catch (e) {
  ok(false, 'the workers suite ran', e.stack);
} finally {
  await done();
  env.cleanup();
}
