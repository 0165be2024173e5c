// Reads from a streaming replica (`purpose serve --db-read URL`, docs/deployment.md): a throwaway
// PostgreSQL primary and a hot standby made from it by pg_basebackup (tests/pg.sh standby). Reads
// that write nothing go to the standby: a row changed on the primary behind Purpose's back (the change
// generation does not move) while the standby's replay is paused is still the old one in a page read;
// a person who writes (a page form, the API) reads their own write at once, and so does everyone
// else (no answer is older than the generation); with the standby stopped every read still answers
// from the primary, and once it is back reads go to it again. On SQLite the option is refused and
// the rest is skipped. Prints TAP.
// usage: node tests/http/replica.test.mjs [build/release/purpose]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ok, done, startServer, engine } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = resolve(process.argv[2] || 'build/release/purpose');
const pgsh = resolve('tests/pg.sh');

const refused = spawnSync(bin, ['serve', '--db', join(tmpdir(), 'purpose-replica-never.db'), '--db-read', 'postgresql://x/y'],
  { encoding: 'utf8' });
ok(refused.status === 2 && /--db-read: reads from a replica need a PostgreSQL database/.test(refused.stderr),
  '--db-read with a SQLite --db is refused (exit 2)', refused.stderr);

if (engine !== 'postgresql') {
  console.log('ok 2 # SKIP the replica needs PostgreSQL (this run is on SQLite)');
  console.log('1..2');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'purpose-replica-'));
const pg = execFileSync(pgsh, ['start'], { encoding: 'utf8' }).trim();
const psql = (host, db, sql) => execFileSync('psql', ['-h', host, '-U', 'postgres', '-d', db, '-Atc', sql], { encoding: 'utf8' }).trim();

