// One rule per kind of input, wherever it enters (issue 16), on a real server on SQLite or PostgreSQL
// (tests/run.sh): points that cannot be charted are refused by the API and the page form before
// anything is stored, and the summary, the project and the measure pages keep working; a series
// stored behind the check shows a clear message, never a 500; the points CSV's errors are whole and
// said once. Prints TAP.
// usage: node tests/http/input_rules.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { ok, done, demoDb, engine, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
console.log(`# engine: ${engine}`);
const { req, signIn } = client(U, env.creds);

// SQL run outside the server, as an administrator (or an older release) would write a row.
function rawSql(sql) {
  if (engine === 'sqlite') execFileSync('sqlite3', [env.db, sql]);
  else execFileSync('psql', ['-q', env.db, '-c', sql], { stdio: 'pipe' });
}

try {
  const lead = await signIn('lead');
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });
  const get = (path) => req('GET', path, { cookie: lead.cookie });
  const project = (await api('GET', '/api/v1/projects')).json().projects[0].id;
  const made = async (name) => (await api('POST', `/api/v1/projects/${project}/measures`,
    { name, kind: 'outcome', direction: 'increase' })).json().id;
  const mid = await made('Huge values');
  const broken = await made('Stored behind the check');
  const points = async (id) => (await api('GET', `/api/v1/measures/${id}`)).json().points.map((p) => `${p.date}=${p.value}`).join(' ');
  // Written straight into the table before any page is read (and cached).
  rawSql(`INSERT INTO measure_points(measure_id, day, value) VALUES (${broken}, '2025-01-01', 1), ` +
    `(${broken}, '2025-01-02', 1.7e308), (${broken}, '2025-01-03', -1.7e308)`);

  // ---- finding 3: refused before anything is committed ----------------------------------------
  const huge = [-1.7e308, 0, 0, 0, 0, 0, 0].map((value, i) => ({ date: `2025-01-0${i + 1}`, value }));
  let r = await api('POST', `/api/v1/measures/${mid}/points`, { points: huge });
  ok(r.status === 400 && r.json().error === 'points[0]: value: must be a number from -1e+15 to 1e+15' && await points(mid) === '',
    'API points of -1.7e308: 400 naming the point and field, nothing stored', r.text);
  r = await api('POST', `/api/v1/measures/${mid}/points`, { csv: 'date,value\n2025-01-01,1\n2025-01-02,1.7e308\n' });
  ok(r.status === 400 && r.json().error === 'row 3: value: must be a number from -1e+15 to 1e+15' && await points(mid) === '',
    'API CSV with 1.7e308: 400 naming the row, nothing stored', r.text);
  const page = await get(`/measures/${mid}`);
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)?.[1];
  r = await req('POST', `/measures/${mid}/points`, { cookie: lead.cookie, form: { csrf, data: '2025-01-01,1\n2025-01-02,-1.7e308\n' } });
  ok(r.status === 400 && r.text.includes('row 2: value: must be a number from -1e+15 to 1e+15') && await points(mid) === '',
    'the page form with -1.7e308: a 400 page naming the row, nothing stored', r.status);
  r = await api('POST', `/api/v1/measures/${mid}/points`, { points: [{ date: '2025-01-01', value: 1e15 }, { date: '2025-01-02', value: -1e15 }] });
  ok(r.status === 200 && await points(mid) === '2025-01-01=1000000000000000 2025-01-02=-1000000000000000',
    'the bounds themselves are stored', r.text.slice(0, 200));
  r = await api('POST', `/api/v1/measures/${broken}/points`, { points: [{ date: '2025-01-04', value: 2 }] });
  ok(r.status === 400 && /cannot be charted with these: the values are too large to chart/.test(r.json().error) &&
    (await points(broken)).split(' ').length === 3, 'a point added to a series the engine refuses: 400, nothing stored', r.text);

  // ---- pages: a stored series that cannot be charted says so ------------------------------------
  for (const path of ['/api/v1/summary', '/summary', `/projects/${project}`, `/measures/${broken}`, '/summary.csv',
    `/api/v1/measures/${broken}`, `/api/v1/projects/${project}/measures`]) {
    r = await get(path);
    ok(r.status === 200, `${path}: 200 with a series that cannot be charted`, `${r.status} ${r.text.slice(0, 200)}`);
  }
  r = await get(`/measures/${broken}`);
  ok(r.text.includes('this measure&#39;s points cannot be charted: the values are too large to chart') ||
    r.text.includes("this measure's points cannot be charted: the values are too large to chart"),
  'the measure page says why its chart cannot be drawn', r.text.match(/nhsuk-inset-text[\s\S]{0,300}/)?.[0]);
  r = await get('/summary');
  ok(r.text.includes('Cannot be charted'), 'the summary marks the measure "Cannot be charted"');
  r = await get(`/measures/${broken}/chart.svg`);
  ok(r.status === 400 && r.text.includes('cannot be charted'), 'its chart.svg is a 400 saying why, not a 500', r.status);

  // ---- finding 6: the CSV's errors are whole and said once --------------------------------------
  r = await api('POST', `/api/v1/measures/${mid}/points`, { csv: 'date,value\n"2025-01-03,3\n' });
  ok(r.status === 400 && r.json().error === 'row 2: unterminated quoted field', 'an unterminated quote is named, not {"error":""}', r.text);
  r = await api('POST', `/api/v1/measures/${mid}/points`, { points: [{ date: '2025-01-03', value: 1 }, { date: '2025-02-30', value: 2 }] });
  ok(r.status === 400 && /^points\[1\]: date: /.test(r.json().error) && !r.json().error.slice(1).includes('points[1]'),
    'a bad date is named once ("points[1]: date: ...")', r.text);
  r = await api('POST', `/api/v1/measures/${mid}/points`, { csv: '2025-13-45,5\n2025-01-06,3\n' });
  ok(r.status === 400 && r.json().error === 'row 1: date: "2025-13-45" is not a date' &&
    !(await points(mid)).includes('2025-01-06'), 'a bad first row is not skipped as a header', r.text);
  r = await api('POST', `/api/v1/measures/${mid}/points`, { csv: 'Week,Falls\n2025-01-06,3\n' });
  ok(r.status === 200 && (await points(mid)).includes('2025-01-06=3'), 'a header naming the columns is skipped', r.text.slice(0, 200));

  // ---- finding 5: a handover site name passes the one text rule (paste box; the CLI is below) --
  const form = await get('/handovers/import');
  const hcsrf = form.text.match(/name="csrf" value="([^"]+)"/)?.[1];
  const sites = async () => JSON.stringify((await get('/api/v1/handovers?by=month')).json());
  const before = await sites();
  const csv = 'site,arrival,handover\nGood,2023-07-01T10:00Z,2023-07-01T10:20Z\nBad%FF%FESite,2023-07-01T11:00Z,2023-07-01T11:20Z\n';
  const paste = await fetch(U + '/handovers/import', { method: 'POST', redirect: 'manual',
    headers: { Cookie: lead.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `csrf=${encodeURIComponent(hcsrf)}&csv=${csv.replace(/,/g, '%2C').replace(/\n/g, '%0A').replace(/:/g, '%3A')}` });
  const pasteText = await paste.text();
  ok(paste.status === 400 && pasteText.includes('3: column &quot;site&quot;: is not valid UTF-8 text (byte 4 of the name)') &&
    await sites() === before, 'a pasted site name that is not UTF-8: 400 naming line 3 and the column, nothing stored',
  `${paste.status} ${pasteText.match(/nhsuk-error-summary[\s\S]{0,600}/)?.[0] ?? pasteText.slice(0, 300)}`);
  const tabbed = await fetch(U + '/handovers/import', { method: 'POST', redirect: 'manual',
    headers: { Cookie: lead.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: hcsrf, csv: 'site,arrival,handover\nTab\u0001Site,2023-07-01T11:00Z,2023-07-01T11:20Z\n' }).toString() });
  ok(tabbed.status === 400 && (await tabbed.text()).includes('contains a control character') && await sites() === before,
    'a site name with a control character: 400, nothing stored', tabbed.status);
  // The CLI goes through the same store call.
  const file = `${env.dir}/bad-site.csv`;
  (await import('node:fs')).writeFileSync(file, Buffer.concat([Buffer.from('site,arrival,handover\nGood,2023-07-01T10:00Z,2023-07-01T10:20Z\nBad'),
    Buffer.from([0xff, 0xfe]), Buffer.from('Site,2023-07-01T11:00Z,2023-07-01T11:20Z\n')]));
  let cli;
  try {
    cli = { code: 0, err: execFileSync(bin, ['handovers', 'import', '--db', env.db, file], { stdio: 'pipe', encoding: 'utf8' }) };
  } catch (e) { cli = { code: e.status, err: String(e.stderr) }; }
  ok(cli.code !== 0 && cli.err.includes('bad-site.csv:3: column "site": is not valid UTF-8 text (byte 4 of the name)') && await sites() === before,
    'the CLI import refuses it too, naming the line and column', JSON.stringify(cli));
} finally {
  await srv.stop();
  env.cleanup();
  done();
}
