// Purpose pulses (issue 20), on each engine in one run: ANSWERS staff answering one wave by the link
// (each a new contributor session, as a phone without an account; 4 statements and one or two of 10
// groups each; CONNECTIONS at once, from addresses of 50 answers each so that the per-address limit on
// new sessions is not what is measured), timed per answer (the POST alone; target p99 < 50 ms); then
// a pulse of WAVES closed waves answered by 10 groups, and its results page and results API asked
// REPEAT times one after another (size, p50 and p99).
// Usage: node bench/pulses.mjs [build/release/purpose] [ANSWERS] [WAVES]
// BENCH_ENGINES ("sqlite postgresql"), BENCH_CONNECTIONS (4), BENCH_REPEAT (40) change the run. It
// exits 0 when a target is missed (a report), nonzero when a step fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer } from '../tests/lib/server.mjs';

const bin = resolve(process.argv[2] || 'build/release/purpose');
const ANSWERS = Number(process.argv[3] || 10000), WAVES = Number(process.argv[4] || 24);
const engines = (process.env.BENCH_ENGINES || 'sqlite postgresql').split(/\s+/).filter(Boolean);
const CONNS = Number(process.env.BENCH_CONNECTIONS || 4), REPEAT = Number(process.env.BENCH_REPEAT || 40);
const GROUPS = ['sg-nursing', 'sg-medical', 'sg-ahp', 'sg-ambulance', 'sg-admin', 'sg-estates', 'age-16', 'age-25', 'age-45', 'age-65'];
const load = () => execFileSync('cut', ['-d', ' ', '-f1-3', '/proc/loadavg'], { encoding: 'utf8' }).trim();
// The server's CPU time so far, in ms (utime + stime from /proc; 100 ticks a second).
const cpuMs = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
let seed = 20;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };

// A signed-in session of the demo's lead: cookie and CSRF token.
async function signIn(url, creds) {
  const page = await fetch(url + '/sign-in');
  const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const r = await fetch(url + '/sign-in', { method: 'POST', redirect: 'manual', headers: { Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, username: creds.username, password: creds.password }) });
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=')).join('; ');
  const me = await (await fetch(url + '/api/v1/me', { headers: { Cookie: cookie } })).json();
  const api = async (method, path, json) => {
    const x = await fetch(url + path, { method, headers: { Cookie: cookie, 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json) });
    if (x.status >= 300) throw new Error(`${method} ${path}: ${x.status} ${await x.text()}`);
    return x.json();
  };
  return api;
}

// n answers to the open wave by the link, CONNS at once; the POST's latency of each, in ms.
async function answer(url, pulse, wave, key, n, offset) {
  const lat = [];
  let next = 0;
  const address = new Map(); // address -> its pre-session cookie and token
  const one = async (i) => {
    const addr = `10.${(Math.floor((offset + i) / 50)) >> 8 & 255}.${Math.floor((offset + i) / 50) & 255}.1`;
    if (!address.has(addr)) {
      const page = await fetch(`${url}/pulses/${pulse.id}/answer?k=${key}`, { headers: { 'X-Forwarded-For': addr } });
      await page.arrayBuffer();
      const c = page.headers.getSetCookie().map((x) => x.split(';')[0]).find((x) => x.startsWith('purpose_csrf='));
      address.set(addr, { cookie: c, token: c.slice(c.indexOf('=') + 1).split('.')[0] });
    }
    const a = address.get(addr);
    const groups = [GROUPS[rand(6)], ...(rand(2) ? [GROUPS[6 + rand(4)]] : [])];
    const body = JSON.stringify({ wave_id: wave, key, groups, answers: Object.fromEntries(pulse.statements.map((s) => [s.id, 1 + rand(5)])) });
    const t = performance.now();
    const r = await fetch(`${url}/api/v1/pulses/${pulse.id}/answers`, { method: 'POST',
      headers: { Cookie: a.cookie, 'X-CSRF-Token': a.token, 'X-Forwarded-For': addr, 'Content-Type': 'application/json' }, body });
    await r.arrayBuffer();
    lat.push(performance.now() - t);
    if (r.status !== 201) throw new Error(`answer ${i}: ${r.status}`);
  };
  await Promise.all(Array.from({ length: CONNS }, async () => { while (next < n) await one(next++); }));
  return lat;
}

async function timed(url, path, cookie, pid) {
  const lat = [], c0 = cpuMs(pid);
  let bytes = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    const r = await fetch(url + path, { headers: { Cookie: cookie } });
    const b = await r.arrayBuffer();
    lat.push(performance.now() - t);
    bytes = b.byteLength;
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
  }
  return { kb: bytes / 1000, p50: pct(lat, 0.5), p99: pct(lat, 0.99), cpu: (cpuMs(pid) - c0) / REPEAT };
}

