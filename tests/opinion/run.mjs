// Opinion groups against pol.is's own: for each export folder (tests/opinion/*/, or the folders
// given), `purpose opinions --as-polis` and the adjusted Rand index of its groups against the
// group-id pol.is exported in participants-votes.csv, over the participants both group. Asserted
// (ARI >= 0.75) where pol.is itself splits clearly; reported elsewhere. Then the CLI's answers
// to bad exports. usage: node tests/opinion/run.mjs path/to/purpose [DIR...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, groupsOf, ari } from './ari.mjs';

const bin = process.argv[2] || 'build/purpose';
const here = new URL('.', import.meta.url).pathname;
const dirs = process.argv.length > 3 ? process.argv.slice(3)
  : readdirSync(here).map(d => join(here, d)).filter(d => existsSync(join(d, 'participants-votes.csv'))).sort();
const ARI_MIN = 0.75;
let n = 0, failed = 0;

function test(name, fn) {
  n++;
  try {
    const note = fn();
    console.log(`ok ${n} - ${name}${note ? ' # ' + note : ''}`);
  } catch (e) {
    failed++;
    console.log(`not ok ${n} - ${name}\n# ${String(e.message).split('\n').join('\n# ')}`);
  }
}
function run(args) {
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// pol.is splits a conversation clearly when it grouped at least 50 participants, at least 90% of
// them under its present rule (7 votes or more: older pol.is grouped people with a single vote,
// a grouping that depends on history no export holds), and every group holds at least 10% of
// them (smaller groups come and go with k-means' seeding, in pol.is as here).
function polisClear(dir) {
  const rows = parseCsv(readFileSync(join(dir, 'participants-votes.csv'), 'utf8'));
  const h = rows[0], gi = h.indexOf('group-id'), vi = h.indexOf('n-votes');
  const sizes = new Map();
  let grouped = 0, seven = 0;
  for (const r of rows.slice(1)) {
    if (r[gi] === '' || r[gi] === undefined) continue;
    grouped++;
    if (Number(r[vi]) >= 7) seven++;
    sizes.set(r[gi], (sizes.get(r[gi]) || 0) + 1);
  }
  const smallest = Math.min(...sizes.values());
  const clear = grouped >= 50 && seven >= 0.9 * grouped && smallest >= 0.1 * grouped;
  return { clear, grouped, sizes: [...sizes.values()].sort((a, b) => b - a), seven: seven / grouped,
           groups: groupsOf(rows, 'participant', 'group-id') };
}

function sizesOf(m) {
  const c = new Map();
  for (const g of m.values()) c.set(g, (c.get(g) || 0) + 1);
  return [...c.values()].sort((a, b) => b - a);
}

const table = [];
for (const dir of dirs) {
  const name = dir.replace(/\/$/, '').split('/').pop();
  test(`${name}: groups against pol.is's`, () => {
    const p = polisClear(dir);
    const res = {};
    for (const [mode, args] of [['as-polis', ['--as-polis']], ['purpose', []]]) {
      const r = run(['opinions', dir, ...args]);
      if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.err}`);
      const mine = groupsOf(parseCsv(r.out), 'participant', 'group');
      res[mode] = { ...ari(p.groups, mine), sizes: sizesOf(mine) };
    }
    table.push({ name, polis: p.sizes, clear: p.clear, seven: p.seven, ...res });
    const a = res['as-polis'];
    const note = `ARI ${a.ari.toFixed(3)} over ${a.n} (default rules ${res.purpose.ari.toFixed(3)}); ` +
      `pol.is ${p.sizes.join('/')}, here ${a.sizes.join('/')}${p.clear ? '' : '; pol.is split not clear: not asserted'}`;
    if (p.clear && !(a.ari >= ARI_MIN)) throw new Error(`ARI ${a.ari.toFixed(3)} < ${ARI_MIN}: ${note}`);
    return note;
  });
}

// Determinism and the JSON form, on the first folder.
if (dirs.length) {
  test('same export, same answer; JSON holds groups, representatives and consensus', () => {
    const a = run(['opinions', dirs[0], '--format', 'json']), b = run(['opinions', dirs[0], '--format=json']);
    if (a.code !== 0) throw new Error(a.err);
    if (a.out !== b.out) throw new Error('two runs differ');
    const j = JSON.parse(a.out);
    if (!(j.groups.length >= 2)) throw new Error('fewer than 2 groups');
    for (const g of j.groups) if (!g.representative.length) throw new Error(`group ${g.group} has no representative statement`);
    const c = j.consensus.map(s => s.consensus);
    for (let i = 1; i < c.length; i++) if (c[i] > c[i - 1]) throw new Error('consensus not in order');
    const grouped = j.participants_groups.filter(p => p.group !== null).length;
    if (grouped !== j.grouped) throw new Error(`grouped ${j.grouped} but ${grouped} with a group`);
  });
}

// Bad exports: refused naming the file, line and column, exit 1; bad usage exit 2.
const tmp = mkdtempSync(join(tmpdir(), 'purpose-opinions-'));
function exportDir(name, comments, votes) {
  const d = join(tmp, name);
  mkdirSync(d);
  if (comments !== null) writeFileSync(join(d, 'comments.csv'), comments);
  if (votes !== null) writeFileSync(join(d, 'votes.csv'), votes);
  return d;
}
const C = 'comment-id,moderated,comment-body\n0,1,a\n1,1,b\n2,-1,c\n';
for (const [name, comments, votes, want] of [
  ['missing column', C, 'comment-id,voter-id\n0,1\n', 'votes.csv:1: no column "vote"'],
  ['vote not -1/0/1', C, 'comment-id,voter-id,vote\n0,1,1\n1,1,5\n', 'votes.csv:3: column "vote": "5" is not -1, 0 or 1'],
  ['unknown statement', C, 'comment-id,voter-id,vote\n0,1,1\n9,1,1\n', 'votes.csv:3: column "comment-id": statement 9 is not in the comments'],
  ['duplicate statement', C + '1,1,again\n', 'comment-id,voter-id,vote\n', 'comments.csv:5: column "comment-id": 1 appears again (first on line 3)'],
  ['duplicate vote', C, 'comment-id,voter-id,vote\n0,1,1\n0,1,-1\n', 'votes.csv:3: column "vote": voter 1 votes differently on statement 0 (first on line 2)'],
  ['ragged row', C, 'comment-id,voter-id,vote\n0,1\n', 'votes.csv:2: expected 3 fields'],
  ['no votes file', C, null, 'votes.csv'],
  ['too few participants', C, 'comment-id,voter-id,vote\n0,1,1\n1,1,1\n0,2,-1\n1,2,-1\n',
   'too few participants to group: 2 of 2 voted on at least 2 statements; groups need 15'],
]) {
  test(`refused: ${name}`, () => {
    const d = exportDir(name.replace(/[^a-z0-9]+/g, '-'), comments, votes);
    const r = run(['opinions', d]);
    if (r.code !== 1) throw new Error(`exit ${r.code}, expected 1; stderr ${r.err}`);
    if (r.out !== '') throw new Error(`printed ${JSON.stringify(r.out.slice(0, 80))}`);
    if (!r.err.includes(want)) throw new Error(`stderr ${JSON.stringify(r.err)} lacks ${JSON.stringify(want)}`);
  });
}
test('bad usage exits 2', () => {
  for (const args of [['opinions'], ['opinions', tmp, '--format', 'xml'], ['opinions', tmp, '--nope']]) {
    const r = run(args);
    if (r.code !== 2) throw new Error(`${args.join(' ')}: exit ${r.code}`);
  }
});
rmSync(tmp, { recursive: true, force: true });

if (process.env.OPINIONS_TABLE)
  for (const t of table)
    console.log(`# | ${t.name} | ${t.polis.join('/')} | ${(t.seven * 100).toFixed(0)}% | ${t.clear ? 'yes' : 'no'} | ` +
      `${t['as-polis'].sizes.join('/')} | ${t['as-polis'].ari.toFixed(2)} | ${t.purpose.ari.toFixed(2)} |`);
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
