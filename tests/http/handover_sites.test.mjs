// One hospital recorded by two organisations (issue 19 item 8), over HTTP on the suite's engine
// (PURPOSE_TEST_ENGINE): in the demo programme the trust's and the ambulance service's "Northgate
// Royal Infirmary" share the site code NRI01, so the programme's figures count each handover both
// recorded once; the reconciliation (page, CSV, API) lists exactly the differences planted in the
// demo; sites take a code from an import's site_code column or the API and form, bad codes are
// refused naming the row or field, and a site given its code later is matched once its file is
// imported again. Prints TAP.
// usage: node tests/http/handover_sites.test.mjs [build/release/purpose]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ok, done, demoDb, engine, startServer } from '../lib/server.mjs';

const bin = resolve(process.argv[2] || 'build/release/purpose');
const { dir, db, creds, cleanup } = demoDb(bin);
const run = (args) => spawnSync(bin, [...args, '--db', db], { encoding: 'utf8', cwd: dir, maxBuffer: 1 << 28 });
console.log(`# engine: ${engine}`);

// Totals per site of a stored report (CLI), by month over everything.
const totals = (who) => {
  const r = run(['handovers', 'report', ...who, '--by', 'month', '--format', 'json']);
  const t = {};
  for (const row of JSON.parse(r.stdout)) {
    t[row.site] ??= { arrivals: 0, lost: 0 };
    t[row.site].arrivals += row.arrivals;
    t[row.site].lost += row.hours_lost_15;
  }
  return t;
};
const trust = totals(['--org', 'northgate-th']), amb = totals(['--org', 'northgate-ambulance']);
const prog = totals(['--programme', 'handovers']);
const NRI = 'Northgate Royal Infirmary';
ok(trust[NRI] && amb[NRI] && amb[NRI].arrivals === trust[NRI].arrivals - 3 + 2,
  "the ambulance service's records are the trust's at the same hospital, less 3 and plus 2 (the planted)", JSON.stringify([trust[NRI], amb[NRI]]));
ok(Object.keys(prog).sort().join('|') === ['NRI01/' + NRI, 'all', 'northgate-th/Dales General Hospital'].sort().join('|'),
  'the programme has one Northgate Royal Infirmary, named by its code', Object.keys(prog).join('|'));
ok(prog['NRI01/' + NRI].arrivals === trust[NRI].arrivals + 2 && prog.all.arrivals === trust.all.arrivals + 2,
  'each handover recorded by both counts once: the trust\'s arrivals and the 2 only the ambulance service has',
  `${prog.all.arrivals} vs ${trust.all.arrivals} + ${amb.all.arrivals}`);
ok(prog.all.lost < trust.all.lost + amb.all.lost - 1000 && prog.all.lost >= trust.all.lost,
  'and hours lost are not added up across the partners', `${prog.all.lost} vs ${trust.all.lost} + ${amb.all.lost}`);
console.log(`# programme: ${prog.all.arrivals} arrivals, ${prog.all.lost.toFixed(1)} hours lost (added up, ${trust.all.arrivals + amb.all.arrivals} and ${(trust.all.lost + amb.all.lost).toFixed(1)})`);

