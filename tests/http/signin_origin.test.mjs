// Sign-in against login CSRF and outages, on a real server. An attacker can fetch a valid pre-session
// cookie from /sign-in and plant it in the victim's browser: a sign-in POST from another site
// (an Origin that is not the server's own, or Sec-Fetch-Site: cross-site) is refused, while one from
// the server's own page, or one without Origin (curl, old browsers), signs in as before. With Secure
// cookies the pre-session cookie is named __Host-purpose_csrf, so no sibling subdomain can set it.
// A database failure during sign-in is no failed password: retries during an outage build up no
// throttle delay. Prints TAP.
// usage: node tests/http/signin_origin.test.mjs [build/release/purpose]
import { ok, done, demoDb, engine, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
console.log(`# engine: ${engine}`);
const { username, password } = env.creds.lead;

// Fetches the sign-in form (as an attacker would, to plant its cookie): {jar, csrf, setCookies}.
async function form(U) {
  const page = await fetch(U + '/sign-in');
  const setCookies = page.headers.getSetCookie();
  const jar = setCookies.map((c) => c.split(';')[0]).join('; ');
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  return { jar, csrf, setCookies };
}
async function post(U, jar, csrf, headers = {}, pass = password) {
  const r = await fetch(U + '/sign-in', {
    method: 'POST', redirect: 'manual',
    headers: { Cookie: jar, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ csrf, username, password: pass, next: '/' }),
  });
  await r.text();
  const session = r.headers.getSetCookie().some((c) => /^purpose_session=[^;]{10}/.test(c));
  return { status: r.status, session };
}

const srv = await startServer(bin, env.db, ['--quiet'], { PURPOSE_FAULT_HEADER: '1' });
const U = srv.url;
try {
  // ---- login CSRF: a planted, server-issued cookie posted from another site ---------------------
  for (const [what, headers] of [['Origin: https://evil.example', { Origin: 'https://evil.example' }],
    ['Origin: null', { Origin: 'null' }],
    ['an Origin on another port of the same host', { Origin: new URL(U).origin.replace(/:\d+$/, ':1') }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }]]) {
    const planted = await form(U);
    const r = await post(U, planted.jar, planted.csrf, headers);
    ok(r.status === 403 && !r.session, `a cross-site sign-in (${what}) with a planted cookie the server issued: 403, no session`,
      JSON.stringify(r));
  }
  const same = await form(U);
  const r1 = await post(U, same.jar, same.csrf, { Origin: new URL(U).origin, 'Sec-Fetch-Site': 'same-origin' });
  ok(r1.status === 303 && r1.session, 'a sign-in from the server\'s own origin signs in: 303', JSON.stringify(r1));
  const bare = await form(U);
  const r2 = await post(U, bare.jar, bare.csrf);
  ok(r2.status === 303 && r2.session, 'a sign-in without Origin (curl, old browsers) signs in as before: 303', JSON.stringify(r2));

  // ---- an outage is no failed password -----------------------------------------------------------
  const statuses = [];
  for (let i = 0; i < 8; i++) {
    const f = await form(U);
    const r = await post(U, f.jar, f.csrf, { 'X-Purpose-Fault': '1' });
    statuses.push(r.status);
  }
  ok(statuses.every((s) => s === 503 || s === 500), 'sign-in during a database failure: 503/500 each time', statuses.join(' '));
  const after = await form(U);
  const r3 = await post(U, after.jar, after.csrf);
  ok(r3.status === 303 && r3.session, 'then the right password signs in at once: the failed lookups were not counted as tries',
    JSON.stringify(r3));
  // the throttle itself still counts wrong passwords
  const wrong = [];
  for (let i = 0; i < 7; i++) {
    const f = await form(U);
    wrong.push((await post(U, f.jar, f.csrf, {}, 'not-the-password')).status);
  }
  ok(wrong.includes(429), 'wrong passwords are still throttled (429 after some)', wrong.join(' '));
} finally {
  await srv.stop();
}

// ---- Secure cookies: the __Host- prefix, and the origin is --public-url's ------------------------
const pub = 'https://purpose.example.nhs.uk';
const sec = await startServer(bin, env.db, ['--quiet', '--public-url', pub]);
try {
  const f = await form(sec.url);
  const pre = f.setCookies.find((c) => c.includes('csrf='));
  ok(pre && pre.startsWith('__Host-purpose_csrf=') && /; Secure/.test(pre) && /; Path=\//.test(pre) && !/Domain=/i.test(pre),
    'with Secure cookies the pre-session cookie is __Host-purpose_csrf (Secure, Path=/, no Domain)', pre);
  const planted = `purpose_csrf=${f.jar.split('=').slice(1).join('=')}`;
  const r0 = await post(sec.url, planted, f.csrf);
  ok(r0.status === 403 && !r0.session, 'the cookie under its name without the prefix is not read: 403', JSON.stringify(r0));
  const r1 = await post(sec.url, f.jar, f.csrf, { Origin: new URL(sec.url).origin });
  ok(r1.status === 403 && !r1.session, 'behind --public-url, an Origin other than it is refused', JSON.stringify(r1));
  const g = await form(sec.url);
  const r2 = await post(sec.url, g.jar, g.csrf, { Origin: pub });
  ok(r2.status === 303 && r2.session, 'an Origin equal to --public-url signs in: 303', JSON.stringify(r2));
} finally {
  await sec.stop();
}
await done();
