// Wayfinding over HTTP on the demo (issue 18, Deliver 6): where signing in lands each demo person
// (their organisation's home, with its prefix; a `next` kept), numbers on pages with a comma
// between thousands ("17,184 arrivals"), the users list saying where each role is held, and a 403
// saying who may and linking to the person's own home. Prints TAP.
// usage: node tests/http/wayfinding.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser, csrfOf } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

async function signIn(role, next) {
  const b = browser(srv);
  const page = await (await b.get('/sign-in' + (next ? `?next=${encodeURIComponent(next)}` : ''))).text();
  const form = { csrf: csrfOf(page), username: env.creds[role].username, password: env.creds[role].password };
  if (next) form.next = next;
  const r = await b.post('/sign-in', form);
  return { b, location: r.headers.get('location') };
}

try {
  const lands = { admin: '/', lead: '/', member: '/', contributor: '/', 'ambulance-lead': '/organisations/northgate-ambulance' };
  for (const [role, where] of Object.entries(lands)) {
    const { location } = await signIn(role);
    ok(location === where, `signing in as ${role} lands on ${where}`, location);
  }
  const { location: kept } = await signIn('ambulance-lead', '/programmes/handovers/handovers');
  ok(kept === '/programmes/handovers/handovers', 'a sign-in with somewhere to go goes there', kept);

  const { b: member } = await signIn('member');
  const dash = await (await member.get('/handovers')).text();
  const sentence = (dash.match(/<p>([0-9,]+) arrivals, ([0-9,]+) handed over[^<]*<\/p>/) || []);
  ok(sentence.length === 3, 'the dashboard says how many arrived and were handed over', dash.slice(0, 400));
  ok(/^[0-9]{1,3}(,[0-9]{3})+$/.test(sentence[1] || '') && /^[0-9]{1,3}(,[0-9]{3})*$/.test(sentence[2] || ''),
    'arrivals and handovers have a comma between thousands', sentence[0]);
  const cells = [...dash.matchAll(/<td class="nhsuk-table__cell[^"]*">([0-9][0-9,.]*)<\/td>/g)].map((m) => m[1]);
  const bare = cells.filter((c) => /^[0-9]{4,}/.test(c));
  ok(cells.length > 0 && bare.length === 0, 'no number of four or more digits without a comma in the tables', bare.slice(0, 5).join(' '));

  // ---- the NHS date input: three fields, errors naming the field, the day stored as ISO ----
  const form = await (await member.get('/projects/new')).text();
  ok(/class="nhsuk-date-input"/.test(form) && /id="start_date" name="start_date-day"/.test(form) &&
     /id="start_date-month" name="start_date-month"/.test(form) && /id="start_date-year" name="start_date-year"/.test(form),
    'a project\'s start date is the NHS date input (day, month, year)');
  const project = (date) => ({ csrf: csrfOf(form), title: 'Night falls', aim: 'Fewer falls at night', status: 'active',
    score: '1.0', why_unaligned: 'A test', ...date });
  const cases = [
    [{ 'start_date-day': '31', 'start_date-month': '2', 'start_date-year': '2025' }, 'Start date must be a real date'],
    [{ 'start_date-day': '1', 'start_date-month': '', 'start_date-year': '2025' }, 'Start date must include a month'],
    [{ 'start_date-day': '1', 'start_date-month': '4', 'start_date-year': '25' }, 'Start date must include a year with 4 numbers'],
    [{ 'start_date-day': 'x', 'start_date-month': '4', 'start_date-year': '2025' }, 'Start date must be a real date'],
  ];
  for (const [date, msg] of cases) {
    const r = await member.post('/projects/new', project(date));
    const t = await r.text();
    ok(r.status === 400 && t.includes(`<a href="#start_date">${msg}</a>`) && t.includes(`value="${date['start_date-day']}"`),
      `${JSON.stringify(date)}: 400, "${msg}" linked to the field, what was typed shown again`, r.status + ' ' + (t.match(/nhsuk-error-summary__list">[\s\S]{0,300}/) || [''])[0]);
  }
  const made = await member.post('/projects/new', project({ 'start_date-day': '1', 'start_date-month': '4', 'start_date-year': '2025' }));
  const loc = made.headers.get('location') || '';
  const id = (loc.match(/\/projects\/([0-9]+)/) || [])[1];
  ok(made.status === 303 && id, 'a real date is accepted', `${made.status} ${loc}`);
  const stored = await (await member.api('GET', `/api/v1/projects/${id}`)).json();
  ok(stored.start_date === '2025-04-01', 'and stored as the ISO day', JSON.stringify(stored).slice(0, 200));
  const edit = await (await member.get(`/projects/${id}/edit`)).text();
  ok(/name="start_date-day" type="text" inputmode="numeric" value="1"/.test(edit) && /name="start_date-year" type="text" inputmode="numeric" value="2025"/.test(edit),
    'the edit form shows the stored day in its three fields');

  const { b: admin } = await signIn('admin');
  const users = await (await admin.get('/admin/users')).text();
  ok(/lead in Northgate and Dales Ambulance Service NHS Trust<br>lead in Ambulance handovers: every minute matters \(programme\)/.test(users),
    'the users list says where each role is held', (users.match(/crew\.lead[\s\S]{0,400}/) || [''])[0]);
  const proj = await (await admin.get('/projects/1')).text();
  ok(/Started<\/dt>\s*<dd[^>]*>\s*3 June 2024\s*</.test(proj) && !proj.includes('2024-06-03'), 'a day on a page is written as people write it (3 June 2024)',
    (proj.match(/Started[\s\S]{0,120}/) || [''])[0]);
  const reg = await (await admin.get('/programmes/handovers/projects')).text();
  const m1 = await (await admin.get('/measures/1')).text();
  ok(!/<td[^>]*>\d{4}-\d\d-\d\d<\/td>/.test(reg) && /<strong>P1<\/strong> from \d{1,2} [A-Z][a-z]+ \d{4}:/.test(m1) &&
    !/<dd[^>]*>\s*\d{4}-\d\d-\d\d to /.test(proj), 'and so on the programme register, the measure\'s PDSA list and the project\'s cycles',
    (m1.match(/<strong>P1<\/strong>[^<]*/) || [''])[0]);
  const conv = await (await admin.get('/conversations/1')).text();
  ok(/Open from \d{1,2} [A-Z][a-z]+ \d{4} to \d{1,2} [A-Z][a-z]+ \d{4}\./.test(conv), "and a conversation's days", (conv.match(/Open from[^<]*/) || [''])[0]);
  const worst = await (await admin.get('/programmes/handovers/handovers')).text();
  const waves = await (await admin.get('/pulses/1/results')).text();
  ok(!/<td[^>]*>\d{4}-\d\d-\d\d<\/td>/.test(worst + waves) && /<option value="\d{4}-\d\d-\d\d">\d{1,2} [A-Z][a-z]+ \d{4}<\/option>/.test(m1),
    "and the worst handover days, a pulse's waves and the rebase's choice of point (its value still the ISO day)");
  const acct = await (await admin.get('/account')).text();
  ok(/Your roles/.test(acct) && /Northgate Teaching Hospitals NHS Trust/.test(acct), '/account says where the role is held');

  const { b: amb } = await signIn('ambulance-lead');
  const r403 = await amb.get('/handovers');
  const t403 = await r403.text();
  ok(r403.status === 403, 'the trust\'s own dashboard is refused to the ambulance lead', String(r403.status));
  ok(/Only people with the member role or above in Northgate Teaching Hospitals NHS Trust can do this\. Your role there is contributor\./.test(t403),
    'the 403 says who may and what the person\'s role there is');
  const bar = async (path) => ((await (await amb.get(path)).text()).match(/Signed in as [^<]*/) || [''])[0];
  ok(/\(contributor in Northgate Teaching Hospitals NHS Trust\)/.test(await bar('/')) &&
    /\(lead in Northgate and Dales Ambulance Service NHS Trust\)/.test(await bar('/organisations/northgate-ambulance')) &&
    /\(lead in Ambulance handovers: every minute matters\)/.test(await bar('/programmes/handovers')),
    'the header says where the role it shows is held (a lead at home is a contributor at the trust)', await bar('/'));
  ok(t403.includes('href="/organisations/northgate-ambulance">Go to Northgate and Dales Ambulance Service NHS Trust, where your work is'),
    'the 403 links to their own organisation\'s home');
  const r404 = await amb.get('/organisations/northgate-ambulance/no-such-page');
  const t404 = await r404.text();
  ok(r404.status === 404 && t404.includes('>Find an organisation or programme<') && t404.includes('>Go to the home page<'),
    'a 404 links home and to the organisations');
  const p404 = await (await amb.get('/programmes/handovers/measures/999999')).text();
  ok(p404.includes('href="/programmes/handovers">Go to Ambulance handovers: every minute matters<'), "a 404 in a programme links to the programme's page");
  const r400 = await amb.get('/programmes/handovers/handovers?from-day=30&from-month=2&from-year=2023');
  ok(r400.status === 400 && (await r400.text()).includes('href="/programmes/handovers/handovers">Start this page again<'),
    'a page refused for what its address asked links to the page without it', String(r400.status));
} finally {
  const code = await srv.stop();
  ok(code === 0, 'the server stops cleanly (no leak or sanitizer report)', srv.stderr().slice(-3000));
  env.cleanup();
}
done();
