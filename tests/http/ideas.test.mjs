// A conversation's ideas at scale and "You said, we did" (issue 17), through a real server on the
// demo database: the public page pages (NHS pagination), searches, filters and sorts by GET
// parameters, a bad one is set aside with a message (the API answers 400 naming it), never a 500;
// a vote is a plain form post that comes back to the same page and idea; a lead responds to an idea
// (page and API), which shows on the idea, in its author's own list, in the summary and on the
// project ("started from N ideas"); bad input names its field and stores nothing; members,
// contributors and another organisation's lead are refused. Prints TAP.
// usage: node tests/http/ideas.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser as browse, csrfOf } from '../lib/browse.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const { req, signIn } = client(srv.url, env.creds);

// A browser without JavaScript: keeps its cookies, follows no redirect.
const browser = () => browse(srv);
const cards = (html) => [...html.matchAll(/class="nhsuk-card" id="idea-(\d+)"/g)].map((m) => Number(m[1]));
const api = async (path) => { const r = await req('GET', path); return { status: r.status, body: r.json() }; };

try {
  // ---- paging, search, filters and sorting on the demo's 296-idea conversation ----
  const pub = browser();
  let r = await pub.get('/conversations/1');
  let page = await r.text();
  const first = cards(page);
  ok(r.status === 200 && first.length === 20 && page.includes('Showing ideas 1 to 20 of 296'), 'the first page shows 20 of 296 ideas', first.length);
  ok(page.includes('class="nhsuk-pagination"') && page.includes('href="/conversations/1?page=2#ideas"') && page.includes('Page 2 of 15'),
    'NHS pagination links to the next page');
  page = await (await pub.get('/conversations/1?page=2')).text();
  const second = cards(page);
  ok(second.length === 20 && !second.some((id) => first.includes(id)) && page.includes('href="/conversations/1#ideas"'),
    'page 2: twenty other ideas, and a link back');
  page = await (await pub.get('/conversations/1?page=15')).text();
  ok(cards(page).length === 296 - 14 * 20 && !page.includes('nhsuk-pagination-item--next'), 'the last page has the rest and no next link');

  const all = (await api('/api/v1/conversations/1/ideas?per_page=50')).body;
  ok(all.total === 296 && all.ideas.length === 50 && all.more === true && all.page === 1, 'the API pages the same list', JSON.stringify({ ...all, ideas: all.ideas.length }));
  const whole = (await api('/api/v1/conversations/1')).body;
  ok(whole.contributions_more === false && whole.contributions.length > 296, "the conversation's answer gives every contribution while they fit");
  const word = 'huddle';
  const found = (await api(`/api/v1/conversations/1/ideas?q=${word.toUpperCase()}&per_page=50`)).body;
  ok(found.total > 0 && found.total < 296 && found.ideas.every((x) => x.body.toLowerCase().includes(word)), 'search by a word, in any case', found.total);
  const two = (await api(`/api/v1/conversations/1/ideas?q=${encodeURIComponent('huddle staff')}&per_page=50`)).body;
  ok(two.total <= found.total && two.ideas.every((x) => /huddle/i.test(x.body) && /staff/i.test(x.body)), 'every word must appear');
  page = await (await pub.get(`/conversations/1?q=${word}`)).text();
  ok(cards(page).length === Math.min(20, found.total) && page.includes(`Showing ideas 1 to ${Math.min(20, found.total)} of ${found.total}`) &&
    page.includes(`value="${word}"`), 'the page searches too, keeping the words in the box');
  const pct = (await api('/api/v1/conversations/1/ideas?q=%25')).body;
  ok(pct.total === 0, 'a % is searched for as itself, not as a wildcard', pct.total);
  const theme = all.ideas.find((x) => x.theme)?.theme;
  const byTheme = (await api(`/api/v1/conversations/1/ideas?theme=${encodeURIComponent(theme)}&per_page=50`)).body;
  ok(theme && byTheme.total > 0 && byTheme.ideas.every((x) => x.theme === theme), 'filter by theme', theme);
  ok(page.includes('<option value="' + theme.replace(/&/g, '&amp;')), 'the theme filter offers the tagged themes');
  const staff = (await api('/api/v1/conversations/1/ideas?group=staff&per_page=50')).body;
  const events = (await api('/api/v1/conversations/1/ideas?group=event&per_page=50')).body;
  const publ = (await api('/api/v1/conversations/1/ideas?group=public&per_page=50')).body;
  ok(staff.ideas.every((x) => x.staff) && staff.total + events.total + publ.total === 296 && events.total > 0,
    'filter by where ideas came from: staff, public, event', [staff.total, publ.total, events.total].join(' '));
  // Counts under 5 are suppressed here, so the exact order is checked by the store's unit test
  // (test_ideas); here, the most agreed come first and differ from the newest.
  const agreed = (await api('/api/v1/conversations/1/ideas?sort=agreed&per_page=5')).body.ideas;
  ok(agreed.length === 5 && typeof agreed[0].agree === 'number' && agreed[0].agree >= 5 && agreed[0].id !== all.ideas[0].id,
    'sort by most agreed', JSON.stringify(agreed[0]));
  const divided = (await api('/api/v1/conversations/1/ideas?sort=divided&per_page=5')).body.ideas;
  const div = (x) => { const a = typeof x.agree === 'number' ? x.agree : 0, d = typeof x.disagree === 'number' ? x.disagree : 0; return a + d ? 4 * a * d / ((a + d) * (a + d)) : 0; };
  ok(divided.length === 5 && div(divided[0]) >= div(divided[4]) && div(divided[0]) > 0.9, 'sort by most divided', divided.map(div).join(' '));

  // Bad parameters: set aside with a message on the page, a 400 naming them in the API; never a 500.
  for (const [q, field] of [['sort=loudest', 'sort'], ['page=0', 'page'], ['page=abc', 'page'], ['page=99999999999999999999', 'page'],
    ['per_page=500', 'per_page'], ['state=lost', 'state'], ['group=carers', 'group'], ['q=%FF%FE', 'q'], ['q=' + 'x'.repeat(300), 'q'],
    ['theme=%C3%28', 'theme']]) {
    r = await pub.get('/conversations/1?' + q);
    page = await r.text();
    ok(r.status === 200 && page.includes('One of the choices was set aside') && page.includes(`${field}: `) && cards(page).length === 20,
      `page: a bad ${q.slice(0, 30)} is set aside, naming ${field}`, r.status);
    const a = await api('/api/v1/conversations/1/ideas?' + q);
    ok(a.status === 400 && a.body.error.startsWith(field + ':'), `API: a bad ${q.slice(0, 30)} is a 400 naming ${field}`, JSON.stringify(a.body));
  }
  page = await (await pub.get('/conversations/1?page=400')).text();
  ok(page.includes('There are no ideas on this page'), 'a page past the end says so');

  // ---- an open conversation: votes without JavaScript come back to the page they were cast on ----
  const lead = await signIn('lead');
  const now = Math.floor(Date.now() / 1000);
  r = await req('POST', '/api/v1/conversations', { cookie: lead.cookie, csrf: lead.csrf,
    json: { question: 'What would make handovers safer?', audience: 'all', privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false } });
  const conv = r.json();
  const base = `/conversations/${conv.id}`;
  const author = browser(); // a member of the public, no account
  page = await (await author.get(base)).text();
  r = await author.post(base + '/contribute', { csrf: csrfOf(page), body: 'A named handover nurse on every shift' });
  ok(r.status === 303, 'an anonymous idea is published', r.status);
  for (let i = 0; i < 24; i++)
    await req('POST', `/api/v1/conversations/${conv.id}/contributions`, { cookie: lead.cookie, csrf: lead.csrf, json: { body: `Staff idea number ${i}` } });
  const ideas = (await api(`/api/v1/conversations/${conv.id}/ideas?per_page=50`)).body.ideas;
  const mineIdea = ideas.find((x) => x.body.startsWith('A named handover')).id;
  const voter = browser();
  page = await (await voter.get(base + '?page=2&group=staff')).text();
  const target = cards(page)[0];
  ok(page.includes(`name="back" value="${base}?group=staff&amp;page=2"`), 'each vote form says which page it is on');
  r = await voter.post(base + '/vote', { csrf: csrfOf(page), item: String(target), vote: 'agree', back: `${base}?group=staff&page=2` });
  ok(r.status === 303 && r.headers.get('location') === `${base}?group=staff&page=2&voted=${target}#idea-${target}`,
    'a vote without JavaScript comes back to the same page and idea', r.headers.get('location'));
  page = await (await voter.get(r.headers.get('location'))).text();
  if (!page.includes('your vote is counted')) console.log('# ' + page.slice(page.indexOf('vote'), page.indexOf('vote') + 3000).replace(/\n/g, ' '));
  ok(page.includes('your vote is counted') && page.slice(page.indexOf(`id="idea-${target}"`)).split('nhsuk-card"')[0].includes('role="status"><strong>Thank you: your vote is counted.') && new RegExp(`value="agree" aria-pressed="true">Agree<span class="nhsuk-u-visually-hidden"> with idea ${target}<`).test(page),
    'the page thanks the voter and shows their vote', page.slice(page.indexOf('idea-' + target), page.indexOf('idea-' + target) + 1500));
  r = await voter.post(base + '/vote', { csrf: csrfOf(page), item: String(target), vote: 'disagree', back: 'https://evil.example/' });
  ok(r.headers.get('location') === `${base}?voted=${target}#idea-${target}`, 'a back address elsewhere is not followed', r.headers.get('location'));
  r = await voter.post(base + '/vote', { csrf: csrfOf(page), item: String(target), vote: 'disagree', back: `${base}"><script>` });
  ok(r.headers.get('location') === `${base}?voted=${target}#idea-${target}`, 'nor one with other characters', r.headers.get('location'));
  r = await voter.post(base + '/vote', { item: String(target), vote: 'agree', back: base });
  ok(r.status === 403, 'a vote without the CSRF token is refused', r.status);

  // ---- "You said, we did" ----
  const ideaPage = `/conversations/ideas/${mineIdea}`;
  page = await (await author.get(ideaPage)).text();
  ok(page.includes('A named handover nurse') && !page.includes('/respond"'), 'the idea has its own page; the public sees no Respond link');
  const leadB = browser();
  let sp = await (await leadB.get('/sign-in')).text();
  await leadB.post('/sign-in', { csrf: csrfOf(sp), username: env.creds.lead.username, password: env.creds.lead.password });
  page = await (await leadB.get(ideaPage)).text();
  ok(page.includes(`${ideaPage}/respond`), 'a lead sees Respond on the idea');
  const form = await (await leadB.get(ideaPage + '/respond')).text();
  ok(form.includes('name="state"') && form.includes('name="reason"') && form.includes('Fewer falls on care of the elderly wards'), 'the response form offers the organisation\'s projects');
  // Bad input names its field and stores nothing.
  for (const [f, field] of [[{ state: 'maybe' }, 'state'], [{ state: 'not_taken_forward', reason: '' }, 'reason'],
    [{ state: 'adopted' }, 'project_id'], [{ state: 'adopted', project_id: '999999' }, 'project_id'],
    [{ state: 'adopted', project_id: 'x' }, 'project_id'], [{ state: 'in_progress', statement_id: '1' }, 'statement_id']]) {
    r = await leadB.post(ideaPage + '/respond', { csrf: csrfOf(form), ...f });
    const t = await r.text();
    ok(r.status === 400 && t.includes(`href="#${field}"`), `respond: ${JSON.stringify(f)} is refused on ${field}`, r.status);
  }
  const badUtf = await fetch(srv.url + ideaPage + '/respond', { method: 'POST', redirect: 'manual',
    headers: { Cookie: `purpose_session=${lead.cookie.split('purpose_session=')[1]}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `csrf=${lead.csrf}&state=not_taken_forward&reason=%C3%28` });
  ok(badUtf.status === 400 && (await badUtf.text()).includes('href="#reason"'), 'a reason that is not UTF-8 is refused, naming reason', badUtf.status);
  let idea = (await api(`/api/v1/conversations/ideas/${mineIdea}`)).body;
  ok(idea.response === null, 'nothing stored after the refusals', JSON.stringify(idea.response));

  r = await leadB.post(ideaPage + '/respond', { csrf: csrfOf(form), state: 'adopted', reason: 'We are trialling it on two wards', project_id: '1' });
  ok(r.status === 303 && r.headers.get('location') === `${ideaPage}?responded=1`, 'the lead adopts it into a project', r.status);
  page = await (await author.get(ideaPage)).text();
  ok(page.includes('You said, we did:') && page.includes('Adopted') && page.includes('We are trialling it on two wards') && page.includes('href="/projects/1"'),
    'the response shows on the idea, linking to the project');
  const mine = await (await author.get(`${base}/mine`)).text();
  ok(mine.includes('You said, we did:') && mine.includes('Adopted'), 'the author sees it in My contributions');
  const mineApi = await fetch(srv.url + `/api/v1/conversations/${conv.id}/mine`);
  ok(mineApi.status === 401, 'the mine API still needs a contributor');
  idea = (await api(`/api/v1/conversations/ideas/${mineIdea}`)).body;
  ok(idea.response?.state === 'adopted' && idea.response.project_id === 1 && idea.response.label === 'Adopted' && idea.conversation_id === conv.id,
    'the API gives the response on the idea', JSON.stringify(idea.response));
  const listed = (await api(`/api/v1/conversations/${conv.id}/ideas?state=adopted`)).body;
  ok(listed.total === 1 && listed.ideas[0].id === mineIdea, 'filter by response: adopted');
  ok((await api(`/api/v1/conversations/${conv.id}/ideas?state=open`)).body.total === 24, 'filter by response: none yet');
  const summary = (await api(`/api/v1/conversations/${conv.id}/summary`)).body;
  ok(summary.sentences.some((s) => s.section === 'responses' && s.text.includes('of 25 ideas have had a response')),
    'the summary says how many ideas have had a response', JSON.stringify(summary.sentences.filter((s) => s.section === 'responses')));
  page = await (await author.get(base)).text();
  ok(page.includes('You said, we did: 1 of 25 ideas have had a response'), 'so does the conversation\'s page');
  const member = await signIn('member');
  const proj = await req('GET', '/projects/1', { cookie: member.cookie });
  ok(proj.text.includes('href="/projects/1/ideas"') && proj.text.includes('Started from 1 idea'), 'the project says it started from 1 idea');
  const pi = await req('GET', '/projects/1/ideas', { cookie: member.cookie });
  ok(pi.status === 200 && pi.text.includes('A named handover nurse') && pi.text.includes('Anonymous') && pi.text.includes(ideaPage),
    'and lists it, anonymous, linking to it');
  const pa = await req('GET', '/api/v1/projects/1/ideas', { cookie: member.cookie });
  const pj = pa.status === 200 ? pa.json() : {};
  ok(pj.project_id === 1 && pj.started_from === 1 && pj.ideas?.length === 1 && pj.ideas[0].id === mineIdea &&
    pj.ideas[0].conversation_id === conv.id && pj.ideas[0].programme === null && pj.ideas[0].anonymous === true &&
    pj.ideas[0].author === '' && pj.ideas[0].response?.state === 'adopted',
  'the API gives the ideas a project started from (GET /api/v1/projects/{id}/ideas), the anonymous one linked to nobody', pa.text.slice(0, 400));
  ok((await req('GET', '/api/v1/projects/2/ideas', { cookie: member.cookie })).json().started_from === 0, 'a project started from none says 0');
  ok((await fetch(srv.url + '/api/v1/projects/1/ideas')).status === 401, 'the API needs a signed-in caller, as the page does');

  // The API: PUT replaces, POST too; each refusal names its field.
  r = await req('PUT', `/api/v1/conversations/ideas/${mineIdea}/response`, { cookie: lead.cookie, csrf: lead.csrf, json: { state: 'not_taken_forward' } });
  ok(r.status === 400 && r.json().error.startsWith('reason:'), 'API: not taken forward needs a reason', r.text);
  r = await req('PUT', `/api/v1/conversations/ideas/${mineIdea}/response`, { cookie: lead.cookie, csrf: lead.csrf, json: { state: 'adopted', project_id: 9, statement_id: 99999 } });
  ok(r.status === 400 && r.json().error.startsWith('statement_id:'), 'API: an unknown statement version is refused', r.text);
  r = await req('PUT', `/api/v1/conversations/ideas/${mineIdea}/response`, { cookie: lead.cookie, csrf: lead.csrf, json: { state: 'unknown' } });
  ok(r.status === 400 && r.json().error.startsWith('state:'), 'API: an unknown state is refused', r.text);
  ok((await api(`/api/v1/conversations/ideas/${mineIdea}`)).body.response.project_id === 1, 'and nothing changed');
  r = await req('PUT', `/api/v1/conversations/ideas/${mineIdea}/response`, { cookie: lead.cookie, csrf: lead.csrf, json: { state: 'in_progress', reason: 'Costing it', project_id: 9 } });
  ok(r.status === 200 && r.json().response.state === 'in_progress' && r.json().response.project_id === 9, 'API: PUT changes the response', r.text);
  const other = ideas.find((x) => x.id !== mineIdea).id;
  r = await req('POST', `/api/v1/conversations/ideas/${other}/response`, { cookie: lead.cookie, csrf: lead.csrf, json: { state: 'not_taken_forward', reason: 'Already in place' } });
  ok(r.status === 200 && r.json().response.reason === 'Already in place', 'API: POST answers another idea', r.text);
  // A programme's idea through the organisation's routes, and the organisation's through a programme's, is not found.
  const progIdea = (await api('/api/v1/programmes/handovers/conversations/2/ideas?per_page=1')).body.ideas[0].id;
  r = await req('PUT', `/api/v1/conversations/ideas/${progIdea}/response`, { cookie: lead.cookie, csrf: lead.csrf, json: { state: 'in_progress' } });
  ok(r.status === 404, "another conversation's idea (a programme's) is not found here", r.status);
  const crew = await signIn('ambulance-lead');
  r = await req('PUT', `/api/v1/programmes/handovers/conversations/ideas/${progIdea}/response`, { cookie: crew.cookie, csrf: crew.csrf, json: { state: 'adopted', project_id: 1 } });
  ok(r.status === 400 && r.json().error.startsWith('project_id:'), "a programme's idea cannot link a project that does not name the programme", r.text);
  r = await req('PUT', `/api/v1/programmes/handovers/conversations/ideas/${progIdea}/response`, { cookie: crew.cookie, csrf: crew.csrf, json: { state: 'adopted', project_id: 12 } });
  ok(r.status === 200 && r.json().response.project_id === 12, "a programme's lead adopts its idea into a partner's project naming it", r.text);

  // Roles and scope: a member, a contributor, another organisation's lead and nobody are refused.
  const contributor = await signIn('contributor');
  for (const [who, s] of [['member', member], ['contributor', contributor], ["another organisation's lead", crew]]) {
    r = await req('PUT', `/api/v1/conversations/ideas/${mineIdea}/response`, { cookie: s.cookie, csrf: s.csrf, json: { state: 'adopted', project_id: 1 } });
    ok(r.status === 403, `API: ${who} may not respond`, r.status);
    r = await req('GET', `${ideaPage}/respond`, { cookie: s.cookie });
    ok(r.status === 403, `page: ${who} may not see the response form`, r.status);
  }
  r = await req('PUT', `/api/v1/conversations/ideas/${mineIdea}/response`, { json: { state: 'adopted', project_id: 1 } });
  ok(r.status === 401, 'API: nobody signed in may not respond', r.status);
  r = await req('GET', `${ideaPage}/respond`);
  ok(r.status === 303 && r.headers.get('location').startsWith('/sign-in'), 'page: nobody signed in is sent to sign in', r.status);
  ok((await api(`/api/v1/conversations/ideas/${mineIdea}`)).body.response.state === 'in_progress', 'the refusals changed nothing');
  const audit = await req('GET', '/api/v1/audit?limit=50', { cookie: (await signIn('admin')).cookie });
  ok(audit.status === 200 && audit.text.includes('"respond"') && audit.text.includes('"lead"'), 'the decision is audited as the lead\'s', audit.text.slice(0, 300));
} catch (e) {
  ok(false, 'the ideas tests ran to the end', e.stack);
}
await srv.stop();
env.cleanup();
done();
