// Contributor sessions a board can trust (issue 17, Deliver 4 and 7) through a real server on the demo
// database: sessions are issued and signed by the server and never chosen by the client (one script
// with many invented X-Contributor values: every vote refused, nothing counted); a signed-in person has
// one vote per item whatever their sessions; issuing new sessions is limited per address; results say
// how many votes came from people without an account; signing out or in ends the page's session, and a
// session that survives on a shared PC is refused for the next person; bad input (a tampered or
// another person's session, another conversation's item, text that is not UTF-8) is an error naming
// the field, with nothing stored or audited. Prints TAP.
// usage: node tests/http/contributor_sessions.test.mjs [build/release/purpose]
import { readFileSync } from 'node:fs';
import { ok, done, demoDb, startServer, keyFile } from '../lib/server.mjs';
import { blake2b } from '../lib/blake2b.mjs';
import { browser as browse, csrfOf, signIn as signInAs } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet', '--trusted-proxy', '127.0.0.1']);

// A browser: keeps its cookies, as one person's browser on one address would.
function browser(addr = '10.0.0.1') {
  const b = browse(srv, { 'X-Forwarded-For': addr });
  return {
    ...b,
    api: async (method, path, json, extra = {}) => {
      const r = await b.api(method, path, json, extra);
      const text = await r.text();
      let body = null;
      try { body = JSON.parse(text); } catch { body = text; }
      return { status: r.status, body, headers: r.headers };
    },
  };
}

const signIn = (b, role) => signInAs(srv, env, role, b);

const admin = browser('10.9.0.1');
await signIn(admin, 'admin');
const auditSize = async () => {
  const r = await admin.api('GET', '/api/v1/audit?limit=1000');
  return r.body.entries.length;
};

