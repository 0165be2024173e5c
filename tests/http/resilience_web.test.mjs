// Resilience at the web layer (issue 16, findings 2 and 6): a database failure under an API request
// answers JSON and the process lives on; a NUL byte in the request line, or a transfer coding the
// server cannot frame, is refused at once; the pre-session CSRF cookie is one the server issued (a
// planted one is refused); an administrator's change that changes nothing is not audited; a huge
// pasted handover file with an error answers the form with its error, not a bare 500.
// usage: node tests/http/resilience_web.test.mjs [build/release/purpose]
import { connect } from 'node:net';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);

// Sends raw bytes on a new connection; resolves {head, body, ms, closed} when the server closes
// it or after `wait` ms.
function raw(url, bytes, wait = 8000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const t0 = Date.now();
    const s = connect(Number(port), hostname);
    let got = Buffer.alloc(0), closed = false;
    const finish = () => {
      const text = got.toString('latin1');
      const at = text.indexOf('\r\n\r\n');
      resolve({ head: at < 0 ? text : text.slice(0, at), body: at < 0 ? '' : text.slice(at + 4), ms: Date.now() - t0, closed });
    };
    const timer = setTimeout(() => { s.destroy(); finish(); }, wait);
    s.on('data', (d) => { got = Buffer.concat([got, d]); });
    s.on('close', () => { closed = true; clearTimeout(timer); finish(); });
    s.on('error', () => {});
    s.write(Buffer.from(bytes, 'latin1'));
  });
}
const statusOf = (r) => Number((/^HTTP\/1\.1 (\d{3})/.exec(r.head) || [])[1] || 0);
const jsonError = (text) => { try { const e = JSON.parse(text).error; return typeof e === 'string' && e.length > 0; } catch { return false; } };

// ---- finding 2: a failed database step under an API request ------------------------------------
{
  // PURPOSE_FAULT_AFTER=n fails the n-th database step of the process; sweep n over the first
  // request's steps. Each answer is 200 or a JSON error, and the same process answers next.
  let failed = 0;
  const problems = [];
  for (let n = 1; n <= 6; n++) {
    const srv = await startServer(bin, env.db, ['--quiet'], { PURPOSE_FAULT_AFTER: String(n) });
    try {
      const r = await fetch(srv.url + '/api/v1/purpose');
      const text = await r.text();
      if (r.status >= 500) {
        failed++;
        if (!(r.headers.get('content-type') || '').startsWith('application/json') || !jsonError(text))
          problems.push(`n=${n}: ${r.status} ${r.headers.get('content-type')} ${text.slice(0, 200)}`);
      } else if (r.status !== 200) problems.push(`n=${n}: ${r.status}`);
      const next = await fetch(srv.url + '/api/v1/purpose');
      await next.text();
      if (next.status !== 200) problems.push(`n=${n}: the next request answered ${next.status}`);
    } catch (e) {
      problems.push(`n=${n}: ${e.message} (the server died?)`);
    }
    await srv.stop();
  }
  ok(failed > 0, `an injected database failure reached GET /api/v1/purpose (${failed} of 6 runs)`);
  ok(problems.length === 0, 'GET /api/v1/purpose under a failed database step: a JSON error, and the same process answers the next request',
    problems.join('\n'));
}

