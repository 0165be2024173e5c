// HTTP tests against a real `purpose serve` on a temporary demo database.
// usage: node tests/http/http.test.mjs [build/release/purpose]
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { ok, done, demoDb, startServer, engine } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const RANK = { anonymous: 0, contributor: 1, member: 2, lead: 3, admin: 4 };

const env = demoDb(bin);
const srv = await startServer(bin, env.db);
const U = srv.url;

async function req(method, path, { cookie, token, form, json, body, csrf, headers = {} } = {}) {
  const h = { ...headers };
  if (cookie) h.Cookie = cookie;
  if (token) h.Authorization = `Bearer ${token}`;
  if (csrf) h['X-CSRF-Token'] = csrf;
  let b = body;
  if (form) { b = new URLSearchParams(form).toString(); h['Content-Type'] = 'application/x-www-form-urlencoded'; }
  if (json !== undefined) { b = typeof json === 'string' ? json : JSON.stringify(json); h['Content-Type'] = 'application/json'; }
  const r = await fetch(U + path, { method, headers: h, body: b, redirect: 'manual' });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, json: () => JSON.parse(text) };
}

const cookieOf = (r) => r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const csrfIn = (html) => (html.match(/name="csrf" value="([^"]+)"/) || [])[1];

async function signIn(role) {
  const { username, password } = env.creds[role];
  const page = await req('GET', '/sign-in');
  const pre = cookieOf(page);
  const r = await req('POST', '/sign-in', { cookie: pre, form: { csrf: csrfIn(page.text), username, password, next: '/' } });
  if (r.status !== 303) throw new Error(`sign-in ${role}: ${r.status}`);
  const cookie = cookieOf(r).split('; ').filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
  const me = (await req('GET', '/api/v1/me', { cookie })).json();
  return { cookie, csrf: me.csrf_token, setCookie: r.headers.getSetCookie() };
}

