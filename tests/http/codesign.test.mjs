// Co-design (issue 9) through a real server on the demo database: a member of the public contributes
// anonymously without an account and later sees it approved; a member of staff comments and votes,
// then changes the vote; a moderator hides a post and it leaves the public page, the export, the API
// and the counts; a closed conversation refuses; markup is shown as text. Prints TAP.
// usage: node tests/http/codesign.test.mjs [build/release/purpose]
import { readFileSync } from 'node:fs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser as browse, csrfOf, signIn as signInAs } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

// A browser: keeps its cookies.
const browser = () => browse(srv);
const signIn = (role) => signInAs(srv, env, role);

try {
  // The privacy notice every new conversation starts with is docs/privacy.md's, word for word: the
  // demo's open conversation shows it, and a lead's new-conversation form offers it.
  const quoted = readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8').split('## The privacy notice')[1]?.split('\n## ')[0] ?? '';
  const paragraphs = quoted.split('\n').filter((l) => l.startsWith('> ') && l.length > 2).map((l) => l.slice(2));
  const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const demoPage = await (await browser().get('/programmes/handovers/conversations/2')).text(); // open: the notice above its form
  const missing = paragraphs.filter((t) => !demoPage.includes(`<p>${esc(t)}</p>`));
  ok(paragraphs.length >= 3 && missing.length === 0, "the demo's open conversation shows docs/privacy.md's privacy notice word for word",
    missing.map((t) => t.slice(0, 80)).join('\n') || `${paragraphs.length} paragraphs quoted`);
  // A lead opens a conversation for the trust through the API.
  const lead = await signIn('lead');
  const form = await (await lead.get('/conversations/new')).text();
  ok(form.includes(esc(paragraphs.join('\n\n'))), "a new conversation's form offers the same notice", form.match(/name="privacy"[^>]*>[^<]{0,120}/)?.[0]);
  const me = await (await lead.get('/api/v1/me')).json();
  const now = Math.floor(Date.now() / 1000);
  const made = await fetch(srv.url + '/api/v1/conversations', {
    method: 'POST',
    headers: { Cookie: [...lead.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ question: 'What should we change first?', audience: 'all', privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400 }),
  });
  const conv = await made.json();
  ok(made.status === 201 && conv.open === true && conv.queue_public === true, 'a lead starts a conversation through the API', JSON.stringify(conv));
  const base = `/conversations/${conv.id}`;

  // ---- a member of the public, no account ----
  const pub = browser();
  let page = await (await pub.get(base)).text();
  ok(page.includes('We keep only what you write.') && page.indexOf('We keep only what you write.') < page.indexOf('name="body"'),
    'the privacy notice is shown before the form');
  ok(page.includes('House rules'), 'the house rules are published on the page');
  const idea = 'Open the discharge lounge at weekends <b>please</b>';
  let r = await pub.post(base + '/contribute', { csrf: csrfOf(page), body: idea });
  ok(r.status === 303 && r.headers.get('location').includes('sent=queued'), 'an anonymous public contribution is queued', String(r.status));
  ok(pub.jar.has('purpose_contributor') && !pub.jar.has('purpose_session'), 'a contributor cookie, no account');
  page = await (await pub.get(base)).text();
  ok(!page.includes('Open the discharge lounge'), 'a queued contribution is not on the public page');
  let mine = await (await pub.get(base + '/mine')).text();
  ok(mine.includes('Open the discharge lounge at weekends &lt;b&gt;please&lt;/b&gt;') && mine.includes('Waiting for a moderator'),
    'the contributor sees their own, waiting, with markup shown as text');
  const stranger = browser();
  ok(!(await (await stranger.get(base + '/mine')).text()).includes('Open the discharge lounge'), 'nobody else sees it as theirs');

  // The lead approves it from the queue.
  const q = await (await lead.get(base + '/moderate')).text();
  const id = Number((q.match(/name="item" value="(\d+)"/) || [])[1]);
  r = await lead.post(base + '/moderate', { csrf: csrfOf(q), item: String(id), decision: 'approve' });
  ok(r.status === 303, 'the moderator approves it', String(r.status));
  mine = await (await pub.get(base + '/mine')).text();
  ok(mine.includes('Published'), 'the contributor later sees it approved');
  page = await (await pub.get(base)).text();
  ok(page.includes('Open the discharge lounge') && page.includes('Anonymous'), 'approved: on the public page, anonymous');
  const api = await (await fetch(srv.url + `/api/v1${base}`)).json();
  const inApi = api.contributions.find((c) => c.id === id);
  ok(inApi && inApi.author === '' && inApi.anonymous === true, 'the API shows no author for it');

  // ---- a member of staff comments and votes, then changes the vote ----
  const staff = await signIn('member');
  page = await (await staff.get(base)).text();
  r = await staff.post(base + '/contribute', { csrf: csrfOf(page), parent_id: String(id), [`body-${id}`]: 'Yes, with pharmacy open too' });
  ok(r.status === 303 && r.headers.get('location').includes('sent=published'), 'a staff comment is published at once');
  r = await staff.post(base + '/vote', { csrf: csrfOf(page), item: String(id), vote: 'agree' });
  ok(r.status === 303, 'staff vote agree');
  page = await (await staff.get(base)).text();
  ok(/value="agree" aria-pressed="true"/.test(page), 'the page shows their vote');
  r = await staff.post(base + '/vote', { csrf: csrfOf(page), item: String(id), vote: 'disagree' });
  page = await (await staff.get(base)).text();
  ok(/value="disagree" aria-pressed="true"/.test(page) && /value="agree" aria-pressed="false"/.test(page), 'a second vote replaces the first');
  ok(page.includes('Yes, with pharmacy open too'), 'the comment is on the page');
  const after = (await (await fetch(srv.url + `/api/v1${base}`)).json()).contributions.find((c) => c.id === id);
  ok(after.agree === 0 && after.disagree === 'fewer than 5', 'one vote counted, and shown as "fewer than 5"', JSON.stringify(after));

  // ---- a moderator hides it ----
  const q2 = await (await lead.get(base + '/moderate')).text();
  r = await lead.post(base + '/moderate', { csrf: csrfOf(q2), item: String(id), decision: 'hide', reason: '' });
  ok(r.status === 400, 'hiding needs a reason');
  r = await lead.post(base + '/moderate', { csrf: csrfOf(q2), item: String(id), decision: 'hide', reason: 'Breaks the house rules' });
  ok(r.status === 303, 'the moderator hides it');
  page = await (await stranger.get(base)).text();
  ok(!page.includes('Open the discharge lounge'), 'hidden: gone from the public page');
  const csv = await (await lead.get(base + '/export.csv')).text();
  ok(csv.startsWith('id,kind') && !csv.includes('Open the discharge lounge'), 'hidden: gone from the export');
  const api2 = await (await fetch(srv.url + `/api/v1${base}`)).json();
  ok(!api2.contributions.some((c) => c.id === id), 'hidden: gone from the API');
  ok(page.includes('There are no ideas yet'), 'hidden: gone from the counts');
  mine = await (await pub.get(base + '/mine')).text();
  ok(mine.includes('Hidden') && mine.includes('Breaks the house rules'), 'the contributor sees it hidden, with the reason');
  r = await pub.post(base + '/vote', { csrf: csrfOf(await (await pub.get(base)).text()), item: String(id), vote: 'agree' });
  ok(r.status === 400, 'a hidden post takes no votes (400, naming the item)', String(r.status));

  // ---- withdraw, a closed conversation, the report ----
  page = await (await pub.get(base)).text();
  await pub.post(base + '/contribute', { csrf: csrfOf(page), body: 'A second thought' });
  mine = await (await pub.get(base + '/mine')).text();
  const second = (mine.match(/withdraw\?item=(\d+)/g) || []).pop().match(/\d+/)[0];
  r = await stranger.post(base + '/withdraw', { csrf: csrfOf(await (await stranger.get(base)).text()), item: second, confirm: 'yes' });
  ok(r.status === 404, 'nobody else can withdraw it');
  const ask = await (await pub.get(base + '/withdraw?item=' + second)).text();
  ok(ask.includes('Withdraw your contribution?') && ask.includes('nhsuk-button--warning') && !mine.includes('Withdrawn'),
    'withdrawing asks first, showing the contribution, and withdraws nothing yet');
  ok((await stranger.get(base + '/withdraw?item=' + second)).status === 404, 'nobody else is asked about it');
  r = await pub.post(base + '/withdraw', { csrf: csrfOf(ask), item: second, confirm: 'yes' });
  mine = await (await pub.get(base + '/mine')).text();
  ok(r.status === 303 && mine.includes('Withdrawn'), 'the contributor withdraws their own');
  const closed = await (await pub.get('/conversations/1')).text();
  ok(closed.includes('has closed') && !closed.includes('name="body"'), 'a closed conversation shows no form');
  r = await pub.post('/conversations/1/contribute', { csrf: csrfOf(closed) || csrfOf(ask), body: 'Too late' });
  ok(r.status === 400 && (await r.text()).includes('closed'), 'a contribution to a closed conversation is refused with a message', String(r.status));
  const big = await pub.post(base + '/contribute', { csrf: csrfOf(ask), body: 'x'.repeat(2001) });
  ok(big.status === 400 && (await big.text()).includes('2000'), 'too long: refused with the limit');
  const report = await (await lead.get('/conversations/1/report')).text();
  ok(report.includes('Who has been heard') && report.includes('fewer than 5'), 'the report suppresses small groups');
  const rep = await (await fetch(srv.url + '/api/v1/conversations/1/report', { headers: { Cookie: [...lead.jar].map(([k, v]) => `${k}=${v}`).join('; ') } })).json();
  const k = rep.groups.find((g) => g.code === 'eth-K');
  ok(k && k.participants === 'fewer than 5' && /^about \d+0$/.test(rep.participants), 'the API report suppresses the group under 5, and gives the total to the nearest 10', JSON.stringify(k));
  ok((await pub.get('/conversations/1/report')).status === 303, 'the report is for leads');

  const modPage = await (await lead.get('/conversations/1/moderate')).text();
  const suggested = [...modPage.matchAll(/nhsuk-tag--blue">([a-z]+)</g)].map((m) => m[1]);
  ok(suggested.length >= 3 && !suggested.includes('the') && !suggested.includes('and'), 'theme suggestions: distinctive words, no stop words', suggested.join(','));
  // ---- a hidden post leaves its group's counts: page, CSV and API, with "fewer than 5" ----
  const carers = [];
  for (let i = 0; i < 5; i++) {
    const c = browser();
    const p = await (await c.get(base)).text();
    await c.post(base + '/about-me', [['csrf', csrfOf(p)], ['group', 'carer'], ['group', 'age-65']]);
    r = await c.post(base + '/contribute', { csrf: csrfOf(p), body: `Carer idea number ${i}` });
    ok(r.status === 303, `carer ${i} contributes`, String(r.status));
    carers.push(c);
  }
  let queue = await (await lead.get(base + '/moderate')).text();
  for (const m of queue.matchAll(/name="item" value="(\d+)"/g))
    await lead.post(base + '/moderate', { csrf: csrfOf(queue), item: m[1], decision: 'approve' });
  const leadCookie = () => [...lead.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const carerCounts = async () => {
    const rep2 = await (await fetch(srv.url + `/api/v1${base}/report`, { headers: { Cookie: leadCookie() } })).json();
    const g = rep2.groups.find((x) => x.code === 'carer');
    const csvRow = (await (await lead.get(base + '/report.csv')).text()).split('\r\n').find((l) => l.startsWith('carer,'));
    const html = await (await lead.get(base + '/report')).text();
    const row = (html.match(/Carer, family or friend<\/t[dh]>(.*?)<\/tr>/s) || [])[1] || '';
    return { api: g && g.contributions, csv: csvRow, page: row };
  };
  let counts = await carerCounts();
  ok(counts.api === 5 && counts.csv.endsWith(',5,5') && /<td[^>]*>5<\/td>\s*<td[^>]*>5<\/td>/.test(counts.page),
    'five published contributions from carers: 5 in the API, the CSV and the page', JSON.stringify(counts));
  const mine0 = await (await carers[0].get(base + '/mine')).text();
  const carerItem = (mine0.match(/withdraw\?item=(\d+)/) || [])[1];
  queue = await (await lead.get(base + '/moderate')).text();
  r = await lead.post(base + '/moderate', { csrf: csrfOf(queue), item: carerItem, decision: 'hide', reason: 'Names a patient' });
  ok(r.status === 303, 'the moderator hides one carer\'s post', String(r.status));
  counts = await carerCounts();
  ok(counts.api === 'fewer than 5' && counts.csv.endsWith(',5,fewer than 5') && /<td[^>]*>5<\/td>\s*<td[^>]*>fewer than 5<\/td>/.test(counts.page),
    'hidden: the carers\' contribution count drops to "fewer than 5" in the API, the CSV and the page (participants stay 5)', JSON.stringify(counts));
  const age = (await (await fetch(srv.url + `/api/v1${base}/report`, { headers: { Cookie: leadCookie() } })).json()).groups.find((x) => x.code === 'age-65');
  ok(age && age.contributions === 'fewer than 5', 'and from the other group its author chose', JSON.stringify(age));

  // ---- vision provenance ----
  const prov = await (await fetch(srv.url + '/api/v1/statements/vision/provenance')).json();
  ok(prov.contributions === 25 && prov.items.length === 25 && prov.items.every((c) => c.author === ''), 'the demo vision was shaped by 25 anonymous contributions', JSON.stringify(prov).slice(0, 200));
  const shaped = await (await pub.get('/shaped/vision')).text();
  ok(/Shaped by 25 contributions from \d+ people in (\d+|fewer than 5) groups/.test(shaped), 'the public page shows the provenance');
  const cookie = [...lead.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const linked = await fetch(srv.url + '/api/v1/statements/vision/provenance', {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ contribution_ids: [id] }),
  });
  ok(linked.status === 400, 'a hidden contribution cannot be linked', String(linked.status));

  // ---- counts over 999 read with a comma between thousands on pages (kit_count), plain in the API ----
  const list = await (await fetch(srv.url + '/api/v1/conversations')).json();
  const vision = list.conversations.find((c) => /known for in 2030/.test(c.question));
  const results = await (await pub.get(`/conversations/${vision.id}/results`)).text();
  const votes = results.match(/Votes on them: ([^,]+?(?:,\d{3})*),/);
  ok(votes && /^(about )?\d{1,3}(,\d{3})+$/.test(votes[1]), 'the results page writes thousands of votes with a comma', votes && votes[1]);
} catch (e) {
  ok(false, 'codesign test ran', e.stack + '\n' + srv.stderr().slice(-3000));
} finally {
  await srv.stop();
  env.cleanup();
}
done();
