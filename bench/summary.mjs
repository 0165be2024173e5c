// The integrated performance summary under load (issue 10): a demo database with one more project
// holding MEASURES measures of POINTS weekly points each, loaded through the API; then the time of
// the first render of /summary after a change, and wrk on /summary (and /api/v1/summary) at 64
// connections. Target: p99 < 50 ms; the first render after a change < 200 ms.
// Usage: node bench/summary.mjs [build/release/purpose] [MEASURES] [POINTS] [SECONDS]
import { execFileSync } from 'node:child_process';
import { demoDb, startServer } from '../tests/lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const MEASURES = Number(process.argv[3] || 1000), POINTS = Number(process.argv[4] || 104), SECS = process.argv[5] || '10';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
try {
  const page = await fetch(U + '/sign-in');
  const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const si = await fetch(U + '/sign-in', { method: 'POST', redirect: 'manual',
    headers: { Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, username: env.creds.lead.username, password: env.creds.lead.password }) });
  const cookie = si.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
  const me = await (await fetch(U + '/api/v1/me', { headers: { Cookie: cookie } })).json();
  const api = async (method, path, json) => {
    const r = await fetch(U + path, { method, headers: { Cookie: cookie, 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json' },
      body: JSON.stringify(json) });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const amb = (await (await fetch(U + '/api/v1/purpose')).json()).themes[0].ambitions[0].id;
  const p = await api('POST', '/api/v1/projects', { title: 'Bench', aim: 'Load', status: 'active', score: 2, start_date: '2024-01-01', ambitions: [amb] });
  const t0 = Date.now();
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (let i = 0; i < MEASURES; i++) {
    const m = await api('POST', `/api/v1/projects/${p.id}/measures`, { name: `Measure ${i + 1}`, kind: 'process', direction: i % 2 ? 'increase' : 'decrease', target: 50 });
    const rows = [];
    for (let k = 0; k < POINTS; k++)
      rows.push(`${new Date(Date.UTC(2024, 0, 1 + 7 * k)).toISOString().slice(0, 10)},${(50 + 10 * rnd() + (k > POINTS - 10 ? 8 : 0)).toFixed(1)}`);
    await api('POST', `/api/v1/measures/${m.id}/points`, { csv: rows.join('\n') });
  }
  console.log(`loaded ${MEASURES} measures x ${POINTS} points in ${((Date.now() - t0) / 1000).toFixed(1)} s (${env.db.startsWith('postgres') ? 'postgresql' : 'sqlite'})`);
  for (const path of ['/summary', '/api/v1/summary']) {
    await api('POST', '/api/v1/measures/1/points', { points: [{ date: '2025-12-01', value: 1 }] }); // a change
    const s = performance.now();
    const r = await fetch(U + path, { headers: { Cookie: cookie } });
    const body = await r.text();
    console.log(`${path}: first render after a change ${(performance.now() - s).toFixed(0)} ms, ${body.length} bytes, HTTP ${r.status}`);
    const out = execFileSync('wrk', ['--latency', '-t2', '-c64', `-d${SECS}s`, '-H', `Cookie: ${cookie}`, U + path], { encoding: 'utf8' });
    const rps = (out.match(/Requests\/sec:\s+([\d.]+)/) || [])[1];
    const p99 = (out.match(/99%\s+([\d.]+\w+)/) || [])[1];
    console.log(`${path}: wrk 64 connections ${SECS}s: ${rps} req/s, p99 ${p99}`);
  }
} finally {
  await srv.stop();
  env.cleanup();
}
