// A programme's conversations through the programme's API prefix (/api/v1/programmes/{slug}/...),
// with roles in the programme's scope, on the demo database: the ambulance service's lead, who leads
// in the handover programme and is only a contributor at the trust, starts and moderates a programme
// conversation there and cannot at the trust; a member of staff contributes, votes and lists their own;
// a programme's conversation is never reachable under the organisation or another programme, nor the
// organisation's under a programme. Prints TAP.
// usage: node tests/http/programme_conversations.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

async function signIn(role) {
  const page = await fetch(srv.url + '/sign-in');
  const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const r = await fetch(srv.url + '/sign-in', {
    method: 'POST', redirect: 'manual', headers: { Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, username: env.creds[role].username, password: env.creds[role].password }),
  });
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
  const me = await (await fetch(srv.url + '/api/v1/me', { headers: { Cookie: cookie } })).json();
  return async (method, path, json, headers = {}) => {
    const res = await fetch(srv.url + path, {
      method, headers: { Cookie: cookie, 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json', ...headers },
      body: json ? JSON.stringify(json) : undefined,
    });
    const text = await res.text();
    let body = null;
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: res.status, body };
  };
}
const anon = async (path) => {
  const r = await fetch(srv.url + path);
  return { status: r.status, body: await r.json() };
};
const P = '/api/v1/programmes/handovers/conversations';

try {
  let r = await anon(P);
  ok(r.status === 200 && r.body.conversations.length === 1 && r.body.conversations[0].question.startsWith('Why do we work together'),
    "the programme's conversations, and only its own", JSON.stringify(r.body).slice(0, 200));
  const pid = r.body.conversations[0].id;
  const trust = (await anon('/api/v1/conversations')).body.conversations;
  ok(!trust.some((c) => c.id === pid), "the trust's list leaves out the programme's conversation");
  ok((await anon(`${P}/${pid}`)).status === 200, 'a programme conversation under its programme');
  ok((await anon(`/api/v1/conversations/${pid}`)).status === 404, 'not under the organisation');
  ok((await anon(`/api/v1/programmes/chronic-pain/conversations/${pid}`)).status === 404, 'nor under another programme');
  ok((await anon(`${P}/${trust[0].id}`)).status === 404, "the trust's conversation is not under the programme");
  ok((await anon('/api/v1/programmes/chronic-pain/conversations')).body.conversations.length === 0, 'another programme has none');
  ok((await anon('/api/v1/programmes/no-such-programme/conversations')).status === 404, 'an unknown programme: 404');

  // ---- roles in the programme's scope ----
  const crew = await signIn('ambulance-lead'); // leads in the handover programme, contributor at the trust
  const now = Math.floor(Date.now() / 1000);
  const conv = { question: 'How should crews and the department share a handover board?', audience: 'staff', privacy: 'We keep what you write.', opens_at: now - 60, closes_at: now + 86400 };
  r = await crew('POST', '/api/v1/conversations', conv);
  ok(r.status === 403, "the ambulance service's lead cannot start one at the trust", String(r.status));
  r = await crew('POST', P, conv);
  ok(r.status === 201 && r.body.open === true, 'they start one in the programme they lead', JSON.stringify(r.body).slice(0, 200));
  const id = r.body.id;
  ok((await anon(P)).body.conversations.some((c) => c.id === id), "it is in the programme's list");
  ok((await anon(`/api/v1/conversations/${id}`)).status === 404, "and not in the trust's");

  // ---- a member of staff takes part through the programme's API ----
  const member = await signIn('member'); // a member at the trust: a contributor in the programme
  r = await member('POST', `${P}/${id}/contributions`, { body: 'One board, owned by both', anonymous: true });
  ok(r.status === 201 && r.body.state === 'queued' && r.body.author === '', 'a contribution through the programme API, queued: not staff in the programme', JSON.stringify(r.body));
  const secret = r.body.contributor;
  const item = r.body.id;
  r = await member('POST', `${P}/${id}/votes`, { item, vote: 'agree' }, { 'X-Contributor': secret });
  ok(r.status === 400 && /^item:/.test(r.body.error), 'a queued contribution takes no votes (400, naming the item)', JSON.stringify(r.body));
  r = await member('GET', `${P}/${id}/queue`);
  ok(r.status === 403, 'a contributor cannot see the queue');
  r = await crew('GET', `${P}/${id}/queue`);
  ok(r.status === 200 && r.body.contributions?.some((c) => c.id === item), "the programme's lead sees it waiting", JSON.stringify(r.body).slice(0, 200));
  r = await crew('POST', `/api/v1/conversations/${id}/moderation`, { item, decision: 'approve' });
  ok(r.status === 403 || r.status === 404, 'not moderated through the trust', String(r.status));
  r = await crew('POST', `${P}/${id}/moderation`, { item, decision: 'approve' });
  ok(r.status === 200 && r.body.state === 'published', 'the programme lead approves it', JSON.stringify(r.body));
  r = await member('POST', `${P}/${id}/votes`, { item, vote: 'agree' }, { 'X-Contributor': secret });
  ok(r.status === 200 && r.body.vote === 'agree', 'a vote through the programme API');
  r = await member('POST', `${P}/${id}/votes`, { item, vote: 'unsure' }, { 'X-Contributor': secret });
  const got = (await anon(`${P}/${id}`)).body.contributions.find((c) => c.id === item);
  ok(got.agree === 0 && got.unsure === 'fewer than 5', 'a second vote replaces the first; counts suppressed', JSON.stringify(got));
  r = await member('GET', `${P}/${id}/mine`, null, { 'X-Contributor': secret });
  ok(r.status === 200 && r.body.contributions.length === 1 && r.body.contributions[0].id === item, 'my contributions through the programme API');
  r = await crew('GET', `${P}/${id}/report`);
  ok(r.status === 200 && 'groups' in r.body && r.body.events.events === 0, "the programme lead reads who has been heard", JSON.stringify(r.body).slice(0, 200));
  r = await member('GET', `${P}/${id}/report`);
  ok(r.status === 403, 'a contributor cannot');
  const lead = await signIn('lead'); // the trust's lead also leads the handover programme
  r = await lead('POST', `${P}/${id}/events`, { title: 'Huddle at the ambulance station', format: 'huddle', place: 'North station', held_on: now, attendees: 8, attendance: { 'sg-ambulance': 8 } });
  ok(r.status === 201 && r.body.conversation_id === id, 'an event through the programme API');
  r = await anon(`${P}/${id}/summary`);
  ok(r.status === 200 && r.body.events.length === 1 && r.body.ideas === 'fewer than 5', "the programme conversation's summary", JSON.stringify(r.body).slice(0, 200));
} catch (e) {
  ok(false, 'programme conversations test ran', e.stack + '\n' + srv.stderr().slice(-3000));
} finally {
  const code = await srv.stop();
  ok(code === 0, 'the server stops cleanly (no leak or sanitizer report)', srv.stderr().slice(-3000));
  env.cleanup();
}
done();
