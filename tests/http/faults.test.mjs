// Failure paths tested like success paths (issue 16): every route of `purpose serve --routes`, on the
// demo, with the fault-injecting driver failing its database steps in turn (PURPOSE_FAULT_HEADER=1 and
// "X-Purpose-Fault: N" fail the N-th step of that one request), until the request gets through. Every
// failure must be a well-formed error (5xx; JSON with "error" for the API, the NHS error page with a
// link back for pages); a failed write must leave every table as it was (per-table hashes of the
// database, read beside the server); and the same process answers the next request.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ok, done, engine, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = resolve(process.argv[2] || 'build/purpose');
const repo = new URL('../..', import.meta.url).pathname;
const t0 = Date.now();

// Steps tried: every one up to 16, then sparser (a request of hundreds of steps is covered at its
// first steps, its transaction's ends and a sample between), until the request gets through.
const STEPS = [...Array(16).keys()].map((i) => i + 1).concat([20, 24, 28, 32, 40, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 2048, 4096]);

// Per-table hashes of the database, read beside the server by one long-lived sqlite3 or psql.
// Sessions change on every signed-in request (last seen) whatever the outcome; the handover
// aggregates only on handover imports.
const SKIP = ['sessions'];
const HASHES = engine === 'sqlite'
  ? "SELECT name, hex(sha3_query('SELECT * FROM \"' || name || '\"')) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'ho\\_%' ESCAPE '\\' ORDER BY name;"
  // Per table the row count and the sum of the rows' hashes: no sort, and any changed row shows.
  : "SELECT table_name, md5(query_to_xml(format('SELECT count(*) AS n, sum(hashtextextended(t::text, 0)::numeric) AS h FROM %I t', table_name), false, true, '')::text) " +
    "FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'ho\\_%' ORDER BY 1;";
const HASHES_ALL = HASHES.replace(/ AND (table_)?name NOT LIKE 'ho[^']*'( ESCAPE '[^']*')?/, '');
function reader(db) {
  const p = spawn(engine === 'sqlite' ? 'sqlite3' : 'psql', engine === 'sqlite' ? ['-readonly', db] : ['-At', '-q', db],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '', wake = null;
  p.stdout.on('data', (d) => { buf += d; if (wake && buf.includes('END-OF-HASHES\n')) wake(); });
  return {
    hashes: (handovers) => new Promise((res) => {
      buf = '';
      wake = () => {
        wake = null;
        const lines = buf.slice(0, buf.indexOf('END-OF-HASHES')).trim().split('\n');
        res(new Map(lines.map((l) => l.split('|')).filter(([t]) => t && !SKIP.includes(t))));
      };
      p.stdin.write(`${handovers ? HASHES_ALL : HASHES}\nSELECT 'END-OF-HASHES';\n`);
    }),
    close: () => p.stdin.end(),
  };
}
const changed = (a, b) => [...new Set([...a.keys(), ...b.keys()])].filter((t) => a.get(t) !== b.get(t));

// A JSON body from the documented request schema: its required members, plausible values.
const doc = JSON.parse(readFileSync(`${repo}/docs/openapi.json`, 'utf8'));
function sample(schema) {
  if (!schema) return {};
  if (schema.$ref) return sample(schema.$ref.split('/').slice(1).reduce((o, k) => o[k], doc));
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map(sample));
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object' || schema.properties) {
    const o = {};
    for (const k of schema.required || []) o[k] = sample(schema.properties?.[k]);
    return o;
  }
  if (type === 'array') return schema.minItems ? [sample(schema.items)] : [];
  if (type === 'integer') return schema.minimum ?? 1;
  if (type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return false;
  if (schema.format === 'date') return '2024-01-01';
  return 'Fault sweep';
}
// What the schema alone cannot tell (read from each route's 400 on the demo): members whose value
// must name a demo object, be new, or agree with another, so that the write reaches the store.
const now = Math.floor(Date.now() / 1000);
const aim = { target_year: 2030 }, project = { why_unaligned: 'Fault sweep' }, pdsa = { start_date: '2024-01-01', end_date: '2024-03-01' };
const conversation = { opens_at: now - 86400, closes_at: now + 30 * 86400 };
const BODY = {
  // "{n}" is the step: an attempt after one stored whole (its answer lost) must not be a duplicate
  'POST /api/v1/organisations': { slug: 'fault-sweep-org-{n}', type: 'nhs_trust' },
  'POST /api/v1/programmes': { slug: 'fault-sweep-programme-{n}' },
  'POST /api/v1/pulses/{id}/follow': { statement_id: 1 },
  'POST /api/v1/programmes/{programme}/aims': aim, 'PUT /api/v1/programmes/{programme}/aims/{id}': aim,
  'POST /api/v1/users': { username: 'faultsweepapi{n}' }, /* the page's form took faultsweep{n} */
  'PUT /api/v1/users/{id}/roles': { scope: 'organisation', slug: 'northgate-ambulance', role: 'member' },
  'POST /api/v1/projects': project, 'PUT /api/v1/projects/{id}': project,
  'POST /api/v1/drivers/{id}/move': { direction: 'down' },
  'POST /api/v1/drivers/{id}/pdsa': pdsa, 'PUT /api/v1/pdsa/{id}': pdsa,
  'POST /api/v1/measures/{id}/points': { points: [{ date: '2030-01-01', value: 5 }] },
  'POST /api/v1/programmes/{programme}/measures/{id}/points': { points: [{ date: '2030-01-01', value: 5 }] },
  'POST /api/v1/measures/{id}/rebases': { date: '2030-01-01' }, /* the point POST .../points adds */
  'POST /api/v1/handovers/measures': { scope: 'org', metric: 'pct_within_60', period: 'week', project: 1 },
  'PUT /api/v1/handovers/sites/{id}': { code: 'NRI01' }, /* the demo's code of site 1 */
  'POST /api/v1/conversations': conversation, 'POST /api/v1/programmes/{programme}/conversations': conversation,
  'POST /api/v1/statements/{kind}/provenance': { contribution_ids: [1] },
  'POST /api/v1/programmes/{programme}/statements/{kind}/provenance': { contribution_ids: [2] },
};
const jsonBody = (method, pattern) => {
  const b = sample(doc.paths[pattern]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema);
  return BODY[`${method} ${pattern}`] ? { ...b, ...BODY[`${method} ${pattern}`] } : b;
};

