// Pulse answers attacked (issue 20 with issue 17's promise, docs/privacy.md "Pulses"). Twenty people
// in two rounds of ten (the rounds side by side, each person of a round in a second of their own)
// sign in, answer a wave (their own values and groups) and sign out; five more answer by the link
// without signing in. An attacker holding every table (the audit log and the sessions included), the
// access log and the server's output then tries to tie an answer to a person:
// - direct links: a row holding both a person and the pulse or its wave; a log line carrying an
//   answer's values or the link's key;
// - rows per answer: any row made, or moved in stored order, by answering (SQLite's rows are read in
//   stored order; PostgreSQL's with their xmin after purpose db scrub, and before it as information);
// - unmasking: every value in the database tried as the key of the one-answer-per-wave tokens while
//   the wave is open (a positive control with the real key file finds every signed-in person's);
// - closing the wave forgets who answered: no token is left.
// usage: node tests/http/pulses_attack.test.mjs [build/release/purpose]
import { execFileSync, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ok, done, demoDb, startServer, engine, keyFile } from '../lib/server.mjs';
import { browser, csrfOf } from '../lib/browse.mjs';
import { blake2b } from '../lib/blake2b.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const logPath = join(env.dir, 'access.log');
const ROUNDS = 2, PER_ROUND = 10, PEOPLE = ROUNDS * PER_ROUND, LINKED = 5;
const shuffle = (a) => { for (let i = a.length - 1; i > 0; i--) { const j = randomInt(i + 1); [a[i], a[j]] = [a[j], a[i]]; } return a; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const STAFF = ['sg-nursing', 'sg-medical', 'sg-ahp', 'sg-ambulance', 'sg-admin', 'sg-estates'];
const AGES = ['age-16', 'age-25', 'age-45', 'age-65'];

const order = shuffle([...Array(PEOPLE).keys()]);
const rounds = [...Array(ROUNDS).keys()].map((r) => order.slice(r * PER_ROUND, (r + 1) * PER_ROUND));
const people = [];
for (let i = 0; i < PEOPLE; i++)
  people.push({ i, username: `pulser${i}`, name: `Pulse Person${i}`, password: `pass-${randomInt(1e12)}-word`,
    groups: [STAFF[i % STAFF.length], AGES[i % AGES.length]] });
for (const i of shuffle([...Array(PEOPLE).keys()])) {
  const r = spawnSync(resolve(bin), ['user', 'add', people[i].username, '--role', 'member', '--name', people[i].name,
    '--password-stdin', '--db', env.db], { input: `${people[i].password}\n`, encoding: 'utf8', cwd: env.dir });
  if (r.status !== 0) throw new Error(r.stderr);
}

function dumpSqlite(db) {
  const q = (sql) => JSON.parse(execFileSync('sqlite3', ['-json', db, sql], { encoding: 'utf8', maxBuffer: 1 << 30 }) || '[]');
  const out = {};
  for (const { name } of q("SELECT name FROM sqlite_master WHERE type = 'table'")) out[name] = q(`SELECT * FROM "${name}"`);
  return out;
}
function dumpPostgres(url, heap = false) {
  const psql = (sql) => execFileSync('psql', ['-X', '-At', '-d', url, '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
  const out = {};
  for (const t of psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").split('\n').filter(Boolean))
    out[t] = JSON.parse(psql(heap ? `SELECT COALESCE(json_agg(x), '[]'::json) FROM (SELECT xmin::text::bigint AS xmin_, * FROM "${t}") x`
      : `SELECT COALESCE(json_agg(t ORDER BY t), '[]'::json) FROM "${t}" t`));
  return out;
}
const dump = (heap) => (engine === 'sqlite' ? dumpSqlite(env.db) : dumpPostgres(env.db, heap));

const srv = await startServer(bin, env.db, ['--access-log', logPath, '--trusted-proxy', '127.0.0.1']);
let failedSetup = null, pulse, wave, key, atOpen, whileOpen;
try {
  const lead = browser(srv, { 'X-Forwarded-For': '10.1.0.1' });
  let page = await lead.text('/sign-in');
  await lead.post('/sign-in', { csrf: csrfOf(page), username: env.creds.lead.username, password: env.creds.lead.password });
  pulse = await (await lead.api('POST', '/api/v1/pulses', { title: 'Attacked pulse', audience: 40 })).json();
  const opened = await (await lead.api('POST', `/api/v1/pulses/${pulse.id}/open`, {})).json();
  wave = opened.waves[0].id;
  key = opened.link_key;
  atOpen = dump(false);
  const act = async (k) => {
    const p = people[k];
    const b = browser(srv, { 'X-Forwarded-For': `10.2.0.${k + 1}` });
    let html = await b.text('/sign-in');
    await b.post('/sign-in', { csrf: csrfOf(html), username: p.username, password: p.password });
    html = await b.text(`/pulses/${pulse.id}/answer`);
    p.values = pulse.statements.map(() => 1 + randomInt(5));
    const form = [['csrf', csrfOf(html)], ['wave', String(wave)], ...pulse.statements.map((s, j) => [`s${s.id}`, String(p.values[j])]),
      ...p.groups.map((g) => ['group', g])];
    const r = await b.post(`/pulses/${pulse.id}/answer`, new URLSearchParams(form).toString());
    if (r.status !== 303) throw new Error(`answer: ${r.status} ${await r.text()}`);
    html = await b.text('/account');
    await b.post('/sign-out', { csrf: csrfOf(html) });
  };
  for (let s = 0; s < PER_ROUND; s++) {
    const t0 = Date.now();
    await Promise.all(rounds.map((r) => act(r[s])));
    await sleep(Math.max(0, 1100 - (Date.now() - t0)));
  }
  for (let n = 0; n < LINKED; n++) {
    const b = browser(srv, { 'X-Forwarded-For': `10.3.0.${n + 1}` });
    const html = await b.text(`/pulses/${pulse.id}/answer?k=${key}`);
    const form = [['csrf', csrfOf(html)], ['k', key], ['wave', String(wave)], ...pulse.statements.map((s) => [`s${s.id}`, String(1 + randomInt(5))])];
    const r = await b.post(`/pulses/${pulse.id}/answer`, new URLSearchParams(form).toString());
    if (r.status !== 303) throw new Error(`link answer: ${r.status}`);
  }
  whileOpen = dump(false);
  const closed = await lead.post(`/pulses/${pulse.id}/close`, { csrf: csrfOf(await lead.text(`/pulses/${pulse.id}`)), confirm: 'yes' });
  if (closed.status !== 303) throw new Error(`close: ${closed.status}`);
} catch (e) {
  failedSetup = e;
}
await srv.stop();
ok(!failedSetup, `${PEOPLE} people sign in, answer and sign out; ${LINKED} answer by the link; the wave closes`, failedSetup?.stack);

let db = dump(false);
const log = (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '') + srv.stderr();
const logLines = log.split('\n').filter(Boolean);
ok(Object.keys(db).length > 20 && db.audit && logLines.length > PEOPLE * 4,
  `the attacker reads ${Object.keys(db).length} tables and ${logLines.length} lines of log and output`);
const users = Object.fromEntries((db.users || []).map((u) => [u.username, u]));
for (const p of people) p.id = users[p.username]?.id;

// ---- direct links --------------------------------------------------------------------------------
const same = (v, n) => v !== null && v !== undefined && String(v) === String(n);
const mentionsPerson = (row, p) => Object.entries(row).some(([k, v]) => (typeof v === 'string' && (v.includes(p.username) || v.includes(p.name)))
  || (/user_id|actor_id/.test(k) && same(v, p.id)));
const mentionsPulse = (t, row) => same(row.wave_id, wave) || same(row.pulse_id, pulse.id) || (t === 'pulses' && same(row.id, pulse.id))
  || (t === 'pulse_waves' && same(row.id, wave)) || (row.entity === 'pulse' && same(row.entity_id, pulse.id))
  || Object.values(row).some((v) => typeof v === 'string' && (v.includes(`/pulses/${pulse.id}`) || v.includes(key)));
const direct = [];
for (const [t, rows] of Object.entries(db))
  for (const row of rows)
    if (mentionsPulse(t, row) && people.some((p) => mentionsPerson(row, p))) direct.push(`${t}: ${JSON.stringify(row).slice(0, 200)}`);
ok(people.every((p) => p.id) && direct.length === 0, 'no row holds both a person and the pulse or its wave', direct.slice(0, 5).join('\n'));
const pulseAudit = (db.audit || []).filter((a) => a.entity === 'pulse' && same(a.entity_id, pulse.id)).map((a) => a.action).sort();
ok(JSON.stringify(pulseAudit) === JSON.stringify(['close', 'create', 'open']), 'the audit log has the lead\'s create, open and close, and no row per answer', pulseAudit.join(' '));
const answerLines = logLines.filter((l) => l.includes(`/pulses/${pulse.id}/answer`));
const leaky = logLines.filter((l) => l.includes(key) || /[?&]s\d+=|group=|wave=/.test(l));
ok(answerLines.length >= PEOPLE + LINKED && answerLines.every((l) => !l.includes('?')) && leaky.length === 0,
  `the ${answerLines.length} log lines about answering carry no query, value, group or key`, leaky.slice(0, 3).join('\n'));

// ---- rows per answer -----------------------------------------------------------------------------
const grew = Object.keys(db).filter((t) => /^pulse/.test(t) && (db[t].length !== (atOpen[t] || []).length));
ok(grew.length === 0, 'answering made no row in any pulse table (counts made at 0 when the wave opened)', grew.join(', '));
ok((whileOpen.pulse_tokens || []).length === PEOPLE + LINKED && (db.pulse_tokens || []).length === 0,
  `while open, one token per person (${(whileOpen.pulse_tokens || []).length}); closing the wave forgot them all`);
const keyOf = (rows) => rows.map((r) => `${r.wave_id}/${r.statement_id}/${r.grp}/${r.value}`).join(' ');
const mine = (rows) => rows.filter((r) => same(r.wave_id, wave));
ok(engine !== 'sqlite' || keyOf(mine(db.pulse_counts)) === keyOf(mine(atOpen.pulse_counts)),
  engine === 'sqlite' ? 'the counts are in the stored order they had before anyone answered' : 'PostgreSQL: stored order read after purpose db scrub (below)');
// The counts are the answers' sum, and nothing finer.
const everyone = mine(db.pulse_counts).filter((r) => r.grp === '');
const total = everyone.filter((r) => same(r.statement_id, pulse.statements[0].id)).reduce((x, r) => x + Number(r.n), 0);
ok(total === PEOPLE + LINKED, `the counts hold the ${total} answers as totals`);

// ---- unmasking the tokens with anything in the database ---------------------------------------------
const tokens = new Set((whileOpen.pulse_tokens || []).map((t) => t.token));
const found = (k) => people.filter((p) => tokens.has(blake2b(`pulse:${wave}:account:${p.id}`, k).toString('hex'))).length;
const real = Buffer.from(readFileSync(keyFile(env.db), 'utf8').trim(), 'hex');
ok(found(real) === PEOPLE, `positive control: the real key file ties every signed-in person to a token while the wave is open (${found(real)})`);
const candidates = new Map();
for (const rows of Object.values(whileOpen))
  for (const row of rows)
    for (const v of Object.values(row)) {
      if (typeof v !== 'string' || v.length > 520) continue;
      const hex = v.replace(/^\\?x/, '');
      if (/^([0-9a-fA-F]{64})+$/.test(hex)) for (let i = 0; i < hex.length; i += 64) candidates.set(hex.slice(i, i + 64), Buffer.from(hex.slice(i, i + 64), 'hex'));
      if (/^[A-Za-z0-9_-]{43}$/.test(v)) candidates.set(v, Buffer.from(v, 'base64url'));
      if (Buffer.byteLength(v) === 32) candidates.set(v, Buffer.from(v, 'utf8'));
    }
// A key is the key or not: the first person's token screens it, the full check confirms.
const p0 = people[0];
const unmasked = [...candidates.values()].filter((k) => tokens.has(blake2b(`pulse:${wave}:account:${p0.id}`, k).toString('hex'))
  && found(k) > 0).length;
ok(unmasked === 0, `unmasking: none of the ${candidates.size} values in the database ties a person to a token`);

// ---- what the engine keeps, and purpose db scrub ---------------------------------------------------
if (engine === 'postgresql') {
  const heap = dumpPostgres(env.db, true);
  const xmins = new Set(mine(heap.pulse_counts).filter((r) => Number(r.n) > 0).map((r) => r.xmin_));
  console.log(`# before purpose db scrub, PostgreSQL's xmin splits the wave's counts into ${xmins.size} transactions (an engine internal)`);
}
const r = spawnSync(resolve(bin), ['db', 'scrub', '--db', env.db], { encoding: 'utf8', cwd: env.dir });
ok(r.status === 0, 'purpose db scrub', r.stderr);
if (engine === 'postgresql') {
  db = dumpPostgres(env.db, true);
  const xmins = new Set([...mine(db.pulse_counts), ...db.pulse_waves.filter((w) => same(w.id, wave))].map((x) => x.xmin_));
  const byKey = [...mine(db.pulse_counts)].sort((a, b) => a.statement_id - b.statement_id || (a.grp < b.grp ? -1 : a.grp > b.grp) || a.value - b.value);
  ok(xmins.size === 1 && keyOf(mine(db.pulse_counts)) === keyOf(byKey),
    'after purpose db scrub, the counts and the wave share one xmin and lie in key order');
} else {
  db = dumpSqlite(env.db);
  ok(keyOf(mine(db.pulse_counts)) === keyOf(mine(atOpen.pulse_counts)), 'after purpose db scrub, the counts keep the order they were made in');
}

env.cleanup();
done();
