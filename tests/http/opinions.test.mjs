// Opinion groups on a conversation (issue 21; docs/opinions.md): a lead turns them on (members and
// the public may not), the privacy notice says so, votes from then on are grouped: two camps of 10
// and a camp of 3 (merged into the nearest, never shown alone), a statement everyone agrees with
// among "what unites all groups"; a hidden statement drops out of everything (within the 5 s the
// answers may trail the votes); leads download pol.is's format and `purpose opinions DIR` finds the
// same groups in it, as `purpose opinions --conversation` does from the database; turning them off
// clears the pseudonyms. Prints TAP.
// usage: node tests/http/opinions.test.mjs [build/release/purpose]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser as browse, csrfOf, signIn as signInAs } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet', '--trusted-proxy', '127.0.0.1']);
const browser = (addr = '10.3.0.1') => browse(srv, { 'X-Forwarded-For': addr });
const signIn = (role) => signInAs(srv, env, role, browser());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = (args) => spawnSync(resolve(bin), args, { encoding: 'utf8', cwd: env.dir });
const out = mkdtempSync(join(tmpdir(), 'opinions-'));
// A page may trail the store by its declared lag (5 s): read it until test passes, for at most 6 s.
async function eventually(b, path, test) {
  const t0 = Date.now();
  let text;
  do { text = await b.text(path); if (test(text)) break; await sleep(250); } while (Date.now() - t0 < 6000);
  return text;
}

