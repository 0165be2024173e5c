// Memory stays flat under load on every route (issue 16): every GET route of `serve --routes`, its
// path parameters filled from the demo data, is requested many times as anonymous, as a signed-in
// member and as the administrator; the server's resident memory (VmRSS) after a warm-up and at the
// end may differ by no more than a small fixed margin. A response, a fragment or a row that is never
// freed grows it by its size on every request.
// usage: node tests/http/soak.test.mjs [build/release/purpose]
//   PURPOSE_SOAK_LONG=1: thousands of requests per route (make bench), else a short run (make test).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const long = !!process.env.PURPOSE_SOAK_LONG;
const MARGIN_KB = 8 * 1024;
// A sanitized build keeps freed memory aside for a while (ASan's quarantine) and its own caches
// grow with use: it is measured without the quarantine and with a wider margin (its leak
// checker, at exit, is the sharper test there).
const sanitized = /__asan_init/.test(readFileSync(bin, 'latin1'));
// On PostgreSQL each pooled connection keeps the statements it has prepared (one per distinct SQL
// text, bounded) and libpq's buffers: with 300 routes that grew 6 to 9 MB in a run, not per request.
// The SQLite runs keep the 8 MB margin that a leak put back (11 to 12 MB) fails.
const pg = process.env.PURPOSE_TEST_ENGINE === 'postgresql';
const margin = (sanitized ? 3 : 1) * (pg ? 2 : 1) * MARGIN_KB;
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet'],
  sanitized ? { ASAN_OPTIONS: `quarantine_size_mb=0:thread_local_quarantine_size_kb=0${process.env.ASAN_OPTIONS ? ':' + process.env.ASAN_OPTIONS : ''}` } : {});
const U = srv.url;
const { req, signIn } = client(U, env.creds);

const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8'))[1]);

