// Every destructive form confirms first, tested from the route table (issue 18): the routes that
// `serve --routes --format json` declares "confirm" are each submitted the way a person first would,
// as the lowest role that may use them (a programme's lead routes as the administrator, who leads
// everywhere; withdrawing as a browser with no account). The first post answers the confirmation page
// and changes nothing; its own form (confirm=yes) then does the change and the page it leads to shows a
// success banner. A declared route with no case below fails, and so does a POST page route whose path
// looks destructive but declares no confirmation: a new one cannot slip through. Prints TAP.
// usage: node tests/http/confirm_routes.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const routes = JSON.parse(execFileSync(bin, ['serve', '--routes', '--format', 'json'], { encoding: 'utf8' }));
const posts = routes.filter((r) => r.method === 'POST' && r.kind === 'page');
const declared = posts.filter((r) => r.confirm);

// ---- nothing destructive undeclared --------------------------------------------------------------
// By its path's last word; and the forms that destroy by an answer rather than by their path.
const DESTRUCTIVE_WORD = /\/(delete|withdraw|revoke|remove|disable|close|unpublish|archive|purge|erase|clear|reset|destroy|drop)$/;
const BY_ANSWER = ['/admin/users/{id}/edit' /* "Disabled" ticked */, '/admin/users/{id}/roles' /* "No role" */];
const undeclared = posts.filter((r) => !r.confirm && (DESTRUCTIVE_WORD.test(r.path) || BY_ANSWER.includes(r.path)));
ok(undeclared.length === 0, 'every POST page route that looks destructive declares its confirmation (web_route.confirm)',
  undeclared.map((r) => r.path).join(', '));
ok(declared.length >= 21, `the route table declares ${declared.length} destructive forms`);

const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const { req, signIn } = client(srv.url, env.creds);