const srv = await startServer(bin, db, ['--quiet']);
const req = async (method, path, { cookie, form, json, csrf } = {}) => {
  const headers = {};
  if (cookie) headers.Cookie = cookie;
  let body;
  if (form) { headers['Content-Type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
  if (json !== undefined) { headers['Content-Type'] = 'application/json'; headers['X-CSRF-Token'] = csrf; body = JSON.stringify(json); }
  const r = await fetch(srv.url + path, { method, headers, body, redirect: 'manual' });
  return { status: r.status, text: await r.text(), headers: r.headers };
};
const signIn = async (role) => {
  const page = await req('GET', '/sign-in');
  const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (page.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
  const { username, password } = creds[role];
  const r = await req('POST', '/sign-in', { cookie: pre, form: { csrf, username, password, next: '/' } });
  return r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
};
try {
  const lead = await signIn('lead'), member = await signIn('member'), crew = await signIn('ambulance-lead');
  const token = async (cookie) => JSON.parse((await req('GET', '/api/v1/me', { cookie })).text).csrf_token;

  // --- the programme's figures over HTTP are the CLI's ---
  const api = JSON.parse((await req('GET', '/api/v1/programmes/handovers/handovers?by=month', { cookie: member })).text).rows;
  ok(api.filter((r) => r.site === 'all').reduce((a, r) => a + r.arrivals, 0) === prog.all.arrivals,
    "the programme's API counts as the CLI does");
  const dash = await req('GET', '/programmes/handovers/handovers', { cookie: member });
  ok(dash.status === 200 && dash.text.includes('NRI01/' + NRI) && !dash.text.includes('northgate-ambulance/' + NRI) &&
    dash.text.includes('/programmes/handovers/handovers/reconcile'), "the programme's dashboard shows one site and links the reconciliation",
    [dash.status, dash.text.includes('NRI01/' + NRI), dash.text.includes('northgate-ambulance/' + NRI), dash.text.includes('reconcile')].join());

  // --- the reconciliation lists exactly the planted differences ---
  const rec = await req('GET', '/api/v1/programmes/handovers/handovers/reconcile', { cookie: member });
  const R = rec.status === 200 ? JSON.parse(rec.text) : { differences: [] };
  const d = R.differences;
  const count = (kind, site) => d.filter((x) => x.kind === kind && (!site || x.site.startsWith(site))).length;
  ok(rec.status === 200 && d.length === 8, 'the reconciliation lists 8 differences', rec.status + ' ' + rec.text.slice(0, 400));
  ok(count('missing', 'northgate-th/') === 3 && d.filter((x) => x.kind === 'missing' && x.site.startsWith('northgate-th/')).every((x) => x.other_site === 'northgate-ambulance/' + NRI && x.other_arrival === null),
    'the 3 handovers the ambulance service has no record of', JSON.stringify(d));
  ok(count('missing', 'northgate-ambulance/') === 2, 'the 2 only the ambulance service recorded');
  const minutes = (a, b) => (Date.parse(b.replace(' ', 'T') + 'Z') - Date.parse(a.replace(' ', 'T') + 'Z')) / 60000;
  const apart = d.filter((x) => x.kind === 'apart');
  ok(apart.length === 2 && apart.every((x) => Math.abs(Math.abs(minutes(x.handover, x.other_handover)) - 20) <= 1),
    'the 2 handovers whose times are 20 minutes apart (a minute either way: the two clocks)', JSON.stringify(apart));
  ok(count('no_handover') === 1, 'the 1 handover time only one record has');
  ok(R.matched === trust[NRI].arrivals - 3 && R.tolerance_minutes === 5 && R.apart_minutes === 10,
    'every other handover was matched across the two records', `${R.matched}`);
  ok(d.every((x, i) => i === 0 || d[i - 1].arrival <= x.arrival), 'in order of arrival');
  const wide = JSON.parse((await req('GET', '/api/v1/programmes/handovers/handovers/reconcile?apart=30', { cookie: member })).text);
  ok(wide.differences.length === 6 && wide.differences.every((x) => x.kind !== 'apart'), '?apart=30 leaves out the 20-minute gaps');
  const one = JSON.parse((await req('GET', `/api/v1/programmes/handovers/handovers/reconcile?from=${d[0].arrival.slice(0, 10)}&to=${d[0].arrival.slice(0, 10)}`, { cookie: member })).text);
  ok(one.differences.length >= 1 && one.differences.every((x) => x.arrival.slice(0, 10) === d[0].arrival.slice(0, 10)), '?from and ?to choose the days');
  const badApart = await req('GET', '/api/v1/programmes/handovers/handovers/reconcile?apart=-1', { cookie: member });
  ok(badApart.status === 400 && JSON.parse(badApart.text).error.startsWith('apart'), 'a bad ?apart is refused, naming it', badApart.text);
  const csv = await req('GET', '/programmes/handovers/handovers/reconcile.csv', { cookie: member });
  const lines = csv.text.trim().split('\n');
  ok(csv.status === 200 && csv.headers.get('content-type').startsWith('text/csv') && lines.length === 9 &&
    lines[0] === 'site_code,kind,arrival,site,handover,other_site,other_arrival,other_handover,minutes_apart' &&
    lines.slice(1).every((l) => l.startsWith('NRI01,')), 'the CSV has the same 8 rows', csv.text.slice(0, 600));
  const page = await req('GET', '/programmes/handovers/handovers/reconcile', { cookie: member });
  ok(page.status === 200 && page.text.includes('Differences, in order of arrival') && (page.text.match(/<tr/g) || []).length === 9,
    'the page lists them in a table');

  // --- sites and codes: import, API, form ---
  const file = (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const rows = (site, code, shift) => ['2019-02-01T08:00', '2019-02-01T09:30', '2019-02-01T23:58'].map((t, i) => {
    const a = new Date(Date.parse(t + 'Z') + shift * 60000).toISOString().slice(0, 16) + 'Z';
    const h = new Date(Date.parse(t + 'Z') + (shift + 25) * 60000).toISOString().slice(0, 16) + 'Z';
    return `${site},${a},${h},,T${i},${code}`;
  }).join('\n');
  const head = 'site,arrival,handover,clear,ref,site_code\n';
  const bad = run(['handovers', 'import', file('bad.csv', head + rows('Test Hospital', 'TST01', 0) + '\nTest Hospital,2019-02-02T08:00Z,,,T9,tst-1\n'), '--org', 'northgate-th']);
  ok(bad.status === 1 && bad.stderr.includes('bad.csv:5') && bad.stderr.includes('site_code') && bad.stderr.includes('"tst-1" is not a site code'),
    'a bad site_code is a bad row naming its line and column', bad.stderr);
  const sites = async (cookie, org = '') => JSON.parse((await req('GET', `/api/v1${org}/handovers/sites`, { cookie })).text).sites;
  ok(!(await sites(lead)).some((s) => s.name === 'Test Hospital'), 'and nothing is stored');
  ok(run(['handovers', 'import', file('trust.csv', head + rows('Test Hospital', 'TST01', 0) + '\n'), '--org', 'northgate-th']).status === 0,
    "the trust's file with its site's code");
  const clash = run(['handovers', 'import', file('clash.csv', head + 'Test Hospital,2019-02-03T08:00Z,,,T8,TST02\n'), '--org', 'northgate-th']);
  ok(clash.status === 1 && clash.stderr.includes('clash.csv:2') && clash.stderr.includes('is not the code of site "Test Hospital", which is "TST01"'),
    "a code other than the site's is refused naming the line", clash.stderr);
  ok((await sites(lead)).find((s) => s.name === 'Test Hospital')?.code === 'TST01', 'the site has the code from the file');
  const ambFile = file('amb.csv', 'site,arrival,handover,clear,ref\n' + rows('Test Hospital (crews)', '', 1).replace(/,$/gm, '').split('\n').map((l) => l.split(',').slice(0, 5).join(',')).join('\n') + '\n');
  ok(run(['handovers', 'import', ambFile, '--org', 'northgate-ambulance']).status === 0, "the ambulance service's file, no code");
  const feb = async () => JSON.parse((await req('GET', '/api/v1/programmes/handovers/handovers?by=month&from=2019-02-01&to=2019-02-28', { cookie: member })).text).rows;
  let f = await feb();
  ok(f.find((r) => r.site === 'all')?.arrivals === 6, 'without a shared code the programme adds the two records', JSON.stringify(f));

  const ORG = '/organisations/northgate-ambulance';
  const crewSite = (await sites(crew, ORG)).find((s) => s.name === 'Test Hospital (crews)');
  const crewToken = await token(crew);
  const put = (json, cookie = crew, csrf = crewToken) => req('PUT', `/api/v1${ORG}/handovers/sites/${crewSite.id}`, { cookie, csrf, json });
  const badPut = await put({ code: 'ab' });
  ok(badPut.status === 400 && JSON.parse(badPut.text).error.startsWith('code:'), 'the API refuses a code that is not one, naming the field', badPut.text);
  ok((await put({})).status === 400, 'and a body without code');
  ok((await req('PUT', `/api/v1/handovers/sites/${crewSite.id}`, { cookie: lead, csrf: await token(lead), json: { code: 'TST01' } })).status === 404,
    "another organisation's site is not found");
  ok((await sites(crew, ORG)).find((s) => s.id === crewSite.id).code === null, 'nothing changed');
  const good = await put({ code: 'TST01' });
  ok(good.status === 200 && JSON.parse(good.text).code === 'TST01', 'the ambulance lead gives the site the code', good.text);
  f = await feb();
  ok(f.some((r) => r.site === 'TST01/Test Hospital (crews)') && f.find((r) => r.site === 'all').arrivals === 6,
    'one site now (named by the first partner by organisation), but rows imported before the code keep no record to match: still added', JSON.stringify(f));
  ok(run(['handovers', 'import', ambFile, '--org', 'northgate-ambulance']).status === 0, 'the same file imported again');
  f = await feb();
  ok(f.find((r) => r.site === 'all').arrivals === 3, 'now each handover counts once (across midnight too)', JSON.stringify(f));
  const testRec = JSON.parse((await req('GET', '/api/v1/programmes/handovers/handovers/reconcile?from=2019-02-01&to=2019-02-02', { cookie: member })).text);
  ok(testRec.differences.length === 0 && testRec.matched === 3, 'and the two records agree', JSON.stringify(testRec));

  // the form: a lead of the organisation, on the dashboard
  const own = await req('GET', '/handovers', { cookie: lead });
  const csrf = (own.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
  const dales = (await sites(lead)).find((s) => s.name === 'Dales General Hospital');
  ok(own.text.includes('Site codes') && own.text.includes(`action="/handovers/sites/${dales.id}"`) && own.text.includes(`id="code-${dales.id}"`),
    'the dashboard lists the sites with a form for a lead, one field id per site');
  const ids = [...own.text.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  ok(ids.length === new Set(ids).size, 'no id twice on the page');
  ok(!(await req('GET', '/handovers', { cookie: member })).text.includes(`action="/handovers/sites/`), 'a member sees no form');
  ok((await req('POST', `/handovers/sites/${dales.id}`, { cookie: member, form: { csrf, code: 'DGH01' } })).status === 403, 'a member may not set a code');
  const badForm = await req('POST', `/handovers/sites/${dales.id}`, { cookie: lead, form: { csrf, code: 'dgh 1' } });
  ok(badForm.status === 400 && badForm.text.includes('capital letters'), 'the form refuses a bad code', badForm.status + ' ' + badForm.text.slice(0, 300));
  const set = await req('POST', `/handovers/sites/${dales.id}`, { cookie: lead, form: { csrf, [`code-${dales.id}`]: 'DGH01' } });
  ok(set.status === 303 && (await sites(lead)).find((s) => s.id === dales.id).code === 'DGH01', 'the form sets it');
  const after = totals(['--programme', 'handovers']);
  ok(after['northgate-th/Dales General Hospital'] && !after['DGH01/Dales General Hospital'],
    'a code only one partner holds changes nothing for the programme (the site is still named by its organisation)', Object.keys(after).join('|'));
} catch (e) {
  ok(false, 'no exception', `${e.stack}\n${srv.stderr().slice(-3000)}`);
} finally {
  await srv.stop();
  cleanup();
}
await done();