// An empty field's value by its name and kind: a date's day, month and year, a number, a new slug
// or username ("{n}": the step, so that a retry after a write stored whole is no duplicate).
function fill(name, type, mode) {
  if (/year$/i.test(name)) return '2024';
  if (/(month|day)$/i.test(name)) return '1';
  if (type === 'date' || /date$/i.test(name)) return '2024-01-01';
  if (type === 'number' || mode === 'numeric' || mode === 'decimal') return '1';
  if (/(attendees|attendance|target)$/.test(name) || name === 'per') return '1';
  if (name === 'act') return 'adopt';
  if (/^att-/.test(name)) return '0';                 /* an event's attendance by group, within its attendees */
  if (/ods_code$/.test(name)) return 'FS{n}';
  if (/slug$/.test(name)) return 'fault-sweep-{n}';
  if (/username$/.test(name)) return 'faultsweep{n}';
  return 'Fault sweep';
}

// An empty text area's value by its name: a measure's points as CSV; an event's other ethnic groups
// as "name: n" lines (none).
const TEXT = { data: '2030-02-01,5', attendance_other: '' };
// A page form's fields the sweep finds on no page it reads (an event's page), or that a page leaves
// to the person (a rebase's date: the point the points form added).
const FORM = {
  'POST /conversations/events/{id}/outputs': { body: 'Fault sweep' },
  'POST /programmes/{programme}/conversations/events/{id}/outputs': { body: 'Fault sweep' },
  'POST /measures/{id}/rebases': { date: '2030-02-01' },
  'POST /handovers/sites/{id}': { code: 'NRI01' },
  'POST /measures/{id}/points/delete': { day: '2030-03-01' },
  'POST /conversations/ideas/{id}/respond': { state: 'in_progress' },
  'POST /programmes/{programme}/conversations/ideas/{id}/respond': { state: 'in_progress' },
  'POST /pulses/new': { audience: '100', statement5: '', statement6: '' },
  'POST /programmes/{programme}/pulses/new': { audience: '100', statement5: '', statement6: '' },
  'POST /pulses/{id}/follow': { statement: '1' },
  'POST /conversations/{id}/vote': { vote: 'agree' }, /* the vote buttons, which the form's fields leave out */ /* the demo pulse's first statement; the form is on its results */
};

