// Shared fragments (src/web/cache.c) through a real server: a large summary page and its API answer
// gzip-encoded when asked for, byte for byte the plain answer once decoded, with Vary; the summary
// shows a change at once; a conversation's results show a new vote and lose a hidden idea within a
// second while they are reused between renders. Prints TAP.
// usage: node tests/http/cache.test.mjs [build/release/purpose]
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

// A raw GET (node's fetch would decode gzip itself): {status, headers, body: Buffer}.
function raw(path, headers) {
  return new Promise((resolve, reject) => {
    const u = new URL(srv.url + path);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

try {
  const page = await fetch(srv.url + '/sign-in');
  const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const si = await fetch(srv.url + '/sign-in', { method: 'POST', redirect: 'manual',
    headers: { Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, username: env.creds.lead.username, password: env.creds.lead.password }) });
  const cookie = si.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
  const me = await (await fetch(srv.url + '/api/v1/me', { headers: { Cookie: cookie } })).json();
  const api = async (method, path, json, extra = {}) => {
    const r = await fetch(srv.url + path, { method, headers: { Cookie: cookie, 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json', ...extra },
      body: JSON.stringify(json) });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };

  // Enough measures that the summary page and its API answer are over 32 KB.
  const amb = (await (await fetch(srv.url + '/api/v1/purpose')).json()).themes[0].ambitions[0].id;
  const p = await api('POST', '/api/v1/projects', { title: 'Cache test', aim: 'Many measures', status: 'active', score: 2, start_date: '2024-01-01', ambitions: [amb] });
  let first = 0;
  for (let i = 0; i < 130; i++) {
    const m = await api('POST', `/api/v1/projects/${p.id}/measures`, { name: `Cached measure ${i + 1}`, kind: 'process', direction: 'increase', target: 50 });
    if (!first) first = m.id;
    await api('POST', `/api/v1/measures/${m.id}/points`, { csv: '2024-01-01,40\n2024-01-08,45\n2024-01-15,47' });
  }
  for (const path of ['/summary', '/api/v1/summary']) {
    const plain = await raw(path, { Cookie: cookie });
    const gz = await raw(path, { Cookie: cookie, 'Accept-Encoding': 'deflate, gzip;q=0.8' });
    ok(plain.status === 200 && plain.body.length > 32768 && !plain.headers['content-encoding'] && plain.headers.vary === 'Accept-Encoding',
      `${path}: plain without Accept-Encoding, with Vary (${plain.body.length} bytes)`, JSON.stringify(plain.headers));
    let decoded = Buffer.alloc(0);
    try { decoded = gunzipSync(gz.body); } catch (e) { decoded = Buffer.from(String(e)); }
    ok(gz.headers['content-encoding'] === 'gzip' && gz.headers.vary === 'Accept-Encoding' && gz.body.length < plain.body.length / 3,
      `${path}: gzip when asked (${gz.body.length} bytes)`, JSON.stringify(gz.headers));
    ok(decoded.equals(plain.body), `${path}: the gzip answer decodes to the plain answer byte for byte`,
      `${decoded.length} vs ${plain.body.length} bytes`);
    const refused = await raw(path, { Cookie: cookie, 'Accept-Encoding': 'gzip;q=0, identity' });
    ok(!refused.headers['content-encoding'] && refused.body.equals(plain.body), `${path}: gzip;q=0 is answered plain`);
  }
  // A change shows on the next request, compressed or not.
  await api('POST', `/api/v1/measures/${first}/points`, { points: [{ date: '2024-01-22', value: 987.5 }] });
  const after = gunzipSync((await raw('/api/v1/summary', { Cookie: cookie, 'Accept-Encoding': 'gzip' })).body).toString();
  ok(after.includes('987.5'), 'the summary shows a change on the next request');

  // Results: reused between renders for up to 250 ms while votes stream, never a second behind.
  const now = Math.floor(Date.now() / 1000);
  const conv = await api('POST', '/api/v1/conversations', { question: 'What should we cache?', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false });
  const idea = await api('POST', `/api/v1/conversations/${conv.id}/contributions`, { body: 'Cache the results' });
  // Each voter a visitor without an account, in a browser of their own (a signed-in person has one
  // vote per item, whatever their contributor sessions).
  const vote = async () => {
    const pg = await fetch(srv.url + `/conversations/${conv.id}`);
    const jar = pg.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = (await pg.text()).match(/name="csrf" value="([^"]+)"/)[1];
    const r = await fetch(srv.url + `/conversations/${conv.id}/vote`, { method: 'POST', redirect: 'manual',
      headers: { Cookie: jar, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, item: String(idea.id), vote: 'agree' }) });
    if (r.status !== 303) throw new Error(`vote: ${r.status} ${await r.text()}`);
  };
  const results = `/conversations/${conv.id}/results`;
  const agreeShown = async () => {
    const html = await (await fetch(srv.url + results)).text();
    const m = html.match(/Cache the results<\/td><td[^>]*>[^<]*<\/td><td[^>]*>(\d+)<\/td>/);
    return m ? Number(m[1]) : -1;
  };
  // Within a second, polling as a visitor would.
  const within = async (want) => {
    const t = Date.now();
    while (Date.now() - t < 1000) {
      if (await want()) return Date.now() - t;
      await new Promise((r) => setTimeout(r, 20));
    }
    return -1;
  };
  for (let i = 0; i < 5; i++) await vote(i);
  let ms = await within(async () => (await agreeShown()) === 5);
  ok(ms >= 0, `the results show five votes within a second (${ms} ms)`);
  for (let i = 5; i < 8; i++) {
    await vote(i);
    await agreeShown(); // renders keep being requested while votes arrive
  }
  ms = await within(async () => (await agreeShown()) === 8);
  ok(ms >= 0, `votes arriving while the results are read show within a second (${ms} ms)`);
  const signedIn = await (await fetch(srv.url + results, { headers: { Cookie: cookie } })).text();
  ok(signedIn.includes('Signed in as') && signedIn.includes('Cache the results'), 'a signed-in visitor gets the same results in their own frame');
  await api('POST', `/api/v1/conversations/${conv.id}/moderation`, { item: idea.id, decision: 'hide', reason: 'Test' });
  ms = await within(async () => !(await (await fetch(srv.url + results)).text()).includes('Cache the results'));
  ok(ms >= 0, `a hidden idea leaves the results within a second (${ms} ms)`);
} finally {
  await srv.stop();
  env.cleanup();
}
done();
