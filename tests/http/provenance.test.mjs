// A statement's history and provenance (issue 9, deliverable 7) through a real server on the demo
// database: the history page shows each version against the one before, word by word, for an
// organisation and a programme; a lead publishes a new vision version linked to contributions
// (found by words and theme, ticked on a plain form) and the public page shows its provenance, with
// "fewer than 5" applied; the API does the same, all or nothing. Prints TAP.
// usage: node tests/http/provenance.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser as browse, csrfOf, signIn as signInAs } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

// A browser: keeps its cookies.
function browser() {
  const b = browse(srv);
  return { ...b, json: b.api };
}
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const signIn = (role) => signInAs(srv, env, role, browser());

try {
  const lead = await signIn('lead');
  // ---- history: a word-level diff between versions ----
  const before = (await (await lead.get('/api/v1/statements/vision')).json()).text;
  const words = before.split(/\s+/);
  const changed = ['Together,', ...words.slice(0, -1), 'everyone.'].join(' ');
  let r = await lead.json('PUT', '/api/v1/statements/vision', { text: changed });
  ok(r.status === 200, 'a lead publishes a new version of the vision', String(r.status));
  let page = await (await lead.get('/strategy')).text();
  ok(page.includes('href="/strategy/vision/history"'), 'the strategy page links to the history');
  page = await (await lead.get('/strategy/vision/history')).text();
  ok(page.includes('<h1>How the vision has changed</h1>'), 'the history page', page.slice(0, 200));
  const current = page.slice(page.indexOf('(current)'), page.indexOf('</section>', page.indexOf('(current)')));
  ok(current.includes('<ins><span class="nhsuk-u-visually-hidden">added: </span>Together,'),
    'the added word is marked, and says "added:" to screen readers', current);
  const last = esc(words[words.length - 1]);
  ok(current.includes(`<del><span class="nhsuk-u-visually-hidden">removed: </span>${last}`) &&
     current.includes('<ins><span class="nhsuk-u-visually-hidden">added: </span>everyone.'),
    'the replaced last word is shown removed, then its replacement added', current);
  ok(current.replace(/<ins>.*?<\/ins>|<del>.*?<\/del>/gs, '').replace(/<\/p><p class="app-diff">/g, ' ').replace(/\s+/g, ' ')
    .includes(esc(words.slice(0, -1).join(' '))), 'the words kept are shown unmarked, in order', current);
  ok(page.includes('Version 1') && page.includes('Version 2 (current)'), 'every version is listed, newest first');
  ok((await (await browser().get('/strategy/vision/history')).status) === 303, "an organisation's history is for its members");

  // ---- a programme's history is public, markup is shown as text ----
  r = await lead.json('PUT', '/api/v1/programmes/handovers/statements/purpose', { text: 'We work together.\n\nFirst paragraph <b>kept</b>.' });
  ok(r.status === 200, 'a lead writes the programme\'s shared purpose', String(r.status));
  r = await lead.json('PUT', '/api/v1/programmes/handovers/statements/purpose', { text: 'We work together, always.\nFirst paragraph <b>kept</b>.' });
  page = await (await browser().get('/programmes/handovers/purpose/history')).text();
  ok(page.includes('How the shared purpose has changed'), 'anyone reads a programme\'s history');
  ok(page.includes('<del><span class="nhsuk-u-visually-hidden">removed: </span>together. \u00b6 (paragraph break)<span'),
    'a paragraph break that went is marked', page.slice(page.indexOf('(current)'), page.indexOf('(current)') + 800));
  ok(page.includes('&lt;b&gt;kept&lt;/b&gt;') && !page.includes('<b>kept</b>'), 'markup in a statement is shown as text');

  // ---- a lead publishes a new vision version linked to contributions; the public page shows it ----
  let form = await (await lead.get('/strategy/vision/edit')).text();
  ok(form.includes('Contributions that shaped this version') && /name="contribution" type="checkbox" value="\d+"/.test(form),
    'the edit page lists contributions to tick');
  const newText = 'Safe, kind care for every person we serve, shaped with them.';
  r = await lead.post('/strategy/vision/edit', { csrf: csrfOf(form), text: newText, q: 'TROLLEYS', theme: '', action: 'filter' });
  form = await r.text();
  const found = [...form.matchAll(/name="contribution" type="checkbox" value="(\d+)">\s*<label[^>]*>([^<]*)</g)];
  ok(r.status === 200 && form.includes(newText) && found.length > 0 && found.every((m) => m[2].includes('trolleys')),
    'filtering by words keeps the text and lists only matching contributions', `${r.status} ${found.length}`);
  const themeOpt = [...form.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
  ok(themeOpt.includes('Safe care'), 'the themes are offered as a filter', themeOpt.join(','));
  const pick = found.slice(0, 3).map((m) => m[1]);
  // tick three, filter by theme: the ticks are kept
  r = await lead.post('/strategy/vision/edit', [['csrf', csrfOf(form)], ['text', newText], ['q', ''], ['theme', 'Safe care'],
    ['action', 'filter'], ...pick.map((id) => ['contribution', id])]);
  form = await r.text();
  const themed = [...form.matchAll(/name="contribution" type="checkbox" value="(\d+)"/g)].length;
  ok(themed > 0 && pick.every((id) => form.includes(`value="${id}" checked`) || form.includes(`name="contribution" value="${id}"`)),
    'ticks survive another filter', `${themed}`);
  ok(form.includes('3 ticked.'), 'the page says how many are ticked');
  r = await lead.post('/strategy/vision/edit', [['csrf', csrfOf(form)], ['text', newText], ...pick.map((id) => ['contribution', id])]);
  ok(r.status === 303, 'the lead publishes the version with the three contributions', String(r.status));
  const anon = browser();
  page = await (await anon.get('/')).text();
  ok(page.includes(newText) && /<a href="\/shaped\/vision">Shaped by fewer than 5 contributions from (\d+|fewer than 5) people in (\d+|fewer than 5) groups, counted on \d+ \w+ \d{4}<\/a>/.test(page),
    'the public purpose page shows the provenance, "fewer than 5" applied, linking to the contributions', page.match(/Shaped by[^<]*/)?.[0]);
  const shaped = await (await anon.get('/shaped/vision')).text();
  ok(pick.length === 3 && found.slice(0, 3).every((m) => shaped.includes(m[2])), 'the linked contributions can be browsed');
  ok(shaped.includes('(Anonymous') && !shaped.includes('user_id'), 'browsing keeps anonymity: anonymous ones show no name');
  const prov = await (await fetch(srv.url + '/api/v1/statements/vision/provenance')).json();
  ok(prov.contributions === 'fewer than 5' && prov.items.length === 3 && prov.items.every((c) => !('user_id' in c)),
    'the API gives the same, suppressed', JSON.stringify(prov).slice(0, 300));

  // audited: the version and the link
  const admin = await signIn('admin');
  const audit = await (await admin.get('/api/v1/audit')).json();
  const entries = (audit.items || audit.entries || audit).slice(0, 5);
  ok(entries.some((e) => e.action === 'link' && e.entity === 'statement' && pick.every((id) => JSON.stringify(e.after).includes(id))) &&
     entries.some((e) => e.entity === 'vision' && e.action === 'update' && e.after.text === newText), 'the version and its links are audited', JSON.stringify(entries).slice(0, 600));

  // through the API: five or more show as a number; all or nothing
  const cands = await (await lead.get('/api/v1/statements/vision/candidates?theme=Safe%20care')).json();
  ok(cands.items.length > 5 && cands.items.every((c) => c.theme === 'Safe care' && c.state === 'published') && cands.themes.includes('Safe care'),
    'the API finds contributions by theme', JSON.stringify(cands).slice(0, 200));
  const five = cands.items.slice(0, 6).map((c) => c.id);
  const progItems = (await (await lead.get('/api/v1/programmes/handovers/statements/purpose/candidates')).json()).items;
  r = await lead.json('PUT', '/api/v1/statements/vision', { text: 'Not saved', contribution_ids: [five[0], progItems[0].id] });
  const refusal = await r.json();
  ok(r.status === 400 && refusal.error.startsWith(`contribution_ids: ${progItems[0].id} `),
    "another scope's contribution is refused, naming it", JSON.stringify(refusal));
  ok((await (await lead.get('/api/v1/statements/vision')).json()).text === newText, 'and nothing was saved: all or nothing');
  r = await lead.json('PUT', '/api/v1/statements/vision', { text: newText + ' Again.', contribution_ids: five });
  ok(r.status === 200, 'a version published with six contributions through the API', String(r.status));
  page = await (await anon.get('/')).text();
  ok(/Shaped by 6 contributions from (\d+|fewer than 5) people in/.test(page), 'the public page counts them', page.match(/Shaped by[^<]*/)?.[0]);
  // a hidden one leaves the count
  const conv = (await (await lead.get('/api/v1/conversations')).json());
  const convId = (conv.items || conv.conversations || conv).find((c) => c.audience && c.question.includes('2030')).id;
  r = await lead.json('POST', `/api/v1/conversations/${convId}/moderation`, { item: five[0], decision: 'hide', reason: 'Names a member of staff' });
  ok(r.status === 200 || r.status === 204, 'a moderator hides one of them', String(r.status));
  page = await (await anon.get('/')).text();
  ok(/Shaped by 6 contributions from/.test(page), 'the count holds still after publishing: a hidden one does not move it', page.match(/Shaped by[^<]*/)?.[0]);
  const after = await (await fetch(srv.url + '/api/v1/statements/vision/provenance')).json();
  ok(after.items.length === 5 && after.contributions === 6 && /^\d{4}-\d\d-\d\d$/.test(after.counted_on),
    'the hidden one leaves the list, not the numbers counted on publishing', JSON.stringify({ ...after, items: after.items.length }));

  // a programme: the shared purpose's public page. The five are the first candidates, whose order
  // follows random contribution ids, so they may come from fewer than 5 people, and from fewer than 5
  // groups (the page then says so, not the number): either is right.
  const pids = progItems.slice(0, 5).map((c) => c.id);
  r = await lead.json('PUT', '/api/v1/programmes/handovers/statements/purpose', { text: 'We hand over well, together.', contribution_ids: pids });
  ok(r.status === 200, "a lead publishes the programme's shared purpose with five contributions", String(r.status));
  page = await (await anon.get('/programmes/handovers')).text();
  ok(/<a href="\/programmes\/handovers\/shaped\/purpose">Shaped by 5 contributions from (\d+|fewer than 5) people in (\d+|fewer than 5) groups, counted on \d+ \w+ \d{4}<\/a>/.test(page),
    "the programme's public page shows it", page.match(/Shaped by[^<]*/)?.[0]);
  const pprov = await (await fetch(srv.url + '/api/v1/programmes/handovers/statements/purpose/provenance')).json();
  ok(pprov.contributions === 5 && pprov.items.length === 5, "and the programme's provenance API", JSON.stringify(pprov).slice(0, 200));
} catch (e) {
  ok(false, 'provenance test ran', e.stack + '\n' + srv.stderr().slice(-3000));
} finally {
  await srv.stop();
  env.cleanup();
}
done();