let pgDir = null;
const missed = [];
try {
  console.log(`pulses bench: ${ANSWERS} answers to one wave by the link, ${CONNS} at once; results of ${WAVES} waves x 10 groups, ` +
    `${REPEAT} requests a page; ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores shared with whatever else runs (load average at start: ${load()})`);
  for (const e of engines) {
    const dir = mkdtempSync(join(tmpdir(), 'purpose-bench-pulses-'));
    let db = join(dir, 'purpose.db');
    if (e === 'postgresql') {
      if (!pgDir) pgDir = execFileSync('bench/pg.sh', ['start'], { encoding: 'utf8' }).trim();
      db = execFileSync('bench/pg.sh', ['newdb', pgDir], { encoding: 'utf8' }).trim();
    }
    const key = join(dir, 'purpose.key');
    execFileSync(bin, ['init', '--demo', '--db', db, '--key-file', key], { cwd: dir, stdio: 'pipe' });
    const creds = Object.fromEntries(readFileSync(join(dir, 'demo-credentials.txt'), 'utf8').split('\n')
      .filter((l) => l && !l.startsWith('#')).map((l) => { const [role, username, password] = l.trim().split(/\s+/); return [role, { username, password }]; }));
    const srv = await startServer(bin, db, ['--quiet', '--key-file', key, '--trusted-proxy', '127.0.0.1']);
    try {
      const api = await signIn(srv.url, creds.lead);
      let pulse = await api('POST', '/api/v1/pulses', { title: 'Bench pulse', audience: ANSWERS });
      let opened = await api('POST', `/api/v1/pulses/${pulse.id}/open`, {});
      const t0 = performance.now(), c0 = cpuMs(srv.proc.pid);
      const lat = await answer(srv.url, pulse, opened.waves[0].id, opened.link_key, ANSWERS, 0);
      const wall = (performance.now() - t0) / 1000, cpu = (cpuMs(srv.proc.pid) - c0) / ANSWERS; /* with its share of the page GETs, 1 in 50 */
      const closing = performance.now();
      await api('POST', `/api/v1/pulses/${pulse.id}/close`, {});
      const closeMs = performance.now() - closing;
      const ok = pct(lat, 0.99) < 50;
      if (!ok) missed.push(`${e} answers`);
      console.log(`\n${e}: ${ANSWERS} answers in ${wall.toFixed(1)} s (${(ANSWERS / wall).toFixed(0)}/s): p50 ${pct(lat, 0.5).toFixed(2)} ms, ` +
        `p99 ${pct(lat, 0.99).toFixed(2)} ms, max ${Math.max(...lat).toFixed(1)} ms  ${ok ? 'PASS' : 'MISS'} (p99 < 50 ms); ` +
        `server CPU ${cpu.toFixed(2)} ms an answer; the close ${closeMs.toFixed(0)} ms`);

      pulse = await api('POST', '/api/v1/pulses', { title: 'Bench pulse, many waves', audience: 400,
        statements: ['I know our purpose', 'I can see how my work contributes to it', 'Our purpose guides the decisions made here',
          'I am able to make improvements happen in my area of work', 'I would recommend this as a place to work', 'I feel listened to'] });
      const t1 = performance.now();
      for (let w = 0; w < WAVES; w++) {
        opened = await api('POST', `/api/v1/pulses/${pulse.id}/open`, {});
        await answer(srv.url, pulse, opened.waves[w].id, opened.link_key, 120, 1000000 + w * 120);
        await api('POST', `/api/v1/pulses/${pulse.id}/close`, {});
      }
      console.log(`${WAVES} waves of 120 answers (6 statements, 10 groups) made in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      const cookie = await (async () => {
        const p = await fetch(srv.url + '/sign-in');
        const pre = p.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
        const csrf = (await p.text()).match(/name="csrf" value="([^"]+)"/)[1];
        const r = await fetch(srv.url + '/sign-in', { method: 'POST', redirect: 'manual', headers: { Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf, username: creds.member.username, password: creds.member.password }) });
        return r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=')).join('; ');
      })();
      for (const [name, path] of [['results page', `/pulses/${pulse.id}/results`], ['a group\'s results page', `/pulses/${pulse.id}/results?group=sg-nursing`],
        ['results API', `/api/v1/pulses/${pulse.id}/results`], ['wave counts CSV', `/pulses/${pulse.id}/export.csv`]]) {
        const r = await timed(srv.url, path, cookie, srv.proc.pid);
        console.log(`${name.padEnd(24)} ${r.kb.toFixed(1).padStart(7)} KB  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms` +
          `  server CPU ${r.cpu.toFixed(1).padStart(5)} ms`);
      }
    } finally {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nload average at the end: ${load()}`);
  console.log(`target (p99 < 50 ms per answer, on every engine): ${missed.length ? `MISSED: ${missed.join(', ')}` : 'met'}`);
} finally {
  if (pgDir) execFileSync('bench/pg.sh', ['stop', pgDir]);
}
