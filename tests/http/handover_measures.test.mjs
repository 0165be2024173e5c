// A handover metric followed as an improvement measure, over HTTP on the suite's engine
// (PURPOSE_TEST_ENGINE): a lead makes it from the dashboard's form; its points equal `purpose
// handovers report --by day` (or week) for that metric; another import refreshes them, so the
// points, the SPC icons and the summary change at once; points by hand are refused. Prints TAP.
// usage: node tests/http/handover_measures.test.mjs [build/release/purpose]
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ok, done, demoDb, engine, startServer } from '../lib/server.mjs';

const bin = resolve(process.argv[2] || 'build/release/purpose');
const { dir, db, creds, cleanup } = demoDb(bin);
const run = (args) => spawnSync(bin, [...args, '--db', db], { encoding: 'utf8', cwd: dir, maxBuffer: 1 << 28 });
console.log(`# engine: ${engine}`);

// Sixty days of one site of its own, handovers quicker from day 31: the first thirty days, then the rest.
const SITE = 'Measure Test';
const gen = join(dir, 'gen.csv');
ok(spawnSync(bin, ['handovers', 'generate', '--sites', '1', '--days', '60', '--seed', '3', '--start', '2019-01-01',
  '--improve', '2019-01-31', '-o', gen]).status === 0, 'generate sixty days');
const [head, ...rows] = readFileSync(gen, 'utf8').trim().split('\n').map((l) => l.replace(/^Northgate General,/, `${SITE},`));
const early = rows.filter((l) => l.split(',')[1] < '2019-01-31'), late = rows.filter((l) => l.split(',')[1] >= '2019-01-31');
writeFileSync(join(dir, 'early.csv'), [head, ...early].join('\n') + '\n');
writeFileSync(join(dir, 'late.csv'), [head, ...late].join('\n') + '\n');
const imp = (name) => run(['handovers', 'import', join(dir, name), '--org', 'northgate-th']);
ok(imp('early.csv').status === 0, 'import the first thirty days');

// The report's values of one metric for the site, as {date: value}, leaving out empty ones.
const report = (by, metric) => {
  const r = run(['handovers', 'report', '--org', 'northgate-th', '--site', SITE, '--by', by, '--format', 'json']);
  const out = {};
  for (const row of JSON.parse(r.stdout)) if (row[metric] !== null && row[metric] !== undefined) out[row.period] = row[metric];
  return out;
};
const same = (points, want) => {
  const got = Object.fromEntries(points.map((p) => [p.date, p.value]));
  const keys = Object.keys(want);
  return keys.length > 0 && keys.length === Object.keys(got).length &&
    keys.every((k) => Math.abs(got[k] - want[k]) <= 1e-9 * Math.max(1, Math.abs(want[k])));
};

