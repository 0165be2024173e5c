// Shared by the HTTP and browser tests: TAP output, a demo database in a temporary folder, and a
// running `purpose serve` on a free port.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

let n = 0, failed = 0;
export function ok(cond, name, detail) {
  n++;
  if (cond) console.log(`ok ${n} - ${name}`);
  else {
    failed++;
    console.log(`not ok ${n} - ${name}`);
    if (detail !== undefined) console.log(`# ${String(detail).split('\n').join('\n# ')}`);
  }
  return cond;
}
// Ends the suite: stops every server still running (so that each one's sanitizer report is read,
// see startServer), then prints the plan. A suite may await it or not.
export async function done() {
  for (const s of [...running]) await s.stop();
  console.log(`1..${n}`);
  process.exitCode = failed ? 1 : 0;
}

// A sanitized build reports at exit: LeakSanitizer when memory was never freed, AddressSanitizer or
// UndefinedBehaviorSanitizer on a bad access (and the process then dies). Any of them fails the suite.
const SANITIZER_REPORT = /ERROR: (LeakSanitizer|AddressSanitizer)|runtime error:|SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer/;
export function sanitizerReport(stderr) {
  const m = SANITIZER_REPORT.exec(stderr);
  if (!m) return null;
  const from = stderr.lastIndexOf('\n', Math.max(0, m.index - 1)) + 1;
  return stderr.slice(from, from + 4000);
}
const running = new Set();

// The engine the suite runs on: tests/run.sh sets PURPOSE_TEST_ENGINE=postgresql and
// PURPOSE_TEST_PG_DIR (a server from tests/pg.sh) to run a suite on PostgreSQL; else SQLite.
export const engine = process.env.PURPOSE_TEST_ENGINE === 'postgresql' ? 'postgresql' : 'sqlite';
const repo = new URL('../..', import.meta.url).pathname;

// Every database needs its key file (docs/privacy.md): beside a SQLite file by default; a PostgreSQL
// URL has none, so on PostgreSQL the suite's processes share one key file, which `purpose init`
// makes and each new database adopts. Children inherit PURPOSE_KEY_FILE.
if (engine === 'postgresql' && !process.env.PURPOSE_KEY_FILE) {
  const keyDir = mkdtempSync(join(tmpdir(), 'purpose-key-'));
  process.env.PURPOSE_KEY_FILE = join(keyDir, 'purpose.key');
  process.on('exit', () => rmSync(keyDir, { recursive: true, force: true }));
}
// The key file of the database at db.
export function keyFile(db) {
  return process.env.PURPOSE_KEY_FILE || `${db}.key`;
}

// A new empty database: a file in dir for SQLite, a new database on the test server for PostgreSQL.
export function freshDb(dir, name = 'purpose.db') {
  if (engine === 'sqlite') return join(dir, name);
  return execFileSync(join(repo, 'tests/pg.sh'), ['newdb', process.env.PURPOSE_TEST_PG_DIR], { encoding: 'utf8' }).trim();
}

// A new demo database; returns {dir, db, creds: {role: {username, password}}}.
export function demoDb(bin) {
  const dir = mkdtempSync(join(tmpdir(), 'purpose-test-'));
  const db = freshDb(dir);
  execFileSync(resolve(bin), ['init', '--demo', '--db', db], { stdio: 'pipe', cwd: dir });
  const creds = {};
  for (const line of readFileSync(join(dir, 'demo-credentials.txt'), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [role, username, password] = line.trim().split(/\s+/);
    creds[role] = { username, password };
  }
  return { dir, db, creds, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// The leak checker's suppressions (tests/run.sh sets them too, for suites run on their own).
const lsan = `suppressions=${join(repo, 'tests/lsan.supp')}`;

// Starts the server; resolves {url, proc, stderr(), stop()} once it prints its address.
// stop() sends SIGTERM (the server finishes what is in flight and exits, so that a sanitized build's
// leak checker runs), waits up to 20 s (then SIGKILL), and resolves with the exit code (or signal).
// A sanitizer report on the server's stderr, or a server that does not stop, is a failing test line.
export function startServer(bin, db, extraArgs = [], env = {}) {
  return new Promise((resolve, reject) => {
    const lsanOptions = process.env.LSAN_OPTIONS?.includes('suppressions=') ? process.env.LSAN_OPTIONS
      : [lsan, process.env.LSAN_OPTIONS].filter(Boolean).join(':');
    const proc = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...extraArgs],
      { env: { ...process.env, LSAN_OPTIONS: lsanOptions, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    proc.stderr.on('data', (d) => { err += d; });
    // 'close': the process has exited and its stderr is read to the end.
    const exited = new Promise((res) => proc.once('close', (code, sig) => res(code ?? sig)));
    let stopping = null;
    const stop = () => stopping ??= (async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      let timer;
      const late = new Promise((res) => { timer = setTimeout(() => res('late'), 20000); });
      let code = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (code === 'late') {
        ok(false, `purpose serve (${bin}) stops within 20 s of SIGTERM`);
        proc.kill('SIGKILL');
        code = await exited;
      }
      running.delete(server);
      const report = sanitizerReport(err);
      if (report) ok(false, `purpose serve (${bin}) exits without a sanitizer report`, report);
      return code;
    })();
    const server = { proc, stderr: () => err, stop };
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/[0-9.]+:[0-9]+)\//);
      if (m && !server.url) {
        server.url = m[1];
        running.add(server);
        resolve(server);
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error('server did not start in 10 s')), 10000).unref();
  });
}
