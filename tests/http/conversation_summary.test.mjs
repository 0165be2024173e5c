// A conversation's summary for a board paper (issue 9, deliverable 8) through a real server on the
// demo database: the page and its JSON say the question, dates and audience, who took part, who has
// been heard against the audience, the events, the themes with consensus and division, and what
// changed (the vision version its contributions shaped); no count of 1 to 4 anywhere; a hidden idea
// leaves it; a new version of the vision shows the old one as revised; a programme's conversation
// under its programme only; markup shown as text. Prints TAP.
// usage: node tests/http/conversation_summary.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser as openBrowser, signIn as openSignIn, csrfOf } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

const browser = () => openBrowser(srv);
const signIn = (role) => openSignIn(srv, env, role);
const json = async (path) => (await fetch(srv.url + path)).json();
const COUNTS = new Set(['participants', 'ideas', 'comments', 'votes', 'from_events', 'agree', 'disagree', 'unsure', 'attendees', 'attended', 'contributions']);
function smallCounts(v, at = '$', out = []) {
  if (Array.isArray(v)) v.forEach((x, i) => smallCounts(x, `${at}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
    if (COUNTS.has(k) && Number.isInteger(x) && x >= 1 && x <= 4) out.push(`${at}.${k}=${x}`);
    smallCounts(x, `${at}.${k}`, out);
  }
  return out;
}

try {
  const pub = browser();
  let r = await pub.get('/conversations/1/summary');
  let page = await r.text();
  ok(r.status === 200, 'anyone can read the summary, without an account');
  for (const h of ['The conversation', 'Who took part', 'Who has been heard', 'Engagement events', 'What people said', 'What changed as a result'])
    ok(page.includes(`<h2>${h}</h2>`), `the summary has a section: ${h}`);
  ok(page.includes('The conversation asked &quot;What should our hospitals be known for in 2030?&quot; of everyone') &&
    page.includes('It ran from 1 March 2026 to 29 April 2026.'), 'the question, audience and dates in one sentence');
  ok(/As at \d+ \w+ \d{4}, about 420 people had taken part\. They had contributed \d+ published ideas and \d+ published comments, and cast [\d,]+ votes on them\./.test(page),
    'who took part, in a sentence');
  ok(/As at \d+ \w+ \d{4}, of the 6 groups it set out to hear, all took part/.test(page) && page.includes('Asian or Asian British: Bangladeshi (fewer than 5)'),
    'who has been heard against the audience, a group under 5 suppressed');
  ok(/As at \d+ \w+ \d{4}, 2 engagement events had been held, attended by about 50 people in all/.test(page) && page.includes('a staff huddle at'), 'the events held');
  ok(/As at \d+ \w+ \d{4}, the ideas fall under 4 themes/.test(page) && /As at \d+ \w+ \d{4}, across all ideas, the strongest agreement/.test(page) && page.includes('most agreement with') && page.includes('most divided on'), 'themes with consensus and division');
  ok(/Northgate Teaching Hospitals NHS Trust&#39;s vision was changed on .*; the new version was shaped by 25 contributions from this conversation and is the current one\./.test(page) ||
    /Northgate Teaching Hospitals NHS Trust.s vision was changed on .*shaped by 25 contributions from this conversation and is the current one/.test(page),
  'what changed: the vision version it shaped');
  ok(page.includes('href="/shaped/vision"'), 'a link to the contributions that shaped the vision');

  const s = await json('/api/v1/conversations/1/summary');
  ok(s.participants === 'about 420' && /^\d+ \w+ \d{4}$/.test(s.as_at) && s.events.length === 2 && s.themes.length === 4 && s.changes.length === 1 &&
    s.changes[0].contributions === 25 && s.changes[0].current === true && s.changes[0].kind === 'vision', 'the JSON has the same figures', JSON.stringify({ ...s, sentences: undefined, heard: undefined }).slice(0, 400));
  ok(s.heard.find((g) => g.code === 'eth-K').participants === 'fewer than 5', 'the JSON suppresses a group under 5');
  ok(s.themes.every((t) => t.most_agreed && typeof t.most_agreed.agreement === 'number'), 'each theme has its most agreed idea');
  ok(s.sentences.length >= 10 && s.sentences.every((x) => /^[A-Z0-9"]/.test(x.text) && /[."]$/.test(x.text)), 'plain sentences, each starting with a capital and ending', JSON.stringify(s.sentences.map((x) => x.text.slice(0, 30))));
  // Every count that moves while the conversation is open says the day it was taken (issue 17): the
  // sentences of who took part, who has been heard, the events, the themes and the responses.
  const undated = (sum) => sum.sentences.filter((x) => !['about', 'changes'].includes(x.section) &&
    !x.text.startsWith('People describe themselves') && !x.text.startsWith(`As at ${sum.as_at}, `)).map((x) => x.text.slice(0, 80));
  ok(undated(s).length === 0 && s.sentences.some((x) => x.section === 'responses'), 'every count in the summary states its date ("As at ...")', undated(s).join('\n'));
  const small = smallCounts(s);
  ok(small.length === 0, 'no count of 1 to 4 anywhere in the JSON', small.join(', '));
  ok(!/\(([1-4])\)|\b[1-4] (people|votes|ideas|agree|disagree|unsure)\b/.test(page.replace(/<[^>]+>/g, ' ')), 'no count of 1 to 4 on the page');

  // ---- it follows the data ----
  const lead = await signIn('lead');
  const top = s.themes[0].most_agreed;
  const q = await (await lead.get('/conversations/1/moderate')).text();
  r = await lead.post('/conversations/1/moderate', { csrf: csrfOf(q), item: String(top.id), decision: 'hide', reason: 'Test' });
  ok(r.status === 303, 'a lead hides the most agreed idea of the largest theme');
  const s2 = await json('/api/v1/conversations/1/summary');
  ok(s.themes.some((t) => t.most_agreed?.id === top.id) && !s2.themes.some((t) => t.most_agreed?.id === top.id || t.most_divided?.id === top.id),
    'the hidden idea leaves the summary');
  ok(s2.ideas === s.ideas - 1, 'and its count', `${s.ideas} -> ${s2.ideas}`);
  const st = await (await lead.get('/strategy/vision/edit')).text();
  r = await lead.post('/strategy/vision/edit', { csrf: csrfOf(st), text: 'A newer vision' });
  ok(r.status === 303, 'a lead writes a new version of the vision');
  page = await (await pub.get('/conversations/1/summary')).text();
  ok(page.includes('and has since been revised'), 'the summary says the version it shaped has since been revised');
  ok(!page.includes('href="/shaped/vision"'), 'and no longer links it as the current one');

  // ---- a programme's conversation, markup ----
  ok((await pub.get('/programmes/handovers/conversations/2/summary')).status === 200, "a programme's conversation has its summary under the programme");
  ok((await pub.get('/conversations/2/summary')).status === 404, 'and not under the organisation');
  const now = Math.floor(Date.now() / 1000);
  r = await lead.api('POST', '/api/v1/conversations', { question: 'Is <script>alert(1)</script> safe?', audience: 'staff', privacy: 'p', opens_at: now - 60, closes_at: now + 86400 });
  const made = await r.json();
  page = await (await pub.get(`/conversations/${made.id}/summary`)).text();
  ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;') && !page.includes('<script>alert'), 'markup in the question is shown as text');
  ok(page.includes('of staff.') && page.includes('stays open until') && /As at \d+ \w+ \d{4}, no engagement events had been recorded/.test(page) &&
    page.includes('No version of the vision or purpose has yet been linked'), 'an empty conversation reads sensibly');
  const e = await json(`/api/v1/conversations/${made.id}/summary`);
  ok(e.participants === 0 && e.events.length === 0 && e.themes.length === 0, 'and its JSON is empty', JSON.stringify(e).slice(0, 200));
  ok(undated(e).length === 0, "an empty conversation's counts state their date too", undated(e).join('\n'));
} catch (e) {
  ok(false, 'summary test ran', e.stack + '\n' + srv.stderr().slice(-3000));
} finally {
  const code = await srv.stop();
  ok(code === 0, 'the server stops cleanly (no leak or sanitizer report)', srv.stderr().slice(-3000));
  env.cleanup();
}
done();
