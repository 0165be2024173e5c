// "Shaped by N contributions from M people in K groups" that a board can quote (issue 17, Deliver 6):
// M counts the authors of the linked contributions (one person's two anonymous ideas count once;
// people who only voted do not count), and the numbers are fixed when the version is published (a
// later visitor who posts and withdraws, or a linked idea withdrawn, moves nothing), with the day they
// were counted. Prints TAP.
// usage: node tests/http/provenance_counts.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser as browse, csrfOf } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

function browser() {
  const b = browse(srv);
  return {
    ...b,
    api: async (method, path, json) => {
      const r = await b.api(method, path, json);
      return { status: r.status, body: await r.json() };
    },
    // Posts on the conversation page as this browser's contributor.
    say: async (conv, body) => {
      const page = await b.text(`/conversations/${conv}`);
      return b.post(`/conversations/${conv}/contribute`, { csrf: csrfOf(page), body });
    },
  };
}

try {
  const lead = browser();
  const page = await lead.text('/sign-in');
  await lead.post('/sign-in', { csrf: page.match(/name="csrf" value="([^"]+)"/)[1], username: env.creds.lead.username,
    password: env.creds.lead.password });
  const now = Math.floor(Date.now() / 1000);
  const conv = (await lead.api('POST', '/api/v1/conversations', { question: 'Who shaped the vision?', audience: 'all',
    privacy: 'We keep only what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false })).body;
  // Six authors (the first writes two ideas), three people who only vote.
  const authors = [];
  for (let i = 0; i < 6; i++) {
    const v = browser();
    await v.say(conv.id, `Idea ${i} for the vision`);
    if (i === 0) await v.say(conv.id, 'A second idea by the first author');
    authors.push(v);
  }
  const ideas = (await lead.api('GET', `/api/v1/conversations/${conv.id}`)).body.contributions;
  for (let i = 0; i < 3; i++) {
    const v = browser();
    const p = await v.text(`/conversations/${conv.id}`);
    await v.post(`/conversations/${conv.id}/vote`, { csrf: p.match(/name="csrf" value="([^"]+)"/)[1], item: String(ideas[0].id), vote: 'agree' });
  }
  const ids = ideas.map((c) => c.id);
  let r = await lead.api('PUT', '/api/v1/statements/vision', { text: 'Shaped by seven ideas.', contribution_ids: ids });
  ok(r.status === 200 && ids.length === 7, 'a version published with the seven ideas', JSON.stringify(r.body).slice(0, 200));
  const prov = async () => (await lead.api('GET', '/api/v1/statements/vision/provenance')).body;
  let p = await prov();
  ok(p.contributions === 7 && p.people === 6, 'seven contributions from six people: their authors, one person\'s two ideas once, voters not at all',
    JSON.stringify({ ...p, items: p.items.length }));
  ok(/^\d{4}-\d\d-\d\d$/.test(p.counted_on), 'the API says the day they were counted', p.counted_on);
  const home = await (await fetch(srv.url + '/')).text();
  ok(/Shaped by 7 contributions from 6 people in (\d+|fewer than 5) groups, counted on \d+ \w+ \d{4}/.test(home), 'the public page says the same, dated',
    home.match(/Shaped by[^<]*/)?.[0]);

  // Afterwards: a new visitor posts and withdraws their only idea; a linked idea is withdrawn.
  const late = browser();
  await late.say(conv.id, 'A late idea');
  // Withdrawing asks first (the link on "My contributions", then the confirmation's form).
  const ask = async (b) => b.text(`/conversations/${conv.id}/withdraw?item=${(await b.text(`/conversations/${conv.id}/mine`)).match(/withdraw\?item=(\d+)/)[1]}`);
  const a0 = await ask(late);
  await late.post(`/conversations/${conv.id}/withdraw`, { csrf: a0.match(/name="csrf" value="([^"]+)"/)[1],
    item: a0.match(/name="item" value="(\d+)"/)[1], confirm: 'yes' });
  const a1 = await ask(authors[1]);
  r = await authors[1].post(`/conversations/${conv.id}/withdraw`, { csrf: a1.match(/name="csrf" value="([^"]+)"/)[1],
    item: a1.match(/name="item" value="(\d+)"/)[1], confirm: 'yes' });
  ok(r.status === 303, 'an author withdraws a linked idea');
  p = await prov();
  ok(p.contributions === 7 && p.people === 6 && p.items.length === 6, 'the numbers hold still; the withdrawn idea leaves the list',
    JSON.stringify({ ...p, items: p.items.length }));
} catch (e) {
  ok(false, 'provenance count tests ran to the end', e.stack);
} finally {
  await srv.stop();
  env.cleanup();
}
done();
