// Purpose pulses (issue 20, store/pulses.h): a lead starts a pulse and runs waves; staff answer signed
// in or by the link, once a wave; bad input (a closed wave, a second answer, an out-of-range value,
// an unknown statement, a statement left out, an unknown group, a wrong link) gets a clear error and
// stores nothing; results are published only for closed waves; the P chart of the results equals
// `purpose spc --chart p` on the exported wave counts; the demo's small group is never shown and no
// shown group can be worked out by subtraction; a programme runs one too.
// usage: node tests/http/pulses.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser, signIn, csrfOf } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--trusted-proxy', '127.0.0.1']);
try {
  const lead = await signIn(srv, env, 'lead');
  const member = await signIn(srv, env, 'member');

  // ---- starting a pulse --------------------------------------------------------------------
  let html = await lead.text('/pulses/new');
  ok(html.includes('I know our purpose') && html.includes('name="statement6"'), 'the start form offers the default statements and room for the lead\'s own');
  let r = await lead.post('/pulses/new', { csrf: csrfOf(html), title: 'Two only', cadence: 'monthly', audience: '40',
    statement1: 'One', statement2: 'Two' });
  let body = await r.text();
  ok(r.status === 400 && /3 to 6 statements/.test(body), 'two statements are refused, naming the statements', `${r.status}`);
  const before = (await (await lead.api('GET', '/api/v1/pulses')).json()).pulses.length;
  r = await lead.post('/pulses/new', { csrf: csrfOf(html), title: 'Ward pulse', cadence: 'monthly', audience: '40',
    statement1: 'I know our purpose', statement2: 'I can see how my work contributes to it',
    statement3: 'Our purpose guides the decisions made here', statement4: 'I feel listened to on this ward' });
  ok(r.status === 303 && /\/pulses\/\d+$/.test(r.headers.get('location')), 'a lead starts a pulse with three defaults and their own statement', `${r.status}`);
  const id = Number(r.headers.get('location').match(/(\d+)$/)[1]);
  const pulses = (await (await lead.api('GET', '/api/v1/pulses')).json()).pulses;
  ok(pulses.length === before + 1, 'the refused form stored nothing; the good one one pulse');
  r = await member.post('/pulses/new', { csrf: csrfOf(await member.text('/pulses')), title: 'x', audience: '3',
    statement1: 'a', statement2: 'b', statement3: 'c' });
  ok(r.status === 403, 'a member cannot start a pulse', `${r.status}`);

  // ---- a wave ----------------------------------------------------------------------------------
  r = await lead.api('POST', `/api/v1/pulses/${id}/open`, {});
  let pulse = await r.json();
  ok(r.status === 201 && pulse.waves.length === 1 && pulse.waves[0].answers === null, 'a lead opens a wave; its answers are not shown while it runs', JSON.stringify(pulse));
  const wave = pulse.waves[0].id, key = pulse.link_key, st = pulse.statements.map((s) => s.id);
  r = await lead.api('POST', `/api/v1/pulses/${id}/open`, {});
  ok(r.status === 409, 'a second wave cannot open while one runs', `${r.status}`);

  html = await member.text(`/pulses/${id}/answer`);
  ok(html.includes(`name="s${st[0]}"`) && html.includes('Strongly agree') && !/<script/.test(html.replace(/<script[^>]*src=[^>]*><\/script>/g, '')),
    'the answer page is plain radios, one set per statement');
  const good = (extra = {}) => ({ csrf: csrfOf(html), wave: String(wave), ...Object.fromEntries(st.map((s, i) => [`s${s}`, String(1 + (i % 5))])), ...extra });
  const bad = [
    ['an out-of-range value', { [`s${st[1]}`]: '7' }, 400, new RegExp(`s${st[1]}`)],
    ['a value that is not a number', { [`s${st[1]}`]: 'lots' }, 400, /strongly/],
    ['an unknown statement', { s999999: '3' }, 400, /not a statement of this pulse/],
    ['a statement left out', { [`s${st[2]}`]: '' }, 400, /choose an answer/],
    ['an unknown group', { group: 'martians' }, 400, /not one of the groups/],
    ['another wave', { wave: String(wave + 1000) }, 400, /closed/],
  ];
  for (const [what, extra, status, re] of bad) {
    const form = new URLSearchParams(good());
    for (const [k, v] of Object.entries(extra)) { if (v === '') form.delete(k); else form.set(k, v); }
    r = await member.post(`/pulses/${id}/answer`, form.toString());
    body = await r.text();
    ok(r.status === status && re.test(body), `${what} is refused with a clear error`, `${r.status} ${body.match(/nhsuk-error-summary[\s\S]{0,400}/)?.[0]}`);
  }
  r = await member.post(`/pulses/${id}/answer`, { ...good(), group: 'sg-nursing' });
  ok(r.status === 303, 'a signed-in member answers', `${r.status}`);
  ok((await member.text(`/pulses/${id}/answer`)).includes('Thank you'), 'the answer page then thanks them');
  r = await member.post(`/pulses/${id}/answer`, good());
  ok(r.status === 409 && /already answered/.test(await r.text()), 'a second answer in the wave is refused', `${r.status}`);
  r = await member.api('POST', `/api/v1/pulses/${id}/answers`, { wave_id: wave, answers: Object.fromEntries(st.map((s) => [s, 4])) });
  ok(r.status === 409, 'and through the API', `${r.status}`);

  // By the link, without signing in: each browser (a contributor session) once.
  const anon = (n) => browser(srv, { 'X-Forwarded-For': `10.9.${n >> 8}.${n & 255}` });
  // Without a session, an API write carries the pre-session CSRF token a page of the server gave.
  const anonApi = async (n, path, json) => {
    const c = anon(n);
    await c.text(`/pulses/${id}/answer?k=${key}`);
    return c.api('POST', path, json, { 'X-CSRF-Token': (c.jar.get('purpose_csrf') || '').split('.')[0] });
  };
  let a = anon(1);
  r = await a.get(`/pulses/${id}/answer`);
  ok(r.status === 404, 'without signing in the answer page needs the link', `${r.status}`);
  r = await a.get(`/pulses/${id}/answer?k=wrong${key.slice(5)}`);
  ok(r.status === 404, 'a wrong link is not found', `${r.status}`);
  html = await a.text(`/pulses/${id}/answer?k=${key}`);
  const formCsrf = csrfOf(html);
  r = await a.post(`/pulses/${id}/answer`, { ...good(), k: key });
  ok(r.status === 303, 'someone with the link answers without signing in', `${r.status} ${await r.text()}`);
  html = await a.text(`/pulses/${id}/answer?k=${key}`);
  ok(html.includes('Thank you'), 'their browser is thanked on return');
  r = await a.post(`/pulses/${id}/answer`, { ...good(), csrf: formCsrf, k: key });
  ok(r.status === 409, 'their second answer (the form sent again) is refused', `${r.status}`);
  // Seven more by the link through the API (X-Contributor sessions come from the first write).
  const plan = [5, 5, 4, 4, 2, 1, 3];
  for (let n = 0; n < plan.length; n++) {
    r = await anonApi(10 + n, `/api/v1/pulses/${id}/answers`, { wave_id: wave, key, answers: Object.fromEntries(st.map((s) => [s, plan[n]])),
      groups: n < 5 ? ['sg-nursing'] : [] });
    ok(r.status === 201, `answer ${n + 1} by the API and the link`, `${r.status} ${await r.text()}`);
  }
  r = await anonApi(99, `/api/v1/pulses/${id}/answers`, { wave_id: wave, key: 'nope', answers: { [st[0]]: 3 } });
  ok(r.status === 404, 'the API refuses a wrong key as not found', `${r.status}`);

  let res = await (await member.api('GET', `/api/v1/pulses/${id}/results`)).json();
  ok(res.waves.length === 0, 'results show no wave while it runs');
  r = await lead.post(`/pulses/${id}/close`, { csrf: csrfOf(await lead.text(`/pulses/${id}`)), confirm: 'yes' });
  ok(r.status === 303, 'a lead closes the wave', `${r.status}`);
  r = await anonApi(200, `/api/v1/pulses/${id}/answers`, { wave_id: wave, key, answers: Object.fromEntries(st.map((s) => [s, 3])) });
  ok(r.status === 400 && /closed/.test((await r.json()).error), 'an answer to the closed wave is refused', `${r.status}`);
  pulse = await (await lead.api('GET', `/api/v1/pulses/${id}`)).json();
  ok(pulse.waves[0].answers === 9 && Math.abs(pulse.waves[0].response_rate - 22.5) < 1e-9,
    'the wave counts exactly the 9 good answers, 22.5% of 40', JSON.stringify(pulse.waves[0]));
  res = await (await member.api('GET', `/api/v1/pulses/${id}/results`)).json();
  const everyone = res.statements[0].charts.find((c) => c.group === 'everyone');
  const nursing = res.statements[0].charts.find((c) => c.group === 'sg-nursing');
  // member answered 1 to s0, the link answerer 1, then 5,5,4,4,2,1,3: agreeing (4 or 5) = 4 of 9
  ok(everyone.points[0].numerator === 4 && everyone.points[0].denominator === 9, 'statement 1: 4 of 9 agree', JSON.stringify(everyone.points[0]));
  ok(nursing && nursing.points[0].numerator === null && nursing.points[0].denominator === null,
    'nursing (6 of 9 answers) is not shown: 9 less 6 would give the other 3 away', JSON.stringify(nursing?.points[0]));

  // ---- the demo: results as P charts equal purpose spc on the export ------------------------------
  const demo = (await (await member.api('GET', '/api/v1/pulses')).json()).pulses.find((p) => p.title === 'Purpose pulse');
  res = await (await member.api('GET', `/api/v1/pulses/${demo.id}/results`)).json();
  ok(res.waves.length === 12, 'the demo pulse has twelve closed waves');
  const csvRes = await member.get(`/pulses/${demo.id}/export.csv`);
  const csv = await csvRes.text();
  ok(csvRes.status === 200 && /text\/csv/.test(csvRes.headers.get('content-type')), 'the wave counts export as CSV');
  const file = join(env.dir, 'waves.csv');
  writeFileSync(file, csv);
  const spc = JSON.parse(execFileSync(resolve(bin), ['spc', '--chart', 'p', '--series', 'series', '--x', 'day', '--y', 'agree',
    '--denominator', 'answers', '--per', '100', '--format', 'json', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const near = (x, y) => (x === null && y === null) || (typeof x === 'number' && typeof y === 'number' && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)));
  let compared = 0, diffs = [];
  for (const s of res.statements)
    for (const c of s.charts) {
      const series = spc.series.find((x) => x.name === `s${s.id} ${c.group}`);
      if (!series) { diffs.push(`no series s${s.id} ${c.group}`); continue; }
      if (c.variation !== null && c.variation !== series.variation) diffs.push(`${series.name}: variation ${c.variation} vs ${series.variation}`);
      c.points.forEach((p, i) => {
        const q = series.points[i];
        compared++;
        if (p.numerator !== q.numerator || p.denominator !== q.denominator) diffs.push(`${series.name} ${i}: counts`);
        if (c.variation === null) return; // not charted: fewer than 2 waves shown
        for (const k of ['y', 'mean', 'lpl', 'upl']) if (!near(p[k], q[k])) diffs.push(`${series.name} ${i} ${k}: ${p[k]} vs ${q[k]}`);
        if (p.point_type !== q.point_type) diffs.push(`${series.name} ${i} point_type`);
      });
    }
  ok(compared >= 12 * 4 * 2 && diffs.length === 0, `the P charts equal purpose spc --chart p on the exported counts (${compared} points)`, diffs.slice(0, 5).join('\n'));
  const overall = res.statements.map((s) => s.charts.find((c) => c.group === 'everyone'));
  ok(overall.every((c) => c.variation === 'improvement_high' && /[a-z]/.test(c.reading)),
    'after the conversation closed, agreement rose: special cause improvement on every statement, with a reading', overall.map((c) => c.variation).join(' '));

  // ---- suppression ------------------------------------------------------------------------------
  const estates = res.statements[0].charts.find((c) => c.group === 'sg-estates');
  ok(estates && estates.points.every((p) => p.numerator === null && p.denominator === null)
    && csv.split('\n').filter((l) => l.includes(',sg-estates,')).every((l) => l.endsWith(',,,,,,,')),
    'estates staff, 3 a wave, are never shown in the results or the export');
  let sub = [];
  for (const s of res.statements)
    for (const c of s.charts) c.points.forEach((p, i) => {
      const all = s.charts[0].points[i].denominator;
      if (p.denominator !== null && (p.denominator < 5 || (all - p.denominator > 0 && all - p.denominator < 5))) sub.push(`${c.group} ${i}`);
    });
  // Within the staff groups, everyone less the shown groups is never 1 to 4.
  for (let i = 0; i < 12; i++) {
    const pts = res.statements[0].charts.filter((c) => c.group.startsWith('sg-')).map((c) => c.points[i].denominator).filter((n) => n !== null);
    const rest = res.statements[0].charts[0].points[i].denominator - pts.reduce((x, y) => x + y, 0);
    if (rest > 0 && rest < 5) sub.push(`wave ${i}: staff groups leave ${rest}`);
  }
  ok(sub.length === 0, 'no shown figure is under 5, and no subtraction of shown figures gives 1 to 4', sub.join(', '));
  html = await member.text(`/pulses/${demo.id}/results`);
  ok(/<svg/.test(html) && html.includes('Estates and ancillary') && html.includes('Fewer than 5') && html.includes('Response rate'),
    'the results page draws the charts, the groups (estates: fewer than 5) and the response rate');
  ok((await member.get(`/pulses/${demo.id}/results?group=sg-nursing`)).status === 200, 'a group\'s charts have their own page');
  const json = await (await lead.api('GET', `/api/v1/pulses/${demo.id}`)).json();
  ok(json.link_key && !(await (await member.api('GET', `/api/v1/pulses/${demo.id}`)).json()).link_key, 'the link\'s key is given to leads only');

  // ---- a statement followed as a measure of an ambition ----------------------------------------
  const ambition = (await (await lead.api('GET', '/api/v1/themes')).json()).themes?.flatMap((t) => t.ambitions || [])[0]
    ?? (await (await lead.api('GET', '/api/v1/purpose')).json()).themes.flatMap((t) => t.ambitions)[0];
  r = await lead.api('POST', `/api/v1/pulses/${demo.id}/follow`, { statement_id: demo.statements[1].id, ambition_id: ambition.id, target: 75 });
  const followed = await r.json();
  ok(r.status === 201 && followed.measure_id, 'a lead follows a statement as a measure of an ambition', `${r.status} ${JSON.stringify(followed)}`);
  let measure = await (await lead.api('GET', `/api/v1/measures/${followed.measure_id}`)).json();
  const want = res.statements[1].charts[0].points;
  ok(measure.chart === 'p' && measure.per === 100 && measure.ambition_id === ambition.id && measure.points.length === 12
    && measure.points.every((p, i) => p.value === want[i].numerator && p.denominator === want[i].denominator && near(p.mean, want[i].mean)),
    'its points are the twelve waves\' share agreeing, its P chart the results\' own', JSON.stringify(measure).slice(0, 400));
  ok((await lead.text('/summary')).includes(demo.statements[1].text), 'it appears in the summary');
  r = await lead.api('POST', `/api/v1/pulses/${demo.id}/follow`, { statement_id: 999999 });
  ok(r.status === 400, 'following a statement not of the pulse is refused', `${r.status}`);
  r = await member.api('POST', `/api/v1/pulses/${demo.id}/follow`, { statement_id: demo.statements[0].id });
  ok(r.status === 403, 'a member cannot follow one', `${r.status}`);
  // A wave that closes adds its point.
  r = await lead.api('POST', `/api/v1/pulses/${id}/follow`, { statement_id: st[0] });
  const own = (await r.json()).measure_id;
  const first = (await (await lead.api('GET', `/api/v1/measures/${own}`)).json()).points;
  ok(r.status === 201 && first.length === 1 && first[0].value === 4 && first[0].denominator === 9,
    'the test pulse\'s first statement followed: its one closed wave is its point (4 of 9)', JSON.stringify(first));
  const w2 = (await (await lead.api('POST', `/api/v1/pulses/${id}/open`, {})).json()).waves[1].id;
  for (let n = 0; n < 6; n++)
    await anonApi(300 + n, `/api/v1/pulses/${id}/answers`, { wave_id: w2, key, answers: Object.fromEntries(st.map((s) => [s, n % 2 ? 5 : 2])) });
  await lead.api('POST', `/api/v1/pulses/${id}/close`, {});
  measure = await (await lead.api('GET', `/api/v1/measures/${own}`)).json();
  ok(measure.points.length === 1 && measure.points[0].value === 3 && measure.points[0].denominator === 6,
    'closing the next wave (3 of 6 agree) wrote its point (opened the same day, it takes the day\'s one point)', JSON.stringify(measure.points));

  // ---- a programme's pulse ------------------------------------------------------------------
  r = await lead.api('POST', '/api/v1/programmes/handovers/pulses', { title: 'Programme pulse', audience: 120 });
  const prog = await r.json();
  ok(r.status === 201 && prog.statements.length === 4, 'a programme pulse starts with the default statements', `${r.status} ${JSON.stringify(prog)}`);
  ok((await lead.get(`/programmes/handovers/pulses/${prog.id}`)).status === 200 && (await lead.get(`/pulses/${prog.id}`)).status === 404,
    'a programme\'s pulse lives under the programme only');
} finally {
  await srv.stop();
  env.cleanup();
}
done();
