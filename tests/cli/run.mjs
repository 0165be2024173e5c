// CLI tests: run the real `purpose` binary and check its output, errors and exit codes.
// usage: node tests/cli/run.mjs path/to/purpose
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync, rmSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.argv[2] || 'build/purpose';
const tmp = mkdtempSync(join(tmpdir(), 'purpose-cli-'));
const handover = 'examples/handover_pct60.csv';
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
  if (!text.includes(part)) throw new Error(`${JSON.stringify(text)} does not contain ${JSON.stringify(part)}`);
}
function near(a, b) {
  if (!(Math.abs(Number(a) - b) <= 1e-9 * Math.max(1, Math.abs(b)))) throw new Error(`${a} is not ${b}`);
}
function rows(csv) {
  return csv.trim().split('\n').slice(1).map((l) => l.split(','));
}
function summary(args, path = handover) {
  const r = run(['spc', '--format', 'summary', ...args, path]);
  eq(r.code, 0, `exit (${r.err})`);
  return rows(r.out)[0];
}
function fails(args, input, code, message) {
  const r = run(args, input);
  eq(r.code, code, `exit (${r.err})`);
  has(r.err, message);
  return r;
}

// --- usage -------------------------------------------------------------------------------
test('help spc describes the command on stdout', () => {
  const r = run(['help', 'spc']);
  eq(r.code, 0); has(r.out, 'usage: purpose spc'); has(r.out, '--fix-after');
  eq(run(['spc', '--help']).out, r.out);
});
test('no FILE is a usage error (exit 2)', () => fails(['spc'], '', 2, 'no input FILE'));
test('unknown option is a usage error', () => fails(['spc', '--colour', 'red', handover], '', 2, "unknown option '--colour'"));
test('an unknown chart type is a usage error', () => fails(['spc', '--chart', 'q', handover], '', 2, '"q" is not a chart type'));
// --- a lean engine (issue 22): charts load no database, web server or cairo ------------------
// The libraries the dynamic loader initialises in a run (LD_DEBUG=libs), dlopen()ed ones included.
function loaded(args) {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, LD_DEBUG: 'libs' } });
  eq(r.status, 0, `exit (${r.stderr.slice(-400)})`);
  return [...r.stderr.matchAll(/calling init: (\S+)/g)].map((m) => m[1].split('/').pop());
}
const heavy = /^lib(sqlite3|pq|microhttpd|sodium|jansson|cairo|z|fontconfig|freetype|pixman)[.-]/;
test('spc, report json, handovers and help load no database, web or drawing library', () => {
  const ae = 'examples/ae_4h_performance.csv';
  for (const args of [['help'], ['spc', '--format', 'summary', handover], ['spc', '--format', 'svg', handover],
    ['report', '--measures', 'examples/report_measures.csv', '--x', 'month', '--format', 'json', ae],
    ['handovers', 'generate', '--days', '2']]) {
    const libs = loaded(args);
    eq(libs.filter((l) => heavy.test(l)).join(' '), '', `purpose ${args.join(' ')} loaded`);
    if (!libs.some((l) => l.startsWith('libc.so'))) throw new Error(`LD_DEBUG listed nothing: ${libs}`);
  }
});
test('png output opens cairo when it is asked for', () => {
  const libs = loaded(['spc', '--format', 'png', '-o', join(tmp, 'lean.png'), handover]);
  if (!libs.some((l) => l.startsWith('libcairo.so'))) throw new Error(`cairo not loaded: ${libs}`);
});
test('a store command without purpose-server beside purpose says so (exit 1)', () => {
  const dir = mkdtempSync(join(tmp, 'alone-'));
  const alone = join(dir, 'purpose');
  copyFileSync(bin, alone);
  const r = spawnSync(alone, ['init', '--db', join(dir, 'x.db')], { encoding: 'utf8' });
  eq(r.status, 1, `exit (${r.stderr})`);
  has(r.stderr, `'init' needs purpose-server`); has(r.stderr, join(dir, 'purpose-server'));
  eq(existsSync(join(dir, 'x.db')), false, 'database made');
  const s = spawnSync(alone, ['spc', '--format', 'summary', handover], { encoding: 'utf8' });
  eq(s.status, 0, s.stderr);
});
test('init, and help for a store command, run in purpose-server through purpose', () => {
  const db = join(tmp, 'lean.db');
  const r = run(['init', '--db', db, '--key-file', join(tmp, 'lean.key')]);
  eq(r.code, 0, r.err); has(r.out, 'database ready');
  const h = run(['help', 'serve']);
  eq(h.code, 0, h.err); has(h.out, 'usage: purpose serve');
  eq(run(['serve', '--help']).out, h.out);
});
test('csv of a long series (formatted on every core) matches the json writer row for row', () => {
  // Over 2 x 65,536 rows, so the rows are formatted in slices on each core; rebases just past
  // slice boundaries, so a slice starts inside a group and another group starts inside a slice.
  const n = 200003;
  const lines = ['x,y'];
  for (let i = 1; i <= n; i++) lines.push(`${i},${i % 997 === 0 ? '' : 50 + ((i * 7919) % 23) / 4 + (i > 131075 ? 3 : 0)}`);
  const big = file('long.csv', lines.join('\n') + '\n');
  const args = ['--rebase', '65540,131075', big];
  const csv = run(['spc', '--format', 'csv', ...args]);
  eq(csv.code, 0, csv.err);
  const json = run(['spc', '--format', 'json', ...args]);
  eq(json.code, 0, json.err);
  const num = '(-?[0-9.e+-]+|null)';
  const groups = [...json.out.matchAll(new RegExp(`"group": (\\d+), "n": \\d+, "trial": \\w+, "mean": ${num}, "lpl": ${num}, "upl": ${num}, "near_lpl": ${num}, "near_upl": ${num}`, 'g'))]
    .map((m) => m.slice(2, 7).map((v) => (v === 'null' ? '' : v)).join(','));
  eq(groups.length, 3, 'groups');
  const want = [...json.out.matchAll(new RegExp(`\\{"x": "([^"]*)", "y": ${num}, "group": (\\d+), "point_type": "(\\w+)", "rule": "(\\w+)"\\}`, 'g'))]
    .map((m) => `${m[1]},${m[2] === 'null' ? '' : m[2]},${m[3]},${groups[m[3] - 1]},${m[4]},${m[5]}`);
  eq(want.length, n, 'json points');
  const got = csv.out.trimEnd().split('\n').slice(1);
  eq(got.length, n, 'csv rows');
  for (let i = 0; i < n; i++) if (got[i] !== want[i]) throw new Error(`row ${i + 1}: ${got[i]} != ${want[i]}`);
});
// --- values the arithmetic cannot chart, and x types that fall back to labels (issue 12) ------
test('values near the largest double: an input error naming the series, no inf or nan written', () => {
  const big = file('big.csv', 'series,x,y\nok,1,1\nok,2,2\nhuge,1,1.7e308\nhuge,2,1.7e308\nhuge,3,1.7e308\n');
  for (const format of ['csv', 'json', 'summary', 'svg']) {
    const out = join(tmp, 'big-out.' + format); // for svg, a directory (one file per series)
    const r = run(['spc', '--series', 'series', '--format', format, '-o', out, big]);
    eq(r.code, 1, `${format} exit`);
    has(r.err, 'series "huge": the values are too large to chart');
    if (format !== 'svg') eq(existsSync(out), false, `${format}: nothing written`);
    if (/\b(inf|nan)\b/i.test(r.out)) throw new Error(`${format} wrote ${r.out}`);
  }
  const spread = file('spread.csv', 'x,y\n1,1.7e308\n2,-1.7e308\n3,1.7e308\n');
  fails(['spc', spread], '', 1, 'the moving range between points 1 and 2 overflows');
  const wide = file('wide.csv', 'x,y\n1,8e307\n2,1e306\n3,8e307\n');
  fails(['spc', wide], '', 1, "group 1's limits overflow");
});
test('one impossible date among dates: a warning naming its line, on stderr and in JSON', () => {
  const d = file('baddate.csv', 'x,y\n2023-01-01,1\n2023-01-02,2\n2023-02-30,3\n2023-01-04,4\n');
  const r = run(['spc', '--format', 'json', d]);
  eq(r.code, 0, r.err);
  has(r.err, 'line 4: column "x": "2023-02-30" is not a date, so x is charted as labels, in file order');
  const j = JSON.parse(r.out);
  has(j.series[0].warnings.join('\n'), 'line 4: column "x": "2023-02-30" is not a date');
  eq(j.series[0].points.map((p) => p.x).join(' '), '2023-01-01 2023-01-02 2023-02-30 2023-01-04', 'file order');
  const uk = file('badukdate.csv', 'x,y\n31/01/2023,1\n32/01/2023,2\n02/02/2023,3\n');
  has(run(['spc', uk]).err, 'line 3: column "x": "32/01/2023" is not a date');
  const labels = file('labels.csv', 'x,y\nward A,1\nward B,2\n2023-01-01,3\n');
  eq(run(['spc', labels]).err.includes('is not a'), false, 'no warning when most x are labels');
});

