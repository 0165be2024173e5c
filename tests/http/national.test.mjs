// `purpose generate national` at 1/1000 (the smoke test of `make bench-scale`, bench/scale.mjs): the
// counts of the plan, progress on stderr, the same data for the same seed, refused into a database
// that has organisations (nothing changed) and for a bad --scale; then the pages the benchmark reads
// are served from it. Prints TAP.
// usage: node tests/http/national.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ok, done, freshDb, startServer, engine } from '../lib/server.mjs';
import { generate, signInAdmin, nationalPages } from '../lib/national.mjs';

const bin = resolve(process.argv[2] || 'build/release/purpose');
const dir = mkdtempSync(join(tmpdir(), 'purpose-national-'));
const gen = (db, ...more) => generate(bin, db, more, dir);
const users = (db) => execFileSync(bin, ['user', 'list', '--db', db], { encoding: 'utf8', cwd: dir });

try {
  const bad = gen(join(dir, 'never.db'), '--scale', '2');
  ok(bad.status === 2 && /--scale: give a fraction/.test(bad.stderr), 'a scale above 1 is refused naming --scale (exit 2)', bad.stderr);
  const none = gen(join(dir, 'never.db'));
  ok(none.status === 2 && /--scale/.test(none.stderr), 'no --scale is refused (exit 2)', none.stderr);

  const db = freshDb(dir, 'a.db');
  const t0 = Date.now();
  const a = gen(db, '--scale', '1/1000');
  const made = a.made;
  ok(a.status === 0, `${engine}: generate national --scale 1/1000 succeeds`, a.stderr);
  console.log(`# generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  ok(made.trusts === 10 && made.ambulance_services === 1 && made.integrated_care_boards === 1 && made.staff === 33,
    'the plan at 1/1000: ten trusts, an ambulance service, an integrated care board, 33 staff', a.stdout);
  ok(made.conversations === 11 && made.contributions === 1000 && made.votes === 10000,
    '11 conversations, 1,000 contributions, 10,000 votes', a.stdout);
  ok(made.projects === 20 && made.measures === 100 && made.points === 5200 && made.handover_rows === 50000,
    '20 projects, 100 measures of 52 points, 50,000 handovers', a.stdout);
  ok(/organisations and staff 11\/11/.test(a.stderr) && /handovers 10\/10/.test(a.stderr), 'progress is told on stderr', a.stderr);

  const before = users(db);
  const again = gen(db, '--scale', '1/1000');
  ok(again.status === 1 && /has organisations already/.test(again.stderr), 'a second run into the same database is refused (exit 1)', again.stderr);
  ok(users(db) === before, 'and changes nothing');

  const db2 = freshDb(dir, 'b.db');
  const b = gen(db2, '--scale', '1/1000');
  ok(b.status === 0 && b.stdout.replace(/seconds.*/, '') === a.stdout.replace(/seconds.*/, '') && users(db2) === before,
    'the same scale and seed make the same staff and counts');
  if (engine === 'sqlite') { // a third load would take PostgreSQL's run past its time
    const db3 = freshDb(dir, 'c.db');
    const c = gen(db3, '--scale', '1/1000', '--seed', '7');
    ok(c.status === 0 && users(db3) !== before, 'another seed makes other staff');
  }

  const srv = await startServer(bin, db, ['--quiet']);
  const { cookie, orgs } = await signInAdmin(bin, db, srv.url, 'national-test-password', dir);
  ok(cookie, 'an admin added to it signs in');
  ok(orgs.length === 11 && orgs.includes('rx0-north-east') && orgs.includes('ra0-aldbury'),
    'the organisations page lists the eleven, by ODS-like code and name', orgs.join(' '));
  const org = orgs.find((o) => o.startsWith('ra0-'));
  const pages = await nationalPages(srv.url, cookie, [org]);
  const get = async (path) => { const r = await fetch(srv.url + path, { headers: { Cookie: cookie }, redirect: 'manual' }); return { status: r.status, text: await r.text() }; };
  const summary = await get(pages['organisation summary'][0]);
  ok(summary.status === 200, `an organisation's summary (${org})`, summary.status);
  const sight = await get(pages['line of sight'][0]);
  ok(sight.status === 200 && /Halve avoidable harm/.test(sight.text), 'its line of sight shows its ambitions', sight.status);
  const results = pages['conversation results'][0] ? await get(pages['conversation results'][0]) : { status: 0, text: '' };
  ok(results.status === 200 && /published ideas/.test(results.text), 'a conversation\'s results', results.status);
  const dash = await get(pages['handover dashboard (10 organisations)'][0]);
  ok(dash.status === 200 && /General Hospital/.test(dash.text), 'the handover collaborative\'s dashboard over its partners\' sites', dash.status);
  const sys = await get(pages['system view (an integrated care board)'][0]);
  ok(sys.status === 200, 'an integrated care board\'s system view', sys.status);
  const all = await get(pages["system view (the installation's)"][0]);
  ok(all.status === 200 && all.text.includes('Aldbury'), 'the installation\'s system view, every organisation', all.status);
  await srv.stop();
} finally {
  await done();
  rmSync(dir, { recursive: true, force: true });
}