try {
  const lead = await signIn('lead');
  const member = await signIn('member');
  const now = Math.floor(Date.now() / 1000);
  const conv = JSON.parse(await (await lead.api('POST', '/api/v1/conversations', { question: 'What should the ward change?',
    audience: 'all', privacy: 'We keep what you write.', opens_at: now - 60, closes_at: now + 86400, queue_public: false })).text());
  const A = `/api/v1/conversations/${conv.id}`, P = `/conversations/${conv.id}`;
  const items = [];
  for (let i = 0; i < 12; i++)
    items.push(JSON.parse(await (await lead.api('POST', `${A}/contributions`, { body: `Statement number ${i}` })).text()).id);
  const get = async (b = lead) => JSON.parse(await (await b.api('GET', `${A}/opinions`)).text());

  let r = await get(browser());
  ok(r.on === false && r.groups.length === 0, 'off until a lead turns them on (anyone may read the answer)', JSON.stringify(r));
  const anonPut = await browser().api('PUT', `${A}/opinions`, { on: true });
  const memberPut = await member.api('PUT', `${A}/opinions`, { on: true });
  ok(anonPut.status === 401 && memberPut.status === 403, `the public and members may not turn them on (${anonPut.status}, ${memberPut.status})`);
  const memberPost = await member.post(`${P}/opinions`, { csrf: csrfOf(await member.text(`${P}/opinions`)), on: '1' });
  ok(memberPost.status === 403, `nor by the page's form (${memberPost.status})`);
  let page = await browser().text(P);
  ok(!page.includes('opinion-groups-notice'), 'the privacy notice says nothing of them while off');

  // A vote before they are on is not grouped.
  const early = browser('10.4.0.1');
  let html = await early.text(P);
  await early.post(`${P}/vote`, { csrf: csrfOf(html), item: String(items[0]), vote: 'agree' });

  const put = await lead.api('PUT', `${A}/opinions`, { on: 'yes' });
  ok(put.status === 400 && /^on:/.test(JSON.parse(await put.text()).error), 'on must be true or false (400 naming it)');
  r = JSON.parse(await (await lead.api('PUT', `${A}/opinions`, { on: true })).text());
  ok(r.on === true && typeof r.since === 'number' && /too few|participants/i.test(r.too_few || ''),
    'a lead turns them on; with nobody grouped it says there are too few', JSON.stringify(r));
  page = await browser().text(P);
  ok(page.includes('id="opinion-groups-notice"') && /pseudonym made for this conversation alone/.test(page),
    "the conversation's privacy notice says so");
  page = await eventually(lead, `${P}/opinions`, (t) => /too few people have voted/i.test(t));
  ok(/too few people have voted/i.test(page), 'the page says too few have voted, instead of drawing noise', page.replace(/[\s\S]*<main/, '').slice(0, 1500));

  // Camps of 10, 10 and 3 (tests/unit/test_opinion.c's three_camps, which pol.is's method splits
  // in three): A agrees with 0-3 and disagrees with 4-7, B the opposite (each unsure now and then),
  // C unsure or disagreeing on 0-7; C alone agrees with 9-11; everyone agrees with 8.
  const campVote = (p, s) => {
    const camp = p < 10 ? 0 : p < 20 ? 1 : 2;
    if (s === 8) return 1;
    if (s >= 9) return camp === 2 ? 1 : -1;
    if (camp === 2) return (p + s) % 2 ? 0 : -1;
    if ((p * 5 + s * 3) % 11 === 0) return 0;
    return (s < 4) === (camp === 0) ? 1 : -1;
  };
  for (let p = 0; p < 23; p++) {
    const b = browser(`10.5.0.${p + 1}`);
    html = await b.text(P);
    const csrf = csrfOf(html);
    for (let s = 0; s < 12; s++) {
      const vote = ['disagree', 'unsure', 'agree'][campVote(p, s) + 1];
      const res = await b.post(`${P}/vote`, { csrf, item: String(items[s]), vote });
      if (res.status !== 303) throw new Error(`vote: ${res.status}`);
    }
  }
  // The answer may trail the votes by up to 5 s (its declared lag), no more.
  const t0 = Date.now();
  do { r = await get(browser()); if (r.groups.length) break; await sleep(250); } while (Date.now() - t0 < 6000);
  const lag = Date.now() - t0;
  ok(r.groups.length >= 2 && lag <= 5500, `the groups appear within 5 s of the votes (${lag} ms)`, JSON.stringify(r).slice(0, 400));
  ok(r.groups.length === 2 && r.groups.every((g) => typeof g.size === 'number' && g.size >= 5)
    && r.groups.reduce((s, g) => s + g.size, 0) === 23,
    `every group shown holds 5 or more (the camp of 3 merged): ${r.groups.map((g) => g.size).join(', ')}`);
  ok(r.grouped === 23, `the early voter's one vote is not grouped: ${r.grouped} grouped`);
  const body8 = 'Statement number 8';
  ok(r.uniting.length >= 1 && r.uniting[0].body === body8 && r.uniting[0].agree_percent.every((p) => p === 100),
    'the statement everyone agrees with unites all groups', JSON.stringify(r.uniting));
  ok(r.groups.every((g) => g.representative.length > 0), 'each group has statements that set it apart');

  page = await eventually(browser(), `${P}/opinions`, (t) => t.includes('What unites all groups'));
  ok(/<svg[^>]*role="img"[^>]*aria-labelledby="opinion-map-title"/.test(page) && /<caption[^>]*>\s*The groups/.test(page)
    && page.includes('What unites all groups') && page.includes(body8),
    'the page draws the map (an SVG with a title) with the groups as a table and what unites them');
  ok(!page.includes('Turn opinion groups'), "the public sees no switch");
  page = await eventually(browser(), `${P}/results`, (t) => t.includes('See the opinion map'));
  ok(page.includes(`href="${P}/opinions"`), 'the results link to the opinion map');
  page = await lead.text(`${P}/opinions`);
  ok(page.includes('Turn opinion groups off') && page.includes('participants-votes.csv'), 'a lead sees the switch and the downloads');
  // A lead marks the uniting statement as shaping the current purpose (provenance); a member may not.
  page = await lead.text(`${P}/opinions/shape`);
  ok(page.includes('Mark as shaping it') && page.includes(`name="item" value="${items[8]}"`), 'a lead may mark a uniting statement as shaping the purpose');
  ok((await member.get(`${P}/opinions/shape`)).status === 403, 'a member may not see that page');
  const memberShape = await member.post(`${P}/opinions/shape`, { csrf: csrfOf(await member.text(P)), item: String(items[8]), kind: 'purpose' });
  const shaped = await lead.post(`${P}/opinions/shape`, { csrf: csrfOf(page), item: String(items[8]), kind: 'purpose' });
  const prov = JSON.parse(await (await lead.api('GET', '/api/v1/statements/purpose/provenance')).text());
  ok(memberShape.status === 403 && shaped.status === 303 && prov.items.some((x) => x.id === items[8]),
    `marked, it is among the contributions that shaped the purpose (member ${memberShape.status}, lead ${shaped.status})`, JSON.stringify(prov).slice(0, 300));
  const badKind = await lead.post(`${P}/opinions/shape`, { csrf: csrfOf(page), item: String(items[8]), kind: 'values' });
  ok(badKind.status === 400, `a kind that is not purpose or vision is refused (${badKind.status})`);

  // pol.is's format, for leads only.
  const csvAs = async (b, name) => b.get(`${P}/opinions/${name}`);
  const anonCsv = await csvAs(browser(), 'votes.csv'), memberCsv = await csvAs(member, 'votes.csv');
  ok(anonCsv.status >= 300 && anonCsv.status < 400 && memberCsv.status === 403,
    `the downloads are for leads (anonymous ${anonCsv.status}, member ${memberCsv.status})`);
  const dl = join(out, 'web');
  rmSync(dl, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', dl]);
  for (const name of ['comments.csv', 'votes.csv', 'participants-votes.csv']) {
    const res = await csvAs(lead, name);
    writeFileSync(join(dl, name), await res.text());
  }
  const votesCsv = readFileSync(join(dl, 'votes.csv'), 'utf8');
  ok(/^comment-id,voter-id,vote\n/.test(votesCsv) && votesCsv.trim().split('\n').length === 1 + 23 * 12,
    'votes.csv holds every grouped vote and no time');
  const groupsIn = (csv) => Object.fromEntries(csv.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 2)));
  const pv = groupsIn(readFileSync(join(dl, 'participants-votes.csv'), 'utf8'));
  const unmerged = run(['opinions', dl]);
  ok(new Set(Object.values(groupsIn(unmerged.stdout))).size === 3, 'without merging, the method finds the camp of 3 alone', unmerged.stdout);
  let cli = run(['opinions', dl, '--min-group', '5']);
  const again = groupsIn(cli.stdout);
  ok(cli.status === 0 && Object.keys(pv).length === 23 && Object.entries(pv).every(([p, g]) => again[p] === g),
    'round trip: purpose opinions on the download finds the groups of its participants-votes.csv', cli.stderr);
  const ex = join(out, 'cli');
  cli = run(['opinions', '--conversation', String(conv.id), '--db', env.db, '--export', ex]);
  const fromDir = run(['opinions', ex, '--format', 'json']), fromDb = run(['opinions', '--conversation', String(conv.id), '--db', env.db, '--format', 'json']);
  const pv2 = groupsIn(readFileSync(join(ex, 'participants-votes.csv'), 'utf8'));
  ok(cli.status === 0 && fromDir.status === 0 && fromDir.stdout === fromDb.stdout && groupsIn(run(['opinions', ex]).stdout)['0'] === pv2['0'],
    'purpose opinions --conversation --export, read back by purpose opinions DIR, prints what --conversation prints',
    cli.stderr + fromDir.stderr + fromDb.stderr);
  const bad = run(['opinions', '--conversation', 'x']);
  ok(bad.status === 2 && /--conversation/.test(bad.stderr), 'a bad --conversation is refused naming it');

  // Moderation: a hidden statement counts nowhere.
  const mod = await lead.text(`${P}/moderate`);
  const hideCsrf = csrfOf(mod) || csrfOf(await lead.text(P));
  const hidden = await lead.post(`${P}/moderate`, { csrf: hideCsrf, item: String(items[8]), decision: 'hide', reason: 'Testing' });
  let t1 = Date.now();
  do { r = await get(browser()); if (!JSON.stringify(r).includes(body8)) break; await sleep(250); } while (Date.now() - t1 < 6000);
  const comments = await (await csvAs(lead, 'comments.csv')).text();
  ok(hidden.status === 303 && !JSON.stringify(r).includes(body8) && new RegExp(`^${items[8]},-1,$`, 'm').test(comments),
    `a hidden statement leaves the groups, what sets them apart and what unites them, and the export (${hidden.status})`);

  // Off clears the pseudonyms.
  r = JSON.parse(await (await lead.api('PUT', `${A}/opinions`, { on: false })).text());
  const after = await csvAs(lead, 'votes.csv');
  ok(r.on === false && after.status === 404, `off: nothing grouped, nothing to download (${after.status})`);
  r = JSON.parse(await (await lead.api('PUT', `${A}/opinions`, { on: true })).text());
  ok(r.on === true && r.groups.length === 0, 'on again: the votes before are not grouped');
} catch (e) {
  ok(false, 'opinion groups', e.stack);
}
await srv.stop();
rmSync(out, { recursive: true, force: true });
env.cleanup();
done();
