// Shared by the HTTP and browser tests: TAP output, a demo database in a temporary folder, and a
// running `purpose serve` on a free port.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

// A new demo database; returns {dir, db, creds: {role: {username, password}}}.
export function demoDb(bin) {
  const dir = mkdtempSync(join(tmpdir(), 'purpose-test-'));
  const db = join(dir, 'purpose.db');
  execFileSync(bin, ['init', '--demo', '--db', db], { stdio: 'pipe' });
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
