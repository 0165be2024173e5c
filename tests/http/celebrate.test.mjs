// Celebrating what the data proves, on a real server (SQLite, or PostgreSQL under tests/run.sh):
// a measure whose latest points are a sustained improvement is offered to the organisation's leads
// on the home page (its chart, the project's PDSA cycles, the team) with a case study draft filled
// in from them, which publishes through the case study's own form; a measure of noise is not, and
// members are offered nothing. (The rule itself: tests/unit/test_celebrate.c.) Prints TAP.
// usage: node tests/http/celebrate.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const { req, signIn } = client(srv.url, env.creds);
const unescape = (h) => h.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

try {
  const lead = await signIn('lead');
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });
  const before = (await req('GET', '/', { cookie: lead.cookie })).text;
  const offeredBefore = [...before.matchAll(/<li class="app-celebration"><p><strong>([^<]+)</g)].map((m) => m[1]);

  const proj = await api('POST', '/api/v1/projects', { title: 'Front door triage', aim: 'Triage every patient within 15 minutes',
    team: 'ED front door team', status: 'complete', score: 4, start_date: '2025-01-01', why_unaligned: 'A test of celebrations' });
  ok(proj.status === 201, 'a lead registers a project with its team', proj.text);
  const pid = proj.json().id;
  let parent_id = null;
  for (const text of ['Patients seen sooner', 'Senior decision at the door', 'Triage nurse at the door'])
    parent_id = (await api('POST', `/api/v1/projects/${pid}/drivers`, { text, parent_id })).json().id;
  const cycle = await api('POST', `/api/v1/drivers/${parent_id}/pdsa`, { title: 'Triage nurse at the door, weekdays', start_date: '2025-04-07',
    act: 'adopt' });
  ok(cycle.status === 201, 'and logs a PDSA cycle', cycle.text);

  // 30 weekly points: 18 of noise around 40 minutes, then 12 far lower (lower is better).
  const wobble = [1.5, -2, 0.5, 2.5, -1, -1.5, 2, 0, -2.5, 1];
  const week = (i) => new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10);
  const improved = (await api('POST', `/api/v1/projects/${pid}/measures`, { name: 'Minutes to triage', kind: 'outcome', unit: 'minutes', direction: 'decrease' })).json().id;
  await api('POST', `/api/v1/measures/${improved}/points`, { points: Array.from({ length: 30 }, (_, i) => ({ date: week(i), value: (i < 18 ? 40 : 15) + wobble[i % 10] })) });
  const flat = (await api('POST', `/api/v1/projects/${pid}/measures`, { name: 'Patients leaving before triage', kind: 'balancing', unit: '%', direction: 'decrease' })).json().id;
  await api('POST', `/api/v1/measures/${flat}/points`, { points: Array.from({ length: 30 }, (_, i) => ({ date: week(i), value: 5 + wobble[(i * 3) % 10] / 4 })) });

  // ---- the home page: the leads' celebration ------------------------------------------------------------
  const home = (await req('GET', '/', { cookie: lead.cookie })).text;
  const offered = [...home.matchAll(/<li class="app-celebration"><p><strong>([^<]+)</g)].map((m) => m[1]);
  ok(offered.includes('Minutes to triage') && !offered.includes('Patients leaving before triage') && offered.length === offeredBefore.length + 1,
    'the home page offers the lead a celebration of the improved measure, not of the one of noise', JSON.stringify(offered));
  const item = home.split('<li class="app-celebration">').find((x) => x.includes('Minutes to triage')) || '';
  ok(item.includes(`href="/measures/${improved}"`) && item.includes(`href="/projects/${pid}#pdsa"`) && item.includes('ED front door team') &&
    item.includes(`href="/projects/${pid}/celebrate?measure=${improved}"`), 'linking its chart, the PDSA cycles, the team and a case study draft', item.slice(0, 600));
  const list = await req('GET', '/celebrations', { cookie: lead.cookie });
  ok(list.status === 200 && list.text.includes('Minutes to triage'), 'and /celebrations lists the same');

  // ---- the draft ------------------------------------------------------------------------------------------
  const draft = await req('GET', `/projects/${pid}/celebrate?measure=${improved}`, { cookie: lead.cookie });
  const field = (name) => unescape((draft.text.match(new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`)) || [])[1] || '');
  ok(draft.status === 200 && field('problem') === 'Our aim: Triage every patient within 15 minutes' &&
    field('change_made') === 'PDSA 1, from 2025-04-07: Triage nurse at the door, weekdays: adopt.' &&
    field('data_shows').startsWith('Minutes to triage: The latest value is') && field('data_shows').includes('special cause improvement') &&
    /name="contact"[^>]*value="ED front door team"/.test(draft.text) && draft.text.includes(`action="/projects/${pid}/case-study"`),
  'the draft is filled in from the aim, the PDSA cycles, the reading and the team', draft.text.slice(0, 300));
  const csrf = draft.text.match(/name="csrf" value="([^"]+)"/)[1];
  const pub = await req('POST', `/projects/${pid}/case-study`, { cookie: lead.cookie, form: { csrf, problem: field('problem'),
    change_made: field('change_made'), data_shows: field('data_shows'), contact: 'ED front door team' } });
  ok(pub.status === 303, 'and publishes through the case study form', pub.text.slice(0, 300));
  const study = (await req('GET', `/projects/${pid}/case-study`, { cookie: lead.cookie })).text;
  ok(study.includes('>PDSA 1, from 2025-04-07: Triage nurse at the door, weekdays: adopt.</textarea>') && study.includes('Unpublish this case study'),
    'the case study holds the draft', study.slice(0, 300));
  ok((await req('GET', `/projects/${pid}/celebrate?measure=999999`, { cookie: lead.cookie })).status === 404, 'a draft of a measure that is not there is 404');
  ok((await req('GET', `/projects/${pid}/celebrate?measure=x`, { cookie: lead.cookie })).status === 400, 'a measure that is not a number is 400');

  // ---- leads only -------------------------------------------------------------------------------------------
  const member = await signIn('member');
  ok(!(await req('GET', '/', { cookie: member.cookie })).text.includes('app-celebration'), 'a member is offered no celebration');
  ok((await req('GET', '/celebrations', { cookie: member.cookie })).status === 403, 'and may not open the list');
  ok(!(await req('GET', '/')).text.includes('app-celebration'), 'nor anyone signed out');
} catch (e) {
  ok(false, 'celebration tests ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
