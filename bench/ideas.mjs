// A Big Conversation's public page (issue 17), on each engine in one run: a demo database, then a
// conversation of IDEAS ideas, COMMENTS comments and VOTES votes from PEOPLE participants loaded
// through the store in bulk (build/release/bench/ideas_gen), and `purpose serve` on it. For each
// page, its size (bytes of HTML, uncompressed) and wrk's req/s and p99 at CONNECTIONS connections for
// SECONDS, beside the same for the baseline measured in the same run: the home page "/" (a cached
// page), as bench/web.sh measures it. Pages: the conversation's first page, a search, a filtered
// page (the three with targets: < 100 KB, p99 < 50 ms), then a search that matches nothing, the
// most agreed and most divided, and a deep page, as figures. "cpu ms" is the server's CPU time per
// request of the page asked again and again (which ideas make it up is then known: ideas_cache.c);
// "cold ms" the same for pages of the listing not asked for before, found afresh.
// Usage: node bench/ideas.mjs [build/release/purpose] [IDEAS] [COMMENTS] [VOTES] [PEOPLE]
// BENCH_ENGINES ("sqlite postgresql"), BENCH_SECONDS (10), BENCH_CONNECTIONS (4) change the run.
// It exits 0 when a target is missed (a report), nonzero when a step fails.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from '../tests/lib/server.mjs';

const run = promisify(execFile);
const bin = resolve(process.argv[2] || 'build/release/purpose');
const gen = resolve('build/release/bench/ideas_gen');
const [IDEAS, COMMENTS, VOTES, PEOPLE] = [3, 4, 5, 6].map((i, k) => Number(process.argv[i] || [50000, 5000, 150000, 2100][k]));
const engines = (process.env.BENCH_ENGINES || 'sqlite postgresql').split(/\s+/).filter(Boolean);
const SECS = Number(process.env.BENCH_SECONDS || 10), CONNS = Number(process.env.BENCH_CONNECTIONS || 4);
const load = () => execFileSync('cut', ['-d', ' ', '-f1-3', '/proc/loadavg'], { encoding: 'utf8' }).trim();

const hasWrk = (() => { try { execFileSync('wrk', ['--version'], { stdio: 'ignore' }); return true; } catch (e) { return e.code !== 'ENOENT'; } })();

// Without wrk: CONNS keep-alive clients in this process, each sending its next request when the
// last is answered, for SECS seconds; every latency kept.
async function loop(url) {
  const lat = [];
  let non2xx = 0;
  const end = performance.now() + SECS * 1000;
  await Promise.all(Array.from({ length: CONNS }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const r = await fetch(url);
      await r.arrayBuffer();
      lat.push(performance.now() - t);
      if (r.status >= 300) non2xx++;
    }
  }));
  lat.sort((a, b) => a - b);
  return { rps: lat.length / SECS, p99: lat[Math.min(lat.length - 1, Math.ceil(0.99 * lat.length) - 1)], non2xx };
}

async function wrk(url) {
  if (!hasWrk) return loop(url);
  const { stdout } = await run('wrk', ['--latency', '-t2', `-c${CONNS}`, `-d${SECS}s`, url], { maxBuffer: 1 << 20 });
  const rps = Number((stdout.match(/Requests\/sec:\s+([\d.]+)/) || [])[1]);
  const m = stdout.match(/99%\s+([\d.]+)(us|ms|s)/);
  const non2xx = Number((stdout.match(/Non-2xx or 3xx responses:\s+(\d+)/) || [0, 0])[1]);
  return { rps, p99: m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : NaN, non2xx };
}

