// docs/openapi.json against the real server: the same API routes and roles as the route table,
// and every GET answers (as an admin) with JSON that matches the documented schema. Prints TAP.
// usage: node tests/http/openapi.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const doc = JSON.parse(readFileSync('docs/openapi.json', 'utf8'));
ok(doc.openapi?.startsWith('3.'), 'docs/openapi.json is OpenAPI 3');

const routes = execFileSync(bin, ['serve', '--routes'], { encoding: 'utf8' }).trim().split('\n')
  .map((l) => l.split(' ')).filter((r) => r[3] === 'api').map(([method, path, role]) => ({ method, path, role }));
const documented = [];
for (const [path, ops] of Object.entries(doc.paths))
  for (const [method, op] of Object.entries(ops)) documented.push({ method: method.toUpperCase(), path, role: op['x-min-role'], op });
const key = (r) => `${r.method} ${r.path}`;
const missing = routes.filter((r) => !documented.some((d) => key(d) === key(r))).map(key);
const extra = documented.filter((d) => !routes.some((r) => key(d) === key(r))).map(key);
ok(missing.length === 0, 'every API route is documented', missing.join(', '));
ok(extra.length === 0, 'every documented operation exists', extra.join(', '));
const roleDiff = documented.filter((d) => routes.some((r) => key(r) === key(d) && r.role !== d.role)).map(key);
ok(roleDiff.length === 0, 'documented roles (x-min-role) match the server', roleDiff.join(', '));
for (const d of documented) {
  const names = [...d.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const declared = (d.op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name);
  ok(names.every((n) => declared.includes(n)) && declared.every((n) => names.includes(n)), `${key(d)}: path parameters declared`);
}

// A small JSON Schema check: $ref, allOf, type (with arrays of types), enum, required, properties, items;
// and every member of an answer's object is documented (a schema with properties, through its allOf,
// names each one unless it allows additionalProperties): everything the API gives is in this file.
const deref = (s) => (s.$ref ? s.$ref.split('/').slice(1).reduce((o, k) => o[k], doc) : s);
function members(schema, names = new Set()) {
  schema = deref(schema);
  for (const k of Object.keys(schema.properties || {})) names.add(k);
  for (const s of schema.allOf || []) members(s, names);
  if (schema.additionalProperties) names.add('*');
  return names;
}
function check(schema, value, at, errs, whole = true) {
  schema = deref(schema);
  for (const s of schema.allOf || []) check(s, value, at, errs, false);
  if (whole && value && typeof value === 'object' && !Array.isArray(value)) {
    const names = members(schema);
    if (names.size && !names.has('*'))
      for (const k of Object.keys(value)) if (!names.has(k)) errs.push(`${at}.${k}: not documented`);
  }
  const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  if (schema.type) {
    const types = [].concat(schema.type);
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) errs.push(`${at}: ${t} is not ${types.join('|')}`);
  }
  if (schema.enum && !schema.enum.includes(value)) errs.push(`${at}: ${value} not in enum`);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const r of schema.required || []) if (!(r in value)) errs.push(`${at}: missing ${r}`);
    for (const [k, s] of Object.entries(schema.properties || {})) if (k in value) check(s, value[k], `${at}.${k}`, errs);
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => check(schema.items, v, `${at}[${i}]`, errs));
}

const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
try {
  // An admin session, then an admin token through the API.
  const page = await fetch(srv.url + '/sign-in');
  const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const signin = await fetch(srv.url + '/sign-in', {
    method: 'POST', redirect: 'manual', headers: { Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, username: 'admin', password: env.creds.admin.password }),
  });
  const cookie = signin.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
  const me = await (await fetch(srv.url + '/api/v1/me', { headers: { Cookie: cookie } })).json();
  const tok = await (await fetch(srv.url + '/api/v1/tokens', {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'openapi test' }),
  })).json();
  // An idea of each demo conversation (ideas have ids of their own).
  const firstIdea = async (p) => String((await (await fetch(srv.url + p + '/ideas?per_page=1')).json()).ideas[0].id);
  const orgIdea = await firstIdea('/api/v1/conversations/1');
  const progIdea = await firstIdea('/api/v1/programmes/handovers/conversations/2');
  // The demo's pulses (the trust's and the handover programme's).
  const firstPulse = async (p) => String((await (await fetch(srv.url + p, { headers: { Authorization: `Bearer ${tok.token}` } })).json()).pulses[0].id);
  const orgPulse = await firstPulse('/api/v1/pulses'), progPulse = await firstPulse('/api/v1/programmes/handovers/pulses');
  // A measure of the handover programme (the demo has none of its own).
  const progMeasure = String((await (await fetch(srv.url + '/api/v1/programmes/handovers/measures', {
    method: 'POST', headers: { Authorization: `Bearer ${tok.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Handovers within 30 minutes', kind: 'outcome', direction: 'increase' }),
  })).json()).id);
  for (const d of documented.filter((x) => x.method === 'GET')) {
    // A programme's conversation routes on the demo's handover conversation (2) and its event (3).
    const prog = d.path.includes('/programmes/{programme}/conversations/');
    const id = d.path.includes('/programmes/{programme}/measures/{id}') ? progMeasure
      : d.path.includes('/pulses/{id}') ? (d.path.includes('/programmes/') ? progPulse : orgPulse)
      : d.path.includes('/ideas/{id}') ? (prog ? progIdea : orgIdea)
      : !prog ? '1' : d.path.includes('/events/{id}') ? '3' : '2';
    const path = d.path.replace('{id}', id).replace('{kind}', 'vision').replace('{programme}', 'handovers')
      .replace('{org}', 'northgate-ambulance');
    const r = await fetch(srv.url + path, { headers: { Authorization: `Bearer ${tok.token}` } });
    const body = await r.json();
    const schema = d.op.responses[String(r.status)]?.content?.['application/json']?.schema;
    const errs = [];
    if (!schema) errs.push(`status ${r.status} is not documented`);
    else check(schema, body, '$', errs);
    ok(r.status === 200 && errs.length === 0, `GET ${path}: response matches the documented schema`, errs.join('\n'));
  }
  const bad = await fetch(srv.url + '/api/v1/values', { method: 'POST', headers: { Authorization: `Bearer ${tok.token}`, 'Content-Type': 'application/json' }, body: '{}' });
  const errs = [];
  check(doc.components.schemas.Error, await bad.json(), '$', errs);
  ok(bad.status === 400 && errs.length === 0, 'errors match the documented Error schema', errs.join('\n'));
} catch (e) {
  ok(false, 'openapi tests ran to the end', e.stack);
}
await srv.stop();
env.cleanup();
done();