try {
  const routes = execFileSync(bin, ['serve', '--routes'], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => { const [method, pattern, role, kind] = l.split(' '); return { method, pattern, role, kind }; })
    .filter((r) => r.method === 'GET');
  const admin = await signIn('admin');
  const member = await signIn('member');

  // ---- path parameters from the demo data: the links the pages themselves show ----------------
  const programmes = (await req('GET', '/api/v1/programmes')).json().programmes.map((p) => p.slug);
  const orgs = (await req('GET', '/api/v1/organisations')).json().organisations.map((o) => o.slug);
  const hrefs = new Set();
  const seen = new Set();
  // The pages that need no id, in each programme, lead to the rest.
  let queue = routes.filter((r) => r.kind === 'page' && !/\{(id|org|kind)\}/.test(r.pattern))
    .flatMap((r) => programmes.map((p) => r.pattern.replace('{programme}', p)));
  for (let depth = 0; depth < 3 && queue.length; depth++) {
    const next = [];
    for (const p of queue) {
      if (seen.has(p) || seen.size >= 400) continue;
      seen.add(p);
      const r = await req('GET', p, { cookie: admin.cookie });
      if (!(r.headers.get('content-type') || '').startsWith('text/html')) continue;
      for (const m of r.text.matchAll(/href="(\/[^"?#]*)/g)) {
        hrefs.add(m[1]);
        if (!seen.has(m[1]) && !/sign-out|\/assets\//.test(m[1])) next.push(m[1]);
      }
    }
    queue = next;
  }
  const param = { programme: '([a-z0-9-]+)', org: '([a-z0-9-]+)', kind: '(vision|purpose)', id: '([0-9]+)' };
  const regexOf = (pattern, whole) => new RegExp('^' + pattern.replace(/[.]/g, '\\.')
    .replace(/\{(programme|org|kind|id)\}/g, (_, k) => param[k]) + (whole ? '$' : '(?=[/.]|$)'));
  // A route's path: a link the pages show that it matches (for an API route, the page of the same
  // path), else one that matches it up to its {id} ("/programmes/x/conversations/3/results" for
  // "/api/v1/programmes/{programme}/conversations/{id}/queue"), else {id} is one seen after the
  // same word in any link ("/events/3").
  const guessed = [];
  const fill = (rt) => {
    const api = rt.pattern.startsWith('/api/v1');
    const page = rt.pattern.replace(/^\/api\/v1/, '');
    const upToId = page.includes('{id}') ? page.slice(0, page.indexOf('{id}') + 4) : page;
    for (const [pat, whole] of [[page, true], [upToId, false]]) {
      const re = regexOf(pat, whole);
      for (const h of hrefs) {
        const m = re.exec(h);
        if (!m) continue;
        let k = 1;
        const path = page.replace(/\{(programme|org|kind|id)\}/g, (x) => (pat.includes(x) ? m[k++] : x));
        if (!/\{/.test(path)) return (api ? '/api/v1' : '') + path;
      }
    }
    const word = (rt.pattern.match(/([a-z-]+)\/\{id\}/) || [])[1];
    const id = word && [...hrefs].map((h) => h.match(new RegExp(`/${word}/([0-9]+)`))).find(Boolean)?.[1];
    if (/\{id\}/.test(rt.pattern) && !id) guessed.push(rt.pattern);
    return rt.pattern.replace('{id}', id || '1').replace('{kind}', 'vision')
      .replace('{programme}', programmes[0]).replace('{org}', orgs[1] || orgs[0]);
  };
  const paths = routes.map(fill);
  ok(paths.length > 100, `${paths.length} GET routes, their parameters from ${hrefs.size} links of the demo pages`,
    guessed.join(' '));
  if (guessed.length) console.log(`# no link names an id for: ${guessed.join(' ')} (1 is used)`);

  // ---- load: each route as anonymous, as a member and as the administrator -------------------
  // Each route as anonymous and as a member; a route for leads or administrators as the
  // administrator too, so that every handler runs to the end. A caller the route refuses is sent
  // a few times (the refusal is a path too); one it allows, many.
  const RANK = { anonymous: 0, contributor: 1, member: 2, lead: 3, admin: 4 };
  const callers = [{ name: 'anonymous', rank: 0 }, { name: 'member', rank: 2, cookie: member.cookie },
    { name: 'admin', rank: 4, cookie: admin.cookie }];
  const plan = routes.flatMap((rt, i) => callers
    .filter((c) => c.name !== 'admin' || RANK[rt.role] > RANK.member)
    .map((c) => ({ path: paths[i], caller: c, allowed: c.rank >= RANK[rt.role] })));
  const statuses = new Map();
  // times(caller name, allowed): how many requests of a route; 8 clients at once.
  async function pass(times) {
    const jobs = plan.map((p) => [p.path, p.caller, times(p.caller.name, p.allowed)]);
    let at = 0;
    const worker = async () => {
      while (at < jobs.length) {
        const [p, w, k] = jobs[at++];
        for (let i = 0; i < k; i++) {
          const r = await fetch(U + p, { headers: w.cookie ? { Cookie: w.cookie } : {}, redirect: 'manual' });
          await r.arrayBuffer();
          const key = `${w.name} ${r.status}`;
          statuses.set(key, (statuses.get(key) || 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return jobs.reduce((sum, j) => sum + j[2], 0);
  }
  // A leak that refills memory freed earlier does not show in VmRSS until that is used up, so the
  // run is long enough for a few KB per request to pass the margin many times over: anonymous
  // requests most (nothing in front of them is signed in, so they are the cheapest attack).
  // Requests per route: [anonymous when allowed, signed in when allowed, refused].
  const [anon, signedIn, refused] = long ? [3000, 1000, 100] : sanitized ? [60, 8, 3] : [250, 32, 10];
  const times = (name, allowed) => (!allowed ? refused : name === 'anonymous' ? anon : signedIn);
  // Warm-up: a tenth of the run fills every cache, every thread's malloc arena and every database
  // connection of the pool, which then stay as they are.
  const t0 = Date.now();
  await pass((name, allowed) => Math.max(3, Math.ceil(times(name, allowed) / 10)));
  const before = rssKb();
  const n = await pass(times);
  const after = rssKb();
  const secs = (Date.now() - t0) / 1000;
  console.log(`# ${n} requests (per route: ${times('anonymous', true)} anonymous when it may, ${times('member', true)} signed in, ${times('', false)} refused) in ${secs.toFixed(1)} s; VmRSS ${before} kB -> ${after} kB`);
  console.log(`# answers: ${[...statuses].map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  ok(after - before <= margin, `memory stays flat: VmRSS grew ${after - before} kB over ${n} requests (margin ${margin} kB)`,
    `before ${before} kB, after ${after} kB`);
  ok(![...statuses.keys()].some((k) => / 5\d\d$/.test(k)), 'no request answered 5xx',
    [...statuses].filter(([k]) => / 5\d\d$/.test(k)).join(' '));
  ok((await req('GET', '/')).status === 200, 'the server still answers');
} catch (e) {
  ok(false, 'the soak ran to the end', e.stack);
} finally {
  await srv.stop();
  env.cleanup();
}
await done();