// A form's fields, as the page that shows it fills them; empty text filled in.
function formFields(html) {
  const f = {};
  const attr = (tag, a) => (tag.match(new RegExp(`\\s${a}="([^"]*)"`)) || [])[1];
  const un = (s) => (s || '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const tag of html.match(/<input[^>]*>/g) || []) {
    const name = attr(tag, 'name'), type = attr(tag, 'type') || 'text';
    if (!name || type === 'file' || type === 'submit') continue;
    const checked = /\schecked/.test(tag);
    if (type === 'checkbox' && !checked) continue;
    if (type === 'radio' && name in f && !checked) continue; /* the first, or the checked one */
    f[name] = un(attr(tag, 'value')) || fill(name, type, attr(tag, 'inputmode'));
  }
  for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) f[m[1]] = un(m[2]) || (TEXT[m[1]] ?? 'Fault sweep');
  for (const m of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const opt = m[2].match(/<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected/) || m[2].match(/<option[^>]*value="([^"]+)"/);
    if (opt) f[m[1]] = un(opt[1] ?? opt[2]);
  }
  return f;
}

const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet', '--trusted-proxy', '127.0.0.1'], { PURPOSE_FAULT_HEADER: '1' });
const U = srv.url;
const tables = reader(env.db);
const { req, signIn } = client(U, env.creds);
let admin = await signIn('admin');

const routes = execFileSync(bin, ['serve', '--routes'], { encoding: 'utf8' }).trim().split('\n')
  .map((l) => { const [method, pattern, role, kind] = l.split(' '); return { method, pattern, role, kind }; });
// A destructive form's second post (its confirmation's confirm=yes), so that the sweep reaches its change.
const confirmed = new Set(JSON.parse(execFileSync(bin, ['serve', '--routes', '--format', 'json'], { encoding: 'utf8' }))
  .filter((r) => r.confirm).map((r) => `${r.method} ${r.path}`));

// Reads first, then writes, then deletions, sign-out last: each route finds the demo's objects.
const rank = (r) => r.pattern === '/sign-out' ? 4 : r.method === 'DELETE' || /\/(delete|revoke|withdraw)$/.test(r.pattern) ? 3 : r.method === 'GET' ? 0 : 1;
routes.sort((a, b) => rank(a) - rank(b));

// Parameters from the demo: object 1 of each kind, the programme's conversation (2) and its event
// (3); the user routes on the demo contributor, never on the administrator sweeping.
const users = (await req('GET', '/api/v1/users', { cookie: admin.cookie })).json();
const victim = (users.users || users).find((u) => u.username === env.creds.contributor.username)?.id ?? 2;
// A deletion through the API takes object 2 where the demo has one, the page's deletion having
// taken object 1.
const SECOND = /^\/api\/v1\/(values|themes|programmes\/\{programme\}\/aims|tokens|projects|conversations\/events)\/\{id\}$/;
function pathOf({ method, pattern }) {
  const id = /^\/(api\/v1\/)?(admin\/)?users\//.test(pattern) ? String(victim)
    : !pattern.includes('/programmes/{programme}/conversations/') ? (method === 'DELETE' && SECOND.test(pattern) ? '2' : '1') : pattern.includes('/events/{id}') ? '3' : '2';
  return pattern.replace('{id}', id).replace('{kind}', 'vision').replace('{programme}', 'handovers').replace('{org}', 'northgate-ambulance');
}

// A form posted to a path that shows none (405 on GET) is on the page of its object: its fields
// there, as that page fills them.
const HOSTS = ['/projects/1', '/measures/1', '/conversations/1', '/programmes/handovers/conversations/2'];
async function formElsewhere(path) {
  for (const host of [path.replace(/\/[a-z-]+$/, ''), ...HOSTS]) {
    const page = await send({ method: 'GET', kind: 'page' }, host, 0);
    for (const m of page.text.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g))
      if (m[1].replace(/&amp;/g, '&').split('?')[0].split('#')[0] === path) return formFields(m[2]);
  }
  return {};
}

// The programme's conversation's published ideas (their ids are opaque): a vote's item, a statement's
// provenance, an idea's response.
const ideas = (await req('GET', '/api/v1/programmes/handovers/conversations/2', { cookie: admin.cookie })).json()
  .contributions.filter((c) => c.kind === 'idea' && c.state === 'published').map((c) => c.id);
