// Two `purpose serve` processes on one database (PostgreSQL, or one SQLite file): a user signed in
// through one is signed in on the other, and a change made through one is shown by the other on its
// very next request, even for pages each has cached. Prints TAP.
// usage: node tests/http/scaleout.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer, engine } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const a = await startServer(bin, env.db, ['--quiet']);
const b = await startServer(bin, env.db, ['--quiet']);

async function req(base, method, path, { cookie, form, csrf, json } = {}) {
  const h = {};
  if (cookie) h.Cookie = cookie;
  if (csrf) h['X-CSRF-Token'] = csrf;
  let body;
  if (form) { body = new URLSearchParams(form).toString(); h['Content-Type'] = 'application/x-www-form-urlencoded'; }
  if (json) { body = JSON.stringify(json); h['Content-Type'] = 'application/json'; }
  const r = await fetch(base + path, { method, headers: h, body, redirect: 'manual' });
  return { status: r.status, headers: r.headers, text: await r.text() };
}
const cookieOf = (r) => r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const csrfIn = (html) => (html.match(/name="csrf" value="([^"]+)"/) || [])[1];

try {
  // Both caches hold the public page before anything changes.
  for (const s of [a, b]) (await req(s.url, 'GET', '/')).text;
  const before = await req(b.url, 'GET', '/');
  ok(before.status === 200 && before.text.includes('Excellent care'), `${engine}: the second server serves the demo`);

  // Sign in through A; the session works on B.
  const { username, password } = env.creds.lead;
  const page = await req(a.url, 'GET', '/sign-in');
  const signed = await req(a.url, 'POST', '/sign-in', {
    cookie: cookieOf(page), form: { csrf: csrfIn(page.text), username, password, next: '/' } });
  const cookie = cookieOf(signed).split('; ').filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
  ok(signed.status === 303 && cookie, 'signed in through the first server');
  const meB = await req(b.url, 'GET', '/api/v1/me', { cookie });
  const me = meB.status === 200 ? JSON.parse(meB.text) : {};
  ok(me.username === username, 'the same session is signed in on the second server', meB.status);

  // A change through A is on B's next request, for the cached public page and the API.
  const vision = `Shared across servers ${Date.now()}`;
  const put = await req(a.url, 'PUT', '/api/v1/statements/vision', { cookie, csrf: me.csrf_token, json: { text: vision } });
  ok(put.status === 200, 'the lead changes the vision through the first server', put.status);
  const after = await req(b.url, 'GET', '/');
  ok(after.text.includes(vision), 'the second server shows the new vision on its next request');
  const api = await req(b.url, 'GET', '/api/v1/purpose');
  ok(api.text.includes(vision), 'and in its API');

  // The one route that declares a lag (a conversation's results, web_route.lag_ms: reused for up to
  // 250 ms while votes stream) catches up within its bound; the conversation's own page, which
  // declares none, shows a new idea on B's very next request even right after B served the results.
  const now = Math.floor(Date.now() / 1000);
  const made = await req(a.url, 'POST', '/api/v1/conversations', { cookie, csrf: me.csrf_token, json: {
    question: 'Across servers?', audience: 'all', privacy: 'We keep no names.', opens_at: now - 3600, closes_at: now + 86400 } });
  const cid = made.status === 201 ? JSON.parse(made.text).id : 0;
  ok(cid > 0, 'the lead opens a conversation through the first server', made.text);
  // "0 published ideas", then (counts under 5 are not shown) "Fewer than 5 published ideas".
  const count = async () => ((await req(b.url, 'GET', `/conversations/${cid}/results`)).text
    .match(/<p>([^<]*) published idea/) || [])[1];
  const n0 = await count();
  const idea = `An idea shared across servers ${Date.now()}`;
  const h = { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, Cookie: cookie };
  const added = await fetch(a.url + `/api/v1/conversations/${cid}/contributions`, { method: 'POST', headers: h, body: JSON.stringify({ body: idea }) });
  ok(added.status === 201, 'an idea added through the first server', `${added.status} ${await added.text()}`);
  const conv = await req(b.url, 'GET', `/conversations/${cid}`);
  ok(conv.text.includes(idea), 'the second server shows it on the conversation page at its next request');
  const t0 = Date.now();
  let n1 = await count();
  while (n1 === n0 && Date.now() - t0 < 2000) n1 = await count();
  ok(n0 === '0' && n1 && n1 !== n0 && Date.now() - t0 <= 1000, `and on the results within 1 s (${Date.now() - t0} ms)`, `${n0} -> ${n1}`);

  // Signing out through B ends the session on A at once.
  const out = await req(b.url, 'POST', '/sign-out', { cookie, form: { csrf: me.csrf_token } });
  ok(out.status === 303, 'signed out through the second server', out.status);
  const meA = await req(a.url, 'GET', '/api/v1/me', { cookie });
  ok(meA.status === 401, 'the first server no longer accepts the session', meA.status);
} catch (e) {
  ok(false, 'scale-out tests ran to the end', e.stack);
}
await a.stop();
await b.stop();
env.cleanup();
done();
