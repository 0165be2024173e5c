// Shared fragments (src/web/cache.c) through a real server: a large summary page and its API answer
// gzip-encoded when asked for, byte for byte the plain answer once decoded, with Vary; the summary
// shows a change at once; a conversation's results show a new vote and lose a hidden idea within a
// second while they are reused between renders. Then the one caching rule (route_cache.c, issue 22):
// after a vote in conversation A or a sign-in, `/`, a programme's page and conversation B's results
// are answered from the cache (the same X-Purpose-Render, which PURPOSE_TEST=1 turns on), while A's
// results show the vote on the next request; a strategy change through one server shows on the
// other's `/` at once. Prints TAP.
// usage: node tests/http/cache.test.mjs [build/release/purpose]
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet'], { PURPOSE_TEST: '1' });
const other = await startServer(bin, env.db, ['--quiet'], { PURPOSE_TEST: '1' }); // a second server, one database

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
  const { req, signIn } = client(srv.url, env.creds);
  const lead = await signIn('lead');
  const cookie = lead.cookie;
  const api = async (method, path, json) => {
    const r = await req(method, path, { ...lead, json });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
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

  // One rule by dependency. Two new conversations, A and B, each with an idea.
  const convA = await api('POST', '/api/v1/conversations', { question: 'Conversation A?', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false });
  const convB = await api('POST', '/api/v1/conversations', { question: 'Conversation B?', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false });
  const ideaA = await api('POST', `/api/v1/conversations/${convA.id}/contributions`, { body: 'Idea in A' });
  await api('POST', `/api/v1/conversations/${convB.id}/contributions`, { body: 'Idea in B' });
  const voteIn = async (c, item) => {
    const pg = await fetch(srv.url + `/conversations/${c}`);
    const jar = pg.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
    const token = (await pg.text()).match(/name="csrf" value="([^"]+)"/)[1];
    const r = await fetch(srv.url + `/conversations/${c}/vote`, { method: 'POST', redirect: 'manual',
      headers: { Cookie: jar, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: token, item: String(item), vote: 'agree' }) });
    if (r.status !== 303) throw new Error(`vote: ${r.status} ${await r.text()}`);
  };
  // An anonymous GET: which rendering answered it, and its text.
  const seen = async (base, path) => {
    const r = await fetch(base + path);
    return { render: r.headers.get('x-purpose-render'), text: await r.text(), status: r.status };
  };
  const programme = (await (await fetch(srv.url + '/api/v1/programmes')).json()).programmes[0].slug;
  for (let i = 0; i < 5; i++) await voteIn(convA.id, ideaA.id); // counts under five are not shown
  const pages = ['/', `/programmes/${programme}`, `/conversations/${convB.id}/results`];
  const before = {};
  for (const path of pages) {
    await seen(srv.url, path);
    before[path] = await seen(srv.url, path);
  }
  const homeOther = await seen(other.url, '/');
  const resultsA = `/conversations/${convA.id}/results`;
  const agreeA = async () => {
    const m = (await seen(srv.url, resultsA)).text.match(/Idea in A<\/td><td[^>]*>[^<]*<\/td><td[^>]*>(\d+)<\/td>/);
    return m ? Number(m[1]) : -1;
  };
  ok(before['/'].render && before['/'].status === 200 && (await seen(srv.url, '/')).render === before['/'].render,
    'PURPOSE_TEST=1: an answer says which rendering it is, the same while it is kept', JSON.stringify(before['/'].render));
  const agreeBefore = await agreeA();
  await new Promise((r) => setTimeout(r, 1100)); // past every lag_ms: only the rule can keep an answer now
  await voteIn(convA.id, ideaA.id);
  ok((await agreeA()) === agreeBefore + 1, `conversation A's results show the vote on the next request (${agreeBefore} -> ${agreeBefore + 1})`);
  for (const path of pages) {
    const after = await seen(srv.url, path);
    ok(after.status === 200 && after.render === before[path].render, `after a vote in A, ${path} is answered from the cache`,
      `rendering ${before[path].render} then ${after.render}`);
  }
  ok((await seen(other.url, '/')).render === homeOther.render, 'and so is / on the second server');
  // Signing in writes a session, which no page shows.
  const page2 = await fetch(srv.url + '/sign-in');
  const pre2 = page2.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf2 = (await page2.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const si2 = await fetch(srv.url + '/sign-in', { method: 'POST', redirect: 'manual',
    headers: { Cookie: pre2, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: csrf2, username: env.creds.lead.username, password: env.creds.lead.password }) });
  ok(si2.status === 303, 'a second sign-in');
  ok((await seen(srv.url, '/')).render === before['/'].render, 'after a sign-in, / is answered from the cache');
  // A strategy change through one server is on the other's / at its next request.
  const vision = `One rule ${Date.now()}`;
  await api('PUT', '/api/v1/statements/vision', { text: vision });
  const changed = await seen(other.url, '/');
  ok(changed.text.includes(vision) && changed.render !== homeOther.render, 'a strategy change through one server shows on the other\'s / at once');
  const mine = await seen(srv.url, '/');
  ok(mine.text.includes(vision) && mine.render !== before['/'].render, 'and on its own');
} finally {
  await other.stop();
  await srv.stop();
  env.cleanup();
}
done();
