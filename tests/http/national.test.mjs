// `purpose generate national` at 1/1000 (the smoke test of `make bench-scale`, bench/scale.mjs): the
// counts of the plan, progress on stderr, the same data for the same seed, refused into a database
// that has organisations (nothing changed) and for a bad --scale; then the pages the benchmark reads
// are served from it. Prints TAP.
// usage: node tests/http/national.test.mjs [build/release/purpose]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ok, done, freshDb, startServer, engine } from '../lib/server.mjs';

const bin = resolve(process.argv[2] || 'build/release/purpose');
const dir = mkdtempSync(join(tmpdir(), 'purpose-national-'));
const gen = (db, ...more) => spawnSync(bin, ['generate', 'national', '--db', db, ...more], { encoding: 'utf8', cwd: dir });
const users = (db) => execFileSync(bin, ['user', 'list', '--db', db], { encoding: 'utf8', cwd: dir });
const counts = (out) => Object.fromEntries(out.trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]));

async function req(base, path, cookie, form) {
  const h = cookie ? { Cookie: cookie } : {};
  let body;
  if (form) { body = new URLSearchParams(form).toString(); h['Content-Type'] = 'application/x-www-form-urlencoded'; }
  const r = await fetch(base + path, { method: form ? 'POST' : 'GET', headers: h, body, redirect: 'manual' });
  return { status: r.status, headers: r.headers, text: await r.text() };
}
const cookieOf = (r) => r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !/=$/.test(c)).join('; ');

try {
  const bad = gen(join(dir, 'never.db'), '--scale', '2');
  ok(bad.status === 2 && /--scale: give a fraction/.test(bad.stderr), 'a scale above 1 is refused naming --scale (exit 2)', bad.stderr);
  const none = gen(join(dir, 'never.db'));
  ok(none.status === 2 && /--scale/.test(none.stderr), 'no --scale is refused (exit 2)', none.stderr);

  const db = freshDb(dir, 'a.db');
  const t0 = Date.now();
  const a = gen(db, '--scale', '1/1000');
  const made = a.status === 0 ? counts(a.stdout) : {};
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

  execFileSync(bin, ['user', 'add', 'bench', '--role', 'admin', '--password-stdin', '--db', db],
    { input: 'national-test-password\n', stdio: ['pipe', 'ignore', 'pipe'], cwd: dir });
  const srv = await startServer(bin, db, ['--quiet']);
  const page = await req(srv.url, '/sign-in');
  const csrf = (page.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
  const signed = await req(srv.url, '/sign-in', cookieOf(page), { csrf, username: 'bench', password: 'national-test-password', next: '/' });
  const cookie = cookieOf(signed).split('; ').filter((x) => x.startsWith('purpose_session=')).join('; ');
  ok(signed.status === 303 && cookie, 'an admin added to it signs in');
  const orgs = [...new Set([...(await req(srv.url, '/organisations')).text.matchAll(/href="\/organisations\/([a-z0-9-]+)"/g)].map((m) => m[1]))];
  ok(orgs.length === 11 && orgs.includes('rx0-north-east') && orgs.includes('ra0-aldbury'),
    'the organisations page lists the eleven, by ODS-like code and name', orgs.join(' '));
  const org = orgs.find((o) => o.startsWith('ra0-'));
  const summary = await req(srv.url, `/organisations/${org}/summary`, cookie);
  ok(summary.status === 200, `an organisation's summary (${org})`, summary.status);
  const sight = await req(srv.url, `/organisations/${org}/line-of-sight`, cookie);
  ok(sight.status === 200 && /Halve avoidable harm/.test(sight.text), 'its line of sight shows its ambitions', sight.status);
  const list = await req(srv.url, `/organisations/${org}/conversations`, cookie);
  const conv = (list.text.match(/\/conversations\/(\d+)/) || [])[1];
  const results = await req(srv.url, `/organisations/${org}/conversations/${conv}/results`, cookie);
  ok(conv && results.status === 200 && /published ideas/.test(results.text), 'a conversation\'s results', results.status);
  const dash = await req(srv.url, '/programmes/handover-collaborative/handovers', cookie);
  ok(dash.status === 200 && /General Hospital/.test(dash.text), 'the handover collaborative\'s dashboard over its partners\' sites', dash.status);
  const sys = await req(srv.url, '/programmes/icb-q01-northern-fells/system', cookie);
  ok(sys.status === 200, 'an integrated care board\'s system view', sys.status);
  const all = await req(srv.url, '/system', cookie);
  ok(all.status === 200 && all.text.includes('Aldbury'), 'the installation\'s system view, every organisation', all.status);
  await srv.stop();
} finally {
  await done();
  rmSync(dir, { recursive: true, force: true });
}