const csrfIn = (html) => (html.match(/name="csrf" value="([^"]+)"/) || [])[1];
// Waits for the standby to replay everything the primary has written so far. The primary's WAL is
// flushed first (a segment switch flushes it, records the test server's asynchronous commits and the
// background writer's left in a part-filled page included; walsenders send only flushed WAL), and the
// flushed position is the one to reach: the insert position can sit where no record ends.
async function caughtUp(name) {
  psql(pg, name, 'SELECT pg_switch_wal()');
  const want = psql(pg, name, "SELECT pg_current_wal_flush_lsn() - '0/0'");
  for (let i = 0; i < 600; i++) {
    if (Number(psql(`${pg}/standby`, name, `SELECT pg_last_wal_replay_lsn() - '0/0'`)) >= Number(want)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

// Pauses the standby's replay once it has replayed all the primary wrote, and waits until it has
// stopped (the call only asks for it).
async function pause(host, name) {
  if (!await caughtUp(name)) throw new Error('the standby did not catch up');
  psql(host, name, 'SELECT pg_wal_replay_pause()');
  for (let i = 0; i < 200; i++) {
    if (psql(host, name, 'SELECT pg_get_wal_replay_pause_state()') === 'paused') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the standby did not pause');
}

try {
  const db = execFileSync(pgsh, ['newdb', pg], { encoding: 'utf8' }).trim();
  const name = db.split('?')[0].split('/').pop();
  execFileSync(bin, ['init', '--demo', '--db', db], { stdio: 'pipe', cwd: dir });
  const creds = Object.fromEntries(execFileSync('cat', [join(dir, 'demo-credentials.txt')], { encoding: 'utf8' }).split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.trim().split(/\s+/)).map(([role, username, password]) => [role, { username, password }]));
  const sdir = execFileSync(pgsh, ['standby', pg], { encoding: 'utf8' }).trim();
  const replica = db.replace(`host=${pg}`, `host=${sdir}`);
  ok(await caughtUp(name), 'the standby replays the demo database');
  const notStandby = spawnSync(bin, ['serve', '--db', db, '--db-read', db], { encoding: 'utf8' });
  ok(notStandby.status === 2 && /not a hot standby/.test(notStandby.stderr), 'a --db-read that is not a standby is refused', notStandby.stderr);

  const srv = await startServer(bin, db, ['--quiet', '--db-read', replica]);
  const U = srv.url;
  const { req, signIn } = client(U, creds);
  const lead = await signIn('lead');
  const member = await signIn('member');
  ok(lead.cookie && member.cookie, 'a lead and a member sign in');
  const values = await req('GET', '/values', member);
  ok(values.status === 200 && values.text.includes('Compassion'), 'a page read through the server with a standby', values.status);

  // The position reads wait for is the primary's flushed one (db_replica.c): WAL that nothing has
  // flushed yet (here a transaction left open in another session, which moves the change generation,
  // a sequence, at once; in life any record in a part-filled page) does not keep reads from a standby
  // that has replayed every flushed byte. With the insert position this read waited 50 ms for WAL
  // the standby could not have until something flushed it, then went to the primary. The open
  // transaction changes one row whose page was changed just before, so that its WAL is a few small
  // records (no full-page image) that nothing flushes until the next commit or the background
  // writer's next note of running transactions (up to 15 s on).
  const row = "(SELECT max(id) FROM org_values WHERE name <> 'Compassion')";
  psql(pg, name, `UPDATE org_values SET description = description WHERE id = ${row}`);
  await new Promise((r) => setTimeout(r, 700)); // the WAL writer flushes that asynchronous commit
  const open = spawn('psql', ['-h', pg, '-U', 'postgres', '-d', name, '-Aq'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let openOut = '';
  open.stdout.on('data', (d) => { openOut += d; });
  open.stdin.write(`BEGIN; UPDATE org_values SET description = description || '' WHERE id = ${row}; ` +
    "SELECT nextval('purpose_generation'); SELECT 'held';\n");
  for (let i = 0; i < 200 && !openOut.includes('held'); i++) await new Promise((r) => setTimeout(r, 20));
  await req('GET', '/values?gen=1'); // the server reads the new generation's position
  const flushed = Number(psql(pg, name, "SELECT pg_current_wal_flush_lsn() - '0/0'"));
  let replayed = 0;
  for (let i = 0; i < 600 && replayed < flushed; i++) {
    replayed = Number(psql(sdir, name, "SELECT pg_last_wal_replay_lsn() - '0/0'"));
    if (replayed < flushed) await new Promise((r) => setTimeout(r, 50));
  }
  psql(sdir, name, 'SELECT pg_wal_replay_pause()');
  for (let i = 0; i < 200 && psql(sdir, name, 'SELECT pg_get_wal_replay_pause_state()') !== 'paused'; i++)
    await new Promise((r) => setTimeout(r, 20));
  psql(pg, name, "UPDATE org_values SET name = 'Kindness unflushed' WHERE name = 'Compassion'");
  const unflushed = await req('GET', '/values?fresh=0');
  ok(openOut.includes('held') && unflushed.text.includes('Compassion') && !unflushed.text.includes('Kindness unflushed'),
    'reads go to a standby that has replayed every flushed byte, though the primary holds more not yet flushed',
    `replayed ${replayed} of ${flushed}`);
  open.stdin.end('ROLLBACK;\n');
  await new Promise((r) => open.once('close', r));
  psql(pg, name, "UPDATE org_values SET name = 'Compassion' WHERE name = 'Kindness unflushed'");
  psql(sdir, name, 'SELECT pg_wal_replay_resume()');

  // Reads go to the standby: with its replay paused, a value renamed on the primary behind
  // Purpose's back (no change generation) is still the old name in the next page read.
  await pause(sdir, name);
  psql(pg, name, "UPDATE org_values SET name = 'Kindness renamed' WHERE name = 'Compassion'");
  const stale = await req('GET', '/values?fresh=1', member);
  ok(stale.status === 200 && stale.text.includes('Compassion') && !stale.text.includes('Kindness renamed'),
    'reads come from the standby (paused: the value changed behind its back is still the old one)');

  // The lead writes through the API: their next read shows it although the standby is paused, and
  // so does another person's (no answer older than the change generation it is cached under).
  const vision = `Read your writes ${Date.now()}`;
  const put = await req('PUT', '/api/v1/statements/vision', { ...lead, json: { text: vision } });
  ok(put.status === 200, 'the lead changes the vision through the API', put.status);
  const t0 = Date.now();
  const mine = await req('GET', '/api/v1/purpose', lead);
  ok(mine.text.includes(vision), 'the writer reads their own API write at once (the standby is paused)', mine.text.slice(0, 200));
  console.log(`# that read took ${Date.now() - t0} ms (the standby is waited for up to 50 ms, then the primary answers)`);
  const theirs = await req('GET', '/api/v1/purpose', member);
  ok(theirs.text.includes(vision), 'another person reads it too: no answer is older than its generation');
  const now = await req('GET', '/values?fresh=2', member);
  ok(now.text.includes('Kindness renamed'), 'and the row changed behind its back is now read from the primary');

  // A page form: the lead saves the purpose and sees it on the next page.
  const form = await req('GET', '/strategy/purpose/edit', lead);
  const purpose = `Purpose through a form ${Date.now()}`;
  const saved = await req('POST', '/strategy/purpose/edit', { cookie: lead.cookie, form: { csrf: csrfIn(form.text), text: purpose } });
  ok(saved.status === 303, 'the lead saves the purpose through its page form', saved.status);
  const page = await req('GET', '/strategy', lead);
  ok(page.status === 200 && page.text.includes(purpose), 'the next page shows the purpose saved');

  psql(sdir, name, 'SELECT pg_wal_replay_resume()');
  ok(await caughtUp(name), 'the standby catches up once resumed');

  // The standby stops: reads answer from the primary (no 5xx), with the latest data.
  execFileSync(pgsh, ['standby-down', pg]);
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await req('GET', `/strategy?down=${i}`, lead)).status);
  const down = await req('GET', '/api/v1/purpose', member);
  ok(codes.every((c) => c === 200) && down.status === 200 && down.text.includes(vision),
    'with the standby stopped every read answers from the primary', codes.join(' '));
  const vision2 = `Written while the standby is away ${Date.now()}`;
  const put2 = await req('PUT', '/api/v1/statements/vision', { ...lead, json: { text: vision2 } });
  ok(put2.status === 200 && (await req('GET', '/api/v1/purpose', lead)).text.includes(vision2),
    'writes and reads go on without it');

  // Back again: after the retry interval reads go to it again (the paused-replay trick once more).
  execFileSync(pgsh, ['standby-up', pg]);
  ok(await caughtUp(name), 'the standby is back and catches up');
  await new Promise((r) => setTimeout(r, 2200));
  await req('GET', '/values?warm=1', member);
  await pause(`${pg}/standby`, name);
  psql(pg, name, "UPDATE org_values SET name = 'Kindness renamed again' WHERE name = 'Kindness renamed'");
  const again = await req('GET', '/values?fresh=3', member);
  ok(again.text.includes('Kindness renamed') && !again.text.includes('Kindness renamed again'),
    'reads go to the standby again once it is back');
  psql(`${pg}/standby`, name, 'SELECT pg_wal_replay_resume()');
  await srv.stop();
} finally {
  await done();
  execFileSync(pgsh, ['stop', pg]);
  rmSync(dir, { recursive: true, force: true });
}