const srv = await startServer(bin, db, ['--quiet']);
const req = async (method, path, { cookie, form, json, csrf } = {}) => {
  const headers = {};
  if (cookie) headers.Cookie = cookie;
  let body;
  if (form) { headers['Content-Type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
  if (json) { headers['Content-Type'] = 'application/json'; headers['X-CSRF-Token'] = csrf; body = JSON.stringify(json); }
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
  const lead = await signIn('lead');
  const member = await signIn('member');
  const dash = await req('GET', '/handovers', { cookie: lead });
  ok(dash.status === 200 && dash.text.includes('Track as a measure'), "the dashboard offers a lead 'Track as a measure'");
  ok(!(await req('GET', '/handovers', { cookie: member })).text.includes('Track as a measure'), 'a member is not offered the form');
  const csrf = (dash.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
  const scope = (dash.text.match(new RegExp(`<option value="(site:\\d+)"[^>]*>Site: ${SITE}<`)) || [])[1];
  const form = dash.text.slice(dash.text.indexOf('id="track"'));
  const project = (form.match(/name="project"[^]*?<option value="(\d+)"/) || [])[1];
  ok(scope && project, 'the form lists the site and the projects', form.slice(0, 2000));

  const make = (fields, cookie = lead) => req('POST', '/handovers/measures', { cookie, form: { csrf, scope, project, period: 'day', ...fields } });
  ok((await make({ metric: 'pct_within_60' }, member)).status === 403, 'only a lead makes a handover measure');
  const badMetric = await make({ metric: 'pct_within_61' });
  ok(badMetric.status === 400 && badMetric.text.includes('href="#metric"') && badMetric.text.includes('Track as a measure'),
    'an unknown metric is refused on the form, naming the field', badMetric.status + ' ' + (badMetric.text.match(/nhsuk-error-summary[^]{0,600}/) || [''])[0]);
  const badScope = await make({ metric: 'pct_within_60', scope: 'site:999999' });
  ok(badScope.status === 404 && badScope.text.includes('href="#scope"'), "another organisation's or no site is refused", badScope.status + ' ' + (badScope.text.match(/nhsuk-error-summary[^]{0,600}/) || [''])[0]);

  const made = await make({ metric: 'pct_within_60' });
  const id = (made.headers.get('location') || '').match(/\/measures\/(\d+)$/)?.[1];
  ok(made.status === 303 && id, 'a lead makes a daily measure of the site, and goes to its page', made.status + ' ' + made.headers.get('location'));
  const week = await make({ metric: 'hours_lost_15', period: 'week', name: 'Weekly hours lost at the test site' });
  const wid = (week.headers.get('location') || '').match(/\/measures\/(\d+)$/)?.[1];
  ok(week.status === 303 && wid, 'and a weekly one, named');

  const api = async (mid) => JSON.parse((await req('GET', `/api/v1/measures/${mid}`, { cookie: member })).text);
  let m = await api(id);
  ok(m.unit === '%' && m.direction === 'increase' && m.target === 100 && m.name.includes(SITE),
    'the measure has the unit, direction and standard of its metric', JSON.stringify(m).slice(0, 300));
  ok(m.points.length === 30 && same(m.points, report('day', 'pct_within_60')),
    "its points equal purpose handovers report --by day's pct_within_60", JSON.stringify(m.points.slice(0, 3)));
  const before = { n: m.points.length, variation: m.variation };
  let w = await api(wid);
  ok(w.unit === 'hours' && w.direction === 'decrease' && same(w.points, report('week', 'hours_lost_15')),
    "the weekly measure's points equal the report --by week's hours_lost_15", JSON.stringify(w.points));

  const page = await req('GET', `/measures/${id}`, { cookie: member });
  ok(page.status === 200 && page.text.includes('Where the points come from') && page.text.includes(SITE) && !page.text.includes('id="add-points"'),
    "the measure's page says where its points come from and offers no manual points", page.text.slice(0, 400));
  const token = JSON.parse((await req('GET', '/api/v1/me', { cookie: lead })).text).csrf_token;
  const manual = await req('POST', `/api/v1/measures/${id}/points`, { cookie: lead, csrf: token, json: { points: [{ date: '2019-01-02', value: 1 }] } });
  ok(manual.status === 409 && manual.text.includes('points'), 'points by hand through the API are refused', manual.status + ' ' + manual.text);
  const manualForm = await req('POST', `/measures/${id}/points`, { cookie: lead, form: { csrf, data: '2019-01-02, 1' } });
  ok(manualForm.status >= 400 && manualForm.status < 500 && manualForm.text.includes('cannot be entered by hand'), 'points by hand on the form are refused', manualForm.status + ' ' + manualForm.text.slice(0, 300));
  ok(same((await api(id)).points, report('day', 'pct_within_60')), 'and change nothing');

  // --- the same through the JSON API: the same fields, the same refusals, nothing stored on one ---
  const countMeasures = async () => (await req('GET', '/summary.csv', { cookie: member })).text.trim().split('\n').length;
  const n0 = await countMeasures();
  const viaApi = (json, cookie = lead) => req('POST', '/api/v1/handovers/measures', { cookie, csrf: token, json });
  const memberToken = JSON.parse((await req('GET', '/api/v1/me', { cookie: member })).text).csrf_token;
  ok((await req('POST', '/api/v1/handovers/measures', { cookie: member, csrf: memberToken, json: { scope, metric: 'mean_min', period: 'day', project: Number(project) } })).status === 403,
    'the API: only a lead makes a handover measure');
  const apiBad = await viaApi({ scope, metric: 'pct_within_61', period: 'day', project: Number(project) });
  ok(apiBad.status === 400 && JSON.parse(apiBad.text).error.startsWith('metric:'), 'the API: an unknown metric is refused, naming the field', apiBad.text);
  const apiBadPeriod = await viaApi({ scope, metric: 'pct_within_60', period: 'month', project: Number(project) });
  ok(apiBadPeriod.status === 400 && JSON.parse(apiBadPeriod.text).error.startsWith('period:'), 'the API: a period other than day or week is refused', apiBadPeriod.text);
  ok(await countMeasures() === n0, 'the API: nothing is stored from a refused request');
  const apiMade = await viaApi({ scope, metric: 'pct_within_30', period: 'day', project: Number(project), name: 'Within 30 minutes, by API' });
  const am = apiMade.status === 201 ? JSON.parse(apiMade.text) : {};
  ok(apiMade.status === 201 && am.name === 'Within 30 minutes, by API' && am.target === 95 && same(am.points, report('day', 'pct_within_30')),
    "the API makes a measure whose points equal the report's pct_within_30", apiMade.status + ' ' + apiMade.text.slice(0, 300));
  ok(await countMeasures() === n0 + 1, 'and it is on the summary');

  // --- another import: the points, the icons and the summary follow at once ---
  ok(imp('late.csv').status === 0, 'import thirty more days, quicker handovers');
  m = await api(id);
  ok(m.points.length === 60 && same(m.points, report('day', 'pct_within_60')),
    'after the import the points are the report of all sixty days', `${m.points.length} points`);
  ok(before.variation !== m.variation && m.variation === 'improvement_high',
    'the variation icon changes to special cause improvement', `${before.variation} -> ${m.variation}`);
  ok(m.points.some((p) => p.point_type && p.point_type.includes('improvement')), 'the chart marks the improving points');
  w = await api(wid);
  ok(same(w.points, report('week', 'hours_lost_15')), 'the weekly measure is refreshed too');
  const sum = await req('GET', '/summary', { cookie: member });
  ok(sum.status === 200 && sum.text.includes('Weekly hours lost at the test site'), "the board's summary shows the handover measure");
  // --- the demo's own: the programme's daily % within 60 minutes, improving half way ---
  const projects = JSON.parse((await req('GET', '/api/v1/projects', { cookie: member })).text);
  const front = (projects.projects || projects).find((p) => p.title === 'Ambulance handovers: one team at the front door');
  const demoMeasures = front ? JSON.parse((await req('GET', `/api/v1/projects/${front.id}/measures`, { cookie: member })).text) : null;
  const dm = (demoMeasures?.measures || demoMeasures || [])[0];
  const dfull = dm ? await api(dm.id) : null;
  const progDaily = JSON.parse(run(['handovers', 'report', '--programme', 'handovers', '--by', 'day', '--format', 'json']).stdout)
    .filter((r) => r.site === 'all' && r.pct_within_60 !== null);
  // 182 days of the demo, and the sixty imported above into the trust, a partner: the measure followed them too.
  ok(dfull && dfull.points.filter((p) => p.date.startsWith('2025-')).length === 182 && dfull.points.length === 242 &&
    dfull.variation === 'improvement_high' &&
    same(dfull.points, Object.fromEntries(progDaily.map((r) => [r.period, r.pct_within_60]))),
  "the demo's handover measure follows the programme's daily report (the imports above too) and shows special cause improvement",
  JSON.stringify(dfull ?? projects).slice(0, 400));
  const svg = await req('GET', `/measures/${id}/chart.svg`, { cookie: member });
  ok(svg.status === 200 && svg.text.includes('<svg') && svg.text.includes('60 points from 1 Jan 2019 to 1 Mar 2019'), "the measure's SPC chart shows the new days", svg.text.slice(0, 3000));
} finally {
  await srv.stop();
}
cleanup();
done();
