// The action skeleton (src/web/action.h) on a real server: a form with several bad fields reports
// every one at once (the NHS error summary, each field's own message, what was entered kept), and
// the API names every field in "errors" (keeping "error" as the first); a success redirects with its
// banner; statuses come from the error kind only (400 a bad field, 404, 409 a conflict). A file's bad
// rows are all counted, 100 listed, and all downloadable with their reasons. Prints TAP.
// usage: node tests/http/actions.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const { req, signIn } = client(srv.url, env.creds);

try {
  const lead = await signIn('lead');
  const post = (path, form) => req('POST', path, { cookie: lead.cookie, form: { csrf: lead.csrf, ...form } });
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });
  const count = async () => (await api('GET', '/api/v1/projects')).json().projects.length;
  const before = await count();

  // ---- a project form with an empty title and a date that is not one -----------------------------
  const form = { title: '', aim: 'Fewer falls on ward 7', status: 'active', score: '2.0', why_unaligned: 'A pilot',
    'start_date-day': '31', 'start_date-month': '2', 'start_date-year': '2025' };
  const bad = await post('/projects/new', form);
  const summary = bad.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(bad.status === 400, 'page: a form with two bad fields answers 400', bad.status);
  ok(summary.includes('href="#title"') && summary.includes('href="#start_date"'),
    'page: the error summary lists both fields, each linking to its input', summary);
  ok(/id="title-error"/.test(bad.text) && /id="start_date-error"[^]*?Start date must be a real date/.test(bad.text),
    'page: each field shows its own error message');
  ok(bad.text.includes('Fewer falls on ward 7') && /name="start_date-day"[^>]*value="31"/.test(bad.text),
    'page: what was entered is kept');
  const three = await post('/projects/new', { ...form, score: '7' });
  const s3 = three.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok((s3.match(/<li>/g) || []).length === 3 && s3.includes('href="#score"'), 'page: a third bad field makes three errors', s3);

  const badApi = await api('POST', '/api/v1/projects', { title: '', aim: 'Fewer falls', status: 'active', score: 2,
    start_date: '2025-02-31', why_unaligned: 'A pilot' });
  const j = badApi.json();
  ok(badApi.status === 400 && Array.isArray(j.errors) && j.errors.map((e) => e.field).sort().join() === 'start_date,title',
    'API: errors names every bad field', JSON.stringify(j));
  ok(j.error === j.errors[0].error && j.error.startsWith('title:'), 'API: error is the first of them, as before');
  ok(await count() === before, 'nothing was stored by either');

  // ---- success: 303 and the banner ---------------------------------------------------------------
  const made = await post('/projects/new', { ...form, title: 'Falls on ward 7', 'start_date-day': '1' });
  ok(made.status === 303 && /^\/projects\/\d+$/.test(made.headers.get('location')), 'page: a good form redirects to the project');
  const pid = Number(made.headers.get('location').split('/').pop());
  const changed = await post(`/projects/${pid}/edit`, { ...form, title: 'Falls on wards 7 and 8', 'start_date-day': '1' });
  ok(changed.status === 303 && changed.headers.get('location') === `/projects/${pid}?done=project-saved`, 'page: a change redirects with its banner',
    changed.headers.get('location'));
  ok((await req('GET', changed.headers.get('location'), { cookie: lead.cookie })).text.includes('The project was saved.'),
    'page: the project page shows the success banner');

  // ---- statuses from the kind only ---------------------------------------------------------------
  ok((await post(`/projects/${pid}/approve`, {})).status === 303, 'page: a lead approves the project');
  const again = await post(`/projects/${pid}/approve`, {});
  const againApi = await api('POST', `/api/v1/projects/${pid}/approve`, {});
  ok(again.status === againApi.status, `approving twice answers the same status on page and API (${again.status})`);
  const missing = await api('PUT', '/api/v1/projects/999999999', { title: 'x', aim: 'y', status: 'idea', score: 1,
    start_date: '2025-01-01', why_unaligned: 'z' });
  ok(missing.status === 404, 'API: a project that does not exist is 404', missing.status);
  ok((await post('/projects/999999999/edit', { ...form, title: 'x', 'start_date-day': '1' })).status === 404,
    'page: likewise 404');

  // ---- a PDSA cycle: an empty title and a bad date, on the page and by the API -------------------
  const prim = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Staff know who is at risk' })).json();
  const sec = (await api('POST', `/api/v1/projects/${pid}/drivers`, { parent_id: prim.id, text: 'Risk shown at handover' })).json();
  const idea = (await api('POST', `/api/v1/projects/${pid}/drivers`, { parent_id: sec.id, text: 'A falls sticker' })).json();
  const cycle = await post(`/drivers/${idea.id}/pdsa/new`, { title: '', plan: 'Try it on one bay',
    'start_date-day': '12', 'start_date-month': '14', 'start_date-year': '2025' });
  const cs = cycle.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(cycle.status === 400 && cs.includes('href="#title"') && cs.includes('href="#start_date"') && cycle.text.includes('Try it on one bay'),
    'page: a PDSA cycle with an empty title and a bad date shows both, keeping the plan', cs);
  const cycleApi = await api('POST', `/api/v1/drivers/${idea.id}/pdsa`, { title: ' ', start_date: '2025-14-12' });
  ok(cycleApi.status === 400 && (cycleApi.json().errors || []).map((e) => e.field).join() === 'title,start_date',
    'API: the same cycle names both fields', cycleApi.text);
  const child = await post(`/projects/${pid}/drivers`, { parent_id: String(sec.id), child: '' });
  ok(child.status === 400 && child.text.includes('href="#child"'), 'page: an empty node below another is shown on its own input');
  const gone = await post(`/drivers/${prim.id}/delete`, { confirm: 'yes' });
  ok(gone.status === 303 && gone.headers.get('location') === `/projects/${pid}?done=driver-deleted#driver-diagram`,
    'page: deleting a node goes back to its diagram with the banner', gone.headers.get('location'));
  ok((await api('DELETE', `/api/v1/projects/${pid}`)).status === 204, 'API: deleting answers 204');

  // ---- a case study (cases.c): two empty fields at once, 201 then 200 by the API -----------------------
  const done = (await api('POST', '/api/v1/projects', { title: 'Discharge by noon', aim: 'Half before noon', status: 'complete',
    score: 4, start_date: '2024-01-01', why_unaligned: 'A pilot' })).json();
  const study = await post(`/projects/${done.id}/case-study`, { problem: '', change_made: 'A noon huddle', data_shows: 'Up 20%', contact: '' });
  const ss = study.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(study.status === 400 && ss.includes('href="#problem"') && ss.includes('href="#contact"') && study.text.includes('A noon huddle'),
    'page: a case study with two empty fields shows both', ss);
  const c1 = await api('PUT', `/api/v1/projects/${done.id}/case-study`, { problem: 'Late', change_made: 'Huddle', data_shows: 'Up', contact: 'Ward 9' });
  const c2 = await api('PUT', `/api/v1/projects/${done.id}/case-study`, { problem: 'Late', change_made: 'Huddle', data_shows: 'Up more', contact: 'Ward 9' });
  ok(c1.status === 201 && c2.status === 200, 'API: publishing answers 201, changing it 200', `${c1.status} ${c2.status}`);
  ok((await api('DELETE', `/api/v1/projects/${done.id}/case-study`)).status === 204, 'API: unpublishing answers 204');

  // ---- what was said at an event (events.c): the same action by page and API --------------------------
  const events = (await api('GET', '/api/v1/conversations/1/events')).json().events || [];
  if (events.length) {
    const ev = events[0].id;
    const said = await post(`/conversations/events/${ev}/outputs`, { body: '', theme: 'Access' });
    ok(said.status === 400 && said.text.includes('href="#body"') && /name="theme"[^>]*value="Access"/.test(said.text),
      'page: an empty idea from an event is shown on its input, the theme kept', said.status);
    const saidApi = await api('POST', `/api/v1/conversations/events/${ev}/outputs`, { theme: 7 });
    ok(saidApi.status === 400 && saidApi.json().errors?.map((e) => e.field).join() === 'body,theme', 'API: names both bad members', saidApi.text);
    const evBad = await post('/conversations/1/events/new', { title: '', format: 'workshop', place: 'Library', held_on: '20 March',
      attendees: '12', 'att-carer': '3' });
    const es = evBad.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
    ok(evBad.status === 400 && es.includes('href="#title"') && es.includes('href="#held_on"') && /name="att-carer"[^>]*value="3"/.test(evBad.text),
      'page: an event with no name and a bad date shows both, its attendance kept', es);
    const evApi = await api('POST', '/api/v1/conversations/1/events', { title: 'Drop-in', format: 'workshop', attendees: 4 });
    ok(evApi.status === 400 && evApi.json().errors?.map((e) => e.field).join() === 'place,held_on', 'API: an event names every missing member', evApi.text);
  } else {
    ok(false, 'the demo has an event');
  }

  // ---- values and themes (web/named.c): the same skeleton -----------------------------------------
  const noName = await post('/strategy/values/new', { name: '  ', description: 'We listen first' });
  ok(noName.status === 400 && noName.text.includes('href="#name"') && noName.text.includes('We listen first'),
    'page: a value without a name is shown again with its description');
  const noNameApi = await api('POST', '/api/v1/values', { description: 'x' });
  ok(noNameApi.status === 400 && noNameApi.json().errors?.[0]?.field === 'name', 'API: names the field in errors');
  const added = await post('/strategy/values/new', { name: 'Listening', description: 'We listen first' });
  ok(added.status === 303 && added.headers.get('location') === '/strategy?done=strategy-added' &&
    (await req('GET', added.headers.get('location'), { cookie: lead.cookie })).text.includes('It was added to the strategy.'),
    'page: adding a value goes back to the strategy with a banner', added.headers.get('location'));

  const themeId = (await req('GET', '/api/v1/purpose')).json().themes[0].id;
  const amb = await post(`/strategy/themes/${themeId}/ambitions/new`, { title: '', description: 'Fewer waits', target_year: '20x' });
  const as = amb.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(amb.status === 400 && as.includes('href="#title"') && as.includes('href="#target_year"') && amb.text.includes('Fewer waits'),
    'page: an ambition with no title and a bad year shows both', as);
  ok((await post('/strategy/themes/999999999/ambitions/new', { title: 'x', target_year: '2030' })).status === 404,
    'page: an ambition for a theme that does not exist is 404');

  const vision = await api('PUT', '/api/v1/statements/vision', { text: ' ' });
  ok(vision.status === 400 && vision.json().errors?.[0]?.field === 'text', 'API: an empty vision names its text', vision.text);
  const visionPage = await post('/strategy/vision/edit', { text: '' });
  ok(visionPage.status === 400 && visionPage.text.includes('href="#text"'), 'page: an empty vision is shown on its text');

  // ---- administration: an organisation, a programme and its aims (organisations.c, programmes.c) ----
  const admin = await signIn('admin');
  const apost = (path, form) => req('POST', path, { cookie: admin.cookie, form: { csrf: admin.csrf, ...form } });
  const aapi = (method, path, json) => req(method, path, { cookie: admin.cookie, csrf: admin.csrf, json });
  const org = await apost('/admin/organisations/new', { name: '', slug: 'new-trust', ods_code: 'RX1' });
  const os = org.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(org.status === 400 && os.includes('href="#name"') && os.includes('href="#type"') && org.text.includes('RX1'),
    'page: an organisation with no name and no type shows both', os);
  const orgApi = await aapi('POST', '/api/v1/organisations', { slug: 'new-trust' });
  ok(orgApi.status === 400 && orgApi.json().errors?.map((e) => e.field).join() === 'name,type', 'API: names both', orgApi.text);
  const prog = await apost('/admin/programmes/new', { name: '', slug: '', partner: 'x' });
  const ps = prog.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(prog.status === 400 && ps.includes('href="#slug"') && ps.includes('href="#name"') && ps.includes('href="#partners"'),
    'page: a programme with no slug, no name and a bad partner shows all three', ps);
  const aim = await apost('/programmes/handovers/aims/new', { title: '', target_year: 'soon', description: 'Faster' });
  const ais = aim.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(aim.status === 400 && ais.includes('href="#title"') && ais.includes('href="#target_year"') && aim.text.includes('Faster'),
    "page: a programme's aim with no title and a bad year shows both", ais);

  // ---- an API token (admins): an empty name and a user that is not a number, both reported ---------
  const tokPost = (form) => req('POST', '/admin/tokens', { cookie: admin.cookie, form: { csrf: admin.csrf, ...form } });
  const badTok = await tokPost({ name: '', user_id: 'someone' });
  const st = badTok.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(badTok.status === 400 && st.includes('href="#name"') && st.includes('href="#user_id"'), 'a token form: both bad fields at once', st);
  const badTokApi = await req('POST', '/api/v1/tokens', { cookie: admin.cookie, csrf: admin.csrf, json: { name: '', user_id: 'x' } });
  ok(badTokApi.status === 400 && (badTokApi.json().errors || []).map((e) => e.field).join() === 'name,user_id', 'a token in the API: both fields named', badTokApi.text);
  const madeTok = await tokPost({ name: 'Nightly export', user_id: '' });
  ok(madeTok.status === 200 && /New token: [^<]*<[^>]*>pur_/.test(madeTok.text) && !madeTok.headers.get('location'),
    'a token made on the page is shown once on the answer itself (never in a URL)', madeTok.text.slice(0, 200));
  const noUser = await tokPost({ name: 'Ghost', user_id: '999999' });
  ok(noUser.status === 400 && noUser.text.includes('href="#user_id"'), 'a token for no such user: 400 on its field', noUser.status);

  // ---- a user (admins): a bad username, no name and a short password, all three at once ------------
  const userPost = (path, form) => req('POST', path, { cookie: admin.cookie, form: { csrf: admin.csrf, ...form } });
  const badUser = await userPost('/admin/users', { username: 'no spaces!', display_name: '', role: 'member', password: 'short' });
  const su = badUser.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(badUser.status === 400 && ['username', 'display_name', 'password'].every((f) => su.includes(`href="#${f}"`)),
    'a user form: three bad fields at once', su);
  const badUserApi = await req('POST', '/api/v1/users', { cookie: admin.cookie, csrf: admin.csrf, json: { username: '', display_name: 'X', role: 'boss' } });
  ok(badUserApi.status === 400 && (badUserApi.json().errors || []).map((e) => e.field).join() === 'username,role', 'a user in the API: both fields named', badUserApi.text);
  const newUser = await userPost('/admin/users', { username: 'actions-new', display_name: 'New Person', role: 'member', password: '' });
  ok(newUser.status === 200 && /Added actions-new\. Their password is <code[^>]*>[^<]{16}</.test(newUser.text), 'a user added on the page: the generated password shown once', newUser.text.slice(0, 200));
  const takenUser = await userPost('/admin/users', { username: 'actions-new', display_name: 'Again', role: 'member' });
  ok(takenUser.status === 409 && takenUser.text.includes('href="#username"'), 'a taken username: 409 on its field', takenUser.status);
  const uid = (await req('GET', '/api/v1/users', { cookie: admin.cookie })).json().users.find((u) => u.username === 'actions-new').id;
  const badPatch = await req('PATCH', `/api/v1/users/${uid}`, { cookie: admin.cookie, csrf: admin.csrf, json: { role: 'boss', disabled: 'yes' } });
  ok(badPatch.status === 400 && (badPatch.json().errors || []).map((e) => e.field).join() === 'role,disabled', 'a user changed in the API: both bad fields named', badPatch.text);

  // ---- a role elsewhere (admins): a place that is none and a role that is none of the four, both at once
  const badGrant = await userPost(`/admin/users/${uid}/roles`, { where: 'nowhere', role: 'boss' });
  const sg = badGrant.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(badGrant.status === 400 && sg.includes('href="#where"') && sg.includes('href="#role"'), 'a role form: both bad fields at once', sg);
  const badGrantApi = await req('PUT', `/api/v1/users/${uid}/roles`, { cookie: admin.cookie, csrf: admin.csrf, json: { role: 'boss' } });
  ok(badGrantApi.status === 400 && (badGrantApi.json().errors || []).map((e) => e.field).join() === 'scope,slug,role', 'a role in the API: every field named', badGrantApi.text);
  ok((await req('PUT', '/api/v1/users/999999/roles', { cookie: admin.cookie, csrf: admin.csrf, json: { scope: 'organisation', slug: 'northgate-ambulance', role: 'member' } })).status === 404,
    'a role for no such user: 404');

  // ---- a conversation: an empty question and a day that is not one, both at once ---------------------
  const badConv = await post('/conversations/new', { question: '', description: '', audience: 'all', phases: '', phase: '', links: '',
    privacy: 'We keep it safe.', 'opens_at-day': '31', 'opens_at-month': '2', 'opens_at-year': '2026', 'closes_at-day': '1', 'closes_at-month': '4', 'closes_at-year': '2026' });
  const sc = badConv.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(badConv.status === 400 && sc.includes('href="#question"') && sc.includes('href="#opens_at"'), 'a conversation form: both bad fields at once', sc);
  const badConvApi = await api('POST', '/api/v1/conversations', { question: '', audience: 'everyone', privacy: 'x', opens_at: 1767225600, closes_at: 'soon' });
  ok(badConvApi.status === 400 && (badConvApi.json().errors || []).map((e) => e.field).join() === 'question,audience,closes_at', 'a conversation in the API: every bad field named', badConvApi.text);
  const goodConv = await post('/conversations/new', { question: 'What would help at night?', description: '', audience: 'staff', phases: '', phase: '', links: '',
    privacy: 'We keep it safe.', 'opens_at-day': '1', 'opens_at-month': '3', 'opens_at-year': '2026', 'closes_at-day': '1', 'closes_at-month': '4', 'closes_at-year': '2026', queue_public: '1' });
  ok(goodConv.status === 303 && /^\/conversations\/\d+$/.test(goodConv.headers.get('location')), 'a conversation started on the page goes to it', goodConv.headers.get('location'));

  // ---- a response to an idea: a state that is none, a reason too long and a project that is not a number
  const progIdeas = (await req('GET', '/api/v1/programmes/handovers/conversations/2', { cookie: admin.cookie })).json()
    .contributions.filter((c) => c.kind === 'idea' && c.state === 'published');
  const respondAt = `/programmes/handovers/conversations/ideas/${progIdeas[0].id}/respond`;
  const badResp = await userPost(respondAt, { state: 'maybe', reason: 'x'.repeat(400), project_id: 'abc', statement_id: '' });
  const sr = badResp.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(badResp.status === 400 && ['state', 'reason', 'project_id'].every((f) => sr.includes(`href="#${f}"`)), 'a response form: three bad fields at once', sr);
  const badRespApi = await req('PUT', `/api/v1/programmes/handovers/conversations/ideas/${progIdeas[0].id}/response`, { cookie: admin.cookie, csrf: admin.csrf, json: { state: 'maybe', project_id: -1 } });
  ok(badRespApi.status === 400 && (badRespApi.json().errors || []).map((e) => e.field).join() === 'state,project_id', 'a response in the API: both bad fields named', badRespApi.text);
  const declined = await userPost(respondAt, { state: 'not_taken_forward', reason: '', project_id: '', statement_id: '' });
  ok(declined.status === 400 && declined.text.includes('href="#reason"'), "a response not taken forward with no reason: the store's rule, on its field", declined.status);

  // ---- moderation: an item that is not a number and a decision that is none, both named ------------
  const badMod = await req('POST', '/api/v1/programmes/handovers/conversations/2/moderation', { cookie: admin.cookie, csrf: admin.csrf, json: { item: 'x', decision: 'maybe' } });
  ok(badMod.status === 400 && (badMod.json().errors || []).map((e) => e.field).join() === 'item,decision', 'moderation in the API: both bad fields named', badMod.text);
  const noItem = await req('POST', '/api/v1/programmes/handovers/conversations/2/moderation', { cookie: admin.cookie, csrf: admin.csrf, json: { item: 999999999, decision: 'hide' } });
  ok(noItem.status === 404 || noItem.status === 400, 'moderation of an item that is none: refused', noItem.status + ' ' + noItem.text);

  // ---- a pulse: an empty title, an audience that is not a number and a cadence that is none, at once --
  const badPulse = await post('/pulses/new', { title: '', cadence: 'daily', audience: 'lots', statement1: 'A', statement2: 'B', statement3: 'C' });
  const sp = badPulse.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(badPulse.status === 400 && ['title', 'cadence', 'audience'].every((f) => sp.includes(`href="#${f}"`)), 'a pulse form: three bad fields at once', sp);
  const badPulseApi = await api('POST', '/api/v1/pulses', { title: '', cadence: 'daily', audience: 0 });
  ok(badPulseApi.status === 400 && (badPulseApi.json().errors || []).map((e) => e.field).join() === 'title,cadence,audience', 'a pulse in the API: every bad field named', badPulseApi.text);
  const twoStatements = await api('POST', '/api/v1/pulses', { title: 'Too few', audience: 10, statements: ['One', 'Two'] });
  ok(twoStatements.status === 400 && twoStatements.json().error.startsWith('statements:'), 'a pulse with two statements: 400 naming them', twoStatements.text);

  // ---- a well-led rating: a rating that is none and an empty narrative, both named ------------------
  const badRate = await post('/well-led/2/rate', { rating: 'great', narrative: '' });
  const sr2 = badRate.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(badRate.status === 400 && ['rating', 'narrative'].every((f) => sr2.includes(`href="#${f}"`)), 'a rating form: both bad fields at once', sr2);
  const badRateApi = await api('POST', '/api/v1/well-led/2/ratings', { rating: 'great', narrative: '', projects: 'all' });
  ok(badRateApi.status === 400 && (badRateApi.json().errors || []).map((e) => e.field).join() === 'rating,narrative,projects',
    'a rating in the API: every bad field named', badRateApi.text);

  // ---- following a handover figure: a figure and a period that are none, both named ---------------
  const badFollow = await post('/handovers/measures', { scope: 'org', metric: 'none', period: 'month', project: 'x' });
  const sf = badFollow.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/)?.[0] || '';
  ok(badFollow.status === 400 && ['metric', 'period', 'project'].every((f) => sf.includes(`href="#${f}"`)), 'a handover measure form: three bad fields at once', sf);
  const badFollowApi = await api('POST', '/api/v1/handovers/measures', { scope: 'nowhere', metric: 'none', period: 'day' });
  ok(badFollowApi.status === 400 && (badFollowApi.json().errors || []).map((e) => e.field).join() === 'scope,metric,project',
    'a handover measure in the API: every bad field named', badFollowApi.text);

  // ---- following a pulse statement, and a site's code: every bad field named --------------------
  const pulseId = (await api('GET', '/api/v1/pulses')).json().pulses[0]?.id;
  const badPulseFollow = await api('POST', `/api/v1/pulses/${pulseId}/follow`, { ambition_id: 'x', target: 200 });
  ok(badPulseFollow.status === 400 && (badPulseFollow.json().errors || []).map((e) => e.field).join() === 'statement_id,ambition_id,target',
    'following a pulse statement in the API: every bad field named', badPulseFollow.text);
  const site = (await api('GET', '/api/v1/handovers/sites')).json().sites[0]?.id;
  const noCode = await api('PUT', `/api/v1/handovers/sites/${site}`, {});
  ok(noCode.status === 400 && (noCode.json().errors || []).map((e) => e.field).join() === 'code', "a site's code: required, named", noCode.text);

  // ---- a file's bad rows: every one counted, 100 listed, all downloadable with their reasons ---------
  const rowsCsv = ['site,arrival,handover'];
  for (let i = 0; i < 105; i++) rowsCsv.push(`Badrow,2023-07-01T${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z,2023-07-01T09:00Z`);
  rowsCsv.push('Goodrow,2023-07-02T10:00Z,2023-07-02T10:20Z', 'Goodrow,2023-07-02T11:00Z,2023-07-02T11:15Z');
  const upload = await post('/handovers/import', { csv: rowsCsv.join('\n') + '\n' });
  const us = upload.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/div><\/div>/)?.[0] || '';
  ok(upload.status === 400 && us.includes('Nothing was stored: 105 bad rows') && (us.match(/<li><a href="#csv">Line/g) || []).length === 100 &&
    us.includes('and 5 more'), 'a handover file with 105 bad rows lists 100 of them and says how many more', us.slice(0, 300));
  const href = (text) => (text.match(/href="(\/rejects\.csv\?k=[^"]+)"/) || [])[1];
  ok(href(us), 'the refusal offers the bad rows as a CSV');
  const kept = await post('/handovers/import', { csv: rowsCsv.join('\n') + '\n', skip_bad: '1' });
  ok(kept.status === 200 && kept.text.includes('Stored 2 rows') && kept.text.includes('105 rows left out') && kept.text.includes('and 5 more'),
    'storing the good rows lists the ones left out', kept.text.slice(0, 800));
  const dl = await req('GET', href(kept.text).replace(/&amp;/g, '&'), { cookie: lead.cookie });
  const lines = dl.text.trim().split('\n');
  ok(dl.status === 200 && dl.headers.get('content-type').startsWith('text/csv') && lines.length === 106 &&
    lines[0] === 'site,arrival,handover,reason' && lines[1].startsWith(rowsCsv[1] + ',"Line 2, column ""handover"": '),
    'the download is the original rows, header first, each with its reason', lines.slice(0, 3).join(' | '));
  const member = await signIn('member');
  ok((await req('GET', href(kept.text).replace(/&amp;/g, '&'), { cookie: member.cookie })).status === 404,
    'another person cannot download them');
  ok((await req('GET', '/rejects.csv?k=nothing', { cookie: lead.cookie })).status === 404, 'an unknown download is 404');

  // ---- a contributor's writes (contribute.c) and opinion groups (opinions.c): every bad field at once --
  const nowS = Math.floor(Date.now() / 1000);
  const openConv = (await api('POST', '/api/v1/conversations', { question: 'Every error at once?', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: nowS - 60, closes_at: nowS + 86400 })).json();
  const C = `/api/v1/conversations/${openConv.id}`;
  const badIdea = await api('POST', `${C}/contributions`, { body: 7, parent_id: 'first', anonymous: 'no' });
  ok(badIdea.status === 400 && (badIdea.json().errors || []).map((e) => e.field).join() === 'body,parent_id,anonymous',
    'a contribution in the API: every bad field named', badIdea.text);
  const badVote = await api('POST', `${C}/votes`, { item: 0, vote: 5 });
  ok(badVote.status === 400 && (badVote.json().errors || []).map((e) => e.field).join() === 'item,vote',
    'a vote in the API: every bad field named', badVote.text);
  const badOn = await api('PUT', `${C}/opinions`, { on: 'yes' });
  ok(badOn.status === 400 && (badOn.json().errors || []).map((e) => e.field).join() === 'on',
    'opinion groups on or off in the API: a bad "on" named', badOn.text);
  const badShape = await post(`/conversations/${openConv.id}/opinions/shape`, { item: 'x', kind: 'mission' });
  ok(badShape.status === 400 && /item/.test(badShape.text), 'quoting a statement with a bad item and kind: 400 naming item', badShape.status);
  const stored = (await api('GET', C)).json().contributions || [];
  ok(stored.length === 0, 'none of them stored anything', JSON.stringify(stored));
} catch (e) {
  ok(false, 'action tests ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
