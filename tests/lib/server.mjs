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
export function done() {
  console.log(`1..${n}`);
  process.exitCode = failed ? 1 : 0;
}

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

// Starts the server; resolves {url, proc, stderr(), stop()} once it prints its address.
export function startServer(bin, db, extraArgs = [], env = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...extraArgs],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/[0-9.]+:[0-9]+)\//);
      if (m) resolve({
        url: m[1], proc, stderr: () => err,
        stop: () => new Promise((res) => {
          if (proc.exitCode !== null) return res(proc.exitCode);
          proc.once('exit', (code, sig) => res(code ?? sig));
          proc.kill('SIGTERM');
        }),
      });
    });
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error('server did not start in 10 s')), 10000).unref();
  });
}
