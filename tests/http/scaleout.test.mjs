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
