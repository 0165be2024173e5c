// Every chart type for a web measure (issue 19 item 1), on a real server (SQLite, or PostgreSQL under
// tests/run.sh): a P chart measure takes points with denominators (page, file and API); bad
// combinations are refused naming the row, and nothing is stored; the API carries chart, per and
// each point's mean, lpl and upl as `purpose spc --format json` computes them; the points download
// as CSV (both scopes, any member) and `purpose spc --chart p --denominator ... --per 100` on that
// file draws the web's chart byte for byte; changing the type re-charts or is refused naming the point.
// Prints TAP. usage: node tests/http/measure_charts.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;

const { req, signIn } = client(U, env.creds);
const close = (a, b) => (a === null && b === null) || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

try {
  const lead = await signIn('lead');
  const contributor = await signIn('contributor');
  const post = (path, form) => req('POST', path, { cookie: lead.cookie, form: { csrf: lead.csrf, ...form } });
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });
  const harm = (await req('GET', '/api/v1/purpose')).json().themes.flatMap((t) => t.ambitions)[0];
  const made = await post('/projects/new', { title: 'Four-hour standard', aim: 'See 95% within 4 hours', team: 'ED', status: 'active', score: '2.0', start_date: '2025-04-01', ambition: harm.id });
  ok(made.status === 303, 'a lead registers a project');
  const pid = Number(made.headers.get('location').split('/').pop());

  // ---- a P chart measure ----------------------------------------------------------------------
  const badType = await api('POST', `/api/v1/projects/${pid}/measures`, { name: 'x', kind: 'outcome', direction: 'increase', chart: 'pie' });
  ok(badType.status === 400 && badType.json().error.startsWith('chart:'), 'API: an unknown chart type is refused naming chart');
  const badPer = await api('POST', `/api/v1/projects/${pid}/measures`, { name: 'x', kind: 'outcome', direction: 'increase', chart: 'p', per: -5 });
  ok(badPer.status === 400 && badPer.json().error.startsWith('per:'), 'API: a per below 0 is refused naming per');
  const mm = await api('POST', `/api/v1/projects/${pid}/measures`, { name: 'Seen within 4 hours', kind: 'outcome', unit: '', direction: 'increase', target: 95, chart: 'p', per: 100 });
  ok(mm.status === 201 && mm.json().chart === 'p' && mm.json().per === 100, 'API: adds a P chart measure per 100', mm.text);
  const mid = mm.json().id;

  const rows = [];
  for (let i = 0; i < 24; i++) {
    const d = new Date(Date.UTC(2024, i, 1)).toISOString().slice(0, 10);
    const den = 9000 + ((i * 137) % 800);
    const seen = Math.round(den * (i < 14 ? 0.78 + ((i * 7) % 5) * 0.004 : 0.85 + ((i * 3) % 4) * 0.004));
    rows.push(`${d},${seen},${den}`);
  }
  const over = ['date,value,denominator', ...rows.slice(0, 6), '2024-07-01,9500,9100', ...rows.slice(7)].join('\n');
  const r1 = await post(`/measures/${mid}/points`, { data: over });
  ok(r1.status === 400 && r1.text.includes('row 8: value: 9500 is more than its denominator 9100'), 'a P value above its denominator is refused naming the row', r1.text.match(/row \d+[^<]*/)?.[0]);
  const missing = ['date,value,denominator', ...rows.slice(0, 3), '2024-04-01,7000,', ...rows.slice(4)].join('\n');
  const r2 = await post(`/measures/${mid}/points`, { data: missing });
  ok(r2.status === 400 && r2.text.includes('row 5: denominator: is missing'), 'a P point without a denominator is refused naming the row', r2.text.match(/row \d+[^<]*/)?.[0]);
  const r3 = await api('POST', `/api/v1/measures/${mid}/points`, { points: [{ date: '2024-01-01', value: 5, denominator: 10 }, { date: '2024-02-01', value: 5, denominator: 0 }] });
  ok(r3.status === 400 && r3.json().error.startsWith('points[1]: denominator: must be a number above 0'), 'API: a denominator of 0 is refused naming the point', r3.text);
  const r4 = await api('POST', `/api/v1/measures/${mid}/points`, { points: [{ date: '2024-01-01', value: 5, denominator: 'ten' }] });
  ok(r4.status === 400 && r4.json().error.startsWith('points[0]: denominator:'), 'API: a denominator that is not a number is refused');
  ok((await api('GET', `/api/v1/measures/${mid}`)).json().n_points === 0, 'nothing of the refused uploads is stored');

  ok((await post(`/measures/${mid}/points`, { data: ['date,value,denominator', ...rows.slice(0, 20)].join('\n') })).status === 303, 'uploads 20 months with denominators (page)');
  const viaApi = await api('POST', `/api/v1/measures/${mid}/points`, { points: rows.slice(20).map((r) => { const [date, value, denominator] = r.split(','); return { date, value: Number(value), denominator: Number(denominator) }; }) });
  ok(viaApi.status === 200, 'and 4 more through the API with denominators', viaApi.text);
  const m = (await api('GET', `/api/v1/measures/${mid}`)).json();
  ok(m.n_points === 24 && m.chart === 'p' && m.per === 100 && m.points.every((p) => typeof p.mean === 'number' && typeof p.lpl === 'number' && typeof p.upl === 'number' && p.denominator > 0),
    "the measure's JSON carries chart, per and each point's denominator, mean, lpl and upl");
  ok(new Set(m.points.map((p) => p.lpl)).size > 1, "a P chart's limits vary with the denominator");

  // ---- the points as CSV, and purpose spc on them ---------------------------------------------
  const csvResp = await req('GET', `/measures/${mid}/points.csv`, { cookie: lead.cookie });
  ok(csvResp.status === 200 && csvResp.headers.get('content-type').startsWith('text/csv') &&
    csvResp.text === ['date,value,denominator', ...rows].join('\n') + '\n', 'the points download as date,value,denominator');
  const prefixed = await req('GET', `/organisations/northgate-th/measures/${mid}/points.csv`, { cookie: lead.cookie });
  ok(prefixed.status === 200 && prefixed.text === csvResp.text, "and under the organisation's prefix");
  // Whoever may read the chart and its points in the API may download them; nobody else.
  const read = await req('GET', `/measures/${mid}/points.csv`, { cookie: contributor.cookie });
  ok(read.status === 200 && read.text === csvResp.text, 'a contributor, who reads the chart, downloads them too', String(read.status));
  const denied = await req('GET', `/measures/${mid}/points.csv`);
  ok(denied.status === 303 && denied.headers.get('location').startsWith('/sign-in?next='), 'someone not signed in is sent to sign in', String(denied.status));
  const file = join(env.dir, 'p.csv');
  writeFileSync(file, csvResp.text);
  const args = ['--x', 'date', '--y', 'value', '--denominator', 'denominator', '--chart', 'p', '--per', '100', '--improvement', 'increase', '--target', '95', file];
  const cliSvg = execFileSync(bin, ['spc', ...args, '--title', 'Seen within 4 hours', '--format', 'svg'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const webSvg = Buffer.from(await (await fetch(`${U}/measures/${mid}/chart.svg`, { headers: { Cookie: lead.cookie } })).arrayBuffer());
  ok(cliSvg.equals(webSvg), 'purpose spc --chart p --denominator --per 100 and the web draw the same chart, byte for byte');
  const cliJson = JSON.parse(execFileSync(bin, ['spc', ...args, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString());
  const cp = cliJson.series[0].points;
  ok(cp.length === 24 && cp.every((p, i) => close(m.points[i].mean, p.mean) && close(m.points[i].lpl, p.lpl) && close(m.points[i].upl, p.upl) && close(m.points[i].y, p.y)),
    "the API's mean, lpl, upl and y per point equal purpose spc --format json's");
  ok(m.variation === cliJson.series[0].variation && (m.assurance ?? '') === cliJson.series[0].assurance, 'and its icons', JSON.stringify([m.variation, cliJson.series[0].variation]));
  const page = await req('GET', `/measures/${mid}`, { cookie: lead.cookie });
  ok(page.status === 200 && page.text.includes('class="app-reading"') && page.text.includes('>Denominator</th>'), 'the measure page shows the reading and the denominators');

  // ---- changing the type ----------------------------------------------------------------------
  const toXmr = await api('PUT', `/api/v1/measures/${mid}`, { name: 'Seen within 4 hours', kind: 'outcome', direction: 'increase', target: 95, chart: 'xmr' });
  ok(toXmr.status === 400 && toXmr.json().error.startsWith('chart: ') && toXmr.json().error.includes('the point on 2024-01-01: denominator: a xmr chart takes none'),
    'a change to XmR while the points have denominators is refused naming the point', toXmr.text);
  ok((await api('GET', `/api/v1/measures/${mid}`)).json().chart === 'p', 'and the measure is unchanged');
  const form = await post(`/measures/${mid}/edit`, { name: 'Seen within 4 hours', kind: 'outcome', unit: '', direction: 'increase', target: '95', chart: 'c', per: '100' });
  ok(form.status === 400 && form.text.includes('href="#chart"'), 'the page form names the chart field');
  const toPp = await api('PUT', `/api/v1/measures/${mid}`, { name: 'Seen within 4 hours', kind: 'outcome', direction: 'increase', target: 95, chart: 'pp', per: 100 });
  ok(toPp.status === 200 && toPp.json().chart === 'pp', "a change to P' re-charts the points", toPp.text);
  const ppCli = JSON.parse(execFileSync(bin, ['spc', ...args.map((a) => (a === 'p' ? 'pp' : a)), '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString());
  ok(toPp.json().points.every((p, i) => close(p.upl, ppCli.series[0].points[i].upl)), "its limits are purpose spc --chart pp's");

  // ---- other types: a C chart takes no denominator --------------------------------------------
  const cm = (await api('POST', `/api/v1/projects/${pid}/measures`, { name: 'Falls', kind: 'outcome', direction: 'decrease', chart: 'c' })).json();
  const withDen = await post(`/measures/${cm.id}/points`, { data: 'date,value,denominator\n2025-01-01,3,\n2025-02-01,4,100' });
  ok(withDen.status === 400 && withDen.text.includes('row 3: denominator: a c chart takes none'), 'a denominator on a C chart is refused naming the row');
  const negative = await post(`/measures/${cm.id}/points`, { data: '2025-01-01,3\n2025-02-01,-1' });
  ok(negative.status === 400 && negative.text.includes('row 2: value: a c chart counts'), 'a negative count is refused naming the row');
  // Every bad row of an upload is listed (page and API) and offered with its reason; nothing stored.
  const three = 'date,value\n2025-01-01,3\nsomeday,4\n2025-03-01,abc\n2025-04-01,-1\n2025-05-01,5\n';
  const tp = await post(`/measures/${cm.id}/points`, { data: three });
  const ts = tp.text.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/div><\/div>/)?.[0] || '';
  ok(tp.status === 400 && ts.includes('Nothing was stored: 3 bad rows') && (ts.match(/<li><a href="#data">Line/g) || []).length === 3 &&
    ts.includes('Line 3: date:') && ts.includes('Line 4: value:') && ts.includes('Line 5: value: a c chart counts'),
    'page: an upload with 3 bad rows lists all 3', ts.slice(0, 600));
  const rej = (ts.match(/href="(\/rejects\.csv\?k=[^"]+)"/) || [])[1];
  const dl = rej ? await req('GET', rej.replace(/&amp;/g, '&'), { cookie: lead.cookie }) : { status: 0, text: '' };
  const dlines = dl.text.trim().split('\n');
  ok(dl.status === 200 && dlines.length === 4 && dlines[0] === 'date,value,reason' && dlines[1].startsWith('someday,4,"Line 3: date:') &&
    dlines[2].startsWith('2025-03-01,abc,"Line 4: value:') && dlines[3].startsWith('2025-04-01,-1,"Line 5: value: a c chart counts'),
    'the download has the 3 rows with their reasons', dl.text);
  const ta = await api('POST', `/api/v1/measures/${cm.id}/points`, { csv: three });
  const tj = ta.status === 400 ? ta.json() : {};
  ok(tj.errors?.length === 3 && tj.errors.map((e) => `${e.line}:${e.field}`).join() === '3:date,4:value,5:value' && tj.error === tj.errors[0].error &&
    tj.errors[2].error.startsWith('row 5: value: a c chart counts'), 'API: "errors" has all 3 bad rows, "error" the first', ta.text);
  ok((await api('GET', `/api/v1/measures/${cm.id}`)).json().n_points === 0, 'nothing of the upload with 3 bad rows is stored');
  ok((await post(`/measures/${cm.id}/points`, { data: '2025-01-01,3\n2025-02-01,4\n2025-03-01,2\n2025-04-01,5' })).status === 303, 'counts are added');
  const c = (await api('GET', `/api/v1/measures/${cm.id}`)).json();
  ok(c.chart === 'c' && close(c.points[0].mean, 3.5) && close(c.points[0].upl, 3.5 + 3 * Math.sqrt(3.5)), "a C chart's mean and limits are mean +- 3 sqrt(mean)");
  const xm = (await api('POST', `/api/v1/projects/${pid}/measures`, { name: 'Waits', kind: 'process', direction: 'decrease' })).json();
  ok(xm.chart === 'xmr' && xm.per === 1, 'a measure is XmR per 1 by default');
  const xden = await api('POST', `/api/v1/measures/${xm.id}/points`, { csv: '2025-01-01,3,10' });
  ok(xden.status === 400 && xden.json().error === 'row 1: denominator: a xmr chart takes none (only p, pp, u and up charts do)', 'a denominator on XmR is refused naming the row', xden.text);
  const summary = await req('GET', '/summary', { cookie: lead.cookie });
  ok(summary.status === 200 && summary.text.includes('Seen within 4 hours'), 'the summary shows the P chart measure');
} finally {
  await srv.stop();
  env.cleanup();
}
done();