BODY['POST /api/v1/programmes/{programme}/conversations/{id}/votes'] = { item: ideas[0] };
BODY['POST /api/v1/programmes/{programme}/statements/{kind}/provenance'] = { contribution_ids: [ideas[1]] };
BODY['POST /api/v1/programmes/{programme}/conversations/ideas/{id}/response'] = { state: 'in_progress' };
BODY['PUT /api/v1/programmes/{programme}/conversations/ideas/{id}/response'] = { state: 'in_progress' };
BODY['POST /api/v1/conversations/ideas/{id}/response'] = { state: 'in_progress' };
BODY['PUT /api/v1/conversations/ideas/{id}/response'] = { state: 'in_progress' };
const ideas1 = (await req('GET', '/api/v1/conversations/1', { cookie: admin.cookie })).json()
  .contributions.filter((c) => c.kind === 'idea' && c.state === 'published').map((c) => c.id);
const IDEA = /^\/(api\/v1\/)?programmes\/\{programme\}\/conversations\/ideas\/\{id\}\//;
const IDEA1 = /^\/(api\/v1\/)?conversations\/ideas\/\{id\}\//;

// A deletion whose object the demo has only once (the page's deletion or its API twin took it) gets
// its own, created through the API just before it: the route's path with the new object's id.
const created = async (path, pattern, extra) => {
  const r = await req('POST', path, { cookie: admin.cookie, csrf: admin.csrf, json: { ...jsonBody('POST', pattern), ...extra } });
  const j = r.json();
  return j.id ?? Object.values(j).find((v) => v && typeof v === 'object' && 'id' in v)?.id;
};
// The organisation's writes to a conversation go to one opened for the sweep (the demo's conversation 1
// is closed): an idea of the administrator's (staff: published at once) to vote on, and one of the
// demo contributor's waiting in its queue (the public's are queued) to moderate.
const openConv = await created('/api/v1/conversations', '/api/v1/conversations', { question: 'Fault sweep: what should change?', queue_public: true });
const first = (await req('POST', `/api/v1/conversations/${openConv}/contributions`, { cookie: admin.cookie, csrf: admin.csrf,
  json: { body: 'Fault sweep idea' } })).json();
const openIdea = first.id;
// The contributor session the server issued with it (which alone may withdraw it), sent back by the
// withdrawals as a browser does (purpose_contributor).
const contributorToken = first.contributor;
FORM['POST /conversations/{id}/withdraw'] = { item: String(openIdea) };
const contributor = await signIn('contributor');
const queued = (await req('POST', `/api/v1/conversations/${openConv}/contributions`, { cookie: contributor.cookie, csrf: contributor.csrf,
  json: { body: 'Fault sweep idea waiting in the queue' } })).json().id;
// The programme's conversation (2): one of the contributor's waiting in its queue, to moderate; one of
// this contributor session's, to withdraw; the vote form's fields.
const queued2 = (await req('POST', '/api/v1/programmes/handovers/conversations/2/contributions', { cookie: contributor.cookie,
  csrf: contributor.csrf, json: { body: 'Fault sweep: a programme idea waiting in the queue' } })).json();
if (queued2.state === 'queued') BODY['POST /api/v1/programmes/{programme}/conversations/{id}/moderation'] = { item: queued2.id, decision: 'approve' };
const mine2 = await (await fetch(U + '/api/v1/programmes/handovers/conversations/2/contributions', { method: 'POST',
  headers: { Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf, 'X-Contributor': contributorToken, 'Content-Type': 'application/json' },
  body: JSON.stringify({ body: 'Fault sweep: a programme idea to withdraw' }) })).json();