const srv = await startServer(bin, env.db, ['--quiet', '--max-body', String(16 << 20)]);
const U = srv.url;
const { req, signIn } = client(U, env.creds);
try {
  // ---- finding 6: the request line -----------------------------------------------------------
  for (const [line, what] of [['GET /values\x00x HTTP/1.1', 'a page'], ['GET /api/v1/purpose\x00.json HTTP/1.1', 'the API'],
    ['GET /values?x=1\x00 HTTP/1.1', 'a query']]) {
    const r = await raw(U, `${line}\r\nHost: x\r\n\r\n`);
    ok(statusOf(r) === 400 && !r.body.includes('Everyone counts'), `a NUL byte in the request line (${what}) is refused: 400, never served as the path before it`,
      `${r.head.split('\r\n')[0]} ${r.body.slice(0, 200)}`);
  }
  const plain = await raw(U, 'GET /values HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  ok(statusOf(plain) === 200 && plain.body.includes('Everyone counts'), 'the same request line without the NUL is served');
  const withQuery = await raw(U, 'GET /api/v1/audit?limit=1&x=%41 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  ok(statusOf(withQuery) === 401, 'a request line with a query is read whole (401: the audit log needs a token)', withQuery.head);

  // ---- finding 6: transfer codings that cannot be framed ---------------------------------------
  const body = '5\r\nhello\r\n0\r\n\r\n';
  for (const [te, want] of [['chunked, identity', 400], ['identity', 400], ['chunked, chunked', 400], ['gzip, chunked', 501]]) {
    for (const path of ['/api/v1/values', '/sign-in']) {
      const r = await raw(U, `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${te}\r\nContent-Type: application/json\r\n\r\n${body}`);
      ok(statusOf(r) === want && r.ms < 3000 && r.closed, `Transfer-Encoding: ${te} on ${path}: ${want} at once, the connection closed`,
        `${r.head.split('\r\n')[0]} after ${r.ms} ms, closed ${r.closed}`);
      if (path.startsWith('/api/')) ok(jsonError(r.body) && /Transfer-Encoding/.test(r.body), `Transfer-Encoding: ${te}: the API's JSON error names the header`, r.body);
    }
  }
  const chunked = await raw(U, `POST /api/v1/values HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n${body}`);
  ok(statusOf(chunked) === 401, 'Transfer-Encoding: chunked alone is read (401: no token)', chunked.head.split('\r\n')[0]);

  // ---- finding 6: the pre-session CSRF cookie is the server's ----------------------------------
  const { username, password } = env.creds.lead;
  const signInWith = (cookie, csrf) => req('POST', '/sign-in', { cookie, form: { csrf, username, password, next: '/' } });
  const planted = 'A'.repeat(43);
  const p1 = await signInWith(`purpose_csrf=${planted}`, planted);
  ok(p1.status === 403 && !p1.headers.getSetCookie().some((c) => /^purpose_session=[^;]{10}/.test(c)),
    'a planted pre-session cookie (a value the server never issued) does not sign anyone in: 403', p1.status);
  const p2 = await signInWith(`purpose_csrf=${planted}.9999999999.${'0'.repeat(32)}`, planted);
  ok(p2.status === 403, 'a planted cookie in the signed form with a made-up MAC: 403', p2.status);
  const page = await req('GET', '/sign-in');
  const issued = page.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('purpose_csrf='));
  const formToken = (page.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
  ok(issued && formToken && issued.slice('purpose_csrf='.length).startsWith(formToken + '.') && !issued.includes(formToken + formToken),
    'the sign-in form carries the nonce of the signed cookie the server set', issued);
  const [nonce, expires, mac] = issued.slice('purpose_csrf='.length).split('.');
  const p3 = await signInWith(`purpose_csrf=${nonce}.${Number(expires) + 86400}.${mac}`, nonce);
  ok(p3.status === 403, 'the issued cookie with its expiry moved on: 403', p3.status);
  const p4 = await signInWith(issued, formToken);
  ok(p4.status === 303 && p4.headers.getSetCookie().some((c) => /^purpose_session=[^;]{10}/.test(c)), 'the cookie the server issued signs in: 303', p4.status);

  // ---- finding 6: a change that changes nothing is not audited ---------------------------------
  const admin = await signIn('admin');
  const top = async () => (await req('GET', '/api/v1/audit?limit=1', { cookie: admin.cookie })).json().entries[0].id;
  const users = (await req('GET', '/api/v1/users', { cookie: admin.cookie })).json();
  const contributor = (users.users || users).find((u) => u.username === env.creds.contributor.username);
  const before = await top();
  const patch = (json) => req('PATCH', `/api/v1/users/${contributor.id}`, { cookie: admin.cookie, csrf: admin.csrf, json });
  const empty = await patch({});
  ok(empty.status === 200 && await top() === before, 'PATCH /api/v1/users/{id} {}: 200 and no audit entry', `${empty.status} ${empty.text}`);
  const same = await patch({ role: contributor.role, disabled: false });
  ok(same.status === 200 && await top() === before, 'PATCH with the values it has: 200 and no audit entry', `${same.status} ${same.text}`);
  const changed = await patch({ role: 'member' });
  const after = await top();
  ok(changed.status === 200 && after !== before, 'a real change is audited', `${changed.status} ${changed.text}`);
  const entry = (await req('GET', '/api/v1/audit?limit=1', { cookie: admin.cookie })).json().entries[0];
  ok(JSON.stringify(entry).includes('member'), 'the audit entry holds the change', JSON.stringify(entry).slice(0, 300));
  await patch({ role: contributor.role });

  // ---- finding 6: a huge pasted handover file with an error ------------------------------------
  const lead = await signIn('lead');
  const form = await req('GET', '/handovers/import', { cookie: lead.cookie });
  const csrf = (form.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
  const rows = ['site,arrival,handover'];
  for (let i = 0; rows.length < 185000; i++) {
    const d = new Date(Date.UTC(2031, 0, 1) + i * 60000), e = new Date(d.getTime() + 20 * 60000);
    rows.push(`Paste Site ${i % 7},${d.toISOString().slice(0, 16)}Z,${e.toISOString().slice(0, 16)}Z`);
  }
  rows.push('Paste Site 1,2031-05-01T10:00Z,2031-05-01T09:00Z'); // handed over before arrival
  const csv = rows.join('\n') + '\n';
  const big = await req('POST', '/handovers/import', { cookie: lead.cookie, form: { csrf, csv } });
  ok(csv.length > 8e6 && big.status === 400 && big.text.includes('Nothing was stored: 1 bad row') && big.text.includes('too long to show again') &&
    big.text.includes('nhsuk-error-summary') && big.text.includes('column &quot;handover&quot;'),
  `a ${(csv.length / 1e6).toFixed(1)} MB pasted handover file with one bad row: 400, the form with the bad row named`, `${big.status} ${(big.text.match(/nhsuk-error-summary.{0,900}/s) || [big.text.slice(0, 600)])[0]}`);
  const small = await req('POST', '/handovers/import', { cookie: lead.cookie, form: { csrf, csv: rows.slice(0, 3).join('\n') + '\n' + rows.at(-1) + '\n' } });
  ok(small.status === 400 && small.text.includes('Paste Site 1,2031-05-01T10:00Z') && !small.text.includes('too long'), 'a short paste with an error is shown again in the box', small.text.slice(0, 300));
  ok((await req('GET', '/')).status === 200, 'the server still answers');
} catch (e) {
  ok(false, 'the resilience tests ran to the end', e.stack);
} finally {
  await srv.stop();
  env.cleanup();
}
await done();
