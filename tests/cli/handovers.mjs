// CLI tests for `purpose handovers generate` and `purpose handovers report --input`.
// usage: node tests/cli/handovers.mjs path/to/purpose
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.argv[2] || 'build/purpose';
const tmp = mkdtempSync(join(tmpdir(), 'purpose-ho-'));
let n = 0, failed = 0;

function run(args, input) {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function file(name, text) {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}
function test(name, fn) {
  n++;
  try { fn(); console.log(`ok ${n} - ${name}`); }
  catch (e) { failed++; console.log(`not ok ${n} - ${name}\n# ${String(e.message).split('\n').join('\n# ')}`); }
}
function eq(a, b, what = '') {
  if (a !== b) throw new Error(`${what} got ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`);
}
function has(text, part) {
  if (!text.includes(part)) throw new Error(`${JSON.stringify(text.slice(0, 2000))} does not contain ${JSON.stringify(part)}`);
}
function ok(cond, what) {
  if (!cond) throw new Error(what);
}
// Splits CSV lines, honouring quotes (no line breaks inside fields in these outputs).
function parseCsv(text) {
  return text.trim().split('\n').map((line) => {
    const out = []; let f = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q) { if (c === '"' && line[i + 1] === '"') { f += '"'; i++; } else if (c === '"') q = false; else f += c; }
      else if (c === '"') q = true; else if (c === ',') { out.push(f); f = ''; } else f += c;
    }
    out.push(f);
    return out;
  });
}
const HEADER = 'site,period,arrivals,handovers,pct_within_15,pct_within_30,pct_within_60,over_45,over_60,mean_min,median_min,p95_min,hours_lost_15,hours_lost_60,pct_clear_within_15';

// Six rows worked by hand (see tests/unit/test_handover_report.c).
const day = file('day.csv', 'site,arrival,handover,clear\n' +
  'A,2023-01-10T08:00Z,2023-01-10T08:10Z,2023-01-10T08:20Z\n' +
  'A,2023-01-10T08:30Z,2023-01-10T08:45Z,2023-01-10T09:05Z\n' +
  'A,2023-01-10T09:00Z,2023-01-10T09:40Z,\n' +
  'A,2023-01-10T10:00Z,2023-01-10T10:50Z,2023-01-10T11:00Z\n' +
  'A,2023-01-10T11:00Z,2023-01-10T12:30Z,2023-01-10T12:45Z\n' +
  'A,2023-01-10T12:00Z,,\n');

// --- usage --------------------------------------------------------------------------------
test('help lists handovers; help handovers describes the subcommands', () => {
  has(run(['help']).out, 'handovers');
  const r = run(['help', 'handovers']);
  eq(r.code, 0); has(r.out, 'purpose handovers generate'); has(r.out, 'purpose handovers report [--input FILE'); has(r.out, 'purpose handovers import FILE|-');
  eq(run(['handovers', 'report', '--help']).out, r.out);
});
test('usage errors exit 2', () => {
  const cases = [
    [['handovers'], 'usage: purpose handovers'],
    [['handovers', 'frobnicate'], "no subcommand 'frobnicate'"],
    [['handovers', 'report', '--input', day, '--org', 'x'], '--input reads a file'],
    [['handovers', 'report', '--org', 'a', '--programme', 'b'], 'choose --org or --programme'],
    [['handovers', 'import'], 'import needs a FILE'],
    [['handovers', 'import', day, '--rejects', 'r.csv'], '--rejects goes with --skip-bad'],
    [['handovers', 'import', day, '--bogus'], "unknown option '--bogus'"],
    [['handovers', 'report', '--input', day, '--by', 'year'], '--by: "year" is not hour, day, week or month'],
    [['handovers', 'report', '--input', day, '--format', 'xml'], '--format: "xml"'],
    [['handovers', 'report', '--input', day, '--from', '2023-02-30'], '--from: "2023-02-30" is not a date'],
    [['handovers', 'report', '--input', day, '--from', '2023-02-02', '--to', '2023-02-01'], '--from is after --to'],
    [['handovers', 'report', '--input'], '--input needs a value'],
    [['handovers', 'generate', '--sites', '0'], '--sites: "0"'],
    [['handovers', 'generate', '--days', '1.5'], '--days: "1.5"'],
    [['handovers', 'generate', '--seed', '-1'], '--seed: "-1"'],
    [['handovers', 'generate', '--start', '1990-01-01'], 'within 1996 to 2099'],
    [['handovers', 'generate', '--colour', 'red'], "unknown option '--colour'"],
  ];
  for (const [args, msg] of cases) {
    const r = run(args);
    eq(r.code, 2, `${args.join(' ')}: exit`); has(r.err + r.out, msg);
  }
});
test('a missing input file exits 1 with its name', () => {
  const r = run(['handovers', 'report', '--input', join(tmp, 'nope.csv')]);
  eq(r.code, 1); has(r.err, 'nope.csv: cannot open');
});