try {
  const lead = browser('10.0.0.2');
  await signIn(lead, 'lead');
  const now = Math.floor(Date.now() / 1000);
  const conv = (await lead.api('POST', '/api/v1/conversations', { question: 'Can a board quote these votes?', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false })).body;
  const other = (await lead.api('POST', '/api/v1/conversations', { question: 'Another conversation', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false })).body;
  const A = `/api/v1/conversations/${conv.id}`;
  let r = await lead.api('POST', `${A}/contributions`, { body: 'Protected time for handovers' });
  const item = r.body.id, leadToken = r.body.contributor;
  ok(r.status === 201 && /^[A-Za-z0-9_-]{43}\.\d+\.[0-9a-f]{32}$/.test(leadToken),
    'a contribution without X-Contributor is issued a signed session by the server', JSON.stringify(r.body));
  const otherItem = (await lead.api('POST', `/api/v1/conversations/${other.id}/contributions`, { body: 'Elsewhere' })).body.id;
  const agreeOf = async (id = item) => (await lead.api('GET', A)).body.contributions.find((c) => c.id === id);

  // ---- vote stuffing: one script, many invented contributor ids ----
  const script = browser('10.0.1.1');
  await signIn(script, 'member');
  let refused = 0, named = 0;
  for (let i = 0; i < 40; i++) {
    r = await script.api('POST', `${A}/votes`, { item, vote: 'agree' },
      { 'X-Contributor': `stuffing-voter-${String(i).padStart(12, '0')}` });
    refused += r.status === 400;
    named += typeof r.body.error === 'string' && r.body.error.startsWith('X-Contributor:');
  }
  let got = await agreeOf();
  ok(refused === 40 && named === 40 && got.agree === 0, 'forty invented X-Contributor ids: all refused, naming X-Contributor, none counted',
    `${refused} refused, agree ${got.agree}`);
  const [sec, exp, mac] = leadToken.split('.');
  const flip = (s) => s.slice(0, -1) + (s.endsWith('0') ? '1' : '0');
  for (const [what, tok] of [['a changed MAC', `${sec}.${exp}.${flip(mac)}`], ['a changed expiry', `${sec}.${Number(exp) + 1000}.${mac}`],
    ['a changed secret', `${flip(sec)}.${exp}.${mac}`], ['an expired one', `${sec}.${now - 10}.${mac}`]]) {
    r = await script.api('POST', `${A}/votes`, { item, vote: 'agree' }, { 'X-Contributor': tok });
    ok(r.status === 400 && /^X-Contributor:/.test(r.body.error), `${what} is refused`, JSON.stringify(r.body));
  }
  // One the server did issue to this person, now expired (its MAC made with the key file's key, as
  // the server made it when it issued it): refused as expired, nothing counted.
  const key = Buffer.from(readFileSync(keyFile(env.db), 'utf8').trim(), 'hex');
  const leadId = (await lead.api('GET', '/api/v1/me')).body.id;
  const stale = `${sec}.${now - 10}.${blake2b(`contributor:${sec}:${now - 10}:${leadId}`, key).toString('hex').slice(0, 32)}`;
  const beforeStale = JSON.stringify(await agreeOf());
  r = await lead.api('POST', `${A}/votes`, { item, vote: 'disagree' }, { 'X-Contributor': stale });
  ok(r.status === 400 && /^X-Contributor: this contributor session has expired/.test(r.body.error) && JSON.stringify(await agreeOf()) === beforeStale,
    'a session the server issued that has expired is refused as expired, nothing counted', JSON.stringify(r.body));
  r = await script.api('POST', `${A}/votes`, { item, vote: 'agree' }, { 'X-Contributor': leadToken });
  ok(r.status === 400 && /^X-Contributor:/.test(r.body.error), "another person's session is refused", JSON.stringify(r.body));
  r = await script.api('GET', `${A}/mine`, undefined, { 'X-Contributor': leadToken });
  ok(r.status === 400, "another person's session lists nothing of theirs", JSON.stringify(r.body));

  // Many sessions, one account: counted once.
  let tokens = new Set();
  for (let i = 0; i < 12; i++) {
    r = await script.api('POST', `${A}/votes`, { item, vote: i % 2 ? 'agree' : 'disagree' });
    if (r.status === 200) tokens.add(r.body.contributor);
  }
  got = await agreeOf();
  ok(tokens.size === 12 && got.agree === 'fewer than 5' && got.disagree === 0,
    'a signed-in person with twelve sessions has one vote, the last', `${tokens.size} sessions, ${JSON.stringify(got)}`);
  ok(got.no_account === 0, 'a signed-in vote is not counted as one without an account', JSON.stringify(got));

  // ---- people without an account: each new session is one more, at most 60 per address ----
  const pageOf = `/conversations/${conv.id}`;
  let votes = 0, limited = 0;
  for (let i = 0; i < 66; i++) {
    const v = browser('10.0.2.1'); // a fresh browser each time, one address
    const page = await (await v.get(pageOf)).text();
    r = await v.post(`${pageOf}/vote`, { csrf: csrfOf(page), item: String(item), vote: 'agree' });
    votes += r.status === 303;
    limited += r.status === 429;
  }
  got = await agreeOf();
  ok(votes === 60 && limited === 6 && got.agree === 61, 'dropping the cookie: 60 new sessions from one address, then 429',
    `${votes} counted, ${limited} refused, agree ${got.agree}`);
  ok(got.no_account === 60, 'the API says 60 of its votes came from people without an account', JSON.stringify(got));
  const results = await (await lead.get(`${pageOf}/results`)).text();
  ok(/Votes on them: about 60, of which 60 from people without an account/.test(results), 'the results page says so (the total to the nearest 10: 61 - 60 would give the one signed-in vote)', results.match(/<p id="votes">[^<]*/)?.[0]);

  // ---- shared PC: sign out, the next person signs in ----
  const pc = browser('10.0.3.1');
  await signIn(pc, 'member');
  let page = await (await pc.get(pageOf)).text();
  r = await pc.post(`${pageOf}/contribute`, { csrf: csrfOf(page), body: 'Said on the ward PC', anonymous: '1' });
  ok(r.status === 303 && pc.jar.has('purpose_contributor'), 'the first person contributes anonymously on a shared PC');
  const first = pc.jar.get('purpose_contributor');
  page = await (await pc.get(pageOf)).text();
  await pc.post(`${pageOf}/vote`, { csrf: csrfOf(page), item: String(item), vote: 'unsure' });
  r = await pc.post('/sign-out', { csrf: csrfOf(page) });
  ok(!pc.jar.has('purpose_contributor'), 'signing out ends the contributor session', r.headers.getSetCookie().join(' | '));
  await signIn(pc, 'contributor');
  let mine = await (await pc.get(`${pageOf}/mine`)).text();
  ok(!mine.includes('Said on the ward PC') && !mine.includes('Withdraw'), "the next person sees none of the first person's contributions");
  // A session that survived (a copied cookie, a session that lapsed without signing out).
  pc.jar.set('purpose_contributor', first);
  mine = await (await pc.get(`${pageOf}/mine`)).text();
  ok(!mine.includes('Said on the ward PC') && !pc.jar.has('purpose_contributor'), 'a surviving cookie is refused and forgotten');
  pc.jar.set('purpose_contributor', first);
  const before = await auditSize();
  const theirs = (await agreeOf()).unsure;
  page = await (await pc.get(pageOf)).text();
  pc.jar.set('purpose_contributor', first);
  r = await pc.post(`${pageOf}/vote`, { csrf: csrfOf(page), item: String(item), vote: 'disagree' });
  ok(r.status === 400 && (await r.text()).includes('contributor:'), "the next person cannot act through the first person's session", String(r.status));
  pc.jar.set('purpose_contributor', first);
  const firstIdea = (await lead.api('GET', A)).body.contributions.find((c) => c.body === 'Said on the ward PC');
  r = await pc.post(`${pageOf}/withdraw`, { csrf: csrfOf(page), item: String(firstIdea.id), confirm: 'yes' });
  ok(r.status === 400, "nor withdraw the first person's idea", String(r.status));
  got = await agreeOf();
  ok(got.unsure === theirs && got.disagree === 0 && (await agreeOf(firstIdea.id)).state === 'published',
    "the first person's vote and idea are as they left them", JSON.stringify(got));
  ok(await auditSize() === before, 'nothing was audited');

  // ---- bad input: nothing stored, nothing audited ----
  const bad = browser('10.0.4.1');
  await signIn(bad, 'member');
  const n0 = (await lead.api('GET', A)).body.contributions.length, a0 = await auditSize();
  r = await bad.api('POST', `${A}/votes`, { item: otherItem, vote: 'agree' });
  ok(r.status === 400 && /^item:/.test(r.body.error), "a vote on another conversation's item names item", JSON.stringify(r.body));
  r = await bad.api('POST', `${A}/contributions`, { body: 'A comment', parent_id: otherItem });
  ok(r.status === 400 && /^parent_id:/.test(r.body.error), "a comment on another conversation's idea names parent_id", JSON.stringify(r.body));
  page = await (await bad.get(pageOf)).text();
  r = await bad.post(`${pageOf}/about-me`, `csrf=${csrfOf(page)}&group=staff&group=%FF%FE`);
  const text = await r.text();
  ok(r.status === 400 && /group/.test(text) && !text.includes('\ufffd'), 'a group that is not UTF-8 is refused, naming the field', text.match(/<p[^>]*>[^<]*group[^<]*/)?.[0]);
  r = await bad.post(`${pageOf}/contribute`, `csrf=${csrfOf(page)}&body=caf%E9`);
  ok(r.status === 400 && /body/.test(await r.text()), 'an idea that is not UTF-8 is refused, naming body');
  ok((await lead.api('GET', A)).body.contributions.length === n0 && await auditSize() === a0, 'nothing stored, nothing audited');

  // ---- the rate limits: 10 contributions a session in 10 minutes (page and API count together) ----
  const busy = browser('10.0.5.1');
  await signIn(busy, 'member');
  page = await (await busy.get(pageOf)).text();
  const sent = [];
  for (let i = 0; i < 6; i++)
    sent.push((await busy.post(`${pageOf}/contribute`, { csrf: csrfOf(page), body: `Busy page idea ${i}` })).status);
  const busyToken = busy.jar.get('purpose_contributor');
  for (let i = 0; i < 5; i++)
    sent.push((await busy.api('POST', `${A}/contributions`, { body: `Busy API idea ${i}` }, { 'X-Contributor': busyToken })).status);
  const busyMine = (await busy.api('GET', `${A}/mine`, undefined, { 'X-Contributor': busyToken })).body.contributions;
  ok(sent.slice(0, 6).every((x) => x === 303) && sent.slice(6, 10).every((x) => x === 201) && sent[10] === 429 && busyMine.length === 10,
    'one session: ten contributions by page and API, the eleventh 429 and not stored', `${sent.join(',')} stored ${busyMine.length}`);
  r = await busy.post(`${pageOf}/about-me`, { csrf: csrfOf(page), group: 'staff' });
  ok(r.status === 303, 'describing oneself is not limited with them', String(r.status));
} catch (e) {
  ok(false, 'contributor session tests ran to the end', e.stack);
} finally {
  await srv.stop();
  env.cleanup();
}
done();
