// Golden runner: every folder in tests/golden/cases is one case (input.csv, args, expected.csv,
// expected.summary.csv), and every caseNN.args in tests/golden/charts one qicharts2 case of the
// other chart types (see its README.md). Adding a case adds a test; no code changes. Text
// columns compare exactly, numbers within 1e-9 relative (the reference sums in another order).
// usage: node tests/golden/run.mjs path/to/purpose
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const bin = process.argv[2] || 'build/purpose';
const casesDir = new URL('./cases/', import.meta.url).pathname;
const NUMERIC = new Set(['y', 'mean', 'lpl', 'upl', 'near_lpl', 'near_upl', 'n']);
let n = 0, failed = 0;

function parseCsv(text) {
  return text.trim().split(/\r?\n/).map((line) => line.split(','));
}

function sameNumber(a, b) {
  if (a === '' || b === '') return a === b;
  const x = Number(a), y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
}

function compare(actual, expected) {
  const [ah, ...ar] = parseCsv(actual);
  const [eh, ...er] = parseCsv(expected);
  if (ah.join(',') !== eh.join(',')) return `header ${ah.join(',')} != ${eh.join(',')}`;
  if (ar.length !== er.length) return `${ar.length} rows, expected ${er.length}`;
  for (let r = 0; r < er.length; r++) {
    for (let c = 0; c < eh.length; c++) {
      const a = ar[r][c], e = er[r][c];
      const ok = NUMERIC.has(eh[c]) ? sameNumber(a, e) : a === e;
      if (!ok) return `row ${r + 1} column ${eh[c]}: got "${a}", expected "${e}"`;
    }
  }
  return null;
}

function check(name, fn) {
  n++;
  let problem;
  try { problem = fn(); } catch (e) { problem = e.message.split('\n')[0]; }
  if (problem) { failed++; console.log(`not ok ${n} - ${name}: ${problem}`); }
  else console.log(`ok ${n} - ${name}`);
}

for (const c of readdirSync(casesDir).filter((d) => existsSync(join(casesDir, d, 'args'))).sort()) {
  const dir = join(casesDir, c);
  const args = readFileSync(join(dir, 'args'), 'utf8').trim().split(/\s+/).filter(Boolean);
  const run = (format) => execFileSync(bin, ['spc', ...args, '--format', format, join(dir, 'input.csv')],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  check(`${c} csv`, () => compare(run('csv'), readFileSync(join(dir, 'expected.csv'), 'utf8')));
  check(`${c} summary`, () => compare(run('summary'), readFileSync(join(dir, 'expected.summary.csv'), 'utf8')));
}
// qicharts2 cases: caseNN.in.csv, caseNN.args, caseNN.expected.csv (per point: the charted value,
// centre, limits, 2-sigma lines, outside) and caseNN.runs.csv (the runs analysis per group).
const chartsDir = new URL('./charts/', import.meta.url).pathname;
const CHART_COLUMNS = { y: 'y', cl: 'mean', lcl: 'lpl', ucl: 'upl', lcl95: 'near_lpl', ucl95: 'near_upl' };

function records(text) {
  const [head, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

function compareChart(actual, expected) {
  const got = records(actual), want = records(expected);
  if (got.length !== want.length) return `${got.length} rows, expected ${want.length}`;
  for (let r = 0; r < want.length; r++) {
    const a = got[r], e = want[r];
    for (const key of ['x', 'group']) if (a[key] !== e[key]) return `row ${r + 1} ${key}: got "${a[key]}", expected "${e[key]}"`;
    if ((a.series ?? '') !== e.series) return `row ${r + 1} series: got "${a.series}", expected "${e.series}"`;
    for (const [ref, ours] of Object.entries(CHART_COLUMNS)) {
      if (!sameNumber(a[ours], e[ref])) return `row ${r + 1} ${ours}: got "${a[ours]}", expected "${e[ref]}" (${ref})`;
    }
    const outside = a.rule === 'above_upl' || a.rule === 'below_lpl';
    if (outside !== (e.outside === '1')) return `row ${r + 1}: rule ${a.rule}, but outside is ${e.outside}`;
  }
  return null;
}

const RUN_FIELDS = ['useful', 'longest_run', 'longest_run_max', 'crossings', 'crossings_min'];

function compareRuns(json, expected) {
  const doc = JSON.parse(json);
  const want = records(expected);
  let k = 0;
  for (const s of doc.series) {
    for (const g of s.groups) {
      const e = want[k++];
      if (!e) return `more groups than expected (${k})`;
      if ((s.name ?? '') !== e.series || String(g.group) !== e.group) return `group ${k}: got ${s.name}/${g.group}, expected ${e.series}/${e.group}`;
      for (const f of RUN_FIELDS) if (String(g.runs[f]) !== e[f]) return `group ${g.group} ${f}: got ${g.runs[f]}, expected ${e[f]}`;
      if (g.runs.signal !== (e.signal === '1')) return `group ${g.group} signal: got ${g.runs.signal}, expected ${e.signal}`;
    }
  }
  return k === want.length ? null : `${k} groups, expected ${want.length}`;
}

for (const f of (existsSync(chartsDir) ? readdirSync(chartsDir) : []).filter((f) => f.endsWith('.args')).sort()) {
  const c = f.slice(0, -'.args'.length);
  const args = readFileSync(join(chartsDir, f), 'utf8').trim().split(/\s+/).filter((a) => a && a !== '--format');
  const fmtAt = args.indexOf('csv');
  if (fmtAt >= 0) args.splice(fmtAt, 1); /* the args name --format csv: each check picks its own */
  const run = (format) => execFileSync(bin, ['spc', '--x', 'x', '--y', 'y', ...args, '--format', format,
    join(chartsDir, `${c}.in.csv`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  check(`charts/${c} (${args.join(' ')}) points`, () => compareChart(run('csv'), readFileSync(join(chartsDir, `${c}.expected.csv`), 'utf8')));
  check(`charts/${c} runs`, () => compareRuns(run('json'), readFileSync(join(chartsDir, `${c}.runs.csv`), 'utf8')));
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