try {
  // ---- public pages, headers, assets ----------------------------------------------------------
  const home = await req('GET', '/');
  ok(home.status === 200 && home.text.includes('Excellent care, research and education'), 'GET / shows the vision');
  const csp = home.headers.get('content-security-policy') || '';
  ok(csp.startsWith("default-src 'self'"), 'Content-Security-Policy is default-src self', csp);
  ok(home.headers.get('x-content-type-options') === 'nosniff', 'nosniff header');
  ok(!/(src|href)="(https?:)?\/\//.test(home.text), 'no asset or link leaves the machine');
  const css = await req('GET', '/assets/nhsuk.min.css');
  ok(css.status === 200 && css.headers.get('content-type').startsWith('text/css') && !css.text.includes('assets.nhs.uk'),
    'NHS CSS is served locally without the remote font');
  for (const p of ['/assets/nhsuk.min.js', '/assets/app.css', '/assets/favicon.ico'])
    ok((await req('GET', p)).status === 200, `GET ${p}`);
  ok((await req('GET', '/values')).text.includes('Everyone counts'), '/values lists the NHS values');
  ok((await req('GET', '/themes')).text.includes('Pioneering research and innovation'), '/themes lists the demo themes');
  const pub = (await req('GET', '/api/v1/purpose')).json();
  ok(pub.values.length === 6 && pub.themes.length === 5 && pub.themes.every((t) => t.ambitions.length >= 2),
    'API: six values, five themes with two or three ambitions each');

  // ---- error pages ----------------------------------------------------------------------------
  const nf = await req('GET', '/no-such-page');
  ok(nf.status === 404 && nf.text.includes('Page not found') && nf.text.includes('nhsuk-header'), 'unknown route: NHS 404 page');
  const nfj = await req('GET', '/api/v1/no-such');
  ok(nfj.status === 404 && nfj.json().error, 'unknown API route: 404 JSON with a message');
  ok((await req('DELETE', '/api/v1/values')).status === 405, 'wrong method: 405');

  // ---- signing in -----------------------------------------------------------------------------
  const page = await req('GET', '/sign-in');
  const pre = cookieOf(page);
  const wrong = await req('POST', '/sign-in', { cookie: pre, form: { csrf: csrfIn(page.text), username: 'lead', password: 'not-the-password' } });
  ok(wrong.status === 401 && wrong.text.includes('The username or password is not right'), 'wrong password: 401 and a message');
  const noCsrf = await req('POST', '/sign-in', { form: { username: 'lead', password: env.creds.lead.password } });
  ok(noCsrf.status === 403, 'sign-in without the CSRF token is refused');
  const missing = await req('POST', '/sign-in', { cookie: pre, form: { csrf: csrfIn(page.text), username: 'lead' } });
  ok(missing.status === 400 && missing.text.includes('href="#password"'), 'missing password: 400 naming the field');

  const S = {};
  for (const role of ['contributor', 'member', 'lead', 'admin']) S[role] = await signIn(role);
  { // anonymous callers hold only the pre-session CSRF cookie that the sign-in form sets
    const p = await req('GET', '/sign-in');
    S.anonymous = { cookie: cookieOf(p), csrf: csrfIn(p.text) };
  }
  const sc = S.lead.setCookie.find((c) => c.startsWith('purpose_session='));
  ok(/HttpOnly/.test(sc) && /SameSite=Lax/.test(sc) && !/Secure/.test(sc), 'session cookie: HttpOnly, SameSite=Lax, not Secure over http', sc);
  ok(S.lead.csrf && S.lead.csrf.length === 43, 'a session has a CSRF token');

  const next = await req('GET', '/strategy/vision/edit', { cookie: 'purpose_session=' + 'x'.repeat(43) });
  ok(next.status === 303 && next.headers.get('location') === '/sign-in?next=/strategy/vision/edit',
    'expired or unknown session: back to sign-in keeping the page', next.headers.get('location'));

  // ---- the route x role x scope matrix, generated from the server's one route table -----------
  const routes = JSON.parse(execFileSync(bin, ['serve', '--routes', '--format', 'json'], { encoding: 'utf8' }))
    .map(({ method, path, role, kind, scope }) => ({ method, pattern: path, role, kind, scope }));
  { // the JSON table is the same table as the text one
    const text = execFileSync(bin, ['serve', '--routes'], { encoding: 'utf8' }).trim().split('\n');
    ok(text.length === routes.length && text.every((l, i) => l === [routes[i].method, routes[i].pattern, routes[i].role, routes[i].kind, routes[i].scope].join(' ')),
      'serve --routes --format json lists the routes of serve --routes');
    // A conversation's routes load it in the request's scope before the handler (the results, which
    // answer from lagging data, read it only when their fragment is stale).
    const table = JSON.parse(execFileSync(bin, ['serve', '--routes', '--format', 'json'], { encoding: 'utf8' }));
    const unloaded = table.filter((r) => /\/conversations\/\{id\}/.test(r.path) && !r.lag_ms && r.load !== 'conversation');
    ok(unloaded.length === 0, 'every /conversations/{id} route declares that the router loads its conversation',
      unloaded.map((r) => `${r.method} ${r.path}`).join('; '));
    const project = table.find((r) => r.method === 'GET' && r.path === '/projects/{id}');
    ok(project && project.load === 'project', 'GET /projects/{id} declares that the router loads its project');
  }
  ok(routes.length > 40, `route table has ${routes.length} routes`);
  // The role table, written independently of the server's route table.
  const expectedRole = ({ method, pattern }) => {
    // Co-design (issue 9): anyone reads and takes part without an account; leads run and moderate.
    if (/\/shaped\/\{kind\}$/.test(pattern) || (method === 'GET' && pattern === '/api/v1/statements/{kind}/provenance')) return 'anonymous';
    // Engagement events: anyone reads them; leads add, change and delete them and enter what was said.
    const ev = pattern.match(/^(?:\/api\/v1)?(?:\/programmes\/\{programme\})?\/conversations(?:\/\{id\})?\/events(?:\/\{id\})?(\/[a-z]+)?$/);
    if (ev) return method === 'GET' && !ev[1] ? 'anonymous' : 'lead';
    // A conversation's ideas, and each idea's own page: anyone reads them; leads respond to one.
    const idea = pattern.match(/\/conversations(?:\/\{id\})?\/ideas(?:\/\{id\})?(\/respond)?$/);
    if (idea) return idea[1] ? 'lead' : 'anonymous';
    // Opinion groups (issue 21): anyone reads them; leads turn them on and download the votes.
    if (/\/conversations\/\{id\}\/opinions\/([a-z-]+\.csv|shape)$/.test(pattern)) return 'lead';
    if (method === 'GET' && /\/conversations\/\{id\}\/opinions$/.test(pattern)) return 'anonymous';
    const conv = pattern.match(/^(?:\/api\/v1)?(?:\/programmes\/\{programme\})?\/conversations(\/\{id\})?(\/[a-z.-]+)?$/);
    if (conv) {
      const tail = conv[2] || '';
      if (pattern.startsWith('/api/v1') && ['/contributions', '/votes', '/mine'].includes(tail)) return 'contributor';
      if (method === 'GET' && ['', '/results', '/mine', '/summary'].includes(tail)) return 'anonymous';
      if (method === 'POST' && ['/contribute', '/vote', '/about-me', '/withdraw'].includes(tail)) return 'anonymous';
      if (method === 'GET' && tail === '/withdraw') return 'anonymous'; // its confirmation
      return 'lead';
    }
    // Purpose pulses (issue 20): anyone may answer (signed in, or with the link's key); leads run them;
    // members read an organisation's results, anyone signed in a programme's.
    const pulse = pattern.match(/^(?:\/api\/v1)?(\/programmes\/\{programme\})?\/pulses(?:\/\{id\})?(\/[a-z.]+)?$/);
    if (pulse) return ['/answer', '/answers'].includes(pulse[2]) ? 'anonymous'
      : method !== 'GET' || pulse[2] === '/new' ? 'lead' : pulse[1] ? 'contributor' : 'member';
    if (/^\/(admin\/|api\/v1\/(users|tokens|audit))/.test(pattern) || /\/partners\//.test(pattern)) return 'admin';
    if (method === 'POST' && ['/api/v1/organisations', '/api/v1/programmes'].includes(pattern)) return 'admin';
    if (['/', '/values', '/themes', '/sign-in', '/api/v1/purpose', '/organisations'].includes(pattern)) return 'anonymous';
    // Organisations and programmes are public: their pages and every read of them.
    if (method === 'GET' && /^\/(api\/v1\/)?(organisations|programmes)(\/\{(org|programme)\}(\/(aims(\/\{id\})?|statements\/\{kind\}))?)?$/.test(pattern)) return 'anonymous';
    // A statement's history: public for a programme (its statements are), members' for an organisation.
    if (pattern === '/programmes/{programme}/{kind}/history') return 'anonymous';
    // Provenance: anyone reads it, for an organisation or a programme; leads search what to link.
    if (method === 'GET' && pattern === '/api/v1/programmes/{programme}/statements/{kind}/provenance') return 'anonymous';
    if (/\/statements\/\{kind\}\/candidates$/.test(pattern)) return 'lead';
    if (['/account', '/sign-out', '/api/v1/me'].includes(pattern)) return 'contributor';
    if (/^\/icons\//.test(pattern)) return 'anonymous';
    // A programme's handover dashboard and its reconciliation: anyone signed in (partners' staff hold no role in it).
    if (/^\/(api\/v1\/)?programmes\/\{programme\}\/handovers(\/reconcile(\.csv)?)?$/.test(pattern)) return 'contributor';
    // Celebrations (issue 19): offered to an organisation's leads, with the case study draft they publish.
    if (/^\/(celebrations|projects\/\{id\}\/celebrate)$/.test(pattern)) return 'lead';
    // The installation's system view (issue 19): anyone signed in, as a programme's.
    if (/^\/(api\/v1\/)?system(\/funnel\.(svg|png))?$/.test(pattern)) return 'contributor';
    // A programme's own measures (issue 19): anyone with a role there reads them, its members add,
    // move and chart them (a partner organisation's member holds no role in the programme).
    if (/^\/(api\/v1\/)?programmes\/\{programme\}\/measures(\/|$)/.test(pattern)) return method === 'GET' ? 'contributor' : 'member';
    // Improvement work (issue 10): anyone signed in reads it, members do it, leads approve, delete and question it.
    if (/^\/(api\/v1\/)?(good-practice|case-studies)/.test(pattern) || /^\/(api\/v1\/)?programmes\/\{programme\}\/(line-of-sight|projects|summary(\.csv|\.pdf)?|system(\/funnel\.(svg|png))?)$/.test(pattern)) return 'contributor';
    if (/^\/(api\/v1\/)?(projects|drivers|pdsa|measures|rebases|annotations|summary|line-of-sight|alignment)/.test(pattern)) {
      if (/alignment|\/approve$|\/case-study(\/delete)?$/.test(pattern) || /^\/(api\/v1\/)?projects\/\{id\}(\/delete)?$/.test(pattern) && (method === 'DELETE' || pattern.endsWith('/delete'))) return 'lead';
      // A delete's confirmation page (GET .../delete) needs the role of the delete itself.
      return method === 'GET' && !/\/(new|edit|delete)$/.test(pattern) ? 'contributor' : 'member';
    }
    // The well-led self-assessment (issue 20): members read it, leads rate (the form included).
    if (/^\/(api\/v1\/)?well-led/.test(pattern)) return method === 'GET' && !pattern.endsWith('/rate') ? 'member' : 'lead';
    if (/\/(edit|new|delete|import)$/.test(pattern) || method !== 'GET') return 'lead';
    return 'member';
  };
  const wrongRoles = routes.filter((r) => expectedRole(r) !== r.role).map((r) => `${r.method} ${r.pattern} ${r.role}`);
  ok(wrongRoles.length === 0, 'every route requires the role the issue gives it', wrongRoles.join('; '));
  // Sign-out last: it ends the session.
  routes.sort((a, b) => (a.pattern === '/sign-out') - (b.pattern === '/sign-out'));
  for (const rt of routes) {
    const path = rt.pattern.replace('{id}', '999999').replace('{kind}', 'vision').replace('{programme}', 'handovers')
      .replace('{org}', 'northgate-ambulance');
    const problems = [];
    for (const role of Object.keys(RANK)) {
      const s = S[role];
      const write = rt.method !== 'GET';
      const opts = { cookie: s?.cookie };
      if (write && rt.kind === 'api') { opts.json = {}; opts.csrf = s?.csrf; }
      if (write && rt.kind === 'page') opts.form = { csrf: s?.csrf || '' };
      const r = await req(rt.method, path, opts);
      // In the handover programme the trust's member is a contributor (no grant there), its lead leads.
      const rank = rt.scope === 'programme' && role === 'member' ? RANK.contributor : RANK[role];
      const allowed = rank >= RANK[rt.role];
      let good;
      if (allowed) good = ![401, 403, 500].includes(r.status);
      else if (role === 'anonymous' && rt.kind === 'page') good = r.status === 303 && r.headers.get('location').startsWith('/sign-in?next=');
      else if (role === 'anonymous') good = r.status === 401;
      else good = r.status === 403;
      if (!good) problems.push(`${role}: ${r.status}`);
    }
    ok(problems.length === 0, `roles: ${rt.method} ${rt.pattern} (min ${rt.role})`, problems.join(', '));
  }
  // ---- the same routes in and out of scope: another organisation's pages, another programme -----
  // The trust's lead, member and contributor are contributors at the ambulance service; its own
  // lead leads there; the administrator administers everywhere. In the chronic pain programme,
  // where nobody here holds a role, only the administrator may do more than read.
  for (const role of Object.keys(RANK)) if (role !== 'anonymous') S[role] = await signIn(role);
  S['ambulance-lead'] = await signIn('ambulance-lead');
  const inScope = [
    { where: 'organisation', prefix: '/organisations/northgate-ambulance', rank: { contributor: 1, member: 1, lead: 1, admin: 4, 'ambulance-lead': 3 } },
    { where: 'programme', programme: 'chronic-pain', rank: { contributor: 1, member: 1, lead: 1, admin: 4, 'ambulance-lead': 1 } },
    { where: 'programme', programme: 'handovers', rank: { contributor: 1, member: 1, lead: 3, admin: 4, 'ambulance-lead': 3 } },
  ];
  for (const sc of inScope) {
    for (const rt of routes.filter((x) => x.scope === sc.where && x.pattern !== '/sign-out')) {
      let path = rt.pattern.replace('{id}', '999999').replace('{kind}', 'vision').replace('{programme}', sc.programme);
      if (sc.prefix) path = rt.pattern.startsWith('/api/v1') ? path.replace('/api/v1', '/api/v1' + sc.prefix) : sc.prefix + path;
      const problems = [];
      for (const [role, rank] of Object.entries(sc.rank)) {
        const s = S[role];
        const write = rt.method !== 'GET';
        const opts = { cookie: s.cookie };
        if (write && rt.kind === 'api') { opts.json = {}; opts.csrf = s.csrf; }
        if (write && rt.kind === 'page') opts.form = { csrf: s.csrf };
        const r = await req(rt.method, path, opts);
        const good = rank >= RANK[rt.role] ? ![401, 403, 500].includes(r.status) : r.status === 403;
        if (!good) problems.push(`${role}: ${r.status}`);
      }
      ok(problems.length === 0, `in scope: ${rt.method} ${path} (min ${rt.role})`, problems.join(', '));
    }
  }
  S.lead = await signIn('lead'); // the matrix signed everyone out at the end
  S.admin = await signIn('admin');
  S.member = await signIn('member');
  { // signing in again from a signed-in browser ends the session it held
    const old = await signIn('contributor');
    const { username, password } = env.creds.lead;
    const again = await req('POST', '/sign-in', { cookie: old.cookie, form: { csrf: old.csrf, username, password } });
    const fresh = cookieOf(again).split('; ').filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
    ok(again.status === 303 && fresh && fresh !== old.cookie, 'sign-in gives a new session id');
    ok((await req('GET', '/api/v1/me', { cookie: old.cookie })).status === 401, 'sign-in ends the session the browser held before');
    ok((await req('GET', '/api/v1/me', { cookie: fresh })).json().username === username, 'the new session is the new user');
  }

  // ---- CSRF ----------------------------------------------------------------------------------
  const badForm = await req('POST', '/strategy/vision/edit', { cookie: S.lead.cookie, form: { csrf: 'wrong', text: 'Hacked' } });
  ok(badForm.status === 403, 'form with a wrong CSRF token: 403');
  const badApi = await req('PUT', '/api/v1/statements/vision', { cookie: S.lead.cookie, json: { text: 'Hacked' } });
  ok(badApi.status === 403 && badApi.json().error.includes('X-CSRF-Token'), 'cookie API write without X-CSRF-Token: 403');

  // ---- editing through the pages, seen on the public page ------------------------------------
  const newVision = 'Together we give <every> person the best care & the best chance — ' + Date.now();
  const saved = await req('POST', '/strategy/vision/edit', { cookie: S.lead.cookie, form: { csrf: S.lead.csrf, text: newVision } });
  ok(saved.status === 303 && saved.headers.get('location') === '/strategy', 'lead saves the vision: 303 to /strategy');
  const home2 = await req('GET', '/');
  ok(home2.text.includes(newVision.replace('<', '&lt;').replace('>', '&gt;').replace('&', '&amp;').replace('&amp;lt;', '&lt;').replace('&amp;gt;', '&gt;')) || home2.text.includes('Together we give &lt;every&gt; person the best care &amp; the best chance'),
    'public page shows the new vision, escaped');
  ok(!home2.text.includes('<every>'), 'no unescaped markup from user text');
  const hist = (await req('GET', '/api/v1/statements/vision', { cookie: S.member.cookie })).json();
  ok(hist.text === newVision && hist.history.length === 2, 'vision history keeps the earlier version');
  const empty = await req('POST', '/strategy/vision/edit', { cookie: S.lead.cookie, form: { csrf: S.lead.csrf, text: '   ' } });
  ok(empty.status === 400 && empty.text.includes('href="#text"') && empty.text.includes('nhsuk-error-summary'), 'empty vision: 400 with an error summary naming the field');
  const badEnc = await req('POST', '/strategy/vision/edit', { cookie: S.lead.cookie, body: `csrf=${S.lead.csrf}&text=%zz`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  ok(badEnc.status === 400 && badEnc.text.includes('text'), 'malformed form encoding: 400 naming the field');
  { // issue 12: an encoded surrogate is not UTF-8; it is refused and nothing is stored
    const auditBefore = (await req('GET', '/api/v1/audit?limit=1', { cookie: S.admin.cookie })).json().entries[0].id;
    const sur = await req('POST', '/strategy/vision/edit', { cookie: S.lead.cookie, body: `csrf=${S.lead.csrf}&text=V%ED%A0%80`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    ok(sur.status === 400 && sur.text.includes('href="#text"') && sur.text.includes('not valid UTF-8'), 'vision text=V%ED%A0%80: 400 naming the field', sur.status);
    const h2 = (await req('GET', '/api/v1/statements/vision', { cookie: S.member.cookie })).json();
    const auditAfter = (await req('GET', '/api/v1/audit?limit=1', { cookie: S.admin.cookie })).json().entries[0].id;
    ok(h2.text === newVision && h2.history.length === 2 && auditAfter === auditBefore, 'the surrogate vision is not stored, nor audited');
    ok((await req('GET', '/api/v1/purpose')).status === 200, '/api/v1/purpose still answers 200');
    const jsur = await req('PUT', '/api/v1/statements/vision', { cookie: S.lead.cookie, csrf: S.lead.csrf, json: '{"text":"V\\ud800"}' });
    ok(jsur.status === 400, 'a lone surrogate escape in JSON is refused too', jsur.status + ' ' + jsur.text);
    const badEsc = await req('PUT', '/api/v1/statements/vision', { cookie: S.lead.cookie, csrf: S.lead.csrf,
      headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{"text":"\\\xc5\x96"}', 'latin1') });
    ok(badEsc.status === 400 && badEsc.json().error.startsWith('body: is not valid JSON'),
      'invalid JSON whose error quotes bytes that are not UTF-8: 400, not 500 (found by fuzz_json)', badEsc.status + ' ' + badEsc.text);
  }
  const yr = await req('POST', '/strategy/themes/1/ambitions/new', { cookie: S.lead.cookie, form: { csrf: S.lead.csrf, title: 'X', target_year: '20x8' } });
  ok(yr.status === 400 && yr.text.includes('href="#target_year"'), 'bad target year: 400 naming target_year');
  ok(yr.text.includes('id="target_year-error"') && yr.text.includes('class="nhsuk-input nhsuk-input--width-4 nhsuk-input--error"') && yr.text.includes('aria-describedby="target_year-hint target_year-error"'),
    'bad target year: the message sits by the field and the field points to it');
  const noTheme = await req('POST', '/strategy/themes/999999/ambitions/new', { cookie: S.lead.cookie, form: { csrf: S.lead.csrf, title: 'X', target_year: '2030' } });
  ok(noTheme.status === 404 && noTheme.text.includes('Page not found'), 'ambition for a theme that does not exist: 404 page');
  const noValue = await req('POST', '/strategy/values/999999/edit', { cookie: S.lead.cookie, form: { csrf: S.lead.csrf, name: 'X' } });
  ok(noValue.status === 404, 'saving a value that does not exist: 404 page');
  { // a username that is taken is a conflict (409), shown on the form beside the field
    const A = { cookie: S.admin.cookie };
    const dup = await req('POST', '/admin/users', { ...A, form: { csrf: S.admin.csrf, username: 'admin', display_name: 'Again', role: 'member' } });
    ok(dup.status === 409 && dup.text.includes('href="#username"') && dup.text.includes('nhsuk-input--error'),
      'page: taken username is 409 with the error on the username field', dup.status);
    const short = await req('POST', '/admin/users', { ...A, form: { csrf: S.admin.csrf, username: 'zz-new', display_name: 'New', role: 'member', password: 'short' } });
    ok(short.status === 400 && short.text.includes('href="#password"'), 'page: short password is 400 naming the password field');
  }

  // ---- the JSON API --------------------------------------------------------------------------
  const L = { cookie: S.lead.cookie, csrf: S.lead.csrf };
  const v = await req('POST', '/api/v1/values', { ...L, json: { name: 'Openness', description: 'We say what we know.' } });
  ok(v.status === 201 && v.json().id > 0, 'API: lead adds a value (201)');
  const vid = v.json().id;
  const vput = await req('PUT', `/api/v1/values/${vid}`, { ...L, json: { name: 'Openness and honesty' } });
  ok(vput.status === 200 && vput.json().name === 'Openness and honesty', 'API: lead renames it');
  ok((await req('DELETE', `/api/v1/values/${vid}`, L)).status === 204, 'API: lead deletes it (204)');
  ok((await req('GET', `/api/v1/values/${vid}`, { cookie: S.member.cookie })).status === 404, 'API: deleted value is gone (404)');
  const badJson = await req('POST', '/api/v1/values', { ...L, json: '{"name": ' });
  ok(badJson.status === 400 && badJson.json().error.startsWith('body:'), 'API: malformed JSON: 400 naming the body');
  const noName = await req('POST', '/api/v1/values', { ...L, json: { description: 'x' } });
  ok(noName.status === 400 && noName.json().error === 'name: is required', 'API: missing field: 400 naming it');
  const longName = await req('POST', '/api/v1/themes', { ...L, json: { title: 'x'.repeat(201) } });
  ok(longName.status === 400 && longName.json().error.startsWith('title:'), 'API: too-long title: 400 naming it');
  const th = await req('POST', '/api/v1/themes', { ...L, json: { title: 'Green NHS', description: 'Less carbon.' } });
  const tid = th.json().id;
  const amb = await req('POST', `/api/v1/themes/${tid}/ambitions`, { ...L, json: { title: 'Net zero', target_year: 2045 } });
  ok(th.status === 201 && amb.status === 201 && amb.json().theme_id === tid, 'API: theme and ambition created');
  const badYear = await req('PUT', `/api/v1/ambitions/${amb.json().id}`, { ...L, json: { title: 'Net zero', target_year: 1999 } });
  ok(badYear.status === 400 && badYear.json().error.startsWith('target_year:'), 'API: year out of range: 400 naming target_year');
  ok((await req('DELETE', `/api/v1/themes/${tid}`, L)).status === 204, 'API: theme deleted with its ambitions');
  ok((await req('GET', `/api/v1/ambitions/${amb.json().id}`, { cookie: S.member.cookie })).status === 404, 'API: its ambition went too');

  // ---- tokens --------------------------------------------------------------------------------
  const A = { cookie: S.admin.cookie, csrf: S.admin.csrf };
  const users = (await req('GET', '/api/v1/users', A)).json().users;
  const memberId = users.find((u) => u.username === 'member').id;
  const tok = await req('POST', '/api/v1/tokens', { ...A, json: { name: 'bench', user_id: memberId } });
  ok(tok.status === 201 && tok.json().token.startsWith('pur_'), 'admin creates a token for a member (shown once)');
  const T = tok.json().token;
  ok((await req('GET', '/api/v1/values', { token: T })).status === 200, 'bearer token reads the API');
  ok((await req('POST', '/api/v1/values', { token: T, json: { name: 'x' } })).status === 403, 'member token cannot write (403)');
  const list = (await req('GET', '/api/v1/tokens', A)).json().tokens;
  ok(list.length === 1 && !JSON.stringify(list).includes(T), 'token list does not reveal the token');
  ok((await req('DELETE', `/api/v1/tokens/${tok.json().id}`, A)).status === 204, 'admin revokes it');
  const again = await req('DELETE', `/api/v1/tokens/${tok.json().id}`, A);
  ok(again.status === 409 && again.json().error.startsWith('id:'), 'revoking it again: 409 naming the id', again.status + ' ' + again.text);
  const nobody = await req('POST', '/api/v1/tokens', { ...A, json: { name: 'x', user_id: 999999 } });
  ok(nobody.status === 400 && nobody.json().error.startsWith('user_id:'), 'token for no such user: 400 naming user_id', nobody.text);
  ok((await req('GET', '/api/v1/values', { token: T })).status === 401, 'revoked token: 401');
  const leadTok = (await req('POST', '/api/v1/tokens', { ...A, json: { name: 'ci', user_id: users.find((u) => u.username === 'lead').id } })).json().token;
  ok((await req('PUT', '/api/v1/statements/purpose', { token: leadTok, json: { text: 'Bearer writes need no CSRF token.' } })).status === 200,
    'bearer-token write needs no CSRF token');

  // ---- audit log -----------------------------------------------------------------------------
  const audit = (await req('GET', '/api/v1/audit?limit=200', A)).json().entries;
  const vis = audit.find((e) => e.entity === 'vision' && e.actor === 'lead');
  ok(vis && vis.before.text.startsWith('Excellent care') && vis.after.text === newVision, 'audit: vision change with before and after');
  ok(audit.some((e) => e.entity === 'value' && e.action === 'delete' && e.before.name === 'Openness and honesty'), 'audit: deletion keeps what was deleted');
  ok(audit.some((e) => e.entity === 'token' && e.action === 'revoke'), 'audit: token revocation');
  ok(!JSON.stringify(audit).includes('$argon2'), 'audit never holds a password hash');
  ok((await req('GET', '/admin/audit', { cookie: S.admin.cookie })).text.includes('Audit log'), 'admin reads the audit page');

  // ---- limits --------------------------------------------------------------------------------
  const big = await req('POST', '/api/v1/values', { ...L, json: JSON.stringify({ name: 'x', description: 'y'.repeat(2 << 20) }) });
  ok(big.status === 413, 'oversized body: 413', big.status);
  const hugeHeader = await new Promise((resolve) => {
    const sock = connect(Number(U.split(':')[2]), '127.0.0.1', () => {
      sock.write(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100000)}\r\n\r\n`);
    });
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('close', () => resolve(data));
    sock.on('error', () => resolve(data));
    setTimeout(() => { sock.destroy(); resolve(data); }, 3000);
  });
  ok(/^HTTP\/1\.1 4(31|13)/.test(hugeHeader), 'oversized headers: refused with 431/413', hugeHeader.slice(0, 40));

  // ---- rate limit (last: it locks the member account) ----------------------------------------
  const p2 = await req('GET', '/sign-in');
  const c2 = cookieOf(p2), t2 = csrfIn(p2.text);
  const codes = [];
  for (let i = 0; i < 6; i++)
    codes.push((await req('POST', '/sign-in', { cookie: c2, form: { csrf: t2, username: 'member', password: 'wrong-password-' + i } })).status);
  const right = await req('POST', '/sign-in', { cookie: c2, form: { csrf: t2, username: 'member', password: env.creds.member.password } });
  ok(codes.slice(0, 5).every((c) => c === 401) && codes[5] === 429 && right.status === 429,
    'sign-in rate limit per account: 429 after 5 failures, even with the right password', codes.join(',') + ' ' + right.status);

  // ---- graceful shutdown with a request in flight --------------------------------------------
  const p3 = await req('GET', '/sign-in');
  const inflight = req('POST', '/sign-in', { cookie: cookieOf(p3), form: { csrf: csrfIn(p3.text), username: 'admin', password: env.creds.admin.password } });
  await new Promise((r) => setTimeout(r, 15));
  const code = await srv.stop();
  const last = await inflight.then((r) => r.status, (e) => String(e));
  ok(last === 303, 'SIGTERM lets the request in flight finish', last);
  ok(code === 0, 'server exits 0 after SIGTERM (and, under ASan, without leaks)', srv.stderr().slice(-2000));
  const log = srv.stderr();
  ok(/^GET \/ 200 [0-9.]+ms$/m.test(log) && /^POST \/sign-in 303 /m.test(log), 'access log: method, path, status, ms');
  ok(!log.includes(env.creds.admin.password) && !log.includes(S.admin.cookie.split('=')[1]) && !log.includes(T),
    'access log holds no password, session or token');
} catch (e) {
  ok(false, 'http tests ran to the end', e.stack);
  await srv.stop();
}

// ---- a server whose database fails: the 500 page -----------------------------------------------
{
  const bad = await startServer(bin, env.db, [], { PURPOSE_FAULT_AFTER: '1' });
  const r = await fetch(bad.url + '/', { redirect: 'manual' });
  const t = await r.text();
  ok(r.status === 500 && t.includes('Sorry, there is a problem with the service') && !t.includes('injected'),
    'database failure: NHS 500 page without internals');
  await bad.stop();
}

// ---- sign-in rate limit per address: many accounts from one address --------------------------
{
  const s2 = await startServer(bin, env.db, ['--quiet']);
  const p = await fetch(s2.url + '/sign-in');
  const c = p.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
  const t = csrfIn(await p.text());
  const codes = [];
  for (let i = 0; i < 21; i++) {
    const r = await fetch(s2.url + '/sign-in', { method: 'POST', redirect: 'manual',
      headers: { Cookie: c, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: t, username: `nobody${i}`, password: 'wrong-password' }) });
    codes.push(r.status);
  }
  ok(codes.slice(0, 20).every((x) => x === 401) && codes[20] === 429, 'sign-in rate limit per address: 429 after 20 failures', codes.join(','));
  await s2.stop();
}

// ---- behind a trusted proxy the limit is per client; X-Forwarded-For is ignored otherwise ------
{
  const signInFrom = async (server, xff, username, password) => {
    const p = await fetch(server.url + '/sign-in');
    const c = p.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
    const t = csrfIn(await p.text());
    const r = await fetch(server.url + '/sign-in', { method: 'POST', redirect: 'manual',
      headers: { Cookie: c, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': xff },
      body: new URLSearchParams({ csrf: t, username, password }) });
    return r.status;
  };
  const proxied = await startServer(bin, env.db, ['--quiet', '--trusted-proxy', '127.0.0.1']);
  const codes = [];
  for (let i = 0; i < 21; i++) codes.push(await signInFrom(proxied, `10.0.0.${i}, 198.51.100.1`, `nobody${i}`, 'wrong'));
  const other = await signInFrom(proxied, '203.0.113.9', env.creds.member.username, env.creds.member.password);
  ok(codes[19] === 401 && codes[20] === 429 && other === 303,
    'trusted proxy: the limit counts the client named last in X-Forwarded-For, not everyone', codes.join(',') + ' ' + other);
  await proxied.stop();
  const direct = await startServer(bin, env.db, ['--quiet']);
  const spoofed = [];
  for (let i = 0; i < 21; i++) spoofed.push(await signInFrom(direct, `192.0.2.${i}`, `nobody${i}`, 'wrong'));
  ok(spoofed[20] === 429, 'without --trusted-proxy, X-Forwarded-For cannot dodge the per-address limit', spoofed.join(','));
  await direct.stop();
  // Issue 12 (OWASP login throttling): guessing from one address holds back that (account, address)
  // pair only; the real user signs in from another address; guessing from many addresses is slowed.
  const owasp = await startServer(bin, env.db, ['--quiet', '--trusted-proxy', '127.0.0.1']);
  const { username: mu, password: mp } = env.creds.member;
  const guesses = [];
  for (let i = 0; i < 6; i++) guesses.push(await signInFrom(owasp, '198.51.100.7', mu, 'wrong-password-' + i));
  const sameAddr = await signInFrom(owasp, '198.51.100.7', mu, mp);
  const freshAddr = await signInFrom(owasp, '203.0.113.50', mu, mp);
  ok(guesses.slice(0, 5).every((x) => x === 401) && guesses[5] === 429 && sameAddr === 429,
    'throttling: 5 wrong passwords from one address hold back that address for that account', guesses.join(',') + ' ' + sameAddr);
  ok(freshAddr === 303, 'throttling: the real user still signs in from an address that has not failed', freshAddr);
  // Issue 16: an address that has not failed passes the account's delay (the owner must get in), but
  // only 10 such addresses per account and window: 10 guesses in the allowance, 10 fresh addresses
  // past the delay, then the other 10 are held back with the rest; their next ones all are.
  const many = [], again = [];
  for (let i = 0; i < 30; i++) many.push(await signInFrom(owasp, `10.1.${i}.1`, env.creds.lead.username, 'guess-' + i));
  for (let i = 0; i < 30; i++) again.push(await signInFrom(owasp, `10.1.${i}.1`, env.creds.lead.username, 'again-' + i));
  ok(many.slice(0, 20).every((x) => x === 401) && many.slice(20).every((x) => x === 429) && again.every((x) => x === 429),
    'throttling: of 30 addresses guessing one account, 20 get a first try, then the account holds them all back', many.join(',') + ' / ' + again.join(','));
  await owasp.stop();
  const bad = spawnSync(bin, ['serve', '--db', env.db, '--trusted-proxy', 'proxy.local'], { encoding: 'utf8', timeout: 10000 });
  ok(bad.status === 2 && bad.stderr.includes('--trusted-proxy'), 'a --trusted-proxy that is not an address is a usage error');
}

// ---- the per-account limit holds against guesses sent all at once -----------------------------
{
  const s3 = await startServer(bin, env.db, ['--quiet', '--threads', '8']);
  const p = await fetch(s3.url + '/sign-in');
  const c = p.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
  const t = csrfIn(await p.text());
  const codes = await Promise.all(Array.from({ length: 16 }, (_, i) => fetch(s3.url + '/sign-in', {
    method: 'POST', redirect: 'manual', headers: { Cookie: c, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: t, username: 'lead', password: 'wrong-password-' + i }),
  }).then((r) => r.status)));
  const tried = codes.filter((x) => x === 401).length;
  ok(tried === 5 && codes.filter((x) => x === 429).length === 11,
    'sign-in rate limit per account: concurrent guesses get 5 tries, no more', codes.join(','));
  await s3.stop();
}

// ---- start-up failures -------------------------------------------------------------------------
{
  const r = spawnSync(bin, ['serve', '--db', env.dir], { encoding: 'utf8', timeout: 10000 });
  ok(r.status === 1 && r.stderr.trim().split('\n').length === 1, 'unusable database at start: one error line, exit 1', r.stderr);
  const r2 = spawnSync(bin, ['serve', '--db', env.db, '--listen', 'nonsense'], { encoding: 'utf8', timeout: 10000 });
  ok(r2.status === 1 && r2.stderr.includes('--listen'), 'bad --listen: error naming the option');
  const again = spawnSync(bin, ['init', '--demo', '--db', env.db], { encoding: 'utf8' });
  ok(again.status === 1 && again.stderr.includes('already has users'), 'init --demo refuses a database with users');
  const mode = (await import('node:fs')).statSync(env.dir + '/demo-credentials.txt').mode & 0o777;
  ok(mode === 0o600, 'demo-credentials.txt is mode 0600', mode.toString(8));
  if (engine === 'sqlite') {
    const dbMode = (await import('node:fs')).statSync(env.db).mode & 0o777;
    ok(dbMode === 0o600, 'the database file is mode 0600 (it holds password hashes)', dbMode.toString(8));
  }
  void readFileSync;
}

env.cleanup();
done();