// --- png and pdf ---------------------------------------------------------------------------
function runBytes(args) {
  const r = spawnSync(bin, args, { maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr.toString() };
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
test('-o onto a pipe writes into it and leaves it a pipe (renaming over it once replaced /dev/null)', () => {
  const fifo = join(tmp, 'out.fifo'), got = join(tmp, 'fifo.got');
  eq(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  const r = spawnSync('sh', ['-c', 'timeout 10 cat "$1" > "$2" & "$3" spc --format summary -o "$1" "$4"; c=$?; wait; exit $c',
    'sh', fifo, got, bin, handover], { encoding: 'utf8', timeout: 20000 });
  eq(r.status, 0, `exit (${r.stderr})`);
  eq(statSync(fifo).isFIFO(), true, 'still a pipe');
  eq(readFileSync(got, 'utf8'), run(['spc', '--format', 'summary', handover]).out, 'what the reader got');
  eq(readdirSync(tmp).some((f) => f.startsWith('out.fifo.tmp')), false, 'no temporary file left');
});
test('--format png writes a PNG, to stdout or -o', () => {
  const r = runBytes(['spc', '--format', 'png', '--target', '95', handover]);
  eq(r.code, 0, `exit (${r.err})`);
  eq(r.out.subarray(0, 8).equals(PNG_SIGNATURE), true, 'signature');
  eq(r.out.readUInt32BE(16), 1920, 'width'); eq(r.out.readUInt32BE(20), 1080, 'height');
  const out = join(tmp, 'chart.png');
  eq(runBytes(['spc', '--format', 'png', '-o', out, handover]).code, 0);
  eq(readFileSync(out).subarray(0, 8).equals(PNG_SIGNATURE), true, 'file signature');
});
test('--format pdf writes one PDF page with the title', () => {
  const out = join(tmp, 'chart.pdf');
  const r = runBytes(['spc', '--format', 'pdf', '--title', 'Handovers <60 min>', '-o', out, handover]);
  eq(r.code, 0, `exit (${r.err})`);
  const pdf = readFileSync(out);
  eq(pdf.subarray(0, 5).toString(), '%PDF-');
  has(pdf.toString('latin1'), '%%EOF');
  eq((pdf.toString('latin1').match(/\/Type \/Page\b/g) || []).length, 1, 'pages');
});
test('--title titles the chart; the default is the y column, or the series name', () => {
  has(run(['spc', '--format', 'svg', '--title', 'Handovers & more', handover]).out,
    '<title id="purpose-chart-title">Handovers &amp; more</title>');
  has(run(['spc', '--format', 'svg', handover]).out, '<title id="purpose-chart-title">y</title>');
});
test('png and pdf with --series: one file per series in the -o directory', () => {
  const csv = 's,x,y\n' + ['a', 'b'].map((s) => [1, 2, 3, 4, 5].map((x) => `${s},${x},${x * 2}`).join('\n')).join('\n') + '\n';
  const input = file('two.csv', csv);
  for (const fmt of ['png', 'pdf']) {
    const dir = join(tmp, `charts-${fmt}`);
    const r = runBytes(['spc', '--series', 's', '--format', fmt, '-o', dir, input]);
    eq(r.code, 0, `exit (${r.err})`);
    eq(readdirSync(dir).sort().join(' '), `a.${fmt} b.${fmt}`);
  }
  fails(['spc', '--series', 's', '--format', 'png', input], '', 2, '-o DIRECTORY');
});
test('png and pdf: bad input writes nothing', () => {
  const bad = file('bad.csv', 'x,y\n1,5\n2,n/a\n');
  for (const fmt of ['png', 'pdf']) {
    const out = join(tmp, `bad.${fmt}`);
    const r = runBytes(['spc', '--format', fmt, '-o', out, bad]);
    eq(r.code, 1); has(r.err, 'bad.csv:3: column "y"');
    eq(existsSync(out), false, `${out} exists`);
    eq(readdirSync(tmp).filter((f) => f.startsWith(`bad.${fmt}`)).length, 0, 'temporary files left');
  }
});
test('--fix-after below 12, negative, huge or fractional is refused', () => {
  for (const v of ['11', '-5', '1e300', '12.5']) fails(['spc', '--fix-after', v, handover], '', 2, 'at least 12');
});
test('--target must be a number', () => fails(['spc', '--target', 'high', handover], '', 2, '--target'));
test('options may follow FILE and use --opt=value', () => {
  eq(run(['spc', handover, '--format=summary', '--target', '99']).out, run(['spc', '--format', 'summary', '--target=99', handover]).out);
});

// --- reference figures (spec/spc.md) -------------------------------------------------------
test('handover: mean, limits, improvement_high, inconsistent at target 95', () => {
  const [, count, mean, lpl, upl, variation, assurance] = summary(['--target', '95']);
  eq(count, '24'); near(mean, 91.083333333333329); near(lpl, 83.912898550724634); near(upl, 98.253768115942023);
  eq(variation, 'improvement_high'); eq(assurance, 'inconsistent');
});
test('handover: target 99 is consistent_fail', () => eq(summary(['--target', '99'])[6], 'consistent_fail'));
test('handover: rules per point', () => {
  const r = rows(run(['spc', handover]).out);
  const rule = (x) => r[x - 1][9];
  for (let x = 1; x <= 7; x++) eq(rule(x), 'none', `x=${x}`);
  for (let x = 8; x <= 14; x++) { eq(rule(x), 'shift_below'); eq(r[x - 1][8], 'special_cause_concern'); }
  for (let x = 15; x <= 22; x++) { eq(rule(x), 'shift_above'); eq(r[x - 1][8], 'special_cause_improvement'); }
  eq(rule(23), 'two_in_three_high'); eq(rule(24), 'two_in_three_high');
});
test('handover: --rebase 15 gives two groups, all common cause', () => {
  const r = rows(run(['spc', '--rebase', '15', handover]).out);
  near(r[0][3], 88.642857142857139); near(r[0][4], 80.458241758241755); near(r[0][5], 96.827472527472523);
  near(r[23][3], 94.5); near(r[23][4], 89.475555555555559); near(r[23][5], 99.524444444444441);
  eq(r[13][2], '1'); eq(r[14][2], '2');
  for (const row of r) eq(row[8], 'common_cause');
  eq(summary(['--rebase', '15', '--target', '85'])[6], 'consistent_pass');
});
test('handover: --fix-after 12', () => {
  const r = rows(run(['spc', '--fix-after', '12', handover]).out);
  near(r[0][3], 88.833333333333329); near(r[0][4], 80.36969696969696); near(r[23][5], 97.296969696969697);
  const want = { 15: 'shift_above', 16: 'shift_above', 17: 'shift_above', 18: 'two_in_three_high', 19: 'shift_above',
    20: 'two_in_three_high', 21: 'shift_above', 22: 'two_in_three_high', 23: 'two_in_three_high', 24: 'two_in_three_high' };
  r.forEach((row, i) => eq(row[9], want[i + 1] || 'none', `x=${i + 1}`));
});
test('rnorm20 and its outlier variant, screened and unscreened', () => {
  const [, , mean, lpl, upl] = summary([], 'examples/rnorm20_seed123.csv');
  near(mean, 0.14162380247459844); near(lpl, -3.0113795957080978); near(upl, 3.2946272006572945);
  const lines = readFileSync('examples/rnorm20_seed123.csv', 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const xi = header.indexOf('x'), yi = header.indexOf('y');
  const changed = lines.map((l, i) => { const f = l.split(','); if (i > 0 && f[xi] === '15') f[yi] = '10'; return f.join(','); });
  const p = file('rnorm_outlier.csv', changed.join('\n') + '\n');
  const s = summary([], p);
  near(s[2], 0.66941585921230218); near(s[3], -2.383665597274129); near(s[4], 3.7224973156987331);
  const u = summary(['--no-screen-outliers'], p);
  near(u[3], -4.596625182469757); near(u[4], 5.9354569008943612);
});
test('1,2,1,2,10,...: point 5 above_upl when screened', () => {
  const ys = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];
  const p = file('spike.csv', 'x,y\n' + ys.map((y, i) => `${i + 1},${y}`).join('\n') + '\n');
  const r = rows(run(['spc', p]).out);
  near(r[0][3], 1.9444444444444444); near(r[0][4], -0.71555555555555572); near(r[0][5], 4.6044444444444448);
  eq(r[4][9], 'above_upl');
  const u = summary(['--no-screen-outliers'], p);
  near(u[3], -3.0626143790849669); near(u[4], 6.9515032679738562);
});
test('1..10 near lines; 3,1,4,1,5,9,2 limits', () => {
  const p = file('ten.csv', 'x,y\n' + [...Array(10).keys()].map((i) => `${i + 1},${i + 1}`).join('\n'));
  const r = rows(run(['spc', p]).out)[0];
  near(r[3], 5.5); near(r[4], 2.84); near(r[5], 8.16); near(r[6], 3.7266666666666666); near(r[7], 7.2733333333333334);
  const q = file('pi.csv', 'x,y\n1,3\n2,1\n3,4\n4,1\n5,5\n6,9\n7,2\n');
  const s = summary([], q);
  near(s[2], 3.5714285714285716); near(s[3], -6.625238095238096); near(s[4], 13.768095238095238);
});

// --- bad input: FILE:LINE: message, exit 1, nothing written -----------------------------
test('a non-number names file, line and column', () => {
  const p = file('data.csv', 'x,y\n' + [...Array(12).keys()].map((i) => `${i + 1},${i}`).join('\n') + '\n13,n/a\n');
  fails(['spc', p], '', 1, `${p}:14: column "y": "n/a" is not a number`);
});
test('inf and nan are input errors', () => {
  fails(['spc', file('inf.csv', 'x,y\n1,2\n2,inf\n')], '', 1, ':3: column "y": "inf" is not a finite number');
  fails(['spc', file('nan.csv', 'x,y\n1,NaN\n2,3\n')], '', 1, ':2: column "y": "NaN" is not a finite number');
  fails(['spc', file('big.csv', 'x,y\n1,1e999\n')], '', 1, 'is not a finite number');
});
test('a field over 1 MiB with "" escapes is read whole, not as empty', () => {
  const q = '""'.repeat(600000);
  fails(['spc', file('hugey.csv', `x,y\n1,1\n2,"${q}"\n3,3\n`)], '', 1, 'hugey.csv:3: column "y": """');
  const name = 'n"'.repeat(600000);
  const r = run(['spc', '--series', 's', '--format', 'summary', file('hugen.csv', `s,x,y\n"${name.replace(/"/g, '""')}",1,1\n`)]);
  eq(r.code, 0, r.err.slice(0, 200)); eq(r.out.split('\n')[1].length > 1200000, true, 'series name kept');
});
test('ragged row', () => fails(['spc', file('ragged.csv', 'x,y\n1,2\n2\n3,4\n')], '', 1, 'ragged.csv:3: expected 2 fields'));
test('missing column lists what the header has', () =>
  fails(['spc', file('nocol.csv', 'x,value\n1,2\n')], '', 1, 'nocol.csv:1: no column "y" in the header (it has: x, value)'));
test('a column named twice in the header is an error, not a guess', () => {
  fails(['spc', file('dupcol.csv', 'x,y,x\n1,2,3\n2,3,4\n')], '', 1, 'dupcol.csv:1: column "x" appears twice in the header (fields 1 and 3)');
  eq(run(['spc', '--x', 'a', file('dupcol2.csv', 'a,y,b,b\n1,2,3,4\n2,3,4,5\n')]).code, 0, 'an unused duplicate is fine');
});
test('unterminated quote names the line it opened on', () =>
  fails(['spc', file('quote.csv', 'x,y\n1,2\n"2,3\n3,4\n')], '', 1, 'quote.csv:3: unterminated quoted field'));
test('empty file and header-only file', () => {
  fails(['spc', file('empty.csv', '')], '', 1, 'empty file');
  fails(['spc', file('header.csv', 'x,y\n')], '', 1, 'no data rows');
});
test('empty x and empty series name', () => {
  fails(['spc', file('emptyx.csv', 'x,y\n1,2\n,3\n')], '', 1, 'emptyx.csv:3: column "x": empty x value');
  fails(['spc', '--series', 's', file('emptys.csv', 's,x,y\na,1,2\n,2,3\n')], '', 1, 'emptys.csv:3: column "s": empty series name');
  // Interleaved series take another reader: the same rule holds there.
  fails(['spc', '--series', 's', file('emptysi.csv', 's,x,y\na,1,2\n,1,3\na,2,4\n')], '', 1,
    'emptysi.csv:3: column "s": empty series name');
});
test('duplicate x names both lines, compared as typed values', () => {
  fails(['spc', file('dup.csv', 'x,y\n1,2\n2,3\n1.0,4\n')], '', 1, 'dup.csv:4: x "1.0" is already on line 2');
  fails(['spc', file('dupd.csv', 'x,y\n2023-01-02,2\n2/1/2023,3\n')], '', 1, 'dupd.csv:3: x "2/1/2023" is already on line 2');
  fails(['spc', file('dupl.csv', 'x,y\nMon,2\nTue,3\nMon,4\n')], '', 1, 'dupl.csv:4: x "Mon" is already on line 2');
  // Labels compare trimmed, as every x does (docs/spc.md), and --rebase matches them trimmed too.
  fails(['spc', file('dupls.csv', 'x,y\nMon,2\nTue,3\n Mon ,4\n')], '', 1, 'dupls.csv:4: x " Mon " is already on line 2');
  const r = run(['spc', '--rebase', 'Tue ', file('rebl.csv', 'x,y\nMon,2\n Tue,3\nWed,4\n')]);
  eq(rows(r.out).map((q) => q[2]).join(' '), '1 2 2');
});
test('-o: a failure leaves no file and keeps an existing one', () => {
  const out = join(tmp, 'out.csv');
  fails(['spc', '-o', out, file('bad.csv', 'x,y\n1,2\n2,oops\n')], '', 1, 'is not a number');
  eq(existsSync(out), false, 'output exists');
  writeFileSync(out, 'keep me');
  fails(['spc', '-o', out, join(tmp, 'bad.csv')], '', 1, 'is not a number');
  eq(readFileSync(out, 'utf8'), 'keep me');
  eq(readdirSync(tmp).filter((f) => f.startsWith('out.csv.tmp')).length, 0, 'temporary files left');
  eq(run(['spc', '-o', out, handover]).code, 0);
  eq(readFileSync(out, 'utf8'), run(['spc', handover]).out);
});

// --- input forms -----------------------------------------------------------------------------
test('stdin as - (a pipe), BOM and CRLF', () => {
  const text = readFileSync(handover, 'utf8');
  const want = run(['spc', handover]).out;
  eq(run(['spc', '-'], text).out, want);
  eq(run(['spc', '-'], '\ufeff' + text.replace(/\n/g, '\r\n')).out, want);
});
test('lone CR line ends (old Mac exports): series found whole, lines counted', () => {
  const lf = 's,x,y\nA,1,1\nB,1,2\nA,2,3\nB,2,4\n';
  eq(run(['spc', '--series', 's', file('cr.csv', lf.replace(/\n/g, '\r'))]).out, run(['spc', '--series', 's', file('lf.csv', lf)]).out);
  fails(['spc', file('crdup.csv', 'x,y\r\r1,1\r2,2\r1,3\r')], '', 1, 'crdup.csv:5: x "1" is already on line 3');
  fails(['spc', file('crbad.csv', 'x,y\r\r1,1\r\r2,x\r')], '', 1, 'crbad.csv:5: column "y"');
});
test('quoted labels keep input order and are re-quoted on output', () => {
  const p = file('labels.csv', 'x,y\n"Ward 1, north",5\n"Ward ""B""",6\nWard C,7\n');
  const r = run(['spc', p]);
  eq(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  has(lines[1], '"Ward 1, north",5,1,'); has(lines[2], '"Ward ""B""",6,1,'); has(lines[3], 'Ward C,7,1,');
});
test('dates are charted in order of value and printed as given', () => {
  const p = file('dates.csv', 'x,y\n15/1/2023,3\n2023-01-01,1\n8/1/2023,2\n2023-01-22T00:00:00Z,4\n');
  eq(run(['spc', p]).out.trim().split('\n').slice(1).map((l) => l.split(',')[0]).join(' '),
    '2023-01-01 8/1/2023 15/1/2023 2023-01-22T00:00:00Z');
});
test('numbers are charted in order of value', () => {
  const p = file('nums.csv', 'x,y\n10,1\n9.5,2\n1e1,3\n'.replace('1e1,3', '1e2,3'));
  eq(rows(run(['spc', p]).out).map((r) => r[0]).join(' '), '9.5 10 1e2');
});
test('a missing y keeps its row, empty, common cause, with limits', () => {
  const p = file('gap.csv', 'x,y\n1,1\n2,2\n3,NA\n4,\n5,3\n');
  const r = rows(run(['spc', p]).out);
  eq(r.length, 5); eq(r[2][1], ''); eq(r[3][1], ''); eq(r[2][8], 'common_cause'); eq(r[2][9], 'none');
  near(r[2][3], 2); eq(r[2][4] !== '', true);
});
test('interleaved series give the same result as contiguous ones, in first-appearance order', () => {
  const lines = readFileSync('tests/golden/cases/g13_series_dates_target/input.csv', 'utf8').trim().split('\n');
  const [header, ...body] = lines;
  const shuffled = body.map((l, i) => [i % 7, l]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  const a = run(['spc', '--series', 'f', '--target', '90', file('contig.csv', [header, ...body].join('\n'))]).out;
  const b = run(['spc', '--series', 'f', '--target', '90', file('inter.csv', [header, ...shuffled].join('\n'))]).out;
  const order = (t) => [...new Set(rows(t).map((r) => r[0]))].join(' ');
  eq(order(b), [...new Set(shuffled.map((l) => l.split(',')[2]))].join(' '));
  eq(rows(b).sort().join('\n'), rows(a).sort().join('\n'));
  // Quoted names take the general CSV reader in the contiguity pass.
  const quoted = [header, ...shuffled.map((l) => l.replace(/,([a-z]+)$/, ',"$1"'))].join('\n');
  eq(run(['spc', '--series', 'f', '--target', '90', file('interq.csv', quoted)]).out, b);
});
test('20,000 short interleaved series match the same series in contiguous rows', () => {
  const n = 20000, inter = ['s,x,y'], contig = ['s,x,y'];
  for (let x = 1; x <= 3; x++) for (let k = 0; k < n; k++) inter.push(`s${k},${x},${(k * x) % 5}`);
  for (let k = 0; k < n; k++) for (let x = 1; x <= 3; x++) contig.push(`s${k},${x},${(k * x) % 5}`);
  const a = run(['spc', '--series', 's', '--format', 'summary', file('many_i.csv', inter.join('\n') + '\n')]);
  const b = run(['spc', '--series', 's', '--format', 'summary', file('many_c.csv', contig.join('\n') + '\n')]);
  eq(a.code, 0, a.err); eq(rows(a.out).length, n); eq(rows(a.out)[n - 1][0], `s${n - 1}`);
  eq(a.out, b.out);
});
test('json: icons, groups, trial warning, null target', () => {
  const r = run(['spc', '--format', 'json', '--rebase', '15', handover]);
  eq(r.code, 0);
  const j = JSON.parse(r.out);
  eq(j.improvement, 'increase'); eq(j.target, null); eq(j.series.length, 1); eq(j.series[0].name, null);
  eq(j.series[0].groups.length, 2); eq(j.series[0].groups[1].n, 10);
  eq(j.series[0].warnings[0], 'group 2 has 10 points: trial limits');
  eq(j.series[0].points[14].group, 2); eq(j.series[0].points[0].x, '1'); eq(j.series[0].points[0].y, 88);
  has(r.err, 'warning: group 2 has 10 points: trial limits');
});
test('json stays valid UTF-8 when labels are not (a Latin-1 file)', () => {
  const p = join(tmp, 'latin1.csv');
  writeFileSync(p, Buffer.from('x,y\ncaf\xe9,1\nna\xefve,2\n', 'latin1'));
  const r = spawnSync(bin, ['spc', '--format', 'json', p]);
  eq(r.status, 0, String(r.stderr));
  const j = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(r.stdout));
  eq(j.series[0].points.map((q) => q.x).join(' '), 'caf\ufffd na\ufffdve');
});
test('a rebase at an x the series does not have warns and starts no group', () => {
  const r = run(['spc', '--rebase', '99', '--format', 'summary', handover]);
  eq(r.code, 0); has(r.err, 'rebase at "99"'); eq(rows(r.out)[0][1], '24');
});
test('svg with --series needs -o DIRECTORY', () =>
  fails(['spc', '--series', 'f', '--format', 'svg', 'tests/golden/cases/g13_series_dates_target/input.csv'], '', 2, '-o DIRECTORY'));

test('svg with --series: one file per series, none overwritten, long names cut', () => {
  const long = 'w'.repeat(300);
  const names = ['a/b', 'a_b', 'a_b-2', 'q"x', long];
  const csv = 's,x,y\n' + names.map((s) => [1, 2, 3].map((x) => `"${s.replace(/"/g, '""')}",${x},${x}`).join('\n')).join('\n');
  const dir = join(tmp, 'svgs');
  const r = run(['spc', '--series', 's', '--format', 'svg', '-o', dir, file('svgnames.csv', csv + '\n')]);
  eq(r.code, 0, r.err);
  const files = readdirSync(dir).sort();
  eq(files.join(' '), ['a_b-2-2.svg', 'a_b-2.svg', 'a_b.svg', 'q_x.svg', 'w'.repeat(200) + '.svg'].join(' '));
  has(readFileSync(join(dir, 'a_b-2-2.svg'), 'utf8'), '>a_b-2<');
  has(readFileSync(join(dir, 'a_b-2.svg'), 'utf8'), '>a_b<');
});

test('--series: a series after one that had to be sorted is read whole', () => {
  // Sorting replaced the first series' arrays with smaller ones; the next series must not write
  // past them (ASan catches it; the figures show the points were kept).
  const a = Array.from({ length: 20 }, (_, i) => `a,${20 - i},${i % 3}`);
  const b = Array.from({ length: 40 }, (_, i) => `b,${i + 1},${(i * 7) % 11}`);
  const both = run(['spc', '--series', 's', '--format', 'summary', file('sorted.csv', ['s,x,y', ...a, ...b].join('\n') + '\n')]);
  const alone = run(['spc', '--series', 's', '--format', 'summary', file('b.csv', ['s,x,y', ...b].join('\n') + '\n')]);
  eq(both.code, 0, both.err);
  eq(both.out.split('\n')[2], alone.out.split('\n')[1]);
});

test('a large one-series file (read on every core) matches the series-by-series reader', () => {
  const lines = ['x,y,s,n'];
  let seed = 7;
  for (let i = 1; i <= 2200000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const y = i % 1001 === 0 ? 'NA' : (80 + (seed % 2000) / 100).toFixed(2);
    lines.push(`${i % 5 === 0 ? i + 2200000 : i},${y},ward,${100 + (seed % 37)}`);
    if (i % 500000 === 0) lines.push('');
  }
  const big = file('big.csv', lines.join('\n') + '\n');
  // Limits, icons and n depend on every value and on the order the x values sort into.
  for (const chart of [[], ['--chart', 'u', '--denominator', 'n']]) {
    const whole = run(['spc', '--format', 'summary', '--rebase', '1001', ...chart, big]);
    const bySeries = run(['spc', '--format', 'summary', '--rebase', '1001', '--series', 's', ...chart, big]);
    eq(whole.code, 0, whole.err);
    eq(whole.out.replace('\n,', '\nward,'), bySeries.out);
  }
  writeFileSync(big, lines.map((l, i) => (i === 1900000 ? '1899999,oops,ward,100' : l)).join('\n') + '\n');
  fails(['spc', '--format', 'summary', big], '', 1, `${big}:1900001: column "y": "oops" is not a number`);
  writeFileSync(big, lines.map((l, i) => (i === 1900000 ? '1899999,5,ward,0' : l)).join('\n') + '\n');
  fails(['spc', '--format', 'summary', '--chart', 'u', '--denominator', 'n', big], '', 1, `${big}:1900001: column "n": denominator 0 is not above 0`);
});

test('contiguous --series read on every core matches the one-thread reader', () => {
  // About 7 MB (segments are 2 MB, each split between the cores): series of 1 to 120,000 rows,
  // so some straddle a thread's piece or a segment; the twin file quotes one y, which sends it
  // to the one-thread reader. Same stdout, stderr and exit code are expected in every format.
  const lines = ['day,ward,y,note'];
  const sizes = [1, 3, 50, 700, 4000, 120000, 17, 9000];
  let seed = 11, row = 0;
  for (let w = 0; row < 300000; w++) {
    const n = sizes[w % sizes.length], kind = w % 6;
    for (let i = 0; i < n; i++, row++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const y = row % 997 === 0 ? 'NA' : row % 1999 === 0 ? '' : (80 + (seed % 2000) / 100).toFixed(2);
      // x falls (1) or rises but for its last row (5): charted after sorting; 3: labels; else rises
      const x = kind === 1 ? n - i : kind === 3 ? `p${i}` : kind === 5 && i === n - 1 ? 0 : i + 1;
      lines.push(`${x},W${w},${y},n${row % 7}${row % 4001 === 0 ? '\r' : ''}`);
      if (row % 50000 === 0) lines.push('');
    }
  }
  const par = file('par.csv', ''), one = file('one.csv', '');
  const same = (text, what, formats = ['summary', 'csv', 'json']) => {
    writeFileSync(par, text);
    const quoted = text.replace(/,n(\d)/, ',"n$1"'); // the first row's note
    if (quoted === text) throw new Error('no quote added');
    writeFileSync(one, quoted);
    for (const format of formats) {
      const args = ['spc', '--series', 'ward', '--x', 'day', '--y', 'y', '--target', '90', '--format', format];
      const a = run([...args, par]), b = run([...args, one]);
      eq(a.code, b.code, `${what} ${format}: exit`);
      eq(a.err.replaceAll(par, 'F'), b.err.replaceAll(one, 'F'), `${what} ${format}: stderr`);
      if (a.out !== b.out) throw new Error(`${what} ${format}: stdout differs`);
    }
  };
  const text = lines.join('\n') + '\n';
  if (text.length < 3 * (2 << 20)) throw new Error('too small to take several segments');
  same(text, 'good');
  const at = lines.findIndex((l) => l.startsWith('70000,W13,')); // 120,000 rows, x falling, not in the first segment
  const bad = (line) => lines.map((l, i) => (i === at ? line : l)).join('\n') + '\n';
  // csv: what was written before the error is the same too
  same(bad('70000,W13,oops,n'), 'bad y', ['csv']);
  same(bad('69000,W13,81,n'), 'duplicate x', ['csv']);
  same(bad('70000,,81,n'), 'empty series name', ['csv']);
  writeFileSync(par, bad('70000,W13,oops,n'));
  fails(['spc', '--series', 'ward', '--x', 'day', '--y', 'y', par], '', 1, `${par}:${at + 1}: column "y": "oops" is not a number`);
  // (A short row stops the quoted twin's contiguity pass before any output: only its line is compared.)
  writeFileSync(par, bad('70000,W13,81'));
  fails(['spc', '--series', 'ward', '--x', 'day', '--y', 'y', par], '', 1, `${par}:${at + 1}: expected 4 fields`);
});

// --- the other chart types (spc.md, "The other chart types"); qicharts2 cases are in tests/golden/charts
function csvRecords(text) {
  const [head, ...body] = text.trim().split('\n').map((l) => l.split(','));
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}
function rulesOf(args, text, name) {
  const r = run(['spc', ...args, file(name, text)]);
  eq(r.code, 0, `exit (${r.err})`);
  return csvRecords(r.out);
}
// P chart, hand-checked: the sums are 1700 / 3400, so the centre is exactly 0.5 (50 with --per 100).
// A denominator of 400 gives sigma 0.025: limits 42.5..57.5, 2-sigma lines 45..55; of 100, sigma
// 0.05: limits 35..65. The last point has a denominator of 100, so judged against the group's (last
// point's) limits nothing would be special; judged against each point's own, 7 and 9 are two in
// three high (56 between 55 and 57.5, with 52 above the centre between them), 11 and 13 two in three
// low, 14 (58) is above its upper limit and 15 (42) below its lower one.
const pRows = [[50, 100], [50, 100], [50, 100], [50, 100], [50, 100], [50, 100], [224, 400], [52, 100], [224, 400],
  [50, 100], [176, 400], [48, 100], [176, 400], [232, 400], [168, 400], [50, 100]];
const pText = 'x,y,n\n' + pRows.map(([y, d], i) => `${i + 1},${y},${d}`).join('\n') + '\n';
test('p chart: each point is judged against its own limits (MDC rules on varying limits)', () => {
  const r = rulesOf(['--chart', 'p', '--denominator', 'n', '--per', '100'], pText, 'p.csv');
  const want = { 7: 'two_in_three_high', 9: 'two_in_three_high', 11: 'two_in_three_low', 13: 'two_in_three_low',
    14: 'above_upl', 15: 'below_lpl' };
  r.forEach((row, i) => eq(row.rule, want[i + 1] ?? 'none', `point ${i + 1} rule`));
  near(r[0].mean, 50); near(r[13].lpl, 42.5); near(r[13].upl, 57.5); near(r[13].near_upl, 55); near(r[13].near_lpl, 45);
  near(r[15].lpl, 35); near(r[15].upl, 65); near(r[13].y, 58); eq(r[13].numerator, '232'); eq(r[13].denominator, '400');
  eq(r[13].point_type, 'special_cause_improvement'); eq(r[14].point_type, 'special_cause_concern');
  const s = rows(run(['spc', '--chart', 'p', '--denominator', 'n', '--per', '100', '--format', 'summary', file('p.csv', pText)]).out)[0];
  near(s[2], 50); near(s[3], 35); near(s[4], 65); // the last point's limits
});
test('u chart: outside its own limits, not the last point\'s (hand-checked, centre 1)', () => {
  const u = [[100, 100], [100, 100], [100, 100], [100, 100], [100, 100], [100, 100], [100, 100], [100, 100], [470, 400], [330, 400], [100, 100]];
  const r = rulesOf(['--chart', 'u', '--denominator', 'n'], 'x,y,n\n' + u.map(([y, d], i) => `${i + 1},${y},${d}`).join('\n') + '\n', 'u.csv');
  r.forEach((row, i) => eq(row.rule, { 9: 'above_upl', 10: 'below_lpl' }[i + 1] ?? 'none', `point ${i + 1} rule`));
  near(r[8].upl, 1.15); near(r[9].lpl, 0.85); near(r[10].upl, 1.3); near(r[10].lpl, 0.7);
});
test('p chart json: per-point lines and the runs analysis per group', () => {
  const r = run(['spc', '--chart', 'p', '--denominator', 'n', '--per', '100', '--format', 'json', file('p.csv', pText)]);
  eq(r.code, 0, r.err);
  const doc = JSON.parse(r.out), s = doc.series[0];
  eq(doc.chart, 'p'); eq(doc.per, 100);
  near(s.points[13].upl, 57.5); near(s.points[15].upl, 65); eq(s.points[13].numerator, 232);
  // useful: the 10 points off the centre line; sides + + + - - - + - (7 and 9 around 8, then 11 12 13, 14, 15)
  eq(JSON.stringify(s.groups[0].runs), JSON.stringify({ useful: 8, longest_run: 3, longest_run_max: 6, crossings: 3, crossings_min: 1, signal: false }));
});
test('xmr json carries the runs analysis too', () => {
  const s = JSON.parse(run(['spc', '--format', 'json', handover]).out).series[0];
  const u = s.groups[0].runs;
  eq(u.useful, 24); eq(u.longest_run_max, 8); // round(log2(24)) + 3
  eq(u.crossings_min, 8); // qbinom(0.05, 23, 0.5)
  eq(u.signal, u.longest_run > 8 || u.crossings < 8);
});
test('run chart: a run longer than the Anhoej limit flags its points; no limits', () => {
  const ys = [...Array(10).fill(1), ...Array(10).fill(3)];
  const r = rulesOf(['--chart', 'run'], 'x,y\n' + ys.map((y, i) => `${i + 1},${y}`).join('\n') + '\n', 'run.csv');
  r.forEach((row, i) => { eq(row.rule, i < 10 ? 'long_run_below' : 'long_run_above', `point ${i + 1}`); eq(row.lpl, ''); near(row.mean, 2); });
  eq(r[10].point_type, 'special_cause_improvement');
  const j = JSON.parse(run(['spc', '--chart', 'run', '--format', 'json', file('run.csv', 'x,y\n' + ys.map((y, i) => `${i + 1},${y}`).join('\n') + '\n')]).out);
  eq(JSON.stringify(j.series[0].groups[0].runs), JSON.stringify({ useful: 20, longest_run: 10, longest_run_max: 7, crossings: 1, crossings_min: 6, signal: true }));
});
test('a missing numerator or denominator is a missing point that counts in neither sum', () => {
  const r = rulesOf(['--chart', 'p', '--denominator', 'n'], 'x,y,n\n1,1,2\n2,,16\n3,3,\n4,NA,NA\n5,1,2\n', 'pmiss.csv');
  eq(r.length, 5); eq(r[1].y, ''); eq(r[2].y, ''); eq(r[3].y, '');
  near(r[0].mean, 0.5); // (1 + 1) / (2 + 2)
  near(r[1].upl, 0.5 + 3 * Math.sqrt(0.25 / 16)); eq(r[2].upl, ''); // a point without a denominator has no limits
});
test('c, g and t charts take y as it is; --per scales the values and lines', () => {
  const c = rulesOf(['--chart', 'c', '--per', '10'], 'x,y\n1,4\n2,4\n3,4\n4,4\n', 'c.csv');
  near(c[0].y, 40); near(c[0].mean, 40); near(c[0].upl, 10 * (4 + 3 * 2)); eq(c[0].lpl, '0');
  const g = rulesOf(['--chart', 'g'], 'x,y\n1,1\n2,2\n3,9\n', 'g.csv');
  near(g[0].mean, 2); near(g[0].upl, 4 + 3 * Math.sqrt(20)); // the median, and the mean's limits
});
test('fix-after on a p chart without rebase takes the centre from the first N values', () => {
  const rowsP = Array.from({ length: 14 }, (_, i) => `${i + 1},${i < 12 ? 10 : 90},100`).join('\n');
  const r = rulesOf(['--chart', 'p', '--denominator', 'n', '--fix-after', '12'], 'x,y,n\n' + rowsP + '\n', 'pfix.csv');
  near(r[13].mean, 0.1); eq(r[12].rule, 'above_upl');
});
test('bad chart input: each error names file, line and column, exits 1 and writes nothing to -o', () => {
  const out = join(tmp, 'never.csv');
  const cases = [
    [['--chart', 'p', '--denominator', 'n'], 'x,y,n\n1,1,2\n2,1,0\n', ':3: column "n": denominator 0 is not above 0'],
    [['--chart', 'u', '--denominator', 'n'], 'x,y,n\n1,1,2\n2,1,-4\n', ':3: column "n": denominator -4 is not above 0'],
    [['--chart', 'u', '--denominator', 'n'], 'x,y,n\n1,1,many\n', ':2: column "n": "many" is not a number'],
    [['--chart', 'p', '--denominator', 'n'], 'x,y,n\n1,1,2\n2,5,4\n', ':3: column "y": numerator 5 is above its denominator 4'],
    [['--chart', 'pp', '--denominator', 'n'], 'x,y,n\n1,5,4\n', ':2: column "y": numerator 5 is above its denominator 4'],
    [['--chart', 'u', '--denominator', 'n'], 'x,y,n\n1,-1,4\n', ':2: column "y": numerator -1 is negative'],
    [['--chart', 'xmr', '--denominator', 'n'], 'x,y,n\n1,1,0\n', ':2: column "n": denominator 0 is not above 0'],
    [['--chart', 'c'], 'x,y\n1,2\n2,-1\n', ':3: column "y": -1 is negative'],
    [['--chart', 'g'], 'x,y\n1,-3\n', ':2: column "y": -3 is negative'],
    [['--chart', 't'], 'x,y\n1,2\n2,0\n', ':3: column "y": time 0 is not above 0'],
    [['--chart', 't'], 'x,y\n1,-2\n', ':2: column "y": time -2 is not above 0'],
  ];
  for (const [args, text, message] of cases) {
    const path = file('bad.csv', text);
    fails(['spc', ...args, '-o', out, path], '', 1, `${path}${message}`);
    eq(existsSync(out), false, 'output file');
  }
  // A u chart may have a numerator above its denominator (a rate), a p chart may not.
  eq(run(['spc', '--chart', 'u', '--denominator', 'n', file('u2.csv', 'x,y,n\n1,5,4\n2,3,4\n')]).code, 0);
});
test('chart usage errors exit 2', () => {
  fails(['spc', '--chart', 'p', handover], '', 2, '--chart p needs --denominator COL');
  fails(['spc', '--chart', 'c', '--denominator', 'y', handover], '', 2, 'no --denominator');
  fails(['spc', '--chart', 'p', '--denominator', 'y', '--rebase', '15', '--fix-after', '12', handover], '', 2, 'xmr charts only');
  fails(['spc', '--per', '0', handover], '', 2, '--per');
  fails(['spc', '--chart', 'p', '--denominator', 'nope', handover], '', 1, 'no column "nope"');
});
test('every chart type writes csv, json, summary, svg, png and pdf', () => {
  const path = file('all.csv', 'x,y,n\n' + Array.from({ length: 20 }, (_, i) => `${i + 1},${(i * 7) % 11 + 1},${20 + i}`).join('\n') + '\n');
  const names = { xmr: 'XmR chart', run: 'Run chart', p: 'P chart', pp: 'P′ chart', u: 'U chart', up: 'U′ chart',
    c: 'C chart', g: 'G chart', t: 'T chart' };
  for (const chart of ['xmr', 'run', 'p', 'pp', 'u', 'up', 'c', 'g', 't']) {
    const den = ['p', 'pp', 'u', 'up'].includes(chart) ? ['--denominator', 'n'] : [];
    for (const format of ['csv', 'json', 'summary']) {
      const r = run(['spc', '--chart', chart, ...den, '--format', format, path]);
      eq(r.code, 0, `${chart} ${format}: ${r.err}`);
      if (format === 'json') JSON.parse(r.out);
    }
    // SVG: the chart's own lines (stepped limits where they vary, the median alone on a run chart).
    const svg = run(['spc', '--chart', chart, ...den, '--format', 'svg', '--title', `T ${chart}`, path]);
    eq(svg.code, 0, `${chart} svg: ${svg.err}`);
    has(svg.out, names[chart]);
    const median = chart === 'run' || chart === 'g';
    has(svg.out, median ? '>Median ' : '>Mean ');
    if (median) eq(svg.out.includes('>Mean '), false, `${chart}: a mean label`);
    eq(svg.out.includes('class="limit upl"'), chart !== 'run', `${chart}: limit lines`);
    if (den.length) {
      const m = svg.out.match(/class="limit upl"[^>]* points="([^"]*)"/) || svg.out.match(/points="([^"]*)"[^>]*class="limit upl"/);
      if (m) eq(m[1].trim().split(/\s+/).length > 4, true, `${chart}: stepped upper limit`);
    }
    const png = runBytes(['spc', '--chart', chart, ...den, '--format', 'png', path]);
    eq(png.code, 0, `${chart} png: ${png.err}`);
    eq(png.out.subarray(0, 8).equals(PNG_SIGNATURE), true, `${chart} png signature`);
    const out = join(tmp, `all-${chart}.pdf`);
    const pdf = runBytes(['spc', '--chart', chart, ...den, '--format', 'pdf', '-o', out, path]);
    eq(pdf.code, 0, `${chart} pdf: ${pdf.err}`);
    const bytes = readFileSync(out);
    eq(bytes.subarray(0, 5).toString(), '%PDF-');
    eq((bytes.toString('latin1').match(/\/Type \/Page\b/g) || []).length, 1, `${chart} pdf pages`);
  }
});

test('p chart with --series on every core matches the one-thread reader (denominators carried)', () => {
  // About 3 MB of contiguous series (segments of 2 MB, split between the cores); the twin quotes
  // one note, which sends it to the one-thread reader.
  const lines = ['day,ward,y,n,note'];
  let seed = 5;
  for (let w = 0, row = 0; row < 150000; w++) {
    const size = [40, 3000, 7, 25000][w % 4];
    for (let i = 0; i < size; i++, row++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const n = 50 + (seed % 400), y = row % 1009 === 0 ? 'NA' : String(Math.floor(n * (0.6 + (seed % 300) / 1000)));
      lines.push(`${i + 1},W${w},${y},${n},z`);
    }
  }
  const text = lines.join('\n') + '\n';
  const par = file('ppar.csv', text), one = file('pone.csv', text.replace(',z\n', ',"z"\n'));
  for (const format of ['summary', 'csv']) {
    const args = ['spc', '--series', 'ward', '--x', 'day', '--chart', 'p', '--denominator', 'n', '--per', '100', '--format', format];
    const a = run([...args, par]), b = run([...args, one]);
    eq(a.code, 0, a.err); eq(b.code, 0, b.err);
    if (a.out !== b.out) throw new Error(`${format}: stdout differs`);
  }
});

// --- purpose report ----------------------------------------------------------------------------
const ae = 'examples/ae_4h_performance.csv';
const measures = 'examples/report_measures.csv';
function pdfPages(buf) { return (buf.toString('latin1').match(/\/Type \/Page\b/g) || []).length; }
test('report: one A4 landscape PDF, a cover, the table and a page per measure', () => {
  const out = join(tmp, 'board.pdf');
  const r = runBytes(['report', '--measures', measures, '--x', 'month', '--title', 'Board, May', '-o', out, ae]);
  eq(r.code, 0, `exit (${r.err})`);
  const pdf = readFileSync(out);
  eq(pdf.subarray(0, 5).toString(), '%PDF-');
  eq(pdfPages(pdf), 1 + 1 + 10, 'pages');
  has(pdf.toString('latin1'), '/MediaBox [ 0 0 841.89 595.28 ]');
});
test('report --format json: the figures and a reading per measure, in group order', () => {
  const r = run(['report', '--measures', measures, '--x', 'month', '--format', 'json', ae]);
  eq(r.code, 0, `exit (${r.err})`);
  const j = JSON.parse(r.out);
  eq(j.measures.length, 10);
  eq(j.measures.map((m) => m.group).join('|').replace(/Type 1 \(major\) A&E departments/g, 'T'),
    'T|T|T|T|T|T|Activity|Other A&E departments|Other A&E departments|Other A&E departments');
  const rdd = j.measures[0]; // rebased at 2018-06-01 in the measures file
  eq(rdd.series, 'RDD:1'); eq(rdd.variation, 'common_cause'); eq(rdd.assurance, 'inconsistent'); eq(rdd.n, 10);
  has(rdd.reading, 'The latest value is 95.7% (Mar 2019).');
  has(rdd.reading, 'Since the change at Jun 2018, the mean is 94.6%');
  has(rdd.reading, 'These are trial limits, from only 10 values.');
  has(rdd.reading, 'The target of 95% lies inside the process limits, so it will be hit and missed at random.');
  const rba = j.measures[1];
  eq(rba.variation, 'concern_low');
  has(rba.reading, 'The latest point is below the lower process limit: special cause concern.');
  const rem = j.measures.find((m) => m.series === 'REM:1');
  has(rem.reading, 'The last 11 points are above the mean: special cause improvement.');
  has(rem.reading, 'so it will not be met without a change to the process');
  // The same figures as purpose spc gives the same series.
  const s = run(['spc', '--x', 'month', '--y', 'pct_within_4h', '--series', 'series', '--target', '95', '--format', 'json', ae]);
  const spc = JSON.parse(s.out).series.find((x) => x.name === 'REM:1');
  near(rem.mean, spc.groups[0].mean); near(rem.upl, spc.groups[0].upl);
  // A ratio: breaches per 100 attendances.
  const br = j.measures.find((m) => m.title.includes('breaches'));
  near(br.latest.y, 516 / 11905 * 100);
  eq(br.improvement, 'decrease'); eq(br.variation, 'improvement_low');
});
test('report: a bad measures file is refused, naming its line, and nothing is written', () => {
  const out = join(tmp, 'never.pdf');
  const head = 'series,title,unit,chart,improvement,target,y,denominator,per,group\n';
  const ok = 'RDD:1,RDD,%,xmr,increase,95,pct_within_4h,,,A\n';
  const cases = [
    [ok + 'NOPE:1,Nope,%,xmr,increase,95,pct_within_4h,,,A\n', ':3: column "series": no series "NOPE:1" in'],
    [ok + 'RBA:1,RBA,%,pie,increase,95,pct_within_4h,,,A\n', ':3: column "chart": "pie" is not a chart type'],
    [ok + 'RBA:1,RBA,%,p,increase,95,breaches,,,A\n', ':3: column "denominator": a p chart needs a denominator column'],
    [ok + 'RBA:1,RBA,,c,decrease,,breaches,attendances,,A\n', ':3: column "denominator": a c chart takes the value as it is'],
    [ok + 'RBA:1,RBA,%,xmr,upward,95,pct_within_4h,,,A\n', ':3: column "improvement": "upward" is not one of'],
    [ok + 'RBA:1,RBA,%,xmr,increase,high,pct_within_4h,,,A\n', ':3: column "target": "high" is not a number'],
    [ok + 'RBA:1,RBA,%,xmr,increase,95,pct_within_4h,,-1,A\n', ':3: column "per": "-1" is not a positive number'],
    [ok + 'RBA:1,RBA,%,xmr,increase,95,wait,,,A\n', ':3: column "y": no column "wait" in'],
    [ok + 'RBA:1,RBA,%,xmr,increase,95,breaches,beds,,A\n', ':3: column "denominator": no column "beds" in'],
    [ok + ok, ':3: column "series": "RDD:1" (y "pct_within_4h") is measured already on line 2'],
    ['series,title,rebase\nRDD:1,RDD,"2017-01-01,,2018-01-01"\n', ':2: column "rebase": an empty x in the list'],
    ['series,title\n,RDD\n', ':2: column "series": "" is empty'],
    ['series,title,colour\n', ':1: column "colour": not a measures column'],
    ['series,unit\n', ':1: no column "title" in the header'],
    [head, 'no measures after the header'],
  ];
  for (const [text, message] of cases) {
    const m = file('m.csv', text.startsWith('series') ? text : head + text);
    const r = runBytes(['report', '--measures', m, '--x', 'month', '-o', out, ae]);
    eq(r.code, 1, `exit for ${JSON.stringify(text)} (${r.err})`);
    has(r.err, message);
    if (!r.err.startsWith(m) && message.startsWith(':')) throw new Error(`${r.err} does not start with ${m}`);
    eq(existsSync(out), false, 'output written');
  }
});
test('report: bad data is refused with its line, and nothing is written', () => {
  const out = join(tmp, 'never.pdf');
  const m = file('m2.csv', 'series,title,y,denominator,per\nA,Falls,falls,bed_days,1000\n');
  const cases = [
    ['series,x,falls,bed_days\nA,1,2,100\nA,2,x,100\n', ':3: column "falls": "x" is not a number'],
    ['series,x,falls,bed_days\nA,1,2,100\nA,2,3,0\n', ':3: column "bed_days": denominator 0 is not above 0'],
    ['series,x,falls,bed_days\nA,1,2,100\nA,2,-3,10\n', ':3: column "falls": numerator -3 is negative'],
    ['series,x,falls,bed_days\nA,1,2,100\nA,1,3,10\n', ':3: x "1" is already on line 2'],
    ['series,x,falls,bed_days\nA,1,2,100\n,2,3,10\n', ':3: column "series": empty series name'],
    ['x,falls,bed_days\n1,2,100\n', ':1: no column "series" in the header'],
  ];
  for (const [text, message] of cases) {
    const d = file('d.csv', text);
    const r = runBytes(['report', '--measures', m, '-o', out, d]);
    eq(r.code, 1, `exit for ${JSON.stringify(text)} (${r.err})`);
    has(r.err, message);
    eq(existsSync(out), false, 'output written');
  }
  const good = file('d.csv', 'series,x,falls,bed_days\nA,1,2,100\nA,2,3,200\nA,3,,200\n');
  const r = run(['report', '--measures', m, '--format', 'json', good]);
  eq(r.code, 0, r.err);
  const j = JSON.parse(r.out).measures[0];
  near(j.latest.y, 15); eq(j.latest.x, '2'); // per 1,000 bed days; the missing third point skipped
});
// The A&E data with a numerator for 4-hour performance: seen within 4 hours = attendances - breaches.
function aeWithin() {
  const lines = readFileSync(ae, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const a = head.indexOf('attendances'), b = head.indexOf('breaches');
  return file('ae_within.csv', [lines[0] + ',within_4h', ...lines.slice(1).map((l) => {
    const f = l.split(',');
    return `${l},${Number(f[a]) - Number(f[b])}`;
  })].join('\n') + '\n');
}
test('report: a p chart measure (4-hour performance = within 4h / attendances), as spc computes it', () => {
  const data = aeWithin();
  const m = file('mp.csv', 'series,title,unit,chart,improvement,target,y,denominator,per,group\n' +
    'RBA:1,RBA: seen within 4 hours,%,p,increase,95,within_4h,attendances,100,Type 1\n' +
    'RCU:1,RCU: seen within 4 hours,%,pp,increase,95,within_4h,attendances,100,Type 1\n' +
    'RDD:1,RDD: attendances,,run,neutral,,attendances,,,Activity\n' +
    'RDD:1,RDD: breaches per 1000,per 1000,u,decrease,,breaches,attendances,1000,Activity\n');
  const r = run(['report', '--measures', m, '--x', 'month', '--format', 'json', data]);
  eq(r.code, 0, r.err);
  const [p, pp, runm, u] = JSON.parse(r.out).measures;
  eq(p.chart, 'p'); eq(pp.chart, 'pp'); eq(runm.chart, 'run'); eq(u.chart, 'u');
  // By hand: p-bar is the sum of the numerators over the sum of the denominators; the latest
  // point's limits are p-bar +- 3 sqrt(p-bar (1 - p-bar) / n) for its own n.
  const rows = readFileSync(data, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).filter((f) => f[0] === 'RBA:1');
  const within = rows.reduce((t, f) => t + Number(f[5]), 0), att = rows.reduce((t, f) => t + Number(f[2]), 0);
  const pbar = within / att, last = rows[rows.length - 1], nLast = Number(last[2]);
  near(p.mean, 100 * pbar);
  near(p.upl, 100 * (pbar + 3 * Math.sqrt(pbar * (1 - pbar) / nLast)));
  near(p.lpl, 100 * (pbar - 3 * Math.sqrt(pbar * (1 - pbar) / nLast)));
  near(p.latest.y, 100 * Number(last[5]) / nLast);
  has(p.reading, 'The process limits vary with each point\'s denominator; for the latest, values from');
  has(p.reading, 'a P\u2032 chart, which allows for the variation between points, may read better');
  // The same figures as purpose spc --chart p on the same series.
  const s = run(['spc', '--x', 'month', '--y', 'within_4h', '--denominator', 'attendances', '--chart', 'p', '--per', '100',
    '--series', 'series', '--target', '95', '--format', 'json', data]);
  const sp = JSON.parse(s.out).series.find((x) => x.name === 'RBA:1');
  near(p.mean, sp.groups[0].mean);
  eq(p.variation, sp.variation); eq(p.assurance, sp.assurance);
  // A run chart: the median, no limits; a U chart: per 1,000.
  eq(runm.lpl, null); eq(runm.upl, null);
  has(runm.reading, 'The median is'); has(runm.reading, 'A run chart has no process limits');
  has(u.reading, 'per 1000');
  // The PDF: the cover, the table and a page per measure.
  const out = join(tmp, 'board-p.pdf');
  const b = runBytes(['report', '--measures', m, '--x', 'month', '-o', out, data]);
  eq(b.code, 0, b.err);
  eq(pdfPages(readFileSync(out)), 1 + 1 + 4, 'pages');
  // A p chart's numerator above its denominator is bad data, named by its line.
  const bad = file('pbad.csv', 'series,month,within_4h,attendances\nA,2019-01-01,90,100\nA,2019-02-01,120,100\n');
  const mb = file('mpb.csv', 'series,title,chart,y,denominator\nA,A,p,within_4h,attendances\n');
  const e = runBytes(['report', '--measures', mb, '--x', 'month', '-o', join(tmp, 'never-p.pdf'), bad]);
  eq(e.code, 1); has(e.err, 'pbad.csv:3: column "within_4h": numerator 120 is above its denominator 100');
  eq(existsSync(join(tmp, 'never-p.pdf')), false);
});
test('report: a rebase column starts new groups; an x the series lacks is a warning', () => {
  const m = file('m3.csv', 'series,title,rebase\nRDD:1,RDD,"2017-04-01, 2018-06-01"\nRBA:1,RBA,2030-01-01\n');
  const r = run(['report', '--measures', m, '--x', 'month', '--y', 'pct_within_4h', '--format', 'json', ae]);
  eq(r.code, 0, r.err);
  eq(r.err, `${m}:3: warning: series "RBA:1": rebase at "2030-01-01": the series has no such x, so no group starts there\n`);
  const [rdd, rba] = JSON.parse(r.out).measures;
  eq(rdd.n, 10); eq(rba.n, 36);
  has(rdd.reading, 'Since the change at Jun 2018');
});
test('report: usage errors exit 2', () => {
  fails(['report', ae], '', 2, 'no --measures FILE');
  fails(['report', '--measures', measures], '', 2, 'no DATA file');
  fails(['report', '--measures', measures, '--format', 'svg', ae], '', 2, 'is not one of pdf, json');
  fails(['report', '--measures', measures, '--colour', 'red', ae], '', 2, "unknown option '--colour'");
  has(run(['help', 'report']).out, 'usage: purpose report');
});

// --- purpose funnel (docs/spc.md "Funnel plots") ---------------------------------------------
const aeRaw = 'examples/ae_attendances.csv'; // shared/data's, as published
test('funnel: the A&E worked example of docs/spc.md (274 providers, pooled 88.5%)', () => {
  const r = run(['funnel', aeRaw, '--unit', 'org_code', '--numerator', 'breaches', '--denominator', 'attendances', '--complement']);
  eq(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  eq(lines[0], 'unit,numerator,denominator,proportion,target,lower_998,lower_95,upper_95,upper_998,place');
  const u = lines.slice(1).map((l) => l.split(','));
  eq(u.length, 274);
  near(u[0][4], 0.8848194129687442);
  const count = (p) => u.filter((x) => x[9] === p).length;
  eq(count('high_998'), 187); eq(count('low_998'), 86); eq(count('high_95'), 1);
  const g = u.find((x) => x[0] === '8J094');
  eq(g.slice(1, 3).join(), '74303,74303');
  ok_between(Number(g[5]), 0.8811, 0.8812); ok_between(Number(g[8]), 0.8884, 0.8885);
  const m = run(['funnel', aeRaw, '--unit', 'org_code', '--numerator', 'breaches', '--denominator', 'attendances',
    '--complement', '--where', 'period=2019-03-01', '--format', 'json']);
  eq(m.code, 0, m.err);
  const j = JSON.parse(m.out);
  eq(j.units.length, 226);
  eq(j.units.filter((x) => x.place === 'within').length, 4);
  // The plot itself: a dot per provider, as SVG (-o FILE) and PNG (1920 x 1080).
  const svgFile = join(tmp, 'ae-funnel.svg'), pngFile = join(tmp, 'ae-funnel.png');
  const a = ['funnel', aeRaw, '--unit', 'org_code', '--numerator', 'breaches', '--denominator', 'attendances', '--complement',
    '--where', 'period=2019-03-01', '--title', 'March 2019'];
  eq(run([...a, '--format', 'svg', '-o', svgFile]).code, 0);
  const svg = readFileSync(svgFile, 'utf8');
  eq((svg.match(/<circle/g) || []).length, 226);
  has(svg, 'Funnel plot: March 2019');
  eq(run([...a, '--format', 'png', '-o', pngFile]).code, 0);
  const png = readFileSync(pngFile);
  eq(png.subarray(1, 4).toString() + png.readUInt32BE(16) + 'x' + png.readUInt32BE(20), 'PNG1920x1080');
});
function ok_between(v, lo, hi) { if (!(v >= lo && v <= hi)) throw new Error(`${v} is not in ${lo}..${hi}`); }
test('funnel: limits by hand (Bin(10, 1/2)), a target, units summed and sorted, none without a denominator', () => {
  const f = file('funnel.csv', 'unit,numerator,denominator\nb,5,10\na,3,6\na,2,4\n"c,d",0,0\n');
  const r = run(['funnel', f, '--target', '0.5']);
  eq(r.code, 0, r.err);
  const u = rows(r.out);
  eq(u.length, 3);
  eq(u[0][0], 'a'); eq(u[0][1], '5'); eq(u[0][2], '10'); eq(u[0][9], 'within');
  near(u[0][7], (8 - 14.6 / 45) / 10); near(u[0][6], (2 - 30.4 / 45) / 10); near(u[0][8], 0.89976); near(u[0][5], 0.00024);
  eq(u[1][0], 'b');
  has(r.out, '"c,d",0,0,,0.5,,,,,none\n');
});
test('funnel: bad rows name the file, line and column (exit 1); bad options exit 2', () => {
  fails(['funnel', file('f1.csv', 'unit,numerator,denominator\na,3,2\n')], '', 1, 'f1.csv:2: column "numerator": 3 is more than the denominator (2)');
  fails(['funnel', file('f2.csv', 'unit,numerator,denominator\na,3,2\nb,x,4\n')], '', 1, 'f2.csv:2:');
  fails(['funnel', file('f3.csv', 'unit,numerator,denominator\na,1,2\nb,1.5,4\n')], '', 1, 'f3.csv:3: column "numerator": "1.5" is not a whole number');
  fails(['funnel', file('f4.csv', 'unit,num,denominator\na,1,2\n')], '', 1, 'f4.csv:1: no column "numerator" in the header');
  fails(['funnel', file('f5.csv', 'unit,numerator,denominator\n,1,2\n')], '', 1, 'f5.csv:2: column "unit": empty');
  fails(['funnel', file('f6.csv', 'unit,numerator,denominator\na,1,2\n'), '--where', 'unit=z'], '', 1, 'no rows match --where');
  fails(['funnel', file('f7.csv', 'unit,numerator,denominator\na,0,0\n')], '', 1, 'no unit has a denominator');
  fails(['funnel'], '', 2, 'which file?');
  fails(['funnel', 'x.csv', '--target', '95'], '', 2, '--target: "95" is not a proportion from 0 to 1');
  fails(['funnel', 'x.csv', '--where', 'period'], '', 2, '--where: "period" is not COLUMN=VALUE');
  fails(['funnel', 'x.csv', '--format', 'pdf'], '', 2, '--format: "pdf" is not csv, json, svg or png');
  fails(['funnel', file('f8.csv', 'unit,numerator,denominator\na,1,2\n'), '--format', 'png', '-o', '/nonexistent-dir/f.png'], '', 1,
    '/nonexistent-dir/f.png: cannot create');
  has(run(['help', 'funnel']).out, 'usage: purpose funnel FILE');
});

// --- annotations: notes drawn as labelled markers, named by the reading --------------------------
// 30 weekly points, a step down from the 19th (6 May 2024): "New triage model" 3 weeks before.
const weekly = ['date,value', ...Array.from({ length: 30 }, (_, i) =>
  `${new Date(Date.UTC(2024, 0, 1 + 7 * i)).toISOString().slice(0, 10)},${(i < 18 ? 50 : 40) + [1.2, -0.8, 0.4, -1.5, 0.9, -0.3][i % 6]}`)].join('\n') + '\n';
test('spc --annotations: each note a labelled dashed line, only on chart formats', () => {
  const d = file('weekly.csv', weekly);
  const notes = file('notes.csv', 'date,label\n2024-04-15,New triage model\n2024-02-01,"Briefing, ward 3 & 4"\n2030-01-01,Not on the chart\n');
  const r = run(['spc', '--x', 'date', '--y', 'value', '--improvement', 'decrease', '--annotations', notes, '--format', 'svg', d]);
  eq(r.code, 0, r.err);
  eq((r.out.match(/<g class="note">/g) || []).length, 2, 'notes drawn');
  has(r.out, '<title>15 Apr 2024: New triage model</title>');
  has(r.out, '>Briefing, ward 3 &amp; 4</text>');
  const plain = run(['spc', '--x', 'date', '--y', 'value', '--improvement', 'decrease', '--format', 'svg', d]);
  eq(plain.out.includes('class="note"'), false, 'no notes without --annotations');
  fails(['spc', '--x', 'date', '--y', 'value', '--annotations', notes, d], '', 2, '--annotations draws notes on a chart');
});
test('spc --annotations: a bad file is refused naming its line and column, and nothing is written', () => {
  const d = file('weekly.csv', weekly);
  const out = join(tmp, 'never-notes.svg');
  for (const [text, message] of [
    ['date,label\n2024-04-15,\n', ':2: column "label": empty: every note needs a label'],
    ['date,label\n,Triage\n', ':2: column "date": empty: every note needs a date'],
    ['date,note\n2024-04-15,x\n', ':1: column "note": not an annotations column (date, label, series)'],
    ['label\nx\n', ':1: no column "date" in the header'],
    ['date,label\n2024-04-15,ok\nsoon,x\n', ':3: column "date": "soon" is not a date, as the chart\'s x is'],
    ['date,label,series\n2024-04-15,x,A\n', ':2: column "series": "A", but the chart has no --series'],
    ['date,label\n2024-04-15,' + 'x'.repeat(201) + '\n', ':2: column "label": 201 bytes, more than 200'],
    ['date,label\n2024-04-15,a,b\n', ':2:'],
    ['', 'empty file: no header row'],
  ]) {
    const notes = file('bad-notes.csv', text);
    const r = run(['spc', '--x', 'date', '--y', 'value', '--annotations', notes, '--format', 'svg', '-o', out, d]);
    eq(r.code, 1, `exit for ${JSON.stringify(text)} (${r.err})`);
    has(r.err, message);
    eq(existsSync(out), false, 'nothing written');
  }
});
test('report --annotations: the charts carry the notes, and the reading names the one near a shift', () => {
  const d = file('weekly-series.csv', 'series,' + weekly.replace(/\n(?=.)/g, '\nA,').replace('series,date', 'series,date'));
  const m = file('notes-measures.csv', 'series,title,improvement\nA,Waiting time,decrease\n');
  const notes = file('report-notes.csv', 'date,label,series\n2024-04-15,New triage model,A\n2024-02-01,Everywhere,\n2024-03-01,Another series,B\n');
  const r = run(['report', '--measures', m, '--x', 'date', '--y', 'value', '--annotations', notes, '--format', 'json', d]);
  eq(r.code, 0, r.err);
  has(JSON.parse(r.out).measures[0].reading, "The shift began 3 weeks after 'New triage model' (15 Apr 2024).");
  const without = JSON.parse(run(['report', '--measures', m, '--x', 'date', '--y', 'value', '--format', 'json', d]).out);
  eq(without.measures[0].reading.includes('began'), false, 'no note, no mention');
  fails(['report', '--measures', m, '--x', 'date', '--y', 'value', '--annotations', file('r-bad.csv', 'date,label\nx,y\n'), d], '', 1,
    'r-bad.csv:2: column "date": "x" is not a date');
});

rmSync(tmp, { recursive: true, force: true });
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
