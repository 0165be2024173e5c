// An attack on the one caching rule (route_cache.c, issue 18 item 7), driven by two tables: the
// routes (`serve --routes --format json`: every GET with a cache policy, its paths, role and
// depends_on) and the writes below, one or more for each entity of src/store/topics.c's table and
// each write not audited row by row, made through the API, a page form or the CLI's own command
// while the server runs. After each write every cached path is requested, as the roles that share
// its cache, twice: as usual, and as a request that no cache may answer (X-Purpose-Fault with a step
// never reached, under PURPOSE_FAULT_HEADER=1: a rendering from the store as it is now). The two
// must be the same bytes, so an answer kept under a dependency the route forgot fails here, whatever
// the page shows. Each write must change at least the paths its row names, and the topics it bumps
// (topic_gens, read from the database) must be the ones its row names; a sentinel path whose route
// depends on none of them must still be answered by the rendering it had before (X-Purpose-Render,
// under PURPOSE_TEST=1). Routes with lag_ms (answers up to that old by design) are left out. Prints TAP.
// usage: node tests/http/cache_attack.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ok, done, demoDb, startServer, engine, keyFile } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = resolve(process.argv[2] || 'build/release/purpose');
const env = demoDb(bin);
const serve = () => startServer(bin, env.db, ['--quiet'], { PURPOSE_TEST: '1', PURPOSE_FAULT_HEADER: '1' });
const srv = await serve();
const U = srv.url;
const { req, signIn } = client(U, env.creds);
// More servers on the same database, each keeping a share of the paths: a server keeps 16 whole
// anonymous answers and 64 data bodies (answers.c, route_cache.c), so a path is kept only if fewer
// than that are requested between its priming and its reading. The first keeps the sentinels below; the writes go through it.
const WHOLE = 14, DATA = 56;
const servers = [srv];
const NEVER = '1000000'; // a database step no request reaches: the request is only kept from every cache

const routes = JSON.parse(execFileSync(bin, ['serve', '--routes', '--format', 'json'], { encoding: 'utf8' }))
  .filter((r) => r.method === 'GET' && r.cache !== 'none' && !r.lag_ms);

// The topics' counters as the database holds them now ({name: gen}).
function topics() {
  const sql = 'SELECT topic, gen FROM topic_gens';
  const out = engine === 'sqlite'
    ? execFileSync('sqlite3', ['-separator', '|', env.db, sql], { encoding: 'utf8' })
    : execFileSync('psql', [env.db, '-Atc', sql], { encoding: 'utf8' });
  return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => { const [t, g] = l.split('|'); return [t, g]; }));
}
const bumped = (a, b) => Object.keys(b).filter((t) => a[t] !== b[t]).sort();

// What differs between two renderings of the same data: the CSRF tokens of a signed-in frame.
const norm = (t) => t.replace(/(name="csrf" value=")[^"]*/g, '$1').replace(/("csrf_token": ?")[^"]*/g, '$1');

