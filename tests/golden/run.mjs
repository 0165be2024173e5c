// Golden runner: every folder in tests/golden/cases is one case (input.csv, args, expected.csv,
// expected.summary.csv). Adding a folder adds a test; no code changes. Text columns compare
// exactly, numbers within 1e-9 relative (the reference sums in another order).
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
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
