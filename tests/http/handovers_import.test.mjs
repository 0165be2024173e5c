// `purpose handovers import` and the stored report, against a real database on the suite's engine
// (PURPOSE_TEST_ENGINE): atomic refusal listing every bad row, --skip-bad with a reject file,
// idempotent re-import, both clock-change days of 2023, stored report == report --input, an
// organisation's and a programme's sites, and an import killed (SIGKILL) half-way that leaves the
// database exactly as it was. The demo holds handovers of its own (2025-04 to 2025-09, at sites of
// other names): the imports here are of other years, and every comparison is over their dates.
// Prints TAP.
// usage: node tests/http/handovers_import.test.mjs [build/release/purpose]
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ok, done, demoDb, engine, startServer } from '../lib/server.mjs';

const bin = resolve(process.argv[2] || 'build/release/purpose');
const { dir, db, creds, cleanup } = demoDb(bin);
const run = (args, input) => spawnSync(bin, args, { input, encoding: 'utf8', cwd: dir, maxBuffer: 1 << 28, timeout: 120000 });
const withDb = (args, input) => run([...args, '--db', db], input);
const file = (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const stored = (...args) => withDb(['handovers', 'report', ...args]);
const fromFile = (path, ...args) => run(['handovers', 'report', '--input', path, ...args]);
const summary = (r) => {
  const m = r.stdout.match(/stored (\d+) rows?, skipped (\d+) duplicates?; (\d+) sites? \((\d+) new\)/);
  return m ? { stored: +m[1], dups: +m[2], sites: +m[3], fresh: +m[4] } : null;
};
console.log(`# engine: ${engine}`);

// --- a generated year: stored == file -------------------------------------------------------
const year = join(dir, 'year.csv');
ok(run(['handovers', 'generate', '--sites', '2', '--days', '365', '--seed', '5', '-o', year]).status === 0, 'generate a year');
const yearRows = readFileSync(year, 'utf8').trim().split('\n').length - 1;
const empty = stored('--from', '2023-01-01', '--to', '2023-12-31');
ok(empty.status === 0 && empty.stdout.trim().split('\n').length === 1, 'the stored report of a year with nothing stored is its header', empty.stderr);
const demo = stored('--from', '2025-01-01', '--to', '2025-12-31', '--by', 'month');
ok(demo.status === 0 && demo.stdout.includes('Northgate Royal Infirmary,2025-06,') && !demo.stdout.includes('Northgate General,'),
  "the demo's handovers are of 2025, at sites of their own", demo.stdout.slice(0, 300));

const first = withDb(['handovers', 'import', year]);
let s = summary(first);
ok(first.status === 0 && s && s.stored === yearRows && s.dups === 0 && s.sites === 2 && s.fresh === 2,
  'import stores every row and makes the two sites', first.stdout + first.stderr);
ok(first.stdout.includes('2023-01-01 to 2023-12-31') && first.stdout.includes('0 rejected'), 'the summary gives the date range and rejects', first.stdout);
ok(first.stderr === '', 'no progress when stderr is not a terminal', first.stderr);
for (const by of ['hour', 'day', 'week', 'month']) {
  const a = stored('--by', by, '--from', '2023-01-01', '--to', '2023-12-31'), b = fromFile(year, '--by', by);
  ok(a.status === 0 && a.stdout === b.stdout && a.stdout.length > 1000, `stored report == report --input, by ${by}`, a.stderr);
}
const j1 = stored('--format', 'json', '--site', 'Northgate General', '--from', '2023-03-01', '--to', '2023-03-31');
const j2 = fromFile(year, '--format', 'json', '--site', 'Northgate General', '--from', '2023-03-01', '--to', '2023-03-31');
ok(j1.status === 0 && j1.stdout === j2.stdout && JSON.parse(j1.stdout).length === 31, 'stored == file with --site, --from, --to and JSON', j1.stderr);

// --- re-import: nothing counted twice --------------------------------------------------------
const before = stored('--by', 'hour').stdout;
const again = withDb(['handovers', 'import', year]);
s = summary(again);
ok(again.status === 0 && s && s.stored === 0 && s.dups === yearRows && s.fresh === 0, 're-importing the same file stores nothing', again.stdout);
ok(stored('--by', 'hour').stdout === before, 'the stored report is unchanged by the re-import');
const lines = readFileSync(year, 'utf8').trim().split('\n');
const overlap = file('overlap.csv', [lines[0], ...lines.slice(1, 101), lines[1], ...lines.slice(101, 201)].join('\n') + '\n');
const o = withDb(['handovers', 'import', overlap]);
s = summary(o);
ok(o.status === 0 && s && s.stored === 0 && s.dups === 201, 'rows seen before (and a repeat inside the file) are duplicates', o.stdout);

// --- clock changes --------------------------------------------------------------------------
const clocks = file('clocks.csv', 'site,arrival,handover,clear,ref\n' +
  'Clock,2023-03-26T00:30,2023-03-26T00:50,,a\n' +
  'Clock,2023-03-26T00:59:59,2023-03-26T02:10,,b\n' +   // 01:00 GMT becomes 02:00 BST: 01:xx local is skipped
  'Clock,2023-03-26T02:00,2023-03-26T02:20,2023-03-26T02:30,c\n' +
  'Clock,2023-03-26T01:30+00:00,2023-03-26T03:00+01:00,,d\n' +
  'Clock,2023-10-29T00:45,2023-10-29T01:05,,e\n' +
  'Clock,2023-10-29T01:30,2023-10-29T01:40,,f\n' +      // the first 01:30 (BST)
  'Clock,2023-10-29T01:30+00:00,2023-10-29T01:50+00:00,,g\n' + // the second 01:30 (GMT)
  'Clock,2023-10-29T01:30+01:00,,,h\n' +
  'Clock,2023-10-29T02:00,2023-10-29T02:15,,i\n');
const c = withDb(['handovers', 'import', clocks, '--org', 'northgate-th']);
ok(c.status === 0 && summary(c)?.stored === 9, 'the clock-change days import', c.stdout + c.stderr);
const ch = stored('--by', 'hour', '--site', 'Clock'), cf = fromFile(clocks, '--by', 'hour', '--site', 'Clock');
ok(ch.stdout === cf.stdout && ch.stdout.length > 200, 'clock-change days: stored hours == file hours', ch.stdout + '\n' + cf.stdout);
const hour = (period) => ch.stdout.split('\n').find((l) => l.startsWith(`Clock,${period},`))?.split(',');
ok(hour('2023-10-29T01:00')?.[2] === '3', 'the repeated October hour is one bucket (3 arrivals, BST and GMT)', ch.stdout);
ok(hour('2023-03-26T01:00') === undefined && hour('2023-03-26T00:00')?.[2] === '2' && hour('2023-03-26T02:00')?.[2] === '2',
  'the skipped March hour is empty; arrivals land either side of it', ch.stdout);
const cd = stored('--by', 'day', '--site', 'Clock').stdout.trim().split('\n').slice(1).map((l) => l.split(',').slice(1, 3).join(' '));
ok(cd.join('|') === '2023-03-26 4|2023-10-29 5', 'both clock-change days hold their rows', cd.join('|'));
const nonexist = file('nonexist.csv', 'site,arrival,handover\nClock,2023-03-26T01:30,2023-03-26T03:00\n');
const ne = withDb(['handovers', 'import', nonexist]);
ok(ne.status === 1 && ne.stderr.includes('nonexist.csv:2: column "arrival"') && ne.stderr.includes('does not exist'),
  'a local time in the skipped March hour is a bad row', ne.stderr);

// --- bad rows: refused whole, or skipped with a reject file ----------------------------------
const badFile = join(dir, 'bad.csv');
ok(run(['handovers', 'generate', '--sites', '2', '--days', '20', '--seed', '9', '--bad', '14', '--start', '2024-02-01', '-o', badFile]).status === 0,
  'generate a file with 14 bad rows of every kind');
const badText = readFileSync(badFile, 'utf8');
const goodRows = badText.trim().split('\n').length - 1 - 14;
const snapshot = stored('--by', 'hour').stdout;
const refused = withDb(['handovers', 'import', badFile]);
const listed = refused.stderr.split('\n').filter((l) => /^.*bad\.csv:\d+: /.test(l));
ok(refused.status === 1 && listed.length === 14 && refused.stderr.includes('14 bad rows: nothing stored'),
  'atomic: exit 1 and every bad row listed with its line, column and reason', refused.stderr);
ok(refused.stdout === '' && stored('--by', 'hour').stdout === snapshot, 'atomic: nothing stored');
for (const kind of ['the site is missing', 'the arrival time is missing', 'does not exist', 'is before the arrival', 'more than 24 hours', 'is before the handover'])
  ok(refused.stderr.includes(kind), `atomic: the listing names "${kind}"`, refused.stderr);
const skip = withDb(['handovers', 'import', badFile, '--skip-bad', '--rejects', join(dir, 'rej.csv')]);
s = summary(skip);
ok(skip.status === 0 && s && s.stored === goodRows && skip.stdout.includes('14 rejected'), '--skip-bad stores the good rows', skip.stdout + skip.stderr);
const rej = readFileSync(join(dir, 'rej.csv'), 'utf8').trim().split('\n');
ok(rej.length === 15 && rej[0].startsWith('line,column,kind,reason'), 'the reject file lists the 14 bad rows with their reasons', rej.join('\n'));
const goodOnly = file('good-only.csv', badText.split('\n').filter((l, i) => i === 0 || !rej.some((r) => r.startsWith(`${i + 1},`))).join('\n'));
const sFeb = stored('--from', '2024-01-01', '--to', '2024-12-31', '--by', 'hour'), fFeb = fromFile(goodOnly, '--by', 'hour');
ok(sFeb.stdout === fFeb.stdout, 'stored == file for the good rows of a --skip-bad import', sFeb.stdout.slice(0, 300) + '\n' + fFeb.stderr);
const skipDefault = withDb(['handovers', 'import', badFile, '--skip-bad']);
ok(skipDefault.status === 0 && existsSync(join(dir, 'rejects.csv')) && summary(skipDefault)?.stored === 0,
  '--skip-bad writes rejects.csv by default; a second run stores nothing new', skipDefault.stdout + skipDefault.stderr);
ok(withDb(['handovers', 'import', badFile, '--rejects', 'x.csv']).status === 2, '--rejects without --skip-bad is a usage error');
ok(withDb(['handovers', 'import']).status === 2, 'import without a file is a usage error');
const noOrg = withDb(['handovers', 'import', year, '--org', 'no-such-org']);
ok(noOrg.status === 1 && noOrg.stderr.includes('not found'), 'an unknown --org is refused', noOrg.stderr);

// --- organisations and programmes -------------------------------------------------------------
const amb = file('amb.csv', 'site,arrival,handover\nNorthgate General,2023-05-01T10:00Z,2023-05-01T10:20Z\n');
const ia = withDb(['handovers', 'import', '-', '--org', 'northgate-ambulance'], readFileSync(amb));
ok(ia.status === 0 && summary(ia)?.fresh === 1, 'import from stdin into another organisation makes its own site', ia.stdout + ia.stderr);
const ao = stored('--org', 'northgate-ambulance', '--from', '2023-01-01', '--to', '2024-12-31');
ok(ao.stdout.trim().split('\n').length === 3 && ao.stdout.includes('Northgate General,2023-05-01,1,1'), "an organisation's report has only its sites", ao.stdout);
const aoAll = stored('--org', 'northgate-ambulance', '--by', 'month').stdout;
ok(!aoAll.includes('Riverside Infirmary') && !aoAll.includes('Dales General Hospital') && !aoAll.includes('Clock,'), "nor any of the trust's sites in any period", aoAll.slice(0, 300));
const pr = stored('--programme', 'handovers', '--from', '2023-05-01', '--to', '2023-05-01');
ok(pr.status === 0 && pr.stdout.includes('northgate-ambulance/Northgate General,2023-05-01,1,') &&
  pr.stdout.includes('northgate-th/Northgate General,2023-05-01,') && pr.stdout.includes('\nall,2023-05-01,'),
  "a programme sees its partners' sites, named by organisation", pr.stdout);

// --- the dashboard and its API agree with the CLI report ----------------------------------------
{
  const srv = await startServer(bin, db, ['--quiet']);
  const get = async (path, cookie) => {
    const r = await fetch(srv.url + path, { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual' });
    return { status: r.status, text: await r.text(), headers: r.headers };
  };
  const signIn = async (role) => {
    const page = await get('/sign-in');
    const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = (page.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
    const { username, password } = creds[role];
    const r = await fetch(srv.url + '/sign-in', { method: 'POST', redirect: 'manual', headers: { Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, username, password, next: '/' }).toString() });
    return r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
  };
  try {
    const member = await signIn('member');
    const api = await get('/api/v1/handovers?by=week&from=2023-02-01&to=2023-06-30', member);
    const cli = stored('--by', 'week', '--from', '2023-02-01', '--to', '2023-06-30', '--format', 'json');
    ok(api.status === 200 && JSON.stringify(JSON.parse(api.text).rows) === JSON.stringify(JSON.parse(cli.stdout)),
      'GET /api/v1/handovers == purpose handovers report --format json', api.text.slice(0, 300));
    const lead = await signIn('lead');
    const papi = await get('/api/v1/programmes/handovers/handovers?by=month&site=northgate-ambulance/Northgate%20General', lead);
    const pcli = stored('--by', 'month', '--programme', 'handovers', '--site', 'northgate-ambulance/Northgate General', '--format', 'json');
    ok(papi.status === 200 && JSON.stringify(JSON.parse(papi.text).rows) === JSON.stringify(JSON.parse(pcli.stdout)) && JSON.parse(papi.text).rows.length === 1,
      "the programme's API == the CLI's --programme report", papi.text.slice(0, 300));
    const bad = await get('/api/v1/handovers?by=year', member);
    ok(bad.status === 400 && bad.text.includes('by:'), 'a bad ?by is a 400 naming the field', bad.text);
    const page = await get('/handovers?from=2023-01-01&to=2023-12-31', member);
    const total = JSON.parse(stored('--by', 'month', '--from', '2023-01-01', '--to', '2023-12-31', '--format', 'json', '--site', 'Northgate General').stdout)
      .reduce((a, r) => a + r.arrivals, 0);
    ok(page.status === 200 && page.text.includes('Handed over within 60 minutes') && page.text.includes('No crew held over 45 minutes') &&
      page.text.includes(`<td class="nhsuk-table__cell">${total.toLocaleString('en-GB')}</td>`), 'the dashboard shows the standards and the sites\' arrivals as the report counts them', page.text.slice(0, 500));
    ok(page.text.includes('The worst days') && page.text.includes('Mean handover time in minutes'), 'the dashboard lists the worst days and the hour x weekday table');
    // The period is chosen with the NHS date input (its three fields in the query), the same period.
    const nhs = await get('/handovers?from-day=1&from-month=1&from-year=2023&to-day=31&to-month=12&to-year=2023', member);
    const sitesOf = (t) => t.slice(t.indexOf('<h1>')).replace(/value="[^"]*"/g, '');
    ok(nhs.status === 200 && /name="from-day"[^>]*value="1"/.test(nhs.text) && /name="to-year"[^>]*value="2023"/.test(nhs.text) &&
      !/name="from" /.test(nhs.text) && sitesOf(nhs.text) === sitesOf(page.text), 'the period form is the NHS date input, and gives the same dashboard', nhs.text.slice(0, 300));
    ok(/<details class="nhsuk-details" open><summary[^>]*><span[^>]*>Choose a period</.test(nhs.text) &&
      /<details class="nhsuk-details"><summary[^>]*><span[^>]*>Choose a period</.test((await get('/handovers', member)).text),
      'the period form is folded away under "Choose a period" until a period is chosen');
    const feb30 = await get('/handovers?from-day=30&from-month=2&from-year=2023', member);
    ok(feb30.status === 400 && feb30.text.includes('From must be a real date'), 'a day that is not one is named, in the NHS words', String(feb30.status));
    ok((await get('/programmes/handovers/handovers', member)).status === 200, "anyone signed in sees a programme's dashboard");
    const prog = await get('/programmes/handovers/handovers', lead);
    ok(prog.status === 200 && prog.text.includes('northgate-ambulance/Northgate General'), "the programme's dashboard shows its partners' sites");
    ok((await get('/handovers')).status === 303, 'the dashboard needs a signed-in member');
    // --- a lead imports on the web: the same rules ---
    ok((await get('/handovers/import', member)).status === 403, 'only a lead may import on the web');
    const form = await get('/handovers/import', lead);
    const csrf = (form.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
    const post = async (fields) => {
      const r = await fetch(srv.url + '/handovers/import', { method: 'POST', redirect: 'manual',
        headers: { Cookie: lead, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, ...fields }).toString() });
      return { status: r.status, text: await r.text() };
    };
    const webBad = 'site,arrival,handover\nWeb,2023-07-01T10:00Z,2023-07-01T09:00Z\nWeb,2023-07-01T11:00Z,2023-07-01T11:20Z\n,2023-07-01T12:00Z,\nWeb,2023-03-26T01:30,\n';
    const before = stored('--by', 'hour').stdout;
    const refusedWeb = await post({ csv: webBad });
    ok(refusedWeb.status === 400 && refusedWeb.text.includes('Nothing was stored: 3 bad rows') && refusedWeb.text.includes('Line 2, column &quot;handover&quot;') &&
      refusedWeb.text.includes('Line 4, column &quot;site&quot;') && refusedWeb.text.includes('Line 5, column &quot;arrival&quot;') && stored('--by', 'hour').stdout === before,
      'a web import with bad rows is refused whole, every bad row listed', refusedWeb.text.slice(0, 1500));
    const skipped = await post({ csv: webBad, skip_bad: '1' });
    ok(skipped.status === 200 && skipped.text.includes('Stored 1 rows, skipped 0 seen before, left out 3 bad'), 'skip bad rows on the web stores the good one', skipped.text.slice(0, 1500));
    const again = await post({ csv: webBad, skip_bad: '1' });
    ok(again.status === 200 && again.text.includes('Stored 0 rows, skipped 1 seen before'), 'a web re-import counts nothing twice');
    ok(stored('--site', 'Web').stdout.includes('Web,2023-07-01,1,1,'), 'the web import shows in the stored report');
    ok((await post({ csv: '' })).status === 400, 'an empty web import is refused');
  } finally {
    await srv.stop();
  }
}

// --- SIGKILL half-way: exactly the state before -----------------------------------------------
const big = join(dir, 'big.csv');
ok(run(['handovers', 'generate', '--sites', '3', '--days', '400', '--seed', '11', '--start', '2027-01-01', '-o', big]).status === 0, 'generate a larger file');
const bigText = readFileSync(big);
const state = () => stored('--by', 'hour', '--programme', 'handovers').stdout;
const beforeKill = state();
const killed = await new Promise((resolve) => {
  const p = spawn(bin, ['handovers', 'import', '-', '--db', db], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => { err += d; });
  p.on('exit', (code, sig) => resolve({ code, sig, err }));
  p.stdin.on('error', () => {});
  // Half the file, then wait while the import works through it, then kill it mid-import.
  p.stdin.write(bigText.subarray(0, bigText.length >> 1), () => setTimeout(() => p.kill('SIGKILL'), 1500));
});
ok(killed.sig === 'SIGKILL', 'the import was killed half-way', JSON.stringify(killed));
ok(state() === beforeKill, 'after SIGKILL the stored aggregates are exactly as before');
const after = withDb(['handovers', 'import', big]);
s = summary(after);
const bigRows = bigText.toString().trim().split('\n').length - 1;
ok(after.status === 0 && s && s.stored === bigRows && s.dups === 0 && s.sites === 3 && s.fresh === 1,
  'after SIGKILL no row or site of the killed import was kept (a full import stores every row and makes the third site)', after.stdout + after.stderr);
const total = stored('--by', 'day', '--from', '2027-01-01'), totalFile = fromFile(big, '--by', 'day');
ok(total.stdout === totalFile.stdout, 'after SIGKILL and a full import, stored == file');

cleanup();
done();