try {
  const who = { anonymous: {} };
  for (const role of ['member', 'lead', 'admin']) who[role] = await signIn(role);
  const json = async (path, as = who.anonymous) => {
    const r = await req('GET', path, as);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
    return r.json();
  };
  const send = async (method, path, body, as = who.lead) => {
    const r = await req(method, path, { ...as, json: body });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
    return r.text ? r.json() : {};
  };
  const form = async (path, fields, as = who.lead) => {
    const page = await req('GET', path, as);
    const csrf = (page.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
    const r = await req('POST', path, { cookie: as.cookie, form: { csrf, ...fields } });
    if (r.status !== 303) throw new Error(`POST ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  };
  const cli = (...args) => execFileSync(bin, [...args, '--db', env.db, '--key-file', keyFile(env.db)],
    { encoding: 'utf8', cwd: env.dir, stdio: ['pipe', 'pipe', 'pipe'] });

  // Every path of every cached route, with each {id} one of the objects it names, found anew before
  // each write (a write may add one).
  async function paths() {
    const orgs = (await json('/api/v1/organisations')).organisations.map((o) => o.slug);
    const programmes = (await json('/api/v1/programmes')).programmes.map((p) => p.slug);
    const ids = {};
    for (const org of orgs) {
      const p = await json(`/api/v1/organisations/${org}/purpose`);
      ids[`org:${org}:values`] = p.values.map((v) => v.id);
      ids[`org:${org}:themes`] = p.themes.map((t) => t.id);
      ids[`org:${org}:ambitions`] = p.themes.flatMap((t) => t.ambitions.map((a) => a.id));
      ids[`org:${org}:conversations`] = (await json(`/api/v1/organisations/${org}/conversations`)).conversations.map((c) => c.id);
    }
    for (const p of programmes) {
      ids[`programme:${p}:aims`] = (await json(`/api/v1/programmes/${p}/aims`)).aims.map((a) => a.id);
      ids[`programme:${p}:conversations`] = (await json(`/api/v1/programmes/${p}/conversations`)).conversations.map((c) => c.id);
    }
    // The objects an {id} names, by what precedes it.
    const kinds = [[/\/values\/\{id\}$/, 'values'], [/\/themes\/\{id\}$/, 'themes'], [/\/ambitions\/\{id\}$/, 'ambitions'],
      [/\/aims\/\{id\}$/, 'aims'], [/\/conversations\/\{id\}\//, 'conversations'], [/^\/icons\//, 'icons']];
    const out = [];
    for (const r of routes) {
      for (const tpl of r.paths) {
        // Under the organisations' prefix: the second organisation (the first's answers are the
        // unprefixed paths', under another key: once is enough to meet its cache).
        const scopes = tpl.includes('{org}') ? orgs.slice(1, 2).map((o) => ['org', o]) : tpl.includes('{programme}') ? programmes.map((p) => ['programme', p])
          : [[r.scope === 'programme' ? 'programme' : 'org', r.scope === 'programme' ? programmes[0] : orgs[0]]];
        for (const [scope, slug] of scopes) {
          for (const kind of tpl.includes('{kind}') ? ['vision', 'purpose'] : [null]) {
            let path = tpl.replace('{org}', slug).replace('{programme}', slug).replace('{kind}', kind);
            let list = [null];
            if (path.includes('{id}')) {
              const k = kinds.find(([re]) => re.test(tpl));
              if (!k) { ok(false, `the attack knows the objects ${r.path}'s {id} names`); continue; }
              list = k[1] === 'icons' ? [1, 2] : ids[`${scope}:${slug}:${k[1]}`] ?? [];
              if (list.length > 2) list = [list[0], list.at(-1)]; // the first and the newest
            }
            for (const id of list) out.push({ route: r, path: id === null ? path : path.replace('{id}', id) });
          }
        }
      }
    }
    return out;
  }
  // Who shares a route's cache: anonymous visitors when anyone may read it (the server's whole
  // answers of pages and public reads; a signed-in person's page is made per request), and people
  // of each role that may read a data body (the router's, shared by everyone its role check lets in).
  const readers = (r) => (r.cache !== 'data' ? ['anonymous'] : r.role === 'anonymous' ? ['anonymous', 'member']
    : r.role === 'member' ? ['member', 'lead'] : ['lead']);

  // Every path as every reader, shared out among the servers so that each keeps all of its share
  // from its priming (before a write) to its reading (after).
  async function plan() {
    const share = [];
    let cur = null;
    for (const { route, path } of await paths()) {
      for (const role of readers(route)) {
        const whole = role === 'anonymous' && route.cache !== 'data';
        if (!cur || (whole ? cur.whole >= WHOLE : cur.data >= DATA)) {
          cur = { whole: 0, data: 0, items: [] };
          share.push(cur);
        }
        cur[whole ? 'whole' : 'data']++;
        cur.items.push({ route, path, role });
      }
    }
    while (servers.length < share.length + 1) servers.push(await serve()); // the first keeps the sentinels
    return share;
  }
  const get = (server, path, role, headers = {}) => fetch(server.url + path,
    { headers: { ...(who[role].cookie ? { Cookie: who[role].cookie } : {}), ...headers }, redirect: 'manual' });
  const prime = async (share) => {
    for (let i = 0; i < share.length; i++) for (const { path, role } of share[i].items) await (await get(servers[i + 1], path, role)).arrayBuffer();
  };
  // The renderings seen last, by role and path.
  const seen = {};
  async function sweep(share) {
    const wrong = [];
    let n = 0;
    for (let i = 0; i < share.length; i++) {
      for (const { route, path, role } of share[i].items) {
        const a = await get(servers[i + 1], path, role);
        const kept = norm(await a.text());
        const b = await get(servers[i + 1], path, role, { 'X-Purpose-Fault': NEVER });
        const fresh = norm(await b.text());
        n++;
        if (a.status !== b.status || kept !== fresh) wrong.push(`${role} ${path} (server ${i + 2}): ${a.status} vs ${b.status}`);
        seen[`${role} ${path}`] = { text: fresh, route };
      }
    }
    return { n, wrong };
  }
  // The paths that show whether the rule keeps answers it should keep: one per route family, few
  // enough to stay in the server's 16 slots of whole answers.
  const programme = (await json('/api/v1/programmes')).programmes[0].slug;
  const sentinels = ['/', '/values', '/organisations', '/api/v1/organisations', `/programmes/${programme}`, '/api/v1/purpose'];
  const renders = async () => Object.fromEntries(await Promise.all(sentinels.map(async (p) => {
    await req('GET', p);
    return [p, (await req('GET', p)).headers.get('x-purpose-render')];
  })));
  const depends = (route, topicsBumped) => route.depends_on.some((d) => d === 'all' ||
    topicsBumped.some((t) => t === d || (d === 'conversation:{id}' && t.startsWith('conversation:'))));

  // Objects the writes act on.
  const me = await json('/api/v1/me', who.lead);
  const themes = (await json('/api/v1/purpose')).themes;
  const amb = themes[0].ambitions[0].id;
  const orgs = (await json('/api/v1/organisations')).organisations;
  const now = Math.floor(Date.now() / 1000);
  const conv = await send('POST', '/api/v1/conversations', { question: 'What should the attack change?', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false });
  const idea = await send('POST', `/api/v1/conversations/${conv.id}/contributions`, { body: 'An idea the attack votes on' });
  const project = await send('POST', '/api/v1/projects', { title: 'Attack project', aim: 'Changes that show', status: 'active',
    score: 2, start_date: '2024-01-01', ambitions: [amb] }, who.member);
  await send('POST', `/api/v1/conversations/ideas/${idea.id}/response`, { state: 'adopted', project_id: project.id });
  const measure = await send('POST', `/api/v1/projects/${project.id}/measures`, { name: 'Attack measure', kind: 'process',
    direction: 'increase', target: 50 }, who.member);
  await send('POST', `/api/v1/measures/${measure.id}/points`, { csv: '2024-01-01,40\n2024-01-08,45\n2024-01-15,47\n2024-01-22,44' }, who.member);
  const pulse = await send('POST', '/api/v1/pulses', { title: 'Attack pulse', audience: 50 });
  const t = Date.now();
  let driver, value, theme, wave, userId;

  // The writes: name, the topics it bumps (src/store/topics.c), what it does, and paths whose answer
  // it must change (the attack's proof that the write is one a cached page shows).
  const writes = [
    ['a statement (the vision)', ['strategy'], () => send('PUT', '/api/v1/statements/vision', { text: `Vision ${t}` }), ['/', '/api/v1/purpose']],
    ['a value', ['strategy'], async () => { value = await send('POST', '/api/v1/values', { name: `Value ${t}`, description: 'Added' }); }, ['/values', '/api/v1/purpose']],
    ['a value changed', ['strategy'], () => send('PUT', `/api/v1/values/${value.id}`, { name: `Value ${t} changed`, description: 'Changed' }), ['/values']],
    ['a theme', ['strategy'], async () => { theme = await send('POST', '/api/v1/themes', { title: `Theme ${t}`, description: 'Added' }); }, ['/themes']],
    ['an ambition', ['strategy', 'work'], () => send('POST', `/api/v1/themes/${theme.id}/ambitions`, { title: `Ambition ${t}`, description: 'Added', target_year: 2030 }), ['/themes']],
    ['a programme aim', ['strategy'], () => send('POST', `/api/v1/programmes/${programme}/aims`, { title: `Aim ${t}`, description: 'Added', target_year: 2030 }, who.admin), [`/programmes/${programme}`]],
    ['a well-led rating', ['strategy'], () => send('POST', '/api/v1/well-led/1/ratings', { rating: 'good', narrative: 'The attack rates it' }), []],
    ['a project', ['work'], () => send('PUT', `/api/v1/projects/${project.id}`, { title: `Attack project ${t}`, aim: 'Changes that show', status: 'active',
      score: 3, start_date: '2024-01-01', ambitions: [amb] }, who.member), []],
    ['a driver', ['work'], async () => { driver = await send('POST', `/api/v1/projects/${project.id}/drivers`, { text: 'A primary driver' }, who.member); }, []],
    ['a PDSA cycle', ['work'], async () => {
      let parent = driver.id;
      for (const text of ['A secondary driver', 'A change idea'])
        parent = (await send('POST', `/api/v1/projects/${project.id}/drivers`, { text, parent_id: parent }, who.member)).id;
      await send('POST', `/api/v1/drivers/${parent}/pdsa`, { title: 'Try it', start_date: '2024-02-01' }, who.member);
    }, []],
    ['a measure', ['work'], () => send('PUT', `/api/v1/measures/${measure.id}`, { name: 'Attack measure renamed', kind: 'process', direction: 'increase', target: 60 }, who.member), []],
    ['a point', ['work'], () => send('POST', `/api/v1/measures/${measure.id}/points`, { points: [{ date: '2024-01-29', value: 49 }] }, who.member), []],
    ['a rebase', ['work'], () => send('POST', `/api/v1/measures/${measure.id}/rebases`, { date: '2024-01-15', reason: 'A new way of working' }, who.member), []],
    ['an annotation', ['work'], () => send('POST', `/api/v1/measures/${measure.id}/annotations`, { date: '2024-01-08', label: 'Something happened' }, who.member), []],
    ['a vote', [`conversation:${conv.id}`], () => send('POST', `/api/v1/conversations/${conv.id}/votes`, { item: idea.id, vote: 'agree' }, who.member), []],
    ['a contribution', [`conversation:${conv.id}`], () => send('POST', `/api/v1/conversations/${conv.id}/contributions`, { body: `Another idea ${t}` }, who.member), []],
    ['a response', ['conversation'], () => send('PUT', `/api/v1/conversations/ideas/${idea.id}/response`, { state: 'not_taken_forward', reason: 'The attack says no' }), []],
    ['a moderation', ['conversation'], () => send('POST', `/api/v1/conversations/${conv.id}/moderation`, { item: idea.id, decision: 'hide', reason: 'The attack hides it' }), [`/conversations/${conv.id}/summary`]],
    ['an event', ['conversation'], () => send('POST', `/api/v1/conversations/${conv.id}/events`, { title: 'A listening event', format: 'listening', place: 'The library', held_on: now - 86400, attendees: 12 }), []],
    ['a conversation changed (its page form)', ['conversation'], () => form(`/conversations/${conv.id}/edit`, { question: `Changed question ${t}?`, audience: 'all',
      privacy: 'We keep only what you write.', 'opens_at-day': '1', 'opens_at-month': '1', 'opens_at-year': '2024', 'closes_at-day': '1', 'closes_at-month': '1', 'closes_at-year': '2030' }),
    [`/conversations/${conv.id}/summary`]],
    ['a new conversation', ['conversation'], () => send('POST', '/api/v1/conversations', { question: `Another conversation ${t}?`, audience: 'all',
      privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false }), []],
    ['a pulse wave opened', ['pulses', 'work'], async () => { wave = await send('POST', `/api/v1/pulses/${pulse.id}/open`, {}); }, []],
    ['a pulse answer', [`pulses:${pulse.id}`], async () => {
      const p = await json(`/api/v1/pulses/${pulse.id}`, who.member);
      const w = p.waves.find((x) => !x.closed_at) ?? p.waves.at(-1);
      await send('POST', `/api/v1/pulses/${pulse.id}/answers`, { wave_id: w.id ?? wave.id, answers: Object.fromEntries(p.statements.map((s) => [s.id, 4])) }, who.member);
    }, []],
    ['a pulse wave closed', ['pulses', 'work'], () => send('POST', `/api/v1/pulses/${pulse.id}/close`, {}), []],
    ['a token', ['users'], () => send('POST', '/api/v1/tokens', { name: 'Attack token' }, who.admin), []],
    ['a user', ['users'], async () => { userId = (await send('POST', '/api/v1/users', { username: `attack${t}`, display_name: 'Attack user', role: 'member' }, who.admin)).id; }, []],
    ['a role elsewhere', ['users'], () => send('PUT', `/api/v1/users/${userId}/roles`, { scope: 'programme', slug: programme, role: 'lead' }, who.admin), []],
    ['a user from the CLI (purpose user add)', ['users'], () => cli('user', 'add', `cli${t}`, '--role', 'member'), []],
    ['an organisation', ['orgs', 'strategy'], () => send('POST', '/api/v1/organisations', { slug: `attack-${t}`, name: `Attack Trust ${t}`, type: 'nhs_trust' }, who.admin),
      ['/organisations', '/api/v1/organisations']],
    ['a programme partner', ['orgs'], async () => {
      const id = (await json('/api/v1/organisations')).organisations.find((o) => o.slug === `attack-${t}`).id;
      await send('PUT', `/api/v1/programmes/${programme}/partners/${id}`, {}, who.admin);
    }, [`/programmes/${programme}`, `/api/v1/programmes/${programme}`]],
    ['a programme', ['orgs'], () => send('POST', '/api/v1/programmes', { slug: `attack-${t}`, name: `Attack programme ${t}`, partners: [orgs[0].id] }, who.admin),
      ['/api/v1/programmes']],
    ['handovers from the CLI (purpose handovers import)', ['handovers', 'work'], () => {
      const file = join(env.dir, 'handovers.csv');
      writeFileSync(file, execFileSync(bin, ['handovers', 'generate', '--sites', '1', '--days', '2', '--start', '2025-01-01'], { encoding: 'utf8' }));
      cli('handovers', 'import', file);
    }, []],
    ['measures from the CLI (purpose import measures)', ['work'], () => {
      const file = join(env.dir, 'measures.csv');
      writeFileSync(file, 'measure,date,value\nImported by the attack,2024-01-01,5\nImported by the attack,2024-01-02,6\n');
      cli('import', 'measures', file);
    }, []],
  ];

  const t0 = Date.now();
  let share = await plan();
  await prime(share);
  const first = await sweep(share);
  ok(first.n > 40 && first.wrong.length === 0, `before any write, every cached path (${first.n} requests) is as the store is`, first.wrong.join('\n'));
  for (const [name, want, write, shows] of writes) {
    share = await plan();
    await prime(share);
    const before = await renders();
    const showsBefore = Object.fromEntries(shows.map((p) => [p, seen[`anonymous ${p}`]?.text]));
    const g0 = topics();
    await write();
    const got = bumped(g0, topics());
    ok(got.join(' ') === [...want].sort().join(' '), `${name}: bumps ${want.join(', ')}`, `bumped: ${got.join(', ')}`);
    const after = Object.fromEntries(await Promise.all(sentinels.map(async (p) => [p, (await req('GET', p)).headers.get('x-purpose-render')])));
    const droppedWrongly = sentinels.filter((p) => seen[`anonymous ${p}`] && !depends(seen[`anonymous ${p}`].route, got) && after[p] !== before[p]);
    ok(droppedWrongly.length === 0, `${name}: pages that do not show it are still answered from the cache`, droppedWrongly.join(' '));
    const s = await sweep(share);
    ok(s.wrong.length === 0, `${name}: every cached path shows it at once, as every role that shares it (${s.n} requests)`, s.wrong.join('\n'));
    const unchanged = shows.filter((p) => seen[`anonymous ${p}`]?.text === showsBefore[p]);
    ok(unchanged.length === 0, `${name}: shows on ${shows.join(', ') || '(no cached page)'}`, unchanged.join(' '));
  }
  console.log(`# ${writes.length} writes, ${share.reduce((n, x) => n + x.items.length, 0)} paths and readers on ${servers.length} servers, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  for (const x of servers) await x.stop();
  env.cleanup();
}
done();