FORM['POST /programmes/{programme}/conversations/{id}/withdraw'] = { item: String(mine2.id) };
FORM['POST /programmes/{programme}/conversations/{id}/vote'] = { item: String(ideas[0]), vote: 'agree' };
// A lead's tag of a published idea (the form is on the moderation page, one per idea).
FORM['POST /conversations/{id}/tag'] = { item: String(ideas1[2]), theme: 'Fault sweep' };
FORM['POST /programmes/{programme}/conversations/{id}/tag'] = { item: String(ideas.at(-1)), theme: 'Fault sweep' };
BODY['POST /api/v1/conversations/{id}/votes'] = { item: openIdea };
BODY['POST /api/v1/conversations/{id}/moderation'] = { item: queued, decision: 'approve' };
BODY['POST /api/v1/statements/{kind}/provenance'] = { contribution_ids: [ideas1[1]] };
const OPEN = /^\/(api\/v1\/)?conversations\/\{id\}\/(contribute|vote|votes|contributions|moderation|withdraw)$/;
// Their parents, made before the sweep (its deletions take the demo's).
const parentTheme = await created('/api/v1/themes', '/api/v1/themes');
const parentProject = await created('/api/v1/projects', '/api/v1/projects');
const newAmbition = () => created(`/api/v1/themes/${parentTheme}/ambitions`, '/api/v1/themes/{id}/ambitions');
const newDriver = () => created(`/api/v1/projects/${parentProject}/drivers`, '/api/v1/projects/{id}/drivers');
const newMeasure = () => created(`/api/v1/projects/${parentProject}/measures`, '/api/v1/projects/{id}/measures');
// A change idea: a driver two below a primary one; a PDSA cycle tests one.
const newChange = async () => {
  let parent_id = null;
  for (let i = 0; i < 3; i++) parent_id = await created(`/api/v1/projects/${parentProject}/drivers`, '/api/v1/projects/{id}/drivers', { parent_id });
  return parent_id;
};
const newPdsa = async () => created(`/api/v1/drivers/${await newChange()}/pdsa`, '/api/v1/drivers/{id}/pdsa');
const newAnnotation = async () => created(`/api/v1/measures/${await newMeasure()}/annotations`, '/api/v1/measures/{id}/annotations');
const newEvent = () => created('/api/v1/programmes/handovers/conversations/2/events', '/api/v1/programmes/{programme}/conversations/{id}/events');
// A project not yet approved; one complete (a case study is of a complete or sustaining project);
// one with its case study.
const newProject = () => created('/api/v1/projects', '/api/v1/projects');
const newComplete = () => created('/api/v1/projects', '/api/v1/projects', { status: 'complete' });
const newCaseStudy = async () => {
  const id = await newComplete();
  await req('PUT', `/api/v1/projects/${id}/case-study`, { cookie: admin.cookie, csrf: admin.csrf, json: jsonBody('PUT', '/api/v1/projects/{id}/case-study') });
  return id;
};
// A measure with one point, on 2030-03-01 (a point's deletion names it).
const newPointed = async () => {
  const id = await newMeasure();
  await req('POST', `/api/v1/measures/${id}/points`, { cookie: admin.cookie, csrf: admin.csrf, json: { points: [{ date: '2030-03-01', value: 5 }] } });
  return id;
};
// A measure of the handover programme's own (the demo has none).
const newProgMeasure = async () => (await req('POST', '/api/v1/programmes/handovers/measures', { cookie: admin.cookie, csrf: admin.csrf,
  json: { name: 'Fault sweep', kind: 'outcome', direction: 'increase' } })).json().id;
const FRESH_PULSES = {};
// A pulse of its own for each of a pulse's writes (a wave opens once, closes once, takes one answer
// from each person): the organisation's or the programme's, its wave open for closing and answering.
const newPulse = (prog, open) => async () => {
  const base = prog ? '/api/v1/programmes/handovers/pulses' : '/api/v1/pulses';
  const p = (await req('POST', base, { cookie: admin.cookie, csrf: admin.csrf, json: { title: 'Fault sweep pulse', audience: 50 } })).json();
  if (!open) return p.id;
  const o = (await req('POST', `${base}/${p.id}/open`, { cookie: admin.cookie, csrf: admin.csrf, json: {} })).json();
  BODY[`POST ${base.replace('handovers', '{programme}')}/{id}/answers`] = { wave_id: o.waves[0].id,
    answers: Object.fromEntries(p.statements.map((x) => [x.id, 4])) };
  return p.id;
};
for (const prog of [false, true])
  for (const api of [false, true]) {
    const at = `${api ? '/api/v1' : ''}${prog ? '/programmes/{programme}' : ''}/pulses/{id}`;
    FRESH_PULSES[`POST ${at}/open`] = newPulse(prog, false);
    FRESH_PULSES[`POST ${at}/close`] = newPulse(prog, true);
    FRESH_PULSES[`POST ${at}/${api ? 'answers' : 'answer'}`] = newPulse(prog, true);
  }