// --- report --input ---------------------------------------------------------------------------
test('report: every metric by hand, per site then all', () => {
  const r = run(['handovers', 'report', '--input', day]);
  eq(r.code, 0, r.err);
  eq(r.out, `${HEADER}\nA,2023-01-10,6,5,40,40,80,2,1,41,40,82,2.25,0.5,75\nall,2023-01-10,6,5,40,40,80,2,1,41,40,82,2.25,0.5,75\n`);
});
test('report --by hour --site: only that site, empty cells when undefined', () => {
  const r = run(['handovers', 'report', '--input', day, '--by', 'hour', '--site', 'A']);
  eq(r.code, 0, r.err);
  const rows = parseCsv(r.out);
  eq(rows.length, 6);
  eq(rows[1].join(','), 'A,2023-01-10T08:00,2,2,100,100,100,0,0,12.5,12.5,14.75,0,0,50');
  eq(rows[5].join(','), 'A,2023-01-10T12:00,1,0,,,,0,0,,,,0,0,');
  ok(!r.out.includes('\nall,'), 'no all rows with --site');
});
test('report --format json: numbers, null when undefined', () => {
  const r = run(['handovers', 'report', '--input', day, '--by', 'hour', '--format', 'json']);
  eq(r.code, 0, r.err);
  const rows = JSON.parse(r.out);
  eq(rows.length, 10);
  eq(rows[0].site, 'A'); eq(rows[0].period, '2023-01-10T08:00'); eq(rows[0].p95_min, 14.75);
  eq(rows[4].handovers, 0); eq(rows[4].mean_min, null); eq(rows[4].hours_lost_15, 0);
  eq(rows[9].site, 'all');
  eq(JSON.parse(run(['handovers', 'report', '--input', day, '--format', 'json', '--site', 'Z']).out).length, 0);
});
test('report reads standard input and writes -o atomically', () => {
  const out = join(tmp, 'out.csv');
  const r = run(['handovers', 'report', '--input', '-', '--by', 'month', '-o', out], readFileSync(day, 'utf8'));
  eq(r.code, 0, r.err); eq(r.out, '');
  has(readFileSync(out, 'utf8'), 'A,2023-01,6,5,40,40,80,2,1,41,40,82,2.25,0.5,75\n');
});
test('report: sites sorted by bytes, CSV-quoted when needed, weeks by Monday, --from/--to', () => {
  const f = file('sites.csv', 'site,arrival,handover\n' +
    'b,2023-01-31T10:00Z,2023-01-31T10:20Z\n' +
    '"a,""x""",2023-01-31T10:00Z,2023-01-31T10:10Z\n' +
    'b,2023-02-06T10:00Z,2023-02-06T11:10Z\n');
  const r = run(['handovers', 'report', '--input', f, '--by', 'week']);
  eq(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  eq(lines[1], '"a,""x""",2023-01-30,1,1,100,100,100,0,0,10,10,10,0,0,');
  eq(lines[2].slice(0, 13), 'b,2023-01-30,');
  eq(lines[3].slice(0, 13), 'b,2023-02-06,');
  eq(lines[4].slice(0, 15), 'all,2023-01-30,');
  const only = run(['handovers', 'report', '--input', f, '--from', '2023-02-01', '--to', '2023-02-28']);
  eq(only.out, `${HEADER}\nb,2023-02-06,1,1,0,0,0,1,1,70,70,70,0.916666666667,0.166666666667,\nall,2023-02-06,1,1,0,0,0,1,1,70,70,70,0.916666666667,0.166666666667,\n`);
});
test('report: the repeated October hour is one bucket; the skipped March hour is a bad row', () => {
  const oct = file('oct.csv', 'site,arrival,handover\n' +
    'A,2023-10-29T01:30,2023-10-29T01:10+00:00\nA,2023-10-29T01:30+00:00,2023-10-29T01:45+00:00\n');
  const r = run(['handovers', 'report', '--input', oct, '--by', 'hour', '--site', 'A']);
  eq(r.out, `${HEADER}\nA,2023-10-29T01:00,2,2,50,50,100,0,0,27.5,27.5,38.75,0.416666666667,0,\n`);
  const mar = file('mar.csv', 'site,arrival,handover\nA,2023-03-26T01:30,\n');
  const m = run(['handovers', 'report', '--input', mar]);
  eq(m.code, 1); eq(m.out, '');
  has(m.err, `${mar}:2: column "arrival": "2023-03-26T01:30" does not exist in Europe/London`);
});
test('bad rows: every one listed with line and column, nothing reported, exit 1; --skip-bad reports the rest', () => {
  const f = file('bad.csv', 'site,arrival,handover,clear\n' +
    ',2023-01-10T08:00Z,,\n' +
    'A,,,\n' +
    'A,2023-01-10T08:00Z,2023-01-10T07:00Z,\n' +
    '\n' +
    'A,2023-01-10T08:00Z,2023-01-11T08:01Z,\n' +
    'A,2023-01-10T08:00Z,2023-01-10T08:10Z,2023-01-10T08:05Z\n' +
    'A,2023-01-10T08:00Z,soon,\n' +
    'A,2023-01-10T08:00Z,2023-01-10T08:10Z,\n');
  const r = run(['handovers', 'report', '--input', f]);
  eq(r.code, 1); eq(r.out, '');
  for (const part of [':2: column "site": the site is missing', ':3: column "arrival": the arrival time is missing',
    ':4: column "handover": "2023-01-10T07:00Z" is before the arrival', ':6: column "handover": "2023-01-11T08:01Z" is more than 24 hours',
    ':7: column "clear": "2023-01-10T08:05Z" is before the handover', ':8: column "handover": "soon" is not a time',
    '6 bad rows: nothing reported']) has(r.err, part);
  const s = run(['handovers', 'report', '--input', f, '--skip-bad']);
  eq(s.code, 0); has(s.err, 'skipped 6 bad rows');
  has(s.out, '\nA,2023-01-10,1,1,100,100,100,0,0,10,10,10,0,0,\n');
});

// --- generate -------------------------------------------------------------------------------
test('generate: deterministic per seed, header, -o', () => {
  const a = run(['handovers', 'generate', '--sites', '2', '--days', '5', '--seed', '9']);
  const b = run(['handovers', 'generate', '--sites', '2', '--days', '5', '--seed', '9']);
  const c = run(['handovers', 'generate', '--sites', '2', '--days', '5', '--seed', '10']);
  eq(a.code, 0, a.err); eq(a.out, b.out); ok(a.out !== c.out, 'another seed gives other data');
  eq(a.out.split('\n')[0], 'site,arrival,handover,clear,ref');
  const out = join(tmp, 'gen.csv');
  eq(run(['handovers', 'generate', '--sites', '2', '--days', '5', '--seed', '9', '-o', out]).code, 0);
  eq(readFileSync(out, 'utf8'), a.out);
});
test('generate --bad K: K bad rows of every kind, found by report with their lines', () => {
  const out = join(tmp, 'genbad.csv');
  eq(run(['handovers', 'generate', '--sites', '3', '--days', '10', '--bad', '14', '-o', out]).code, 0);
  const r = run(['handovers', 'report', '--input', out]);
  eq(r.code, 1);
  has(r.err, '14 bad rows');
  for (const part of ['the site is missing', 'the arrival time is missing', 'is not', 'does not exist in Europe/London',
    'is before the arrival', 'more than 24 hours', 'is before the handover']) has(r.err, part);
  const lines = readFileSync(out, 'utf8').split('\n');
  for (const m of r.err.matchAll(/:(\d+): column "(\w+)"/g)) ok(lines[Number(m[1]) - 1].includes('BAD'), `line ${m[1]} is a bad row`);
});
test('generate: a year of realistic data (weekday and hour profile, winter pressure, improvement step)', () => {
  const out = join(tmp, 'year.csv');
  eq(run(['handovers', 'generate', '--sites', '2', '--days', '365', '--start', '2023-01-01', '--improve', '2023-07-01', '-o', out]).code, 0);
  const days = parseCsv(run(['handovers', 'report', '--input', out, '--by', 'month']).out).slice(1);
  const all = days.filter((d) => d[0] === 'all');
  eq(all.length, 12);
  const med = (m) => Number(all[m][10]);
  ok(med(0) > med(6) * 1.3, `January (${med(0)}) slower than July (${med(6)})`);
  ok(med(4) > med(7), `before the step (May ${med(4)}) slower than after (August ${med(7)})`);
  for (const d of all) ok(Number(d[6]) > 50 && Number(d[6]) <= 100, `pct_within_60 ${d[6]}`);
  const sites = days.filter((d) => d[0] !== 'all');
  for (let m = 0; m < 12; m++) eq(Number(all[m][2]), Number(sites[m][2]) + Number(sites[m + 12][2]), 'all = sum of sites');
  const hours = parseCsv(run(['handovers', 'report', '--input', out, '--by', 'hour', '--site', 'Northgate General']).out).slice(1);
  const byHour = Array(24).fill(0);
  for (const h of hours) byHour[Number(h[1].slice(11, 13))] += Number(h[2]);
  ok(byHour[12] > 2 * byHour[4], `midday busier than 4 am (${byHour[12]} vs ${byHour[4]})`);
  ok(!hours.some((h) => h[1] === '2023-03-26T01:00'), 'no 01:00 on 26 March');
});

rmSync(tmp, { recursive: true, force: true });
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
