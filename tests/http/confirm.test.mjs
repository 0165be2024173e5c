// Destructive actions confirm (issue 18): each delete's first step is a page that says what will go,
// with a warning button and a way back; nothing is deleted until the button is pressed; then the page
// it returns to shows a success banner. The API stays one call. Prints TAP.
// usage: node tests/http/confirm.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const { req, signIn } = client(srv.url, env.creds);

// The form that a confirmation page posts: its action, CSRF field and every field it posts (confirm=yes
// among them: without it the action answers its confirmation again).
function confirmForm(text) {
  for (const m of text.matchAll(/<form method="post" action="([^"]+)"[^>]*>(.*?)<\/form>/gs)) {
    const csrf = m[2].match(/name="csrf" value="([^"]+)"/);
    const fields = Object.fromEntries([...m[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((x) => [x[1], x[2]]));
    if (m[2].includes('nhsuk-button--warning') && csrf) return { action: m[1].replace(/&amp;/g, '&'), csrf: csrf[1], fields };
  }
  return null;
}

try {
  const lead = await signIn('lead');
  const post = (path, form) => req('POST', path, { cookie: lead.cookie, form: { csrf: lead.csrf, ...form } });
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });

  // ---- a project with a diagram of two nodes, one cycle, one measure of three points ----------
  const made = await post('/projects/new', { title: 'Falls at night', aim: 'Fewer falls at night', status: 'active', score: '1.0', start_date: '2025-04-01', why_unaligned: 'A test' });
  ok(made.status === 303, 'setup: a project', made.text.slice(-1500));
  const pid = Number(made.headers.get('location').split('/').pop());
  const prim = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Lighting', parent_id: null })).json().id;
  const sec = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Night lights', parent_id: prim })).json().id;
  const change = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Lights on ward 3', parent_id: sec })).json().id;
  ok((await api('POST', `/api/v1/drivers/${change}/pdsa`, { title: 'Ward 3 lights', start_date: '2025-05-01', end_date: '2025-05-14' })).status === 201, 'setup: a cycle');
  const mm = await post(`/projects/${pid}/measures/new`, { name: 'Falls', kind: 'outcome', unit: '', direction: 'decrease', target: '' });
  const mid = Number(mm.headers.get('location').split('/').pop());
  ok((await post(`/measures/${mid}/points`, { data: 'date,value\n2025-05-01,4\n2025-05-08,3\n2025-05-15,2' })).status === 303, 'setup: three points');

  // ---- a PDSA cycle and a node of the diagram ------------------------------------------------
  const extra = (await api('POST', `/api/v1/drivers/${change}/pdsa`, { title: 'Ward 3 dimmers', start_date: '2025-06-01', end_date: '' })).json().id;
  const edit = await req('GET', `/pdsa/${extra}/edit`, { cookie: lead.cookie });
  ok(edit.text.includes(`href="/pdsa/${extra}/delete"`) && !/<form[^>]*action="\/pdsa\/\d+\/delete"/.test(edit.text), 'a cycle: a link to its confirmation');
  const askCycle = await req('GET', `/pdsa/${extra}/delete`, { cookie: lead.cookie });
  const cycleForm = confirmForm(askCycle.text);
  ok(askCycle.status === 200 && askCycle.text.includes('Delete the PDSA cycle &quot;Ward 3 dimmers&quot;?') && cycleForm?.action === `/pdsa/${extra}/delete`,
    'a cycle: the confirmation names it, with a warning button');
  ok((await req('GET', `/pdsa/${extra}/edit`, { cookie: lead.cookie })).status === 200, 'a cycle: nothing is deleted until confirmed');
  const cycleGone = await req('POST', cycleForm.action, { cookie: lead.cookie, form: cycleForm.fields });
  ok(cycleGone.status === 303 && (await req('GET', `/pdsa/${extra}/edit`, { cookie: lead.cookie })).status === 404, 'a cycle: confirmed, it is gone');
  ok((await req('GET', cycleGone.headers.get('location'), { cookie: lead.cookie })).text.includes('The PDSA cycle was deleted.'), 'a cycle: the project page shows the banner');

  const lone = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Staffing', parent_id: null })).json().id;
  const under = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Night rota', parent_id: lone })).json().id;
  const nodeEdit = await req('GET', `/drivers/${lone}/edit`, { cookie: lead.cookie });
  ok(nodeEdit.text.includes(`href="/drivers/${lone}/delete"`) && !/<form[^>]*action="\/drivers\/\d+\/delete"/.test(nodeEdit.text), 'a driver: a link to its confirmation');
  const askNode = await req('GET', `/drivers/${lone}/delete`, { cookie: lead.cookie });
  ok(askNode.text.includes('1 node below it') && askNode.text.includes('0 PDSA cycles'), 'a driver: the confirmation says what hangs from it');
  const askPrim = await req('GET', `/drivers/${prim}/delete`, { cookie: lead.cookie });
  ok(askPrim.text.includes('2 nodes below it') && askPrim.text.includes('1 PDSA cycle testing'), 'a driver: its cycles are counted too');
  ok((await req('GET', `/drivers/${under}/edit`, { cookie: lead.cookie })).status === 200, 'a driver: nothing is deleted until confirmed');
  const nodeForm = confirmForm(askNode.text);
  const nodeGone = await req('POST', nodeForm.action, { cookie: lead.cookie, form: nodeForm.fields });
  ok(nodeGone.status === 303 && (await req('GET', `/drivers/${under}/edit`, { cookie: lead.cookie })).status === 404, 'a driver: confirmed, it and what hangs below are gone');
  ok((await req('GET', nodeGone.headers.get('location'), { cookie: lead.cookie })).text.includes('The node and everything below it were deleted.'),
    'a driver: the project page shows the banner');

  // ---- a measure ----------------------------------------------------------------------------------
  const m2 = Number((await post(`/projects/${pid}/measures/new`, { name: 'Night checks', kind: 'process', unit: '', direction: 'increase', target: '' })).headers.get('location').split('/').pop());
  ok((await post(`/measures/${m2}/points`, { data: 'date,value\n2025-05-01,4\n2025-05-08,3' })).status === 303, 'setup: two points');
  const mEdit = await req('GET', `/measures/${m2}/edit`, { cookie: lead.cookie });
  ok(mEdit.text.includes(`href="/measures/${m2}/delete"`) && !/<form[^>]*action="\/measures\/\d+\/delete"/.test(mEdit.text), 'a measure: a link to its confirmation');
  const askM = await req('GET', `/measures/${m2}/delete`, { cookie: lead.cookie });
  ok(askM.text.includes('Delete the measure Night checks?') && askM.text.includes('its 2 points'), 'a measure: the confirmation counts its points');
  ok((await api('GET', `/api/v1/measures/${m2}`)).status === 200, 'a measure: nothing is deleted until confirmed');
  const mForm = confirmForm(askM.text);
  const mGone = await req('POST', mForm.action, { cookie: lead.cookie, form: mForm.fields });
  ok(mGone.status === 303 && (await api('GET', `/api/v1/measures/${m2}`)).status === 404, 'a measure: confirmed, it is gone');
  ok((await req('GET', mGone.headers.get('location'), { cookie: lead.cookie })).text.includes('The measure and its points were deleted.'), 'a measure: the project page shows the banner');

  // ---- an annotation of a measure's chart ---------------------------------------------------------
  const note = (await api('POST', `/api/v1/measures/${mid}/annotations`, { date: '2025-05-08', label: 'New night rota' })).json();
  const notes = async () => (await api('GET', `/api/v1/measures/${mid}/annotations`)).json().annotations.length;
  const mPage = await req('GET', `/measures/${mid}`, { cookie: lead.cookie });
  ok(mPage.text.includes(`href="/annotations/${note.id}/delete"`) && !/<form[^>]*action="\/annotations\/\d+\/delete"/.test(mPage.text),
    'an annotation: a link to its confirmation, no one-click button');
  const askNote = await req('GET', `/annotations/${note.id}/delete`, { cookie: lead.cookie });
  const noteForm = confirmForm(askNote.text);
  ok(askNote.status === 200 && askNote.text.includes('Delete the annotation New night rota?') && askNote.text.includes('the line of 8 May 2025 on the chart of Falls') &&
    noteForm?.action === `/annotations/${note.id}/delete`, 'an annotation: the confirmation names it and its chart', askNote.text.slice(0, 300));
  ok((await notes()) === 1, 'an annotation: nothing is deleted until confirmed');
  const noteGone = await req('POST', noteForm.action, { cookie: lead.cookie, form: noteForm.fields });
  ok(noteGone.status === 303 && (await notes()) === 0, 'an annotation: confirmed, it is gone');
  ok((await req('GET', noteGone.headers.get('location'), { cookie: lead.cookie })).text.includes('The annotation was deleted.'), 'an annotation: the measure page shows the banner');

  // ---- a rebase and a point of a measure's chart ---------------------------------------------------
  const rb = (await api('POST', `/api/v1/measures/${mid}/rebases`, { date: '2025-05-08', reason: 'Night rota' })).json();
  const chart = async () => (await api('GET', `/api/v1/measures/${mid}`)).json();
  const mPage2 = await req('GET', `/measures/${mid}`, { cookie: lead.cookie });
  ok(mPage2.text.includes(`href="/rebases/${rb.id}/delete?measure=${mid}"`) && !/<form[^>]*action="\/rebases\/\d+\/delete"/.test(mPage2.text),
    'a rebase: a link to its confirmation, no one-click button');
  const askRb = await req('GET', `/rebases/${rb.id}/delete?measure=${mid}`, { cookie: lead.cookie });
  ok(askRb.status === 200 && askRb.text.includes('Delete the rebase of 8 May 2025?') && askRb.text.includes('Night rota') && confirmForm(askRb.text)?.action === `/rebases/${rb.id}/delete`,
    'a rebase: the confirmation names it and its reason', askRb.text.slice(0, 300));
  ok((await chart()).rebases.length === 1, 'a rebase: nothing is deleted until confirmed');
  const hiddenOf = (text) => Object.fromEntries([...text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  const rbGone = await req('POST', `/rebases/${rb.id}/delete`, { cookie: lead.cookie, form: hiddenOf(askRb.text) });
  ok(rbGone.status === 303 && (await chart()).rebases.length === 0, 'a rebase: confirmed, it is gone', rbGone.status);
  ok((await req('GET', rbGone.headers.get('location'), { cookie: lead.cookie })).text.includes('The rebase was deleted.'), 'a rebase: the measure page shows the banner');
  const askPt = await post(`/measures/${mid}/points/delete`, { day: '2025-05-15' });
  ok(askPt.status === 200 && askPt.text.includes('Delete the point of 15 May 2025?') && confirmForm(askPt.text)?.action === `/measures/${mid}/points/delete`,
    'a point: choosing it and pressing the button asks first', askPt.status);
  ok((await chart()).n_points === 3, 'a point: nothing is deleted until confirmed');
  const ptGone = await req('POST', `/measures/${mid}/points/delete`, { cookie: lead.cookie, form: hiddenOf(askPt.text) });
  ok(ptGone.status === 303 && (await chart()).n_points === 2, 'a point: confirmed, it is gone', ptGone.status);
  ok((await req('GET', ptGone.headers.get('location'), { cookie: lead.cookie })).text.includes('The point was deleted.'), 'a point: the measure page shows the banner');
  ok((await post(`/measures/${mid}/points`, { data: 'date,value\n2025-05-15,2' })).status === 303 && (await chart()).n_points === 3, 'setup: the point back');

  // ---- the first step: a link to a page that says what will go --------------------------------
  const page = await req('GET', `/projects/${pid}`, { cookie: lead.cookie });
  ok(page.text.includes(`href="/projects/${pid}/delete"`) && !/<form[^>]*action="\/projects\/\d+\/delete"/.test(page.text),
    'the project page links to a confirmation rather than deleting in one click');
  const ask = await req('GET', `/projects/${pid}/delete`, { cookie: lead.cookie });
  ok(ask.status === 200 && ask.text.includes('Delete the project Falls at night?') && ask.text.includes('its driver diagram (3 nodes)') &&
    ask.text.includes('1 PDSA cycle') && ask.text.includes('1 measure and their 3 points'),
    'the confirmation says what will go: the diagram, N cycles, M measures and their points', ask.text.slice(0, 200));
  const form = confirmForm(ask.text);
  ok(form && form.action === `/projects/${pid}/delete` && ask.text.includes(`href="/projects/${pid}"`),
    'it has a warning button that posts the delete and a link back');
  ok((await api('GET', `/api/v1/projects/${pid}`)).status === 200 && (await api('GET', `/api/v1/measures/${mid}`)).status === 200,
    'nothing is deleted until confirmed');
  const member = await signIn('member');
  ok((await req('GET', `/projects/${pid}/delete`, { cookie: member.cookie })).status === 403 &&
    !(await req('GET', `/projects/${pid}`, { cookie: member.cookie })).text.includes(`/projects/${pid}/delete`),
    'a member, who may not delete, is neither shown the link nor the page');

  // ---- the second step: the delete and the banner ---------------------------------------------
  const gone = await req('POST', form.action, { cookie: lead.cookie, form: form.fields });
  ok(gone.status === 303 && gone.headers.get('location') === '/projects?done=project-deleted', 'confirming deletes and returns to the register');
  const back = await req('GET', gone.headers.get('location'), { cookie: lead.cookie });
  ok(back.text.includes('nhsuk-notification-banner--success') && back.text.includes('The project was deleted'), 'the register shows a success banner');
  ok((await api('GET', `/api/v1/projects/${pid}`)).status === 404 && (await api('GET', `/api/v1/measures/${mid}`)).status === 404,
    'the project and its measures are gone');
  const plain = await req('GET', '/projects?done=<script>', { cookie: lead.cookie });
  ok(!plain.text.includes('nhsuk-notification-banner') && !plain.text.includes('<script>'), 'an unknown done key shows no banner and no text of the URL');

  // ---- an engagement event ----------------------------------------------------------------------
  const ev = await api('POST', '/api/v1/conversations/1/events', { title: 'Stall at the fair', format: 'drop-in', held_on: Date.UTC(2026, 2, 20) / 1000, place: 'The green', attendees: 12 });
  ok(ev.status === 201, 'setup: an event', ev.text);
  const eid = ev.json().id;
  const evPage = await req('GET', `/conversations/events/${eid}`, { cookie: lead.cookie });
  ok(evPage.text.includes(`href="/conversations/events/${eid}/delete"`) && !/<form[^>]*action="[^"]*\/events\/\d+\/delete"/.test(evPage.text),
    'an event: a link to its confirmation');
  const askEvent = await req('GET', `/conversations/events/${eid}/delete`, { cookie: lead.cookie });
  ok(askEvent.text.includes('Delete the event Stall at the fair?') && askEvent.text.includes('20 March 2026'), 'an event: the confirmation names it and its day');
  ok((await api('GET', `/api/v1/conversations/events/${eid}`)).status === 200, 'an event: nothing is deleted until confirmed');
  ok((await req('GET', `/conversations/events/${eid}/delete`, { cookie: member.cookie })).status === 403, 'an event: a member may not ask');
  const evForm = confirmForm(askEvent.text);
  const evGone = await req('POST', evForm.action, { cookie: lead.cookie, form: evForm.fields });
  ok(evGone.status === 303 && (await api('GET', `/api/v1/conversations/events/${eid}`)).status === 404, 'an event: confirmed, it is gone');
  ok((await req('GET', evGone.headers.get('location'), { cookie: lead.cookie })).text.includes('The event was deleted.'), 'an event: the conversation shows the banner');

  // ---- withdrawing one's own contribution (no account: a browser's cookies) --------------------
  const now = Math.floor(Date.now() / 1000);
  const open = await api('POST', '/api/v1/conversations', { question: 'Where should we put benches?', audience: 'all', privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400 });
  ok(open.status === 201, 'setup: an open conversation', open.text);
  const cb = `/conversations/${open.json().id}`;
  const jar = new Map();
  const keep = (r) => { for (const c of r.headers.getSetCookie()) { const [kv] = c.split(';'); const i = kv.indexOf('='); jar.set(kv.slice(0, i), kv.slice(i + 1)); } return r; };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const conv = keep(await req('GET', cb, {}));
  const said = keep(await req('POST', `${cb}/contribute`, { cookie: cookie(), form: { csrf: conv.text.match(/name="csrf" value="([^"]+)"/)[1], body: 'More benches by the lifts' } }));
  ok(said.status === 303, 'setup: a contribution', said.text.slice(-500));
  const mine = keep(await req('GET', `${cb}/mine`, { cookie: cookie() }));
  const item = (mine.text.match(/withdraw\?item=(\d+)/) || [])[1];
  ok(item && !/<form[^>]*action="[^"]*\/withdraw"/.test(mine.text), 'a contribution: "My contributions" links to a confirmation');
  const askW = keep(await req('GET', `${cb}/withdraw?item=${item}`, { cookie: cookie() }));
  ok(askW.status === 200 && askW.text.includes('More benches by the lifts') && askW.text.includes('nhsuk-button--warning'),
    'a contribution: the confirmation shows it, with a warning button');
  ok((await req('GET', `${cb}/withdraw?item=${item}`, {})).status === 404, "a contribution: another browser is not asked about it");
  ok(!(await req('GET', `${cb}/mine`, { cookie: cookie() })).text.includes('Withdrawn'), 'a contribution: nothing is withdrawn until confirmed');
  const wForm = confirmForm(askW.text);
  const wDone = await req('POST', wForm.action, { cookie: cookie(), form: wForm.fields });
  ok(wDone.status === 303, 'a contribution: confirmed, it is withdrawn');
  const after = await req('GET', wDone.headers.get('location'), { cookie: cookie() });
  ok(after.text.includes('Withdrawn') && after.text.includes('Your contribution was withdrawn.'), '"My contributions" shows it withdrawn, with the banner');

  // ---- a value and a theme of the strategy -------------------------------------------------------
  for (const [kind, field, also] of [['values', 'name', null], ['themes', 'title', 'its ambitions']]) {
    const made2 = await api('POST', `/api/v1/${kind}`, { [field]: `Kindness ${kind}`, description: 'x' });
    const id = made2.json().id;
    const editP = await req('GET', `/strategy/${kind}/${id}/edit`, { cookie: lead.cookie });
    ok(editP.text.includes(`href="/strategy/${kind}/${id}/delete"`) && !new RegExp(`<form[^>]*action="/strategy/${kind}/\\d+/delete"`).test(editP.text),
      `${kind}: a link to the confirmation`);
    const askS = await req('GET', `/strategy/${kind}/${id}/delete`, { cookie: lead.cookie });
    ok(askS.text.includes(`Kindness ${kind}?`) && (!also || askS.text.includes(also)), `${kind}: the confirmation says what will go`);
    ok((await api('GET', `/api/v1/${kind}/${id}`)).status === 200, `${kind}: nothing is deleted until confirmed`);
    const sForm = confirmForm(askS.text);
    const sGone = await req('POST', sForm.action, { cookie: lead.cookie, form: sForm.fields });
    ok(sGone.status === 303 && (await api('GET', `/api/v1/${kind}/${id}`)).status === 404, `${kind}: confirmed, it is gone`);
    ok((await req('GET', sGone.headers.get('location'), { cookie: lead.cookie })).text.includes('It was deleted from the strategy.'), `${kind}: the strategy page shows the banner`);
  }

  const amb = (await req('GET', '/api/v1/purpose')).json().themes.flatMap((t) => t.ambitions)[0];
  const ambEdit = await req('GET', `/strategy/ambitions/${amb.id}/edit`, { cookie: lead.cookie });
  ok(ambEdit.text.includes(`href="/strategy/ambitions/${amb.id}/delete"`) && !/<form[^>]*action="\/strategy\/ambitions\/\d+\/delete"/.test(ambEdit.text),
    'an ambition: a link to the confirmation');
  const askA = await req('GET', `/strategy/ambitions/${amb.id}/delete`, { cookie: lead.cookie });
  ok(askA.text.includes('Delete the ambition') && askA.text.includes('the projects stay'), 'an ambition: the confirmation says what will go');
  ok((await api('GET', `/api/v1/ambitions/${amb.id}`)).status === 200, 'an ambition: nothing is deleted until confirmed');
  const aForm = confirmForm(askA.text);
  const aGone = await req('POST', aForm.action, { cookie: lead.cookie, form: aForm.fields });
  ok(aGone.status === 303 && (await api('GET', `/api/v1/ambitions/${amb.id}`)).status === 404, 'an ambition: confirmed, it is gone');
  ok((await req('GET', aGone.headers.get('location'), { cookie: lead.cookie })).text.includes('It was deleted from the strategy.'), 'an ambition: the strategy page shows the banner');

  // ---- unpublishing a case study (the demo publishes one) ----------------------------------------
  const cs = (await api('GET', '/api/v1/good-practice')).json().case_studies[0];
  ok(cs && cs.project_id, 'setup: a published case study', JSON.stringify(cs));
  const csEdit = await req('GET', `/projects/${cs.project_id}/case-study`, { cookie: lead.cookie });
  ok(csEdit.text.includes(`href="/projects/${cs.project_id}/case-study/delete"`) && !/<form[^>]*action="[^"]*case-study\/delete"/.test(csEdit.text),
    'a case study: a link to the confirmation');
  const askC = await req('GET', `/projects/${cs.project_id}/case-study/delete`, { cookie: lead.cookie });
  ok(askC.text.includes('Unpublish the case study of') && askC.text.includes('the project stays'), 'a case study: the confirmation says what happens');
  const countCs = async () => (await api('GET', '/api/v1/good-practice')).json().case_studies.length;
  const before = await countCs();
  const cForm = confirmForm(askC.text);
  const cGone = await req('POST', cForm.action, { cookie: lead.cookie, form: cForm.fields });
  ok(cGone.status === 303 && (await countCs()) === before - 1, 'a case study: confirmed, it leaves the library');
  ok((await req('GET', cGone.headers.get('location'), { cookie: lead.cookie })).text.includes('The case study was unpublished.'), 'a case study: the project page shows the banner');

  // ---- revoking an API token, disabling a user (admins) ---------------------------------------
  const admin = await signIn('admin');
  const adm = (method, path, json) => req(method, path, { cookie: admin.cookie, csrf: admin.csrf, json });
  const tok = await adm('POST', '/api/v1/tokens', { name: 'Board report' });
  ok(tok.status === 201, 'setup: a token');
  const bearer = { Authorization: `Bearer ${tok.json().token}` };
  const works = async () => (await fetch(srv.url + '/api/v1/me', { headers: bearer })).status === 200;
  const tokens = await req('GET', '/admin/tokens', { cookie: admin.cookie });
  const tid = tok.json().id;
  ok(tokens.text.includes(`href="/admin/tokens/${tid}/revoke"`) && !/<form[^>]*action="\/admin\/tokens\/\d+\/revoke"/.test(tokens.text),
    'a token: a link to its confirmation');
  const askTok = await req('GET', `/admin/tokens/${tid}/revoke`, { cookie: admin.cookie });
  ok(askTok.text.includes('Revoke the token Board report?') && askTok.text.includes('stops every program using it'), 'a token: the confirmation says what stops');
  ok(await works(), 'a token: nothing is revoked until confirmed');
  const tokForm = confirmForm(askTok.text);
  const tokGone = await req('POST', tokForm.action, { cookie: admin.cookie, form: tokForm.fields });
  ok(tokGone.status === 303 && !(await works()), 'a token: confirmed, it no longer works');
  ok((await req('GET', tokGone.headers.get('location'), { cookie: admin.cookie })).text.includes('The token was revoked.'), 'a token: the list shows the banner');
  ok((await req('GET', `/admin/tokens/${tid}/revoke`, { cookie: admin.cookie })).status === 404, 'a token: a revoked one has no confirmation');

  const users = (await adm('GET', '/api/v1/users')).json();
  const target = (users.users || users).find((u) => u.username === env.creds.member.username);
  const disabledNow = async () => { const l = (await adm('GET', '/api/v1/users')).json(); return (l.users || l).find((u) => u.id === target.id).disabled; };
  const editForm = await req('GET', `/admin/users/${target.id}/edit`, { cookie: admin.cookie });
  const csrfU = editForm.text.match(/name="csrf" value="([^"]+)"/)[1];
  const askUser = await req('POST', `/admin/users/${target.id}/edit`, { cookie: admin.cookie, form: { csrf: csrfU, role: 'member', disabled: 'yes' } });
  ok(askUser.status === 200 && askUser.text.includes('Disabling them:') && askUser.text.includes('revokes their API tokens'),
    'a user: ticking "Disabled" and saving asks first');
  ok((await req('GET', '/api/v1/me', { cookie: member.cookie })).status === 200 &&
    !(await disabledNow()), 'a user: nothing changes until confirmed');
  const userForm = confirmForm(askUser.text);
  const userDone = await req('POST', userForm.action, { cookie: admin.cookie, form: Object.fromEntries([...askUser.text.matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]])) });
  ok(userDone.status === 303 && (await disabledNow()), 'a user: confirmed, they are disabled');
  ok((await req('GET', userDone.headers.get('location'), { cookie: admin.cookie })).text.includes('The user was disabled'), 'a user: the list shows the banner');
  const again = await req('POST', `/admin/users/${target.id}/edit`, { cookie: admin.cookie, form: { csrf: csrfU, role: 'member' } });
  ok(again.status === 303, 'a user: enabling again needs no confirmation');

  // ---- removing a role held in another organisation (admins) ------------------------------------
  const rolesPath = `/admin/users/${target.id}/roles`;
  const heldThere = async () => (await adm('GET', `/api/v1/users/${target.id}/roles`)).json().roles.some((g) => g.slug === 'northgate-ambulance');
  const given = await req('POST', rolesPath, { cookie: admin.cookie, form: { csrf: csrfU, where: 'organisation:northgate-ambulance', role: 'member' } });
  ok(given.status === 303 && (await heldThere()), 'setup: a role in another organisation', given.status);
  const askRole = await req('POST', rolesPath, { cookie: admin.cookie, form: { csrf: csrfU, where: 'organisation:northgate-ambulance', role: 'none' } });
  const roleForm = confirmForm(askRole.text);
  ok(askRole.status === 200 && askRole.text.includes('Remove the role of') && askRole.text.includes('loses the member role there') && roleForm?.action === rolesPath,
    'a role: choosing "No role" asks first, saying what goes', askRole.text.slice(0, 300));
  ok(await heldThere(), 'a role: nothing is removed until confirmed');
  const roleGone = await req('POST', roleForm.action, { cookie: admin.cookie, form: Object.fromEntries([...askRole.text.matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]])) });
  ok(roleGone.status === 303 && !(await heldThere()), 'a role: confirmed, it is removed', roleGone.status);
  ok((await req('GET', roleGone.headers.get('location'), { cookie: admin.cookie })).text.includes('The role was removed.'), 'a role: the roles page shows the banner');
  ok((await adm('PUT', `/api/v1/users/${target.id}/roles`, { scope: 'organisation', slug: 'northgate-ambulance', role: 'lead' })).status === 200 &&
    (await adm('PUT', `/api/v1/users/${target.id}/roles`, { scope: 'organisation', slug: 'northgate-ambulance', role: 'none' })).status === 200 && !(await heldThere()),
    'a role: the API gives and removes it in one call each');

  // ---- an aim of a partnership programme (the administrator leads everywhere) ------------------------
  const aim = (await adm('POST', '/api/v1/programmes/handovers/aims', { title: 'Fewer long waits', description: '', target_year: 2027 })).json();
  const aimApi = async () => (await adm('GET', `/api/v1/programmes/handovers/aims/${aim.id}`)).status;
  const aimEdit = await req('GET', `/programmes/handovers/aims/${aim.id}/edit`, { cookie: admin.cookie });
  ok(aimEdit.text.includes(`href="/programmes/handovers/aims/${aim.id}/delete"`) && !/<form[^>]*action="[^"]*\/aims\/\d+\/delete"/.test(aimEdit.text),
    'a programme aim: a link to its confirmation, no one-click button');
  const askAim = await req('GET', `/programmes/handovers/aims/${aim.id}/delete`, { cookie: admin.cookie });
  const aimForm = confirmForm(askAim.text);
  ok(askAim.status === 200 && askAim.text.includes('Delete the aim Fewer long waits?') && askAim.text.includes('the projects stay') &&
    aimForm?.action === `/programmes/handovers/aims/${aim.id}/delete`, 'a programme aim: the confirmation names it and what stays', askAim.text.slice(0, 300));
  ok((await aimApi()) === 200, 'a programme aim: nothing is deleted until confirmed');
  const aimGone = await req('POST', aimForm.action, { cookie: admin.cookie, form: aimForm.fields });
  ok(aimGone.status === 303 && (await aimApi()) === 404, 'a programme aim: confirmed, it is gone', aimGone.status);
  ok((await req('GET', aimGone.headers.get('location'), { cookie: admin.cookie })).text.includes('The aim was deleted.'), 'a programme aim: the programme page shows the banner');

  // ---- the API stays one call -------------------------------------------------------------------
  const other = (await api('POST', '/api/v1/projects', { title: 'One call', aim: 'x', status: 'active', score: 1.0, start_date: '2025-04-01', why_unaligned: 'A test' }));
  ok(other.status === 201 && (await api('DELETE', `/api/v1/projects/${other.json().id}`)).status === 204, 'API: a delete is one call', other.text);
} catch (e) {
  ok(false, 'confirm tests ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