const FRESH = {
  ...FRESH_PULSES,
  'POST /measures/{id}/points/delete': newPointed, 'DELETE /api/v1/measures/{id}/points': newPointed,
  'POST /api/v1/programmes/{programme}/measures/{id}/move': newProgMeasure,
  'POST /api/v1/programmes/{programme}/measures/{id}/points': newProgMeasure,
  'POST /projects/{id}/approve': newProject, 'POST /api/v1/projects/{id}/approve': newProject,
  'POST /projects/{id}/case-study': newComplete, 'PUT /api/v1/projects/{id}/case-study': newComplete,
  'POST /projects/{id}/case-study/delete': newCaseStudy, 'DELETE /api/v1/projects/{id}/case-study': newCaseStudy,
  'POST /strategy/ambitions/{id}/delete': newAmbition, 'DELETE /api/v1/ambitions/{id}': newAmbition,
  'POST /drivers/{id}/delete': newDriver, 'DELETE /api/v1/drivers/{id}': newDriver,
  'POST /measures/{id}/delete': newMeasure, 'DELETE /api/v1/measures/{id}': newMeasure,
  'DELETE /api/v1/programmes/{programme}/conversations/events/{id}': newEvent,
  'POST /drivers/{id}/pdsa/new': newChange, 'POST /api/v1/drivers/{id}/pdsa': newChange,
  'POST /pdsa/{id}/delete': newPdsa, 'DELETE /api/v1/pdsa/{id}': newPdsa,
  'POST /annotations/{id}/delete': newAnnotation, 'DELETE /api/v1/annotations/{id}': newAnnotation,
};
async function fresh(rt) {
  const id = await FRESH[`${rt.method} ${rt.pattern}`]();
  const path = pathOf(rt).replace(/\/[0-9]+(?=\/|$)/, `/${id}`).replace(/(events\/)[0-9]+/, `$1${id}`);
  return rt.pattern === '/api/v1/measures/{id}/points' ? `${path}?date=2030-03-01` : path;
}

let signInCookie = '', routeAddress = '10.99.0.1';
async function send(rt, path, n, body) {
  const headers = { Cookie: rt.pattern === '/sign-in' && rt.method === 'POST' ? signInCookie : admin.cookie };
  if (/\/withdraw$/.test(rt.pattern)) headers.Cookie += `; purpose_contributor=${contributorToken}`;
  // Each route from an address of its own (the server trusts the sweep as its proxy): the limits
  // per address on contributions, votes and new contributor sessions are counted per route, so
  // that one route's attempts do not refuse the next one's (429).
  headers['X-Forwarded-For'] = routeAddress;
  if (n) headers['X-Purpose-Fault'] = String(n);
  const write = rt.method !== 'GET';
  let data;
  if (write && rt.kind === 'api') {
    headers['X-CSRF-Token'] = admin.csrf;
    if (!['DELETE'].includes(rt.method) || body) { headers['Content-Type'] = 'application/json'; data = JSON.stringify(body ?? {}).replaceAll('{n}', n); }
  } else if (write) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    data = new URLSearchParams(body).toString().replaceAll(encodeURIComponent('{n}'), n);
  }
  const r = await fetch(U + path, { method: rt.method, headers, body: data, redirect: 'manual', signal: AbortSignal.timeout(30000) });
  return { status: r.status, type: r.headers.get('content-type') || '', note: r.headers.get('x-purpose-fault') || '', text: await r.text() };
}

function wellFormed(rt, r) {
  if (r.status < 500) return false;
  if (rt.kind === 'api') {
    try { return r.type.startsWith('application/json') && typeof JSON.parse(r.text).error === 'string'; } catch { return false; }
  }
  return r.type.startsWith('text/html') && r.text.includes('href="/"') && /<h1>Sorry, /.test(r.text);
}

// Routes with no database step of their own (after the session and scope every request reads).
// Each is answered from what the request already holds (its session, its scope) or from code:
const NO_DB = new Set([
  'GET /sign-in', 'GET /api/v1/me',                               // the session read for every request
  'GET /icons/variation/{id}.svg', 'GET /icons/assurance/{id}.svg', // drawn from the id alone
  'GET /rejects.csv',                                              // a file's bad rows, kept in memory (web/badrows.h)
  // empty forms
  'GET /strategy/values/new', 'GET /strategy/themes/new', 'GET /admin/organisations/new',
  'GET /programmes/{programme}/aims/new', 'GET /handovers/import', 'GET /conversations/new',
  'GET /programmes/{programme}/conversations/new', 'GET /pulses/new', 'GET /programmes/{programme}/pulses/new',
]);

// Writes still refused before the store (so their own steps are not faulted), each with why; any
// other route refused so fails the suite (PURPOSE_FAULT_STRICT=1 fails these too).
const KNOWN = {
  'POST /handovers/import': 'the form wants an uploaded CSV file, not sent',
  'POST /programmes/{programme}/conversations/{id}/about-me': 'the groups form\'s fields not filled right',
  'POST /rebases/{id}/delete': 'the form\'s measure_id not sent (the form is on no page the sweep reads)',
  'POST /conversations/{id}/opinions/shape': 'the form\'s item (an opaque id) and kind not filled right',
  'POST /programmes/{programme}/conversations/{id}/opinions/shape': 'the programme\'s conversation has no grouped votes, so no form',
  'POST /admin/tokens/{id}/revoke': 'PostgreSQL: the token was taken by an earlier route',
  'DELETE /api/v1/tokens/{id}': 'PostgreSQL: the token was taken by an earlier route',
};

