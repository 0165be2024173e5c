// The board pack (issue 19): a demo database with MEASURES more measures of 24 monthly points each
// (loaded through the API: a project, then each measure and its points), then /summary.pdf and
// `purpose report --db` timed, each the median of RUNS after a warm-up. Target: under 2 s for 500
// measures. Usage: node bench/boardpack.mjs [build/release/purpose] [MEASURES] [RUNS]
// PURPOSE_TEST_ENGINE=postgresql with PURPOSE_TEST_PG_DIR (tests/pg.sh) runs it on PostgreSQL.
import { execFileSync, spawnSync } from 'node:child_process';
import { demoDb, startServer, keyFile } from '../tests/lib/server.mjs';
import { client } from '../tests/lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const MEASURES = Number(process.argv[3] || 500), RUNS = Number(process.argv[4] || 5), MAX_SECONDS = 2;
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const { req, signIn } = client(srv.url, env.creds);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const lead = await signIn('lead');
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });
  const proj = (await api('POST', '/api/v1/projects', { title: 'Board pack bench', aim: 'Many measures', status: 'active', score: 2,
    start_date: '2024-01-01', why_unaligned: 'bench' })).json().id;
  let seed = 1;
  const noise = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
  for (let k = 0; k < MEASURES; k++) {
    const m = (await api('POST', `/api/v1/projects/${proj}/measures`, { name: `Bench measure ${k + 1}`, kind: 'process', unit: '%',
      direction: k % 2 ? 'increase' : 'decrease', target: 80 })).json().id;
    const points = Array.from({ length: 24 }, (_, i) => ({ date: `${2023 + Math.floor(i / 12)}-${String(i % 12 + 1).padStart(2, '0')}-01`,
      value: Math.round((75 + 10 * noise() + (i > 16 && k % 3 === 0 ? 6 : 0)) * 10) / 10 }));
    const r = await api('POST', `/api/v1/measures/${m}/points`, { points });
    if (r.status !== 200) throw new Error(`points: ${r.status} ${r.text}`);
  }
  const time = async (fn) => { await fn(); const t = []; for (let i = 0; i < RUNS; i++) { const s = process.hrtime.bigint(); await fn(); t.push(Number(process.hrtime.bigint() - s) / 1e9); } return median(t); };
  let bytes = 0;
  const web = await time(async () => {
    const r = await fetch(`${srv.url}/summary.pdf`, { headers: { Cookie: lead.cookie } });
    bytes = (await r.arrayBuffer()).byteLength;
    if (r.status !== 200) throw new Error(`summary.pdf: ${r.status}`);
  });
  const cli = await time(async () => execFileSync(bin, ['report', '--db', env.db, '--key-file', keyFile(env.db), '-o', '/dev/null']));
  // CPU time apart from the wall clock: a shared machine's load stretches the second, not the first.
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', bin, 'report', '--db', env.db, '--key-file', keyFile(env.db), '-o', '/dev/null'],
    { encoding: 'utf8' });
  const cpu = (r.stderr || '').trim().split('\n').pop().split(' ').map(Number).reduce((a, b) => a + b, 0);
  const n = MEASURES + 13; /* the demo's own charted measures too */
  console.log(`\nboard pack of ${n} measures (${(bytes / 1e6).toFixed(1)} MB, ${RUNS} runs, median):`);
  console.log(`  GET /summary.pdf        ${web.toFixed(3)} s`);
  console.log(`  purpose report --db     ${cli.toFixed(3)} s (CPU ${Number.isFinite(cpu) ? cpu.toFixed(3) : '?'} s, /usr/bin/time; load ${execFileSync('cut', ['-d', ' ', '-f1', '/proc/loadavg'], { encoding: 'utf8' }).trim()})`);
  console.log(`  target: < ${MAX_SECONDS} s for 500 measures: ${Math.max(web, cli) < MAX_SECONDS ? 'PASS' : 'MISS'} (wall clock)`);
} finally {
  await srv.stop();
  env.cleanup();
}
