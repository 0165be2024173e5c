// The anonymity promise attacked (issue 17, docs/privacy.md). Six rounds of ten people: in each round
// the ten, in a random order, each sign in, describe their groups, post one anonymous and one named
// idea (in a random order), vote and sign out, over HTTP (the rounds run side by side, one person of
// each at a time, each person of a round in a second of their own). Then an attacker holding every table (audit log and sessions included), the
// access log and the server's output tries to tell who wrote each anonymous idea, and how each
// signed-in person voted:
// - direct links: a row or a log line holding both an anonymous idea and a person; a log line that
//   carries an anonymous idea's id at all;
// - order links: every per-idea number (ids, times, rows that refer to it, their positions, log lines)
//   ranked against every per-person number (user ids, sign-in times, their named idea, their audit
//   rows, their place in the log) within each round and summed over the rounds; the attacker's best
//   matching must stay near chance (1 in 10 in each round; the bar is explained at orderAttack);
// - unmasking: every value in the database tried as the key of the group masks and vote hashes.
// A positive control unmasks everything with the real key file, which proves the attack works.
// Opinion groups (docs/opinions.md) are on in the conversation and in a second one where everyone
// votes too: each person's votes in a conversation share a pseudonym, and the attacker also tries to
// tie each pseudonym to its person (direct, order and unmasking, the key file included, from the
// account) and the two conversations' pseudonyms to each other (shared values, any order).
// Physical row order on PostgreSQL (heap order, xmin) is an engine internal named in docs/privacy.md:
// its rows are compared as a set; SQLite's rows are read in their stored order, positions included.
// usage: node tests/http/anonymity_attack.test.mjs [build/release/purpose]
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ok, done, demoDb, startServer, engine, keyFile } from '../lib/server.mjs';
import { blake2b } from '../lib/blake2b.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const logPath = join(env.dir, 'access.log');
const ROUNDS = 6, PER_ROUND = 10, PEOPLE = ROUNDS * PER_ROUND;
const shuffle = (a) => { for (let i = a.length - 1; i > 0; i--) { const j = randomInt(i + 1); [a[i], a[j]] = [a[j], a[i]]; } return a; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const words = ['ward', 'rota', 'lift', 'handover', 'parking', 'canteen', 'training', 'night', 'beds', 'clinic', 'notes', 'phones'];
const phrase = () => `${shuffle([...words]).slice(0, 5).join(' ')} ${randomInt(1e9)}`;

// Groups (store_groups order: the bit of each in a contribution's mask); each person an unusual mix.
const GROUPS = ['staff', 'patient', 'carer', 'lived', 'partner', 'public', 'sg-nursing', 'sg-medical', 'sg-ahp',
  'sg-ambulance', 'sg-admin', 'sg-estates', 'age-16', 'age-25', 'age-45', 'age-65', 'eth-A', 'eth-B', 'eth-C', 'eth-D',
  'eth-E', 'eth-F', 'eth-G', 'eth-H', 'eth-J', 'eth-K', 'eth-L', 'eth-M', 'eth-N', 'eth-P'];
const bitsOf = (gs) => { const b = Buffer.alloc(32); for (const g of gs) { const i = GROUPS.indexOf(g); b[i >> 3] |= 1 << (i & 7); } return b; };

// ---- the people, made in a random order so that user ids follow no one's activity ------------------
// order: who acts when; rounds[r][s]: the person of round r in slot s (each slot a second of its own).
const order = shuffle([...Array(PEOPLE).keys()]);
const rounds = [...Array(ROUNDS).keys()].map((r) => order.slice(r * PER_ROUND, (r + 1) * PER_ROUND));
const people = [];
for (let i = 0; i < PEOPLE; i++) {
  const username = `person${i}`, password = `pass-${randomInt(1e12)}-word`;
  people.push({ i, username, name: `Person Number${i}`, password,
    groups: ['staff', GROUPS[6 + (i % 6)], GROUPS[12 + (i % 4)], GROUPS[16 + (i % 14)]] });
}
for (const i of shuffle([...Array(PEOPLE).keys()])) {
  const r = spawnSync(resolve(bin), ['user', 'add', people[i].username, '--role', 'member', '--name', people[i].name,
    '--password-stdin', '--db', env.db], { input: `${people[i].password}\n`, encoding: 'utf8', cwd: env.dir });
  if (r.status !== 0) throw new Error(r.stderr);
}
// PURPOSE_FAULT_HEADER: one look at each idea's page fails on purpose, so that the server's error
// lines (its output, beside the access log) are attacked too.
const srv = await startServer(bin, env.db, ['--access-log', logPath, '--trusted-proxy', '127.0.0.1'], { PURPOSE_FAULT_HEADER: '1' });
let faulted = 0;

function browser(addr) {
  const jar = new Map();
  const take = (r) => {
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const k = kv.slice(0, kv.indexOf('='));
      if (/Max-Age=0/.test(c)) jar.delete(k); else jar.set(k, kv.slice(k.length + 1));
    }
    return r;
  };
  const h = (extra = {}) => ({ Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Forwarded-For': addr, ...extra });
  return {
    cookie: (k) => jar.get(k),
    get: async (p) => take(await fetch(srv.url + p, { redirect: 'manual', headers: h() })),
    post: async (p, form) => take(await fetch(srv.url + p, { method: 'POST', redirect: 'manual',
      headers: h({ 'Content-Type': 'application/x-www-form-urlencoded' }), body: new URLSearchParams(form) })),
    api: async (method, p, json) => {
      const me = await (await fetch(srv.url + '/api/v1/me', { headers: h() })).json();
      const r = await fetch(srv.url + p, { method, headers: h({ 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }),
        body: JSON.stringify(json) });
      return r.json();
    },
  };
}
const csrfOf = (html) => (html.match(/name="csrf" value="([^"]+)"/) || [])[1];
async function signIn(b, username, password) {
  const page = await (await b.get('/sign-in')).text();
  return b.post('/sign-in', { csrf: csrfOf(page), username, password });
}

let failedSetup = null;
const convs = [];
try {
  // A lead opens a conversation and seeds three ideas to vote on (nobody votes on the people's own
  // ideas, whose vote counts would otherwise grow with their age and say which came first).
  const lead = browser('10.1.0.1');
  await signIn(lead, env.creds.lead.username, env.creds.lead.password);
  const now = Math.floor(Date.now() / 1000);
  const conv = await lead.api('POST', '/api/v1/conversations', { question: 'What would make work better?', audience: 'all',
    privacy: 'We keep what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false });
  const seeded = [];
  for (const body of ['More staff on nights', 'A quiet room', 'Fewer meetings'])
    seeded.push((await lead.api('POST', `/api/v1/conversations/${conv.id}/contributions`, { body })).id);
  const page = `/conversations/${conv.id}`;
  // Opinion groups on, here and in a second conversation everyone votes in as well.
  const conv2 = await lead.api('POST', '/api/v1/conversations', { question: 'What would make the canteen better?', audience: 'all',
    privacy: 'We keep what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false });
  const seeded2 = [];
  for (const body of ['Hot food at night', 'Longer hours', 'Cheaper coffee'])
    seeded2.push((await lead.api('POST', `/api/v1/conversations/${conv2.id}/contributions`, { body })).id);
  for (const c of [conv, conv2])
    if ((await lead.api('PUT', `/api/v1/conversations/${c.id}/opinions`, { on: true })).on !== true)
      throw new Error('opinion groups could not be turned on');
  convs.push(conv.id, conv2.id);

  const act = async (k) => {
    const p = people[k];
    const b = browser(`10.2.0.${k + 1}`);
    await signIn(b, p.username, p.password);
    let html = await (await b.get(page)).text();
    let r = await b.post(`${page}/about-me`, [['csrf', csrfOf(html)], ...p.groups.map((g) => ['group', g])]);
    if (r.status !== 303) throw new Error(`about-me: ${r.status} ${await r.text()}`);
    p.anonBody = `Anonymous: ${phrase()}`;
    p.namedBody = `Named: ${phrase()}`;
    for (const anonymous of shuffle([true, false])) {
      html = await (await b.get(page)).text();
      const form = anonymous ? { csrf: csrfOf(html), body: p.anonBody, anonymous: '1' }
        : { csrf: csrfOf(html), body: p.namedBody, named: '1' };
      r = await b.post(`${page}/contribute`, form);
      if (r.status !== 303) throw new Error(`contribute: ${r.status} ${await r.text()}`);
    }
    // Each looks at their anonymous idea's own page, found through "My contributions", as people do.
    html = await (await b.get(`${page}/mine`)).text();
    for (const m of html.matchAll(/withdraw\?item=(\d+)/g)) {
      r = await b.get(`/conversations/ideas/${m[1]}`);
      if (r.status !== 200) throw new Error(`idea page: ${r.status}`);
      const f = await fetch(`${srv.url}/conversations/ideas/${m[1]}`, { headers: { 'X-Purpose-Fault': '1' } });
      await f.text();
      if (f.status >= 500) faulted++;
    }
    p.votes = [];
    for (const item of shuffle([...seeded]).slice(0, 2)) {
      const vote = ['agree', 'disagree', 'unsure'][randomInt(3)];
      html = await (await b.get(page)).text();
      r = await b.post(`${page}/vote`, { csrf: csrfOf(html), item: String(item), vote });
      if (r.status !== 303) throw new Error(`vote: ${r.status} ${await r.text()}`);
      p.votes.push({ item, vote });
    }
    p.votes2 = [];
    for (const item of shuffle([...seeded2]).slice(0, 2)) {
      const vote = ['agree', 'disagree', 'unsure'][randomInt(3)];
      html = await (await b.get(`/conversations/${convs[1]}`)).text();
      r = await b.post(`/conversations/${convs[1]}/vote`, { csrf: csrfOf(html), item: String(item), vote });
      if (r.status !== 303) throw new Error(`vote: ${r.status} ${await r.text()}`);
      p.votes2.push({ item, vote });
    }
    // The ground truth the attacker does not have: the contributor session's secret.
    p.secret = String(b.cookie('purpose_contributor') || '').split('.')[0];
    html = await (await b.get(page)).text();
    await b.post('/sign-out', { csrf: csrfOf(html) });
  };
  for (let s = 0; s < PER_ROUND; s++) {
    const t0 = Date.now();
    await Promise.all(rounds.map((r) => act(r[s])));
    // each person of a round in a second of their own, so that times could tell them apart
    await sleep(Math.max(0, 1100 - (Date.now() - t0)));
  }
} catch (e) {
  failedSetup = e;
}
await srv.stop();
ok(!failedSetup, `${PEOPLE} people in ${ROUNDS} rounds sign in, describe themselves, post, vote and sign out`, failedSetup && failedSetup.stack);

// ---- everything the attacker can read ------------------------------------------------------------
function dumpSqlite(db) {
  const q = (sql) => JSON.parse(execFileSync('sqlite3', ['-json', db, sql], { encoding: 'utf8', maxBuffer: 1 << 30 }) || '[]');
  const tables = q("SELECT name FROM sqlite_master WHERE type = 'table'").map((t) => t.name);
  const out = {};
  for (const t of tables) {
    const cols = q(`PRAGMA table_info("${t}")`).map((c) => c.name);
    const sel = cols.map((c) => `CASE WHEN typeof("${c}") = 'blob' THEN 'x' || hex("${c}") ELSE "${c}" END AS "${c}"`).join(', ');
    out[t] = q(`SELECT ${sel} FROM "${t}"`); // stored order: positions are part of what is read
  }
  return out;
}
// heap: rows in heap order with their xmin (an engine internal, erased by purpose db scrub); else
// as a set.
function dumpPostgres(url, heap = false) {
  const psql = (sql) => execFileSync('psql', ['-X', '-At', '-d', url, '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
  const tables = psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").split('\n').filter(Boolean);
  const out = {};
  for (const t of tables) {
    const rows = JSON.parse(psql(heap ? `SELECT COALESCE(json_agg(x), '[]'::json) FROM (SELECT xmin::text::bigint AS xmin_, * FROM "${t}") x`
      : `SELECT COALESCE(json_agg(t), '[]'::json) FROM "${t}" t`));
    out[t] = heap ? rows : rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}
let db = engine === 'sqlite' ? dumpSqlite(env.db) : dumpPostgres(env.db);
const log = (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '') + srv.stderr();
const logLines = log.split('\n').filter(Boolean);
ok(Object.keys(db).length > 20 && db.audit && db.sessions !== undefined && logLines.length > 100,
  `the attacker reads ${Object.keys(db).length} tables and ${logLines.length} lines of log and output`);

const users = Object.fromEntries((db.users || []).map((u) => [u.username, u]));
const contributions = db.contributions || [];
for (const p of people) {
  p.id = users[p.username]?.id;
  p.anon = contributions.find((c) => c.body === p.anonBody);
  p.named = contributions.find((c) => c.body === p.namedBody);
}
const complete = people.every((p) => p.id && p.anon && p.named && p.anon.user_id === null && p.named.user_id === p.id);
ok(complete, 'each person has one anonymous idea (no user id) and one named idea (theirs) in the database',
  JSON.stringify(people.map((p) => [p.username, p.anon?.user_id, p.named?.user_id])));
// Each person's pseudonym in each conversation, found (for the test, not the attacker) as the
// opinion their votes share.
const voteRows = db.votes || [];
const realKey = complete ? readKey() : Buffer.alloc(32);
for (const p of people) p.pseudonyms = convs.map((c) => blake2b(`opinion:${c}:${p.secret}`, realKey).toString('hex'));
const pseudonymsIn = (c) => new Set(voteRows.filter((v) => v.opinion && people.some((p) => p.pseudonyms[c] === v.opinion)).map((v) => v.opinion));
const grouped = complete && people.every((p) => p.secret && [0, 1].every((c) =>
  voteRows.filter((v) => v.opinion === p.pseudonyms[c]).length === 2));
ok(grouped, "positive control: each person's two votes in each conversation share the pseudonym the real key gives (opinion groups on)",
  JSON.stringify(voteRows.slice(0, 3)));

// ---- direct links ------------------------------------------------------------------------------
const same = (v, n) => v !== null && v !== undefined && String(v) === String(n);
// A row refers to a contribution through the columns that hold contribution ids.
const refersTo = (t, row, c) => (t === 'contributions' && same(row.id, c.id)) || same(row.contribution_id, c.id)
  || same(row.parent_id, c.id) || (row.entity === 'contribution' && same(row.entity_id, c.id));
const mentionsIdea = (t, row, c) => refersTo(t, row, c) || Object.values(row).some((v) => typeof v === 'string' && v.includes(c.body));
const mentionsPerson = (row, p) => Object.entries(row).some(([k, v]) => (typeof v === 'string' && (v.includes(p.username) || v.includes(p.name)))
  || (/user_id|actor_id/.test(k) && same(v, p.id)));
let direct = [];
if (complete) {
  for (const [t, rows] of Object.entries(db))
    for (const row of rows)
      if (people.some((p) => mentionsIdea(t, row, p.anon)) && people.some((q) => mentionsPerson(row, q)))
        direct.push(`${t}: ${JSON.stringify(row).slice(0, 200)}`);
}
ok(complete && direct.length === 0, 'no row holds both an anonymous idea and a person', direct.slice(0, 5).join('\n'));
const directP = [];
if (grouped)
  for (const [t, rows] of Object.entries(db))
    for (const row of rows)
      if (people.some((p) => Object.values(row).some((v) => typeof v === 'string' && p.pseudonyms.some((x) => v.includes(x))))
        && people.some((q) => mentionsPerson(row, q)))
        directP.push(`${t}: ${JSON.stringify(row).slice(0, 200)}`);
ok(grouped && directP.length === 0, "no row holds both a person's pseudonym and a person", directP.slice(0, 5).join('\n'));
const pLines = grouped ? logLines.filter((l) => people.some((p) => p.pseudonyms.some((x) => l.includes(x.slice(0, 16))))) : [];
ok(grouped && pLines.length === 0, "no line of the access log or the server's output carries a pseudonym", pLines.slice(0, 3).join('\n'));
const shared = grouped ? [...pseudonymsIn(0)].filter((x) => pseudonymsIn(1).has(x)) : ['?'];
ok(grouped && shared.length === 0 && pseudonymsIn(0).size === PEOPLE && pseudonymsIn(1).size === PEOPLE,
  "the two conversations' pseudonyms share no value", shared.join(' '));
const idLines = complete ? logLines.filter((l) => people.some((p) => new RegExp(`(^|[^0-9])${p.anon.id}([^0-9]|$)`).test(l) || l.includes(p.anonBody))) : [];
ok(faulted >= people.length, `a failed look at each anonymous idea wrote its error line (${faulted})`);
ok(complete && idLines.length === 0, "no line of the access log or the server's output carries an anonymous idea's id or text",
  idLines.slice(0, 5).join('\n'));

// ---- order links ---------------------------------------------------------------------------------
// Features: per anonymous idea (from any row that names its id) and per person (from any row of
// theirs), each a number per row column, and on SQLite the row's position in its table.
function features(match, positions) {
  const f = {};
  const put = (name, who, v) => {
    if (typeof v !== 'number') return;
    (f[name] ||= new Map());
    const m = f[name];
    if (!m.has(who)) m.set(who, [v, v]); else { const [lo, hi] = m.get(who); m.set(who, [Math.min(lo, v), Math.max(hi, v)]); }
  };
  for (const [t, rows] of Object.entries(db))
    rows.forEach((row, pos) => {
      for (const who of match(t, row)) {
        if (positions) put(`${t}#position`, who, pos);
        for (const [k, v] of Object.entries(row)) put(`${t}.${k}`, who, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v);
      }
    });
  return f;
}
function expectedCorrect(xs, ys, reverse) {
  // Ranks with ties as intervals: the attacker pairs the i-th idea with the i-th person, breaking
  // ties at random; the expected number of right pairs is exact.
  const interval = (vals) => vals.map((v) => [vals.filter((w) => w < v).length, vals.filter((w) => w <= v).length]);
  const a = interval(reverse ? xs.map((v) => -v) : xs), b = interval(ys);
  let e = 0;
  for (let k = 0; k < xs.length; k++) {
    const lo = Math.max(a[k][0], b[k][0]), hi = Math.min(a[k][1], b[k][1]);
    if (hi > lo) e += (hi - lo) / ((a[k][1] - a[k][0]) * (b[k][1] - b[k][0]));
  }
  return e;
}
// The statistics. In one round, pairing the ten ideas with the ten people by an order that has
// nothing to do with who wrote what is a random permutation: the number it names right has the
// distribution of a random permutation's fixed points (mean 1, variance 1, whatever the size). Over
// the rounds (independent, as the ids are random and each round ranked on its own) the score is the
// sum of ROUNDS such numbers: chance is ROUNDS, one in ten. nullTail(k) = P(sum >= k), exact.
function nullTail(k) {
  const n = PER_ROUND, f = [1];
  for (let i = 1; i <= n; i++) f.push(f[i - 1] * i);
  const d = [1, 0]; for (let i = 2; i <= n; i++) d.push((i - 1) * (d[i - 1] + d[i - 2]));
  const one = [...Array(n + 1).keys()].map((j) => f[n] / (f[j] * f[n - j]) * d[n - j] / f[n]);
  let sum = [1];
  for (let r = 0; r < ROUNDS; r++) {
    const next = new Array(sum.length + n).fill(0);
    sum.forEach((x, i) => one.forEach((y, j) => { next[i + j] += x * y; }));
    sum = next;
  }
  return sum.slice(Math.max(0, k)).reduce((x, y) => x + y, 0);
}
// A leak, by two bars, each of which fails the test:
// 1. significance: luck would give a score this high less than once in a thousand runs, counting
//    every distinct pairing tried (Bonferroni: the family's size times one pairing's tail). So the
//    test fails by chance at most once in a thousand runs, whatever the pairings' correlation.
// 2. size: the best score is more than LEAK_BAR times chance (3 of 10 per round, 18 of 60). The
//    best of several pairings sits above chance by selection: today's code tries 44 to 52 distinct
//    pairings on either engine (2 idea orders, the ids and the rows' positions, against 11 to 13
//    person orders, each both ways: printed), and one pairing at chance scores over 18 with
//    probability nullTail(19) = 1.8e-5, so the best of up to 56 less than once in 1000 runs (union
//    bound, whatever their correlation). A bar of 2x (over 12) would be crossed by one pairing at
//    chance with probability 8.8e-3, so by the best of 44 in a few runs out of a hundred: 60 people
//    are too few for 2x to be a fair bar, and 100 or more would not run in a minute.
// Together: at most about 2 runs in 1000 fail by luck. What fails every run: ids or times in arrival
// order (60 of 60); an attack naming half of each round (about 30; the bar this replaced let 5 of 10
// through); 4 of 10 in each round (24). What can pass: about 3 of 10 in each round, 3x chance.
const LEAK_BAR = 3;
const leaks = (b) => b.p < 0.001 || b.score > LEAK_BAR * ROUNDS;
// The best order attack on the database read (positions: whether row order is part of it).
// which: what is paired with what: anonymous ideas with people (the default), each person's
// pseudonym with people ('pseudonym'), or the pseudonyms of the two conversations ('conversations').
// Per-person features of the database read (the costliest part), once per read and positions.
const personMemo = new WeakMap();
function personFeatures(positions) {
  if (!personMemo.has(db)) personMemo.set(db, new Map());
  const m = personMemo.get(db);
  if (!m.has(positions))
    m.set(positions, features((t, row) => people.filter((p) => mentionsPerson(row, p) || (t === 'users' && same(row.id, p.id))).map((p) => p.i), positions));
  return m.get(positions);
}
function orderAttack(positions, which = 'ideas') {
  let best = { score: 0, what: 'none' };
  const family = new Set(), ideaOrders = new Set(), personOrders = new Set();
  const byPseudonym = (c) => {
    const whose = new Map(people.map((p) => [p.pseudonyms[c], p.i]));
    return features((t, row) => Object.values(row).filter((v) => whose.has(v)).map((v) => whose.get(v)), positions);
  };
  const ideaF = which === 'ideas' ? features((t, row) => people.filter((p) => refersTo(t, row, p.anon)).map((p) => p.i), positions)
    : byPseudonym(0);
  const personF = which === 'conversations' ? byPseudonym(1) : personFeatures(positions);
  if (which !== 'ideas') {
    // the pseudonyms' own values, in order (a hash's)
    ideaF['pseudonym#value'] = new Map(people.map((p) => [p.i, [parseInt(p.pseudonyms[0].slice(0, 12), 16), parseInt(p.pseudonyms[0].slice(0, 12), 16)]]));
    if (which === 'conversations')
      personF['pseudonym#value'] = new Map(people.map((p) => [p.i, [parseInt(p.pseudonyms[1].slice(0, 12), 16), parseInt(p.pseudonyms[1].slice(0, 12), 16)]]));
  }
  // The log: the attacker can tell each person's lines apart (the strongest case: their block of
  // requests in order, their slot in their round) and looks for lines about each idea.
  if (which !== 'conversations') personF['log#position'] = new Map(rounds.flatMap((r) => r.map((k, s) => [k, [s, s]])));
  if (which === 'ideas') logLines.forEach((l, n) => people.forEach((p) => {
    if (l.includes(String(p.anon.id))) (ideaF['log#line'] ||= new Map()).set(p.i, [n, n]);
  }));
  const rankKey = (vals) => JSON.stringify(vals.map((v) => vals.filter((w) => w < v).length));
  for (const [fa, ma] of Object.entries(ideaF))
    for (const [fp, mp] of Object.entries(personF))
      for (const end of [0, 1])
        for (const reverse of [false, true]) {
          if (ma.size < PEOPLE || mp.size < PEOPLE) continue;
          let e = 0, kx = '', ky = '';
          for (const r of rounds) {
            const xs = r.map((k) => ma.get(k)[0]);
            const ys = r.map((k) => mp.get(k)[end]);
            kx += rankKey(xs);
            ky += rankKey(ys);
            e += expectedCorrect(xs, ys, reverse);
          }
          family.add(`${reverse} ${kx} ${ky}`);
          ideaOrders.add(kx);
          personOrders.add(ky);
          if (e > best.score) best = { score: e, what: `${fa} against ${fp}${end ? ' (last)' : ''}${reverse ? ', reversed' : ''}` };
        }
  best.p = Math.min(1, family.size * nullTail(Math.ceil(best.score - 1e-9)));
  best.family = family.size;
  best.orders = `${ideaOrders.size} idea orders, ${personOrders.size} person orders`;
  return best;
}
const say = (b) => `${b.score.toFixed(2)} of ${PEOPLE} in ${ROUNDS} rounds of ${PER_ROUND} (chance ${ROUNDS}, bar ${LEAK_BAR * ROUNDS}; `
  + `${b.what}); ${b.family} distinct pairings tried (${b.orders}, each both ways); by luck in ${b.p.toPrecision(2)} of runs`;
let best = complete ? orderAttack(engine === 'sqlite') : { score: PEOPLE, what: 'none', p: 0, family: 0 };
console.log(`# the best order attack names ${say(best)}`);
ok(complete && !leaks(best), `order links: the best order attack names no more than luck would (${best.score.toFixed(2)} of ${PEOPLE})`,
  `${best.what}: p = ${best.p}`);
for (const [which, what] of [['pseudonym', "people's pseudonyms (their vote patterns) to them"], ['conversations', "one conversation's pseudonyms to the other's"]]) {
  const b = grouped ? orderAttack(engine === 'sqlite', which) : { score: PEOPLE, what: 'none', p: 0, family: 0, orders: '' };
  console.log(`# tying ${what}, the best order attack names ${say(b)}`);
  ok(grouped && !leaks(b), `order links: tying ${what} names no more than luck would (${b.score.toFixed(2)} of ${PEOPLE})`,
    `${b.what}: p = ${b.p}`);
}

// ---- unmasking with anything in the database ------------------------------------------------------
const candidates = new Map();
const addKey = (buf) => { if (buf.length >= 32) candidates.set(buf.subarray(0, 32).toString('hex'), buf.subarray(0, 32)); };
for (const rows of Object.values(db))
  for (const row of rows)
    for (const v of Object.values(row)) {
      // Any value that is, or holds, 32 bytes: hex (a blob, bytea or text, every 32-byte piece of up
      // to 256 bytes), base64url, or text of that length. Longer blobs are data (handover rows).
      if (typeof v !== 'string' || v.length > 520) continue;
      const hex = v.replace(/^\\?x/, '');
      if (/^([0-9a-fA-F]{64})+$/.test(hex))
        for (let i = 0; i < hex.length; i += 64) addKey(Buffer.from(hex.slice(i, i + 64), 'hex'));
      if (/^[A-Za-z0-9_-]{43}$/.test(v)) addKey(Buffer.from(v, 'base64url'));
      if (Buffer.byteLength(v) === 32) addKey(Buffer.from(v, 'utf8'));
    }
const votes = new Set((db.votes || []).map((v) => v.voter));
function unmasks(key) {
  let groups = 0, voters = 0;
  for (const p of people) {
    const tally = Buffer.from(p.anon.tally || '', 'hex');
    const pad = blake2b(`tally:${p.anon.id}`, key);
    if (tally.length === 32 && Buffer.compare(Buffer.from(tally.map((x, i) => x ^ pad[i])), bitsOf(p.groups)) === 0) groups++;
    for (const v of p.votes || []) if (votes.has(blake2b(`vote-account:${v.item}:${p.id}`, key).toString('hex'))) voters++;
  }
  return { groups, voters };
}
if (complete) {
  const real = unmasks(readKey());
  ok(real.groups === PEOPLE && real.voters === 2 * PEOPLE,
    `positive control: the real key file unmasks every idea's groups and every vote (${real.groups}, ${real.voters})`);
  ok(createHash('blake2b512').update('abc').digest('hex') === blake2b('abc', Buffer.alloc(0), 64).toString('hex'),
    "the attacker's BLAKE2b agrees with node's");
  let found = [];
  const [p0] = people, v0 = p0.votes[0];
  for (const [hex, key] of candidates) {
    // A key is the key or not: one mask and one vote screen it, the full check confirms.
    const pad = blake2b(`tally:${p0.anon.id}`, key), tally = Buffer.from(p0.anon.tally || '', 'hex');
    const screen = (tally.length === 32 && Buffer.compare(Buffer.from(tally.map((x, i) => x ^ pad[i])), bitsOf(p0.groups)) === 0)
      || votes.has(blake2b(`vote-account:${v0.item}:${p0.id}`, key).toString('hex'));
    if (!screen) continue;
    const u = unmasks(key);
    if (u.groups || u.voters) found.push(`${hex}: ${u.groups} groups, ${u.voters} votes`);
  }
  ok(found.length === 0, `unmasking: none of the ${candidates.size} values in the database unmasks a group or a vote`, found.join('\n'));
  // A pseudonym from anything the attacker knows of a person (their account id, username, name),
  // under every value in the database and under the real key file too: never from an account.
  const allPseudonyms = new Set(voteRows.map((v) => v.opinion).filter(Boolean));
  let fromAccount = 0;
  const fromPeople = (key, ps, cs) => {
    let n = 0;
    for (const c of cs)
      for (const p of ps)
        for (const who of [p.id, p.username, p.name])
          n += allPseudonyms.has(blake2b(`opinion:${c}:${who}`, key).toString('hex'));
    return n;
  };
  // Every value screened on one person in one conversation (as above), the key file on everyone.
  for (const key of candidates.values())
    if (fromPeople(key, [people[0]], [convs[0]])) fromAccount += fromPeople(key, people, convs);
  fromAccount += fromPeople(readKey(), people, convs);
  ok(grouped && fromAccount === 0,
    `unmasking: no pseudonym is made from an account, under any of ${candidates.size} values or the key file (${allPseudonyms.size} pseudonyms, the demo's included)`);
}
function readKey() {
  const k = keyFile(env.db);
  if (existsSync(k)) return Buffer.from(readFileSync(k, 'utf8').trim(), 'hex');
  // Before key files the key was in the database: the attacker's own job, done here for the control.
  const meta = (db.meta || []).find((m) => m.key === 'secret_key');
  return Buffer.from(String(meta?.value || '').replace(/^\\?x/, ''), 'hex');
}

// ---- what the engine keeps, and purpose db scrub (docs/privacy.md, "Engine internals") ----------
if (complete) {
  if (engine === 'postgresql') {
    db = dumpPostgres(env.db, true);
    console.log(`# before purpose db scrub, PostgreSQL's heap order and xmin name ${say(orderAttack(true))}`);
  }
  const r = spawnSync(resolve(bin), ['db', 'scrub', '--db', env.db], { encoding: 'utf8', cwd: env.dir });
  ok(r.status === 0, 'purpose db scrub', r.stderr);
  db = engine === 'sqlite' ? dumpSqlite(env.db) : dumpPostgres(env.db, true);
  const after = orderAttack(true);
  console.log(`# after purpose db scrub, row order${engine === 'sqlite' ? '' : ' and xmin'} name ${say(after)}`);
  ok(!leaks(after), `after purpose db scrub, the rows in stored order${engine === 'sqlite' ? '' : ' with their xmin'} name no more than luck would`,
    `${after.what}: p = ${after.p}`);
  if (engine === 'sqlite')
    ok(!existsSync(`${env.db}-wal`) || statSync(`${env.db}-wal`).size === 0, 'after purpose db scrub, the WAL holds no frames');
}

env.cleanup();
done();
