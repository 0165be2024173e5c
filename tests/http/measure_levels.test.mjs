// Measures at every level (issue 19 item 2), on a real server (SQLite, or PostgreSQL under
// tests/run.sh): a measure of an ambition (the strategy's own KPI) and one of the organisation as a
// whole, added by page and API; the line of sight shows the ambition's measure with its icons; the
// summary groups by theme and ambition; moving a measure (page and API) keeps its points; an owner
// that is not the organisation's, or two owners, is refused naming owner with nothing stored; a JSON
// points body names every bad point (index and field) and stores nothing.
// Prints TAP. usage: node tests/http/measure_levels.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;

const { req, signIn } = client(U, env.creds);
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

try {
  const lead = await signIn('lead');
  const contributor = await signIn('contributor');
  const post = (path, form) => req('POST', path, { cookie: lead.cookie, form: { csrf: lead.csrf, ...form } });
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });
  const purpose = (await req('GET', '/api/v1/purpose')).json();
  const theme = purpose.themes.find((t) => t.ambitions.length > 0);
  const harm = theme.ambitions[0];
  let other = { id: 999999 }; // another organisation's ambition where the demo has one, else none at all
  for (const slug of ['northgate-ambulance', 'northgate-council', 'healthwatch-northgate', 'pain-together']) {
    const r = await req('GET', `/api/v1/organisations/${slug}/purpose`, { cookie: lead.cookie });
    const a = r.status === 200 ? r.json().themes?.flatMap((t) => t.ambitions)[0] : undefined;
    if (a) { other = a; break; }
  }
  const count = async () => (await api('GET', '/api/v1/summary')).json().measures.length;
  const before = await count();

  // ---- an ambition's measure, by API ----------------------------------------------------------
  const body = { name: 'Avoidable harm incidents', kind: 'outcome', direction: 'decrease', chart: 'c' };
  const both = await api('POST', '/api/v1/measures', { ...body, ambition_id: harm.id, project_id: 1 });
  ok(both.status === 400 && both.json().error.startsWith('owner:'), 'API: a measure of a project and an ambition at once is refused naming owner', both.text);
  const foreign = await api('POST', '/api/v1/measures', { ...body, ambition_id: other.id });
  ok(foreign.status === 400 && foreign.json().error === `owner: the organisation has no ambition ${other.id}`, "API: another organisation's ambition is refused naming owner", foreign.text);
  ok((await req('POST', '/api/v1/measures', { cookie: contributor.cookie, csrf: contributor.csrf, json: { ...body, ambition_id: harm.id } })).status === 403, 'a contributor may not add one');
  ok(await count() === before, 'nothing of the refused ones is stored');
  const made = await api('POST', '/api/v1/measures', { ...body, ambition_id: harm.id });
  ok(made.status === 201 && made.json().level === 'ambition' && made.json().ambition_id === harm.id && made.json().project_id === null,
    "API: adds an ambition's measure", made.text);
  const aid = made.json().id;
  const counts = [9, 11, 8, 12, 10, 9, 13, 10, 11, 8, 9, 12, 10, 11, 9];
  const rows = counts.map((c, i) => `${new Date(Date.UTC(2025, i, 1)).toISOString().slice(0, 10)},${c}`);
  ok((await post(`/measures/${aid}/points`, { data: rows.join('\n') })).status === 303, 'its points are added by the page');
  const m = (await api('GET', `/api/v1/measures/${aid}`)).json();
  ok(m.n_points === 15 && m.variation === 'common_cause', 'and charted', JSON.stringify([m.n_points, m.variation]));

  // ---- the line of sight shows it under its ambition, with icons ------------------------------
  const sight = (await req('GET', '/line-of-sight', { cookie: lead.cookie })).text;
  const at = sight.indexOf(`<h3>${esc(harm.title)}</h3>`);
  const section = at < 0 ? '' : sight.slice(at, sight.indexOf('<h3>', at + 4) < 0 ? undefined : sight.indexOf('<h3>', at + 4));
  ok(section.includes(`href="/measures/${aid}"`) && section.includes('alt="Common cause variation"') && section.includes('Avoidable harm incidents'),
    "the line of sight shows the ambition's measure under it, with its icons");
  const page = await req('GET', `/measures/${aid}`, { cookie: lead.cookie });
  ok(page.status === 200 && page.text.includes('href="/summary"') && page.text.includes('Move this measure'), "its page leads back to the summary and offers to move it");

  // ---- an organisation's measure, by page ------------------------------------------------------
  const form = await req('GET', `/measures/new?ambition=${harm.id}`, { cookie: lead.cookie });
  ok(form.status === 200 && form.text.includes(`<option value="ambition:${harm.id}" selected`) && form.text.includes('value="organisation"'),
    'the new measure form offers the organisation and its ambitions, the one asked for chosen');
  const badOwner = await post('/measures/new', { owner: `ambition:${other.id}`, name: 'Staff survey', kind: 'outcome', unit: '%', direction: 'increase', chart: 'xmr' });
  ok(badOwner.status === 400 && badOwner.text.includes('href="#owner"'), "the page refuses another organisation's ambition naming owner");
  const orgMade = await post('/measures/new', { owner: 'organisation', name: 'Staff survey engagement', kind: 'outcome', unit: '', direction: 'increase', target: '', chart: 'xmr', per: '' });
  ok(orgMade.status === 303, "adds the organisation's own measure by the page");
  const oid = Number(orgMade.headers.get('location').split('/').pop());
  const om = (await api('GET', `/api/v1/measures/${oid}`)).json();
  ok(om.level === 'organisation' && om.project_id === null && om.ambition_id === null, 'it belongs to the organisation');
  await api('POST', `/api/v1/measures/${oid}/points`, { points: [{ date: '2025-01-01', value: 6.1 }, { date: '2025-02-01', value: 6.3 }, { date: '2025-03-01', value: 6.2 }] });

  // ---- the summary groups by theme and ambition -----------------------------------------------
  const sum = (await req('GET', '/summary', { cookie: lead.cookie })).text;
  const cap = sum.indexOf(`${esc(harm.title)}</caption>`);
  ok(sum.includes(`<h2 class="app-summary-theme">${esc(theme.title)}</h2>`) && cap > 0 && sum.indexOf(`href="/measures/${aid}"`) > cap,
    "the summary has a heading per theme and a table per ambition, the ambition's measure in it");
  const orgCap = sum.indexOf('The organisation as a whole</caption>');
  ok(orgCap > 0 && sum.indexOf(`href="/measures/${oid}"`) > orgCap, "and the organisation's own measures in a table of their own");
  ok(sum.includes('href="/measures/new"'), 'a lead is offered to add one from the summary');
  ok(!(await req('GET', '/summary', { cookie: contributor.cookie })).text.includes('href="/measures/new"'), 'a contributor is not');
  const sumApi = (await api('GET', '/api/v1/summary')).json().measures;
  ok(sumApi.find((x) => x.id === aid)?.theme_id === theme.id && sumApi.find((x) => x.id === aid)?.level === 'ambition', "the summary's API gives its theme and level");

  // ---- moving keeps the points ----------------------------------------------------------------
  const pr = await post('/projects/new', { title: 'Safer wards', aim: 'Fewer falls', team: 'Wards', status: 'active', score: '2.0', start_date: '2025-04-01', ambition: harm.id });
  const pid = Number(pr.headers.get('location').split('/').pop());
  const moved = await api('POST', `/api/v1/measures/${aid}/move`, { project_id: pid });
  ok(moved.status === 200 && moved.json().level === 'project' && moved.json().project_id === pid && moved.json().n_points === 15 &&
    JSON.stringify(moved.json().points.map((p) => [p.date, p.value])) === JSON.stringify(m.points.map((p) => [p.date, p.value])),
    'API: moved to a project, with every point', moved.text.slice(0, 200));
  ok((await req('GET', `/projects/${pid}`, { cookie: lead.cookie })).text.includes(`href="/measures/${aid}"`), "the project's page lists it");
  const badMove = await post(`/measures/${aid}/move`, { owner: 'project:999999' });
  ok(badMove.status === 400 && badMove.text.includes('href="#owner"') && badMove.text.includes('has no project 999999'), 'the page refuses a project that is not ours, naming owner');
  ok((await api('GET', `/api/v1/measures/${aid}`)).json().project_id === pid, 'and the measure stays where it was');
  ok((await post(`/measures/${aid}/move`, { owner: `ambition:${harm.id}` })).status === 303, 'the page moves it back to the ambition');
  const back = (await api('GET', `/api/v1/measures/${aid}`)).json();
  ok(back.level === 'ambition' && back.n_points === 15 && back.variation === m.variation && back.points.every((p, i) => p.upl === m.points[i].upl),
    'with its points and its chart');
  const toOrg = await api('POST', `/api/v1/measures/${aid}/move`, {});
  ok(toOrg.status === 200 && toOrg.json().level === 'organisation', 'API: no project or ambition moves it to the organisation');

  // ---- a JSON points body names every bad point, and stores nothing ----------------------------
  const kept = (await api('GET', `/api/v1/measures/${aid}`)).json();
  const bad3 = await api('POST', `/api/v1/measures/${aid}/points`, { points: [
    { date: '2030-01-01', value: 4 }, { date: '2030-01-02', value: 'n/a' }, { date: '2030-01-03', value: 5 },
    { date: '2030-13-40', value: 3 }, { date: '2030-01-05', value: -2 }] });
  const errs = (bad3.status === 400 && bad3.json().errors) || [];
  ok(errs.length === 3 && JSON.stringify(errs.map((e) => [e.index, e.field])) === JSON.stringify([[1, 'value'], [3, 'date'], [4, 'value']]) &&
    bad3.json().error === errs[0].error && errs[0].error.startsWith('points[1]: value:') && errs[2].error.includes('cannot be below 0'),
    'a JSON body with 3 bad points names all 3 by index and field, error the first', bad3.text);
  const after = (await api('GET', `/api/v1/measures/${aid}`)).json();
  ok(after.n_points === kept.n_points && !after.points.some((p) => p.date.startsWith('2030')), 'and stores none of its points', JSON.stringify([after.n_points, kept.n_points, after.points?.slice(-2)]));

  // ---- deleting one of the organisation's own ---------------------------------------------------
  const del = await post(`/measures/${oid}/delete`, {});
  ok(del.status === 303 && del.headers.get('location') === '/summary', "deleting the organisation's measure leads to the summary");
} finally {
  await srv.stop();
  env.cleanup();
}
done();
