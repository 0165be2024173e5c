// The improvement API beyond reading and adding, on a real server (SQLite, or PostgreSQL under
// tests/run.sh): changing and deleting driver-diagram nodes, PDSA cycles and measures, deleting
// points, adding and deleting rebases, publishing and unpublishing case studies and saying "we're
// trying this too". Every refusal names its field and stores nothing. Prints TAP.
// usage: node tests/http/improve_api.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;

const { req, signIn } = client(U, env.creds);

// A refusal: the status, an error starting with the field's name, and the stored state unchanged.
async function refused(res, status, field, before, after, what) {
  const body = res.status === status ? res.json() : {};
  const now = await after();
  ok(res.status === status && typeof body.error === 'string' && body.error.startsWith(`${field}:`) &&
    JSON.stringify(now) === JSON.stringify(before), `${what}: ${status} naming ${field}, nothing stored`,
  `${res.status} ${res.text}\n${JSON.stringify(before)}\n${JSON.stringify(now)}`);
}

try {
  const lead = await signIn('lead');
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });
  const get = async (path) => (await api('GET', path)).json();
  const harm = (await get('/api/v1/purpose')).themes.flatMap((t) => t.ambitions).find((a) => a.title === 'Halve avoidable harm');
  const proj = await api('POST', '/api/v1/projects', { title: 'Safer discharge', aim: 'No readmission within 7 days',
    status: 'active', score: 2, start_date: '2025-03-03', ambitions: [harm.id] });
  ok(proj.status === 201, 'a project to work on');
  const pid = proj.json().id;
  const diagram = () => get(`/api/v1/projects/${pid}/drivers`);

  // ---- driver-diagram nodes -------------------------------------------------------------------
  const prim = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Medicines ready' })).json();
  const sec = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Pharmacy on the ward', parent_id: prim.id })).json();
  const chg = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'TTOs written the day before', parent_id: sec.id })).json();
  let before = await diagram();
  await refused(await api('PUT', `/api/v1/drivers/${sec.id}`, { text: '' }), 400, 'text', before, diagram, 'a node with empty wording');
  await refused(await api('PUT', `/api/v1/drivers/${sec.id}`, { text: 7 }), 400, 'text', before, diagram, 'a node with wording that is not text');
  await refused(await api('PUT', `/api/v1/drivers/${sec.id}`, { text: 'x'.repeat(501) }), 400, 'text', before, diagram, 'a node with wording too long');
  const put = await api('PUT', `/api/v1/drivers/${sec.id}`, { text: 'A pharmacist on every ward' });
  ok(put.status === 200 && put.json().text === 'A pharmacist on every ward' && put.json().parent_id === prim.id && put.json().kind === 'secondary',
    'PUT a node: new wording, same place');
  ok((await api('PUT', '/api/v1/drivers/999999', { text: 'x' })).status === 404, 'PUT a node that does not exist: 404');

  // ---- PDSA cycles ----------------------------------------------------------------------------
  const cyc = (await api('POST', `/api/v1/drivers/${chg.id}/pdsa`, { title: 'TTOs on ward 3', start_date: '2025-04-01' })).json();
  const cycles = async () => (await diagram()).pdsa_cycles;
  before = await cycles();
  await refused(await api('PUT', `/api/v1/pdsa/${cyc.id}`, { title: 'TTOs on ward 3', start_date: '2025-04-10', end_date: '2025-04-01' }),
    400, 'end_date', before, cycles, 'a cycle ending before it starts');
  await refused(await api('PUT', `/api/v1/pdsa/${cyc.id}`, { title: 'TTOs on ward 3', start_date: '2025-02-30' }), 400, 'start_date', before, cycles, 'a start date that does not exist');
  await refused(await api('PUT', `/api/v1/pdsa/${cyc.id}`, { title: 'TTOs on ward 3', start_date: '2025-04-01', act: 'keep' }), 400, 'act', before, cycles, 'an act that is not adopt, adapt or abandon');
  await refused(await api('PUT', `/api/v1/pdsa/${cyc.id}`, { start_date: '2025-04-01' }), 400, 'title', before, cycles, 'a cycle without a title');
  const cput = await api('PUT', `/api/v1/pdsa/${cyc.id}`, { title: 'TTOs on ward 3', plan: 'Two weeks', start_date: '2025-04-01',
    end_date: '2025-04-14', study: 'Discharges before noon doubled', act: 'adopt' });
  ok(cput.status === 200 && cput.json().act === 'adopt' && cput.json().end_date === '2025-04-14' && cput.json().change_id === chg.id,
    'PUT a cycle: studied and adopted');
  ok((await api('DELETE', `/api/v1/pdsa/${cyc.id}`)).status === 204 && (await cycles()).length === 0, 'DELETE a cycle');
  ok((await api('DELETE', `/api/v1/pdsa/${cyc.id}`)).status === 404, 'DELETE it again: 404');

  // ---- measures, points and rebases -----------------------------------------------------------
  const mk = await api('POST', `/api/v1/projects/${pid}/measures`, { name: 'Readmissions', kind: 'outcome', unit: '%', direction: 'decrease', target: 5 });
  ok(mk.status === 201, 'a measure');
  const mid = mk.json().id;
  const measure = () => get(`/api/v1/measures/${mid}`);
  const points = [];
  for (let i = 0; i < 24; i++)
    points.push({ date: new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10), value: i < 12 ? 9 + (i % 3) : 5 + (i % 2) });
  ok((await api('POST', `/api/v1/measures/${mid}/points`, { points })).status === 200, '24 weekly points');
  before = await measure();
  const good = { name: 'Readmissions within 7 days', kind: 'outcome', unit: '%', direction: 'decrease', target: 4 };
  await refused(await api('PUT', `/api/v1/measures/${mid}`, { ...good, kind: 'output' }), 400, 'kind', before, measure, 'a measure of no known kind');
  await refused(await api('PUT', `/api/v1/measures/${mid}`, { ...good, direction: 'up' }), 400, 'direction', before, measure, 'a direction that is not increase, decrease or neutral');
  await refused(await api('PUT', `/api/v1/measures/${mid}`, { ...good, target: '4' }), 400, 'target', before, measure, 'a target that is not a number');
  await refused(await api('PUT', `/api/v1/measures/${mid}`, { ...good, name: '' }), 400, 'name', before, measure, 'a measure without a name');
  await refused(await api('PUT', `/api/v1/measures/${mid}`, { ...good, unit: 'u'.repeat(41) }), 400, 'unit', before, measure, 'a unit too long');
  const mput = await api('PUT', `/api/v1/measures/${mid}`, good);
  ok(mput.status === 200 && mput.json().name === good.name && mput.json().target === 4 && mput.json().n_points === 24, 'PUT a measure: its points stay');
  const noTarget = await api('PUT', `/api/v1/measures/${mid}`, { ...good, target: null });
  ok(noTarget.status === 200 && noTarget.json().target === null && noTarget.json().assurance === null, 'PUT target null: no target, no assurance');

  before = await measure();
  await refused(await api('POST', `/api/v1/measures/${mid}/rebases`, { date: points[12].date, reason: '' }), 400, 'reason', before, measure, 'a rebase without a reason');
  await refused(await api('POST', `/api/v1/measures/${mid}/rebases`, { date: '31/03/2025', reason: 'x' }), 400, 'date', before, measure, 'a rebase date not written YYYY-MM-DD');
  await refused(await api('POST', `/api/v1/measures/${mid}/rebases`, { reason: 'x' }), 400, 'date', before, measure, 'a rebase without a date');
  await refused(await api('POST', `/api/v1/measures/${mid}/rebases`, { date: '2025-03-26', reason: 'x' }), 400, 'date', before, measure, 'a rebase on a date without a point');
  await refused(await api('POST', `/api/v1/measures/${mid}/rebases`, { date: points[0].date, reason: 'x' }), 400, 'date', before, measure, 'a rebase at the first point');
  const rb = await api('POST', `/api/v1/measures/${mid}/rebases`, { date: points[12].date, reason: 'Pharmacist on every ward' });
  ok(rb.status === 201 && rb.json().date === points[12].date && rb.json().measure_id === mid, 'POST a rebase at a point');
  const rebased = await measure();
  ok(rebased.rebases.length === 1 && rebased.lpl !== before.lpl, 'the rebase starts new limits', JSON.stringify([before.lpl, rebased.lpl]));
  await refused(await api('POST', `/api/v1/measures/${mid}/rebases`, { date: points[12].date, reason: 'again' }), 409, 'date', rebased, measure, 'a second rebase on the same date');
  ok((await api('DELETE', `/api/v1/rebases/${rb.json().id}`)).status === 204 && (await measure()).rebases.length === 0, 'DELETE a rebase');
  ok((await api('DELETE', `/api/v1/rebases/${rb.json().id}`)).status === 404, 'DELETE it again: 404');

  before = await measure();
  await refused(await api('DELETE', `/api/v1/measures/${mid}/points`), 400, 'date', before, measure, 'DELETE a point without naming its date');
  await refused(await api('DELETE', `/api/v1/measures/${mid}/points?date=2025-13-01`), 400, 'date', before, measure, 'DELETE a point on a date that does not exist');
  const gone = await api('DELETE', `/api/v1/measures/${mid}/points?date=2025-01-07`);
  ok(gone.status === 404 && JSON.stringify(await measure()) === JSON.stringify(before), 'DELETE a point on a day without one: 404, nothing changes');
  ok((await api('DELETE', `/api/v1/measures/${mid}/points?date=${points[23].date}`)).status === 204 && (await measure()).n_points === 23, 'DELETE a point');

  // ---- case studies ---------------------------------------------------------------------------
  const story = { problem: 'Readmissions', change_made: 'A pharmacist on every ward', data_shows: 'Halved', contact: 'Pharmacy' };
  const project = () => get(`/api/v1/projects/${pid}`);
  const library = async () => (await get('/api/v1/good-practice')).case_studies.map((c) => c.id);
  const libBefore = await library();
  await refused(await api('PUT', `/api/v1/projects/${pid}/case-study`, story), 400, 'status', libBefore, library, 'publishing an active project');
  ok((await api('PUT', `/api/v1/projects/${pid}`, { ...(await project()), status: 'complete' })).status === 200, 'the project completes');
  await refused(await api('PUT', `/api/v1/projects/${pid}/case-study`, { ...story, contact: undefined }), 400, 'contact', libBefore, library, 'a case study without a contact');
  await refused(await api('PUT', `/api/v1/projects/${pid}/case-study`, { ...story, problem: 3 }), 400, 'problem', libBefore, library, 'a problem that is not text');
  const pub = await api('PUT', `/api/v1/projects/${pid}/case-study`, story);
  ok(pub.status === 201 && pub.json().title === 'Safer discharge' && pub.json().contact === 'Pharmacy', 'PUT publishes it: 201');
  const cid = pub.json().id;
  const again = await api('PUT', `/api/v1/projects/${pid}/case-study`, { ...story, contact: 'Chief pharmacist' });
  ok(again.status === 200 && again.json().id === cid && again.json().contact === 'Chief pharmacist', 'PUT again changes it: 200');

  const member = await signIn('member');
  const caseNow = () => get(`/api/v1/good-practice/${cid}`);
  const trying = (json) => req('POST', `/api/v1/good-practice/${cid}/trying`, { cookie: member.cookie, csrf: member.csrf, json });
  before = await caseNow();
  await refused(await trying({ note: 42 }), 400, 'note', before, caseNow, 'a note that is not text');
  await refused(await trying({ note: 'n'.repeat(5001) }), 400, 'note', before, caseNow, 'a note too long');
  const t1 = await trying({ note: 'Ward 9 from May' });
  ok(t1.status === 200 && t1.json().trying_too.length === 1 && t1.json().trying_too[0].note === 'Ward 9 from May', "POST trying: we're trying this too");
  const t2 = await trying({});
  ok(t2.status === 200 && t2.json().trying_too.length === 1 && t2.json().trying_too[0].note === '', 'saying it again replaces the note');
  ok((await req('POST', '/api/v1/good-practice/999999/trying', { cookie: member.cookie, csrf: member.csrf, json: {} })).status === 404, 'trying a case study that does not exist: 404');

  ok((await req('DELETE', `/api/v1/projects/${pid}/case-study`, { cookie: member.cookie, csrf: member.csrf })).status === 403, 'a member cannot unpublish');
  ok((await api('DELETE', `/api/v1/projects/${pid}/case-study`)).status === 204 && (await api('GET', `/api/v1/good-practice/${cid}`)).status === 404,
    'DELETE unpublishes it');
  ok((await api('DELETE', `/api/v1/projects/${pid}/case-study`)).status === 404, 'DELETE it again: 404');

  // ---- reordering the diagram: plain forms and the API ----------------------------------------------
  const prim2 = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Transport booked early' })).json();
  const order = async () => (await diagram()).drivers.map((d) => d.id).join();
  let page = (await req('GET', `/projects/${pid}`, { cookie: lead.cookie })).text;
  ok(page.includes(`action="/drivers/${prim2.id}/move"`) && !page.includes(`action="/drivers/${prim.id}/move"><input type="hidden" name="csrf" value="${lead.csrf}"><input type="hidden" name="direction" value="up"`),
    'the tree offers Move up to the second primary driver, not to the first');
  const moved = await req('POST', `/drivers/${prim2.id}/move`, { cookie: lead.cookie, form: { csrf: lead.csrf, direction: 'up' } });
  ok(moved.status === 303 && moved.headers.get('location') === `/projects/${pid}#driver-diagram`, 'a plain form moves it up');
  page = (await req('GET', `/projects/${pid}`, { cookie: lead.cookie })).text;
  const svg = page.slice(page.indexOf('class="app-driver-diagram"'), page.indexOf('class="app-tree"'));
  const tree = page.slice(page.indexOf('class="app-tree"'));
  ok(svg.indexOf('Transport booked early') < svg.indexOf('Medicines ready') && svg.indexOf('Medicines ready') > 0,
    'the SVG draws it first');
  ok(tree.indexOf('Transport booked early') < tree.indexOf('Medicines ready') && tree.indexOf('Medicines ready') < tree.indexOf('A pharmacist on every ward'),
    'the tree lists it first, the other driver with what hangs from it after');
  ok(await order() === [prim2.id, prim.id, sec.id, chg.id].join(), 'the API lists the new order');
  const beforeOrder = await order();
  const pageBad = await req('POST', `/drivers/${prim2.id}/move`, { cookie: lead.cookie, form: { csrf: lead.csrf, direction: 'up' } });
  ok(pageBad.status === 400 && pageBad.text.includes('first of its siblings already') && await order() === beforeOrder,
    'the first cannot move up: 400, nothing changes');
  await refused(await api('POST', `/api/v1/drivers/${prim2.id}/move`, { direction: 'sideways' }), 400, 'direction', beforeOrder, order, 'a move neither up nor down');
  await refused(await api('POST', `/api/v1/drivers/${prim2.id}/move`, {}), 400, 'direction', beforeOrder, order, 'a move without a direction');
  await refused(await api('POST', `/api/v1/drivers/${chg.id}/move`, { direction: 'down' }), 400, 'direction', beforeOrder, order, 'an only child cannot move');
  const back = await api('POST', `/api/v1/drivers/${prim2.id}/move`, { direction: 'down' });
  ok(back.status === 200 && back.json().drivers.map((d) => d.id).join() === [prim.id, sec.id, chg.id, prim2.id].join(), 'API: moves it back down, answering the diagram');
  ok((await api('POST', '/api/v1/drivers/999999/move', { direction: 'up' })).status === 404, 'moving a node that does not exist: 404');
  ok((await api('DELETE', `/api/v1/drivers/${prim2.id}`)).status === 204, 'DELETE a node');

  // ---- deleting nodes and measures --------------------------------------------------------------
  ok((await api('DELETE', `/api/v1/drivers/${prim.id}`)).status === 204 && (await diagram()).drivers.length === 0,
    'DELETE a primary driver takes what hangs from it');
  ok((await api('DELETE', `/api/v1/measures/${mid}`)).status === 204 && (await api('GET', `/api/v1/measures/${mid}`)).status === 404, 'DELETE a measure');
  ok((await req('DELETE', `/api/v1/organisations/northgate-ambulance/projects/${pid}/case-study`, { cookie: lead.cookie, csrf: lead.csrf })).status === 403,
    "another organisation's lead role is needed there");

  const admin = await signIn('admin');
  const audit = (await req('GET', '/api/v1/audit?limit=500', { cookie: admin.cookie })).json();
  const acts = (audit.entries || audit).map((e) => `${e.action} ${e.entity}`);
  for (const a of ['update driver', 'move driver', 'delete driver', 'update pdsa', 'delete pdsa', 'update measure', 'delete measure', 'create rebase',
    'delete rebase', 'delete point measure', 'unpublish case_study'])
    ok(acts.includes(a), `audited: ${a}`);
} catch (e) {
  ok(false, 'improvement API tests ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
