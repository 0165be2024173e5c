// What a cached answer depends on besides the store (issue 22, route_cache.c): time. A conversation's
// results, its summary and the conversations a page lists say whether each is open; with caching by
// dependency nothing written bumps a topic when a conversation opens or closes, so such an answer
// carries the time it stops being true (web_stamp.until). Here one conversation closes and another
// opens a few seconds after their pages are cached, with no write meanwhile: the next request shows
// each one's new state, on this server and on a second one; while neither time has come, the
// answers are kept (the same X-Purpose-Render). Prints TAP.
// usage: node tests/http/cache_deps.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet'], { PURPOSE_TEST: '1' });
const other = await startServer(bin, env.db, ['--quiet'], { PURPOSE_TEST: '1' }); // a second server, one database

try {
  const { req, signIn } = client(srv.url, env.creds);
  const lead = await signIn('lead');
  const api = async (method, path, json) => {
    const r = await req(method, path, { ...lead, json });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
    return r.json();
  };
  const seen = async (base, path) => {
    const r = await fetch(base + path);
    return { render: r.headers.get('x-purpose-render'), text: await r.text(), status: r.status };
  };
  const state = (text) => (/>Open</.test(text) ? 'open' : />Closed</.test(text) ? 'closed' : 'neither');

  const now = Math.floor(Date.now() / 1000);
  const at = now + 4; // the one closes and the other opens then
  const closing = await api('POST', '/api/v1/conversations', { question: 'Closing soon?', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: at, queue_public: false });
  const opening = await api('POST', '/api/v1/conversations', { question: 'Opening soon?', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: at, closes_at: now + 86400, queue_public: false });
  const cases = [
    { path: `/conversations/${closing.id}/results`, from: 'open', to: 'closed' },
    { path: `/conversations/${opening.id}/results`, from: 'closed', to: 'open' },
  ];
  const summary = `/conversations/${closing.id}/summary`;
  const before = {};
  for (const base of [srv.url, other.url]) {
    for (const c of cases) {
      await seen(base, c.path);
      const b = await seen(base, c.path);
      before[base + c.path] = b;
      ok(b.status === 200 && state(b.text) === c.from, `${c.path} says ${c.from} before`, state(b.text));
      ok((await seen(base, c.path)).render === b.render, `${c.path} is answered from the cache while nothing changes`);
    }
    await seen(base, summary);
    before[base + summary] = await seen(base, summary);
    ok(before[base + summary].status === 200 && (await seen(base, summary)).render === before[base + summary].render,
      `${summary} is answered from the cache while nothing changes`);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, (at + 1) * 1000 - Date.now()) + 200));
  for (const base of [srv.url, other.url]) {
    const which = base === srv.url ? 'this server' : 'a second server';
    for (const c of cases) {
      const a = await seen(base, c.path);
      ok(a.status === 200 && state(a.text) === c.to && a.render !== before[base + c.path].render,
        `${c.path} says ${c.to} once that time has come, with no write (${which})`, `${state(a.text)}, rendering ${a.render}`);
    }
    const s = await seen(base, summary);
    ok(s.status === 200 && s.render !== before[base + summary].render && s.text !== before[base + summary].text,
      `${summary} is made again once the conversation has closed (${which})`);
  }
} finally {
  await other.stop();
  await srv.stop();
  env.cleanup();
}
done();