let requests = 0, failures = 0, writesChecked = 0, ownTotal = 0;
const gapRoutes = [];
const uncovered = [];
const answerLost = new Set();
for (const [i, rt] of routes.entries()) {
  routeAddress = `10.99.${i >> 8}.${i & 255}`;
  const path = FRESH[`${rt.method} ${rt.pattern}`] ? await fresh(rt)
    : IDEA.test(rt.pattern) ? pathOf(rt).replace(/\/ideas\/[0-9]+/, `/ideas/${ideas[2]}`)
    : IDEA1.test(rt.pattern) ? pathOf(rt).replace(/\/ideas\/[0-9]+/, `/ideas/${ideas1[0]}`)
    : OPEN.test(rt.pattern) && rt.method !== 'GET' ? pathOf(rt).replace(/\/conversations\/1\//, `/conversations/${openConv}/`) : pathOf(rt);
  const write = rt.method !== 'GET';
  const handovers = /handover/.test(rt.pattern);
  let body;
  if (write && rt.kind === 'api') body = jsonBody(rt.method, rt.pattern);
  if (write && rt.kind === 'page') {
    const form = rt.pattern === '/sign-in' ? null : await send({ method: 'GET', kind: 'page' }, path, 0);
    body = form && form.status === 200 ? formFields(form.text) : await formElsewhere(path);
    if (rt.pattern === '/sign-in') body = { username: 'admin', password: env.creds.admin.password };
    Object.assign(body, FORM[`${rt.method} ${rt.pattern}`]);
    if (confirmed.has(`${rt.method} ${rt.pattern}`)) body.confirm = 'yes';
    body.csrf = rt.pattern === '/sign-in' ? undefined : admin.csrf;
    if (rt.pattern === '/sign-in') { /* as a browser signs in: the form's token, under its pre-session cookie */
      const page = await fetch(U + '/sign-in');
      signInCookie = (page.headers.get('set-cookie') || '').split(';')[0];
      body.csrf = ((await page.text()).match(/name="csrf" value="([^"]+)"/) || [])[1];
    }
  }
  const baseline = write ? null : await send(rt, path, 0);
  let before = write ? await tables.hashes(handovers) : null;
  const problems = [], gaps = [], swallowed = [];
  let through = null, steps = 0, own = 0, last = null;
  for (const n of STEPS) {
    const r = await send(rt, path, n, body);
    last = r;
    requests++;
    const fired = /fired=1/.test(r.note), route = Number((r.note.match(/route=(-?\d+)/) || [])[1] ?? -1);
    if (r.status < 500 && fired) {
      // A fault answered as if it were the client's (4xx) or swallowed (2xx/3xx): an injected
      // database failure is never the client's fault, and a write must not report success
      // when one of its steps failed; a read may leave out a part (checked against the baseline).
      // Accepted: a write stored whole (committed, not in a transaction) whose answer says so, and
      // an answer of the same status as the request gets without a fault (a refusal's or a 404's
      // page leaving out a part); compared once the request got through.
      if (write && r.status < 400 && /committed=[1-9][0-9]* in-write=0/.test(r.note)) continue;
      if (r.status >= 400 || write) swallowed.push([r.status, `step ${n}: the fault answered ${r.status}: ${r.text.slice(0, 160)} (${r.note})`]);
      else if (baseline && r.status !== baseline.status) problems.push(`step ${n}: a fault turned ${baseline.status} into ${r.status}`);
      continue;
    }
    if (r.status < 500) { through = r; break; }
    steps++;
    failures++;
    if (route >= 0 && n > route) own++;
    if (!wellFormed(rt, r)) problems.push(`step ${n}: ${r.status} ${r.type} ${r.text.slice(0, 160)}`);
    // Stored whole, then its answer failed (the fault hit a read after the write's commit): not
    // half stored, but the client is told it failed; listed below. The tables are compared after
    // every other failure: anything changed there is half stored.
    // Before the request took a write connection nothing can have been written: no need to look.
    if (write && !/writer=0/.test(r.note)) {
      const after = await tables.hashes(handovers);
      const diff = changed(before, after);
      if (diff.length && /fired=1 committed=[1-9][0-9]* in-write=0/.test(r.note)) {
        answerLost.add(`${rt.method} ${rt.pattern}`);
        // The answer must say so, or the client sends the change again.
        if (!/saved/.test(r.text) || /has not been saved/.test(r.text)) problems.push(`step ${n}: stored, but the answer does not say it was saved: ${r.text.slice(0, 200)}`);
      } else if (diff.length) problems.push(`step ${n}: a failed write changed ${diff.join(', ')} (${r.note})`);
      before = after;
    }
    if (problems.length > 3) break;
  }
  if (!through) problems.push(`never got through: ${last?.status} ${last?.text.slice(0, 200)}\nserver log: ${srv.stderr().slice(-600)}`);
  else if (baseline && through.status !== baseline.status) problems.push(`a fault turned ${baseline.status} into ${through.status}`);
  for (const [status, msg] of swallowed) if (status !== through?.status) gaps.push(msg);
  const key = `${rt.method} ${rt.pattern}`;
  // Every route's own database work is faulted (not only the session and scope every request
  // reads), unless it has none: the allow-list below, kept honest both ways.
  // (a page's refusal named by its error summary's first item)
  const refusal = (t) => ((t.match(/nhsuk-error-summary__list[\s\S]*?<a[^>]*>([^<]*)</) || t.match(/<h1>([^<]*)</) || [])[1] || t).slice(0, 200);
  // (a refusal after an attempt stored the write whole, its answer lost, is the duplicate it is)
  if (through && write && through.status >= 400 && !answerLost.has(key)) gaps.push(`the write was refused before the store: ${through.status} ${refusal(through.text)}`);
  if (own === 0 && !NO_DB.has(key)) (write ? gaps : problems).push(`no step of the route's own was faulted (${steps} failing steps, all before it; ${through?.status} ${through?.note})`);
  if (own > 0 && NO_DB.has(key)) problems.push(`on the allow-list of routes without a database step, yet ${own} of its own steps failed`);
  if (own === 0) uncovered.push(`${key} (${through?.status})`);
  // Gaps: on KNOWN (above), each with why, they are listed; elsewhere they fail. A write the sweep's body
  // does not get past validation (so its store steps are not faulted), and a fault answered 4xx or
  // swallowed (an injected database failure is never the client's fault; 4xx is accepted for none).
  if (gaps.length) {
    gapRoutes.push(`${key}: ${KNOWN[key] ?? 'NOT KNOWN'}: ${gaps[0].split('\n')[0].slice(0, 160)}`);
    if (!KNOWN[key] || process.env.PURPOSE_FAULT_STRICT === '1') problems.push(...gaps);
  }
  ownTotal += own;
  if (write) writesChecked++;
  ok(problems.length === 0, `faults: ${rt.method} ${rt.pattern} (${path}): ${steps} failing steps, each a well-formed error${write ? ', nothing stored' : ''}`,
    problems.join('\n'));
  // The sweep signs the administrator out at its end; the session is renewed after sign-in/out.
  if (rt.pattern === '/sign-in') admin = await signIn('admin');
}
ok(failures > routes.length, 'the injected faults fired (the server honours X-Purpose-Fault)', `${failures} failures`);
const alive = await send({ method: 'GET', kind: 'api' }, '/api/v1/purpose', 0);
ok(alive.status === 200 && srv.proc.exitCode === null, 'the same process answers after the sweep',
  `${alive.status} exit ${srv.proc.exitCode}`);
tables.close();
console.log(`# routes with no database step of their own (the allow-list (${uncovered.length}):\n# ${uncovered.join('\n# ')}`);
// Not a failure of atomicity: the write is stored whole, and a fault in reading it back for the
// answer is answered "saved, but ..." (checked above), so that the client does not send it twice.
console.log(`# known gaps (${gapRoutes.length}; a route not in KNOWN fails, PURPOSE_FAULT_STRICT=1 fails all):\n# ${gapRoutes.join('\n# ')}`);
console.log(`# writes stored whole whose answer a read fault after the commit lost (${answerLost.size}):\n# ${[...answerLost].join('\n# ')}`);
console.log(`# ${routes.length} routes, ${requests} requests, ${failures} injected failures (${ownTotal} in routes' own steps), ${writesChecked} writes checked, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
await srv.stop();
env.cleanup();
done();
