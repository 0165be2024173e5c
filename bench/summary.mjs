// The integrated performance summary under load (issue 10): a demo database with one more project
// holding MEASURES measures of POINTS weekly points each, loaded through the API; then the time of
// the first render of /summary after a change, and wrk on /summary (and /api/v1/summary) at 64
// connections, with Accept-Encoding: gzip as browsers send it and, as the baseline in the same run,
// without (the uncompressed bytes). Target: p99 < 50 ms; the first render after a change < 200 ms.
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
  const wrk = (path, extra) => {
    const out = execFileSync('wrk', ['--latency', '-t2', '-c64', `-d${SECS}s`, '-H', `Cookie: ${cookie}`, ...extra, U + path], { encoding: 'utf8' });
    const rps = Number((out.match(/Requests\/sec:\s+([\d.]+)/) || [])[1]);
    const m = out.match(/99%\s+([\d.]+)(us|ms|s)/);
    const p99 = m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : NaN;
    return { rps, p99 };
  };
  const verdicts = [];
  for (const path of ['/summary', '/api/v1/summary']) {
    await api('POST', '/api/v1/measures/1/points', { points: [{ date: '2025-12-01', value: 1 }] }); // a change
    const s = performance.now();
    const r = await fetch(U + path, { headers: { Cookie: cookie } }); // fetch sends Accept-Encoding: gzip
    const body = await r.text();
    const first = performance.now() - s;
    console.log(`${path}: first render after a change ${first.toFixed(0)} ms, ${body.length} bytes, HTTP ${r.status}, ` +
      `Content-Encoding ${r.headers.get('content-encoding') || 'none'}`);
    // The baseline: the same page without Accept-Encoding (the bytes as they are), in the same run.
    const plain = wrk(path, []);
    const gz = wrk(path, ['-H', 'Accept-Encoding: gzip']);
    console.log(`${path}: wrk 64 connections ${SECS}s: plain ${plain.rps.toFixed(0)} req/s, p99 ${plain.p99.toFixed(2)} ms; ` +
      `gzip (as browsers ask) ${gz.rps.toFixed(0)} req/s, p99 ${gz.p99.toFixed(2)} ms (${(gz.rps / plain.rps).toFixed(2)}x plain's req/s)`);
    verdicts.push(`${path}: p99 < 50 ms (gzip): ${gz.p99 < 50 ? 'PASS' : 'MISS'} (${gz.p99.toFixed(2)} ms); ` +
      `plain: ${plain.p99 < 50 ? 'PASS' : 'MISS'} (${plain.p99.toFixed(2)} ms); first render < 200 ms: ${first < 200 ? 'PASS' : 'MISS'} (${first.toFixed(0)} ms)`);
  }
  for (const v of verdicts) console.log(v);
} finally {
  await srv.stop();
  env.cleanup();
}