// A browser with no account: its cookies kept between requests (a contributor session).
function browser() {
  const jar = new Map();
  const keep = (r) => { for (const c of r.headers.getSetCookie()) { const [kv] = c.split(';'); const i = kv.indexOf('='); jar.set(kv.slice(0, i), kv.slice(i + 1)); } return r; };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return { req: async (m, p, o = {}) => keep(await req(m, p, { ...o, cookie: cookie() })), cookie };
}
const csrfIn = (text) => (text.match(/name="csrf" value="([^"]+)"/) || [])[1];
// The confirmation's form: the one with the warning button; its action and every hidden field.
function confirmForm(text) {
  for (const m of text.matchAll(/<form method="post" action="([^"]+)"[^>]*>(.*?)<\/form>/gs)) {
    if (!m[2].includes('nhsuk-button--warning')) continue;
    const fields = Object.fromEntries([...m[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((x) => [x[1], x[2].replace(/&amp;/g, '&')]));
    return { action: m[1].replace(/&amp;/g, '&'), fields };
  }
  return null;
}

try {
  const who = { lead: await signIn('lead'), member: await signIn('member'), admin: await signIn('admin') };
  const api = (as, method, path, json) => req(method, path, { cookie: who[as].cookie, csrf: who[as].csrf, json });
  const made = async (as, path, json) => { const r = await api(as, 'POST', path, json); if (r.status !== 201) throw new Error(`${path}: ${r.status} ${r.text}`); return r.json(); };
  const status = async (as, path) => (await api(as, 'GET', path)).status;
  const now = Math.floor(Date.now() / 1000);

  // Objects every case may hang from: a project with a diagram node and a measure with points.
  const project = async () => (await made('lead', '/api/v1/projects', { title: 'Confirm sweep', aim: 'x', status: 'active', score: 1.0, start_date: '2025-04-01', why_unaligned: 'A test' })).id;
  const measure = async () => {
    const m = await made('lead', `/api/v1/projects/${await project()}/measures`, { name: 'Sweep measure', kind: 'outcome', unit: '', direction: 'decrease' });
    ok((await req('POST', `/measures/${m.id}/points`, { cookie: who.lead.cookie, form: { csrf: who.lead.csrf, data: 'date,value\n2025-05-01,4\n2025-05-08,3\n2025-05-15,2' } })).status === 303, 'setup: points');
    return m.id;
  };
  // A node of a new project's diagram, depth levels down (3: a change idea, which a cycle tests).
  const driver = async (depth = 1) => {
    const p = await project();
    let id = null;
    for (let i = 0; i < depth; i++) id = (await made('lead', `/api/v1/projects/${p}/drivers`, { text: `Sweep node ${i}`, parent_id: id })).id;
    return id;
  };
  const contribution = async (base) => {
    const b = browser();
    const page = await b.req('GET', base);
    const said = await b.req('POST', `${base}/contribute`, { form: { csrf: csrfIn(page.text), body: 'A bench by the lifts' } });
    if (said.status !== 303) throw new Error(`contribute: ${said.status}`);
    const item = (await b.req('GET', `${base}/mine`)).text.match(/withdraw\?item=(\d+)/)[1];
    const mine = async () => !(await b.req('GET', `${base}/mine`)).text.includes('Withdrawn');
    const as = { req: b.req, csrf: async () => csrfIn((await b.req('GET', base)).text) };
    return { as, path: `${base}/withdraw`, form: { item }, exists: mine };
  };
  const openPulse = async (base) => {
    const p = await made('lead', base, { title: 'Sweep pulse', audience: 50 });
    await made('lead', `${base}/${p.id}/open`, {});
    return { id: p.id, open: async () => (await api('lead', 'GET', `${base}/${p.id}`)).json().waves.some((v) => !v.closed_at) };
  };
  const prog = 'handovers';

  // Per declared route: make its object, and answer {path, form (the first post's fields), exists}.
  const CASES = {
    '/strategy/values/{id}/delete': async () => { const v = await made('lead', '/api/v1/values', { name: 'Sweep value', description: 'x' }); return { path: `/strategy/values/${v.id}/delete`, exists: async () => (await status('lead', `/api/v1/values/${v.id}`)) === 200 }; },
    '/strategy/themes/{id}/delete': async () => { const t = await made('lead', '/api/v1/themes', { title: 'Sweep theme', description: 'x' }); return { path: `/strategy/themes/${t.id}/delete`, exists: async () => (await status('lead', `/api/v1/themes/${t.id}`)) === 200 }; },
    '/strategy/ambitions/{id}/delete': async () => {
      const t = await made('lead', '/api/v1/themes', { title: 'Sweep theme 2', description: 'x' });
      const a = await made('lead', `/api/v1/themes/${t.id}/ambitions`, { title: 'Sweep ambition', description: 'x', target_year: 2028 });
      return { path: `/strategy/ambitions/${a.id}/delete`, exists: async () => (await status('lead', `/api/v1/ambitions/${a.id}`)) === 200 };
    },
    '/programmes/{programme}/aims/{id}/delete': async () => { const a = await made('admin', `/api/v1/programmes/${prog}/aims`, { title: 'Sweep aim', description: '', target_year: 2027 }); return { path: `/programmes/${prog}/aims/${a.id}/delete`, exists: async () => (await status('admin', `/api/v1/programmes/${prog}/aims/${a.id}`)) === 200 }; },
    '/admin/users/{id}/edit': async () => {
      const u = await made('admin', '/api/v1/users', { username: 'sweep.user', display_name: 'Sweep User', role: 'member' });
      return { path: `/admin/users/${u.id}/edit`, form: { role: 'member', disabled: 'yes' }, exists: async () => !(await api('admin', 'GET', '/api/v1/users')).json().users.find((x) => x.id === u.id).disabled };
    },
    '/admin/users/{id}/roles': async () => {
      const u = (await api('admin', 'GET', '/api/v1/users')).json().users.find((x) => x.username === env.creds.member.username);
      ok((await api('admin', 'PUT', `/api/v1/users/${u.id}/roles`, { scope: 'organisation', slug: 'northgate-ambulance', role: 'member' })).status === 200, 'setup: a role');
      return { path: `/admin/users/${u.id}/roles`, form: { where: 'organisation:northgate-ambulance', role: 'none' },
        exists: async () => (await api('admin', 'GET', `/api/v1/users/${u.id}/roles`)).json().roles.some((g) => g.slug === 'northgate-ambulance') };
    },
    '/admin/tokens/{id}/revoke': async () => {
      const t = await made('admin', '/api/v1/tokens', { name: 'Sweep token' });
      return { path: `/admin/tokens/${t.id}/revoke`, exists: async () => (await fetch(srv.url + '/api/v1/me', { headers: { Authorization: `Bearer ${t.token}` } })).status === 200 };
    },
    '/projects/{id}/delete': async () => { const p = await project(); return { path: `/projects/${p}/delete`, exists: async () => (await status('lead', `/api/v1/projects/${p}`)) === 200 }; },
    '/drivers/{id}/delete': async () => { const d = await driver(); return { path: `/drivers/${d}/delete`, exists: async () => (await req('GET', `/drivers/${d}/edit`, { cookie: who.lead.cookie })).status === 200 }; },
    '/pdsa/{id}/delete': async () => {
      const c = await made('lead', `/api/v1/drivers/${await driver(3)}/pdsa`, { title: 'Sweep cycle', start_date: '2025-05-01', end_date: '' });
      return { path: `/pdsa/${c.id}/delete`, exists: async () => (await req('GET', `/pdsa/${c.id}/edit`, { cookie: who.lead.cookie })).status === 200 };
    },
    '/measures/{id}/delete': async () => { const m = await measure(); return { path: `/measures/${m}/delete`, exists: async () => (await status('lead', `/api/v1/measures/${m}`)) === 200 }; },
    '/rebases/{id}/delete': async () => {
      const m = await measure();
      const b = await made('lead', `/api/v1/measures/${m}/rebases`, { date: '2025-05-08', reason: 'Sweep' });
      return { path: `/rebases/${b.id}/delete`, form: { measure_id: String(m) }, exists: async () => (await api('lead', 'GET', `/api/v1/measures/${m}`)).json().rebases.length === 1 };
    },
    '/measures/{id}/points/delete': async () => { const m = await measure(); return { path: `/measures/${m}/points/delete`, form: { day: '2025-05-15' }, exists: async () => (await api('lead', 'GET', `/api/v1/measures/${m}`)).json().n_points === 3 }; },
    '/annotations/{id}/delete': async () => {
      const m = await measure();
      const a = await made('lead', `/api/v1/measures/${m}/annotations`, { date: '2025-05-08', label: 'Sweep note' });
      return { path: `/annotations/${a.id}/delete`, exists: async () => (await api('lead', 'GET', `/api/v1/measures/${m}/annotations`)).json().annotations.some((x) => x.id === a.id) };
    },
    '/projects/{id}/case-study/delete': async () => {
      const count = async () => (await api('lead', 'GET', '/api/v1/good-practice')).json().case_studies.length;
      const cs = (await api('lead', 'GET', '/api/v1/good-practice')).json().case_studies[0];
      const before = await count();
      return { path: `/projects/${cs.project_id}/case-study/delete`, exists: async () => (await count()) === before };
    },
    '/conversations/{id}/withdraw': async () => {
      const c = await made('lead', '/api/v1/conversations', { question: 'Where should benches go?', audience: 'all', privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400 });
      return contribution(`/conversations/${c.id}`);
    },
    '/programmes/{programme}/conversations/{id}/withdraw': async () => {
      const c = await made('admin', `/api/v1/programmes/${prog}/conversations`, { question: 'Where should the ambulances wait?', audience: 'all', privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400 });
      return contribution(`/programmes/${prog}/conversations/${c.id}`);
    },
    '/conversations/events/{id}/delete': async () => {
      const e = await made('lead', '/api/v1/conversations/1/events', { title: 'Sweep stall', format: 'drop-in', held_on: Date.UTC(2026, 2, 20) / 1000, place: 'The green', attendees: 12 });
      return { path: `/conversations/events/${e.id}/delete`, exists: async () => (await status('lead', `/api/v1/conversations/events/${e.id}`)) === 200 };
    },
    '/programmes/{programme}/conversations/events/{id}/delete': async () => {
      const e = await made('admin', `/api/v1/programmes/${prog}/conversations/2/events`, { title: 'Sweep session', format: 'online', held_on: Date.UTC(2026, 2, 21) / 1000, place: 'Online', attendees: 5 });
      return { path: `/programmes/${prog}/conversations/events/${e.id}/delete`, exists: async () => (await status('admin', `/api/v1/programmes/${prog}/conversations/events/${e.id}`)) === 200 };
    },
    '/pulses/{id}/close': async () => { const p = await openPulse('/api/v1/pulses'); return { path: `/pulses/${p.id}/close`, exists: p.open }; },
    '/programmes/{programme}/pulses/{id}/close': async () => { const p = await openPulse(`/api/v1/programmes/${prog}/pulses`); return { path: `/programmes/${prog}/pulses/${p.id}/close`, exists: p.open }; },
  };

  for (const rt of declared) {
    const name = `${rt.path} (${rt.role})`;
    if (!CASES[rt.path]) { ok(false, `${name}: a case in confirm_routes.test.mjs`, 'a new destructive route: add how to make its object'); continue; }
    const c = await CASES[rt.path]();
    // The person: the lowest role the route allows (a programme's lead: the administrator).
    const as = c.as ?? browserOf(rt);
    const first = await as.req('POST', c.path, { form: { csrf: await as.csrf(c.path), ...(c.form || {}) } });
    const form = confirmForm(first.text);
    ok(first.status === 200 && form && form.action === c.path && form.fields.confirm === 'yes' && first.text.includes('<h1>'),
      `${name}: the first post answers the confirmation, posting back to it with confirm=yes`, `${first.status} ${first.text.slice(0, 400)}`);
    ok(await c.exists(), `${name}: nothing changed until confirmed`);
    if (!form) continue;
    const second = await as.req('POST', form.action, { form: { csrf: await as.csrf(c.path), ...form.fields } });
    ok(second.status === 303 && !(await c.exists()), `${name}: confirmed, it is done`, `${second.status} ${second.text.slice(0, 400)}`);
    const after = await as.req('GET', second.headers.get('location') || '/');
    ok(after.text.includes('nhsuk-notification-banner--success'), `${name}: the page it leads to shows a success banner`, second.headers.get('location'));
  }

  // How each role posts: its session's cookie and CSRF token; with no account, the browser's own.
  function browserOf(rt) {
    const role = rt.role === 'lead' && rt.scope === 'programme' ? 'admin' : rt.role;
    const s = who[role];
    return { req: (m, p, o = {}) => req(m, p, { ...o, cookie: s.cookie }), csrf: async () => s.csrf };
  }
} catch (e) {
  ok(false, 'the sweep ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