// The server's CPU time per request for n requests one after another (user + system, from /proc;
// PostgreSQL's own processes not counted). urlOf(i) is the i-th request's address.
async function cpuPerRequest(pid, urlOf, n) {
  const ticks = () => { const f = execFileSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' }).split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
  const t0 = ticks();
  for (let i = 0; i < n; i++) await (await fetch(urlOf(i))).arrayBuffer();
  return ((ticks() - t0) * 1000) / 100 / n; // USER_HZ is 100 on Linux
}
// The i-th of a listing's other pages: never asked for before, so its ideas are found afresh
// (web/ideas_cache.c keeps the ids of each page asked for).
function another(url, i) {
  const u = new URL(url);
  u.searchParams.set('page', String(Number(u.searchParams.get('page') || 1) + 1 + i));
  return u.href;
}

let pgDir = '';
const missed = [];
try {
  console.log(`ideas bench: a conversation of ${IDEAS} ideas, ${COMMENTS} comments, ${VOTES} votes from ${PEOPLE} people;` +
    ` ${hasWrk ? 'wrk 2 threads' : 'a node load loop (no wrk)'}, ${CONNS} connections, ${SECS} s a page, on ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores` +
    ` shared with whatever else runs (load average at start: ${load()})`);
  for (const e of engines) {
    const dir = mkdtempSync(join(tmpdir(), 'purpose-bench-ideas-'));
    let db = join(dir, 'purpose.db');
    if (e === 'postgresql') {
      if (!pgDir) pgDir = execFileSync('bench/pg.sh', ['start'], { encoding: 'utf8' }).trim();
      db = execFileSync('bench/pg.sh', ['newdb', pgDir], { encoding: 'utf8' }).trim();
    }
    const key = join(dir, 'purpose.key'); // the database's key file (docs/privacy.md)
    execFileSync(bin, ['init', '--demo', '--db', db, '--key-file', key], { cwd: dir, stdio: 'pipe' });
    const t0 = performance.now();
    const cid = execFileSync(gen, [db, IDEAS, COMMENTS, VOTES, PEOPLE].map(String),
      { encoding: 'utf8', env: { ...process.env, PURPOSE_KEY_FILE: key } }).trim();
    const loadS = (performance.now() - t0) / 1000;
    const srv = await startServer(bin, db, ['--quiet', '--key-file', key]);
    try {
      const base = `/conversations/${cid}`;
      const pages = [
        ['baseline: home page /', '/', false],
        ['first page', base, true],
        ['search "discharge"', `${base}?q=discharge`, true],
        ['filtered: theme, no response, public', `${base}?theme=Discharge&state=open&group=public`, true],
        ['search matching nothing', `${base}?q=zebra`, false],
        ['most agreed', `${base}?sort=agreed`, false],
        ['most divided', `${base}?sort=divided`, false],
        ['page 2,000', `${base}?page=2000`, false],
      ];
      console.log(`\n${e}: loaded in ${loadS.toFixed(1)} s through the store (bulk); conversation ${cid}`);
      console.log(`${'page'.padEnd(38)} ${'KB'.padStart(6)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(8)} ${'x base p99'.padStart(10)} ${'base/req/s'.padStart(10)} ${'cpu ms'.padStart(7)} ${'cold ms'.padStart(7)}  target`);
      let baseline;
      for (const [name, path, target] of pages) {
        const r = await fetch(srv.url + path);
        const body = await r.text();
        if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
        if (path !== '/' && !/Showing ideas|There are no ideas|No ideas match/.test(body)) throw new Error(`${path}: not a list of ideas`);
        const kb = Buffer.byteLength(body) / 1000;
        const w = await wrk(srv.url + path);
        if (w.non2xx) throw new Error(`${path}: ${w.non2xx} answers were not 2xx`);
        const cpu = await cpuPerRequest(srv.proc.pid, () => srv.url + path, 40);
        const cold = path === '/' ? cpu : await cpuPerRequest(srv.proc.pid, (i) => another(srv.url + path, i), 20);
        if (!baseline) baseline = w;
        const ok = kb < 100 && w.p99 < 50;
        if (target && !ok) missed.push(`${e} ${name}`);
        console.log(`${name.padEnd(38)} ${kb.toFixed(1).padStart(6)} ${w.rps.toFixed(0).padStart(8)} ${w.p99.toFixed(2).padStart(8)}` +
          ` ${(w.p99 / baseline.p99).toFixed(1).padStart(10)} ${(baseline.rps / w.rps).toFixed(1).padStart(10)} ${cpu.toFixed(1).padStart(7)} ${cold.toFixed(1).padStart(7)}` +
          `  ${target ? (ok ? 'PASS' : 'MISS') : ''}`);
      }
    } finally {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nload average at the end: ${load()}`);
  console.log(`targets (< 100 KB and p99 < 50 ms for the first page, the search and the filtered page, on every engine): ` +
    (missed.length ? `MISSED: ${missed.join(', ')}` : 'met'));
} finally {
  if (pgDir) execFileSync('bench/pg.sh', ['stop', pgDir]);
}
