// Measures at every level (issue 19 item 2), on a real server (SQLite, or PostgreSQL under
// tests/run.sh): a measure of an ambition (the strategy's own KPI) and one of the organisation as a
// whole, added by page and API; the line of sight shows the ambition's measure with its icons; the
// summary groups by theme and ambition; moving a measure (page and API) keeps its points; an owner
// that is not the organisation's, or two owners, is refused naming owner with nothing stored; a JSON
// points body names every bad point (index and field) and stores nothing. A programme's own measures
// (of the programme or one of its aims): added and moved by its members only, on its line of sight,
// not found through an organisation or another programme.
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
  const twoBad = await post('/measures/new', { owner: 'organisation', name: 'Two bad fields', kind: 'outcome', unit: '', direction: 'increase', target: 'abc', chart: 'xmr', per: 'x' });
  ok(twoBad.status === 400 && twoBad.text.includes('href="#target"') && twoBad.text.includes('href="#per"') && twoBad.text.includes('value="Two bad fields"'),
    'the form (on the action skeleton) names every bad field at once and keeps what was entered');
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

  // ---- a programme's own measures: of the programme or one of its aims ------------------------
  const member = await signIn('member'); // the trust's member: the trust is a partner, but no role in the programme
  const P = '/api/v1/programmes/handovers';
  const aimsJ = (await req('GET', `${P}/aims`)).json();
  const aims = aimsJ.aims || aimsJ;
  const [aim1, aim2] = aims;
  const pCount = async () => (await api('GET', `${P}/measures`)).json().measures.length;
  const pBefore = await pCount();
  const pm = { name: 'Handovers within 30 minutes', kind: 'outcome', unit: '%', direction: 'increase', chart: 'p', per: 100 };
  const notPartner = await req('POST', `${P}/measures`, { cookie: member.cookie, csrf: member.csrf, json: { ...pm, aim_id: aim2.id } });
  ok(notPartner.status === 403, "a partner's member with no role in the programme may not add one", notPartner.text);
  const pTwoBad = await api('POST', `${P}/measures`, { ...pm, name: 'Handovers', aim_id: 'one', target: 'high' });
  ok(pTwoBad.status === 400 && JSON.stringify(pTwoBad.json().errors.map((e) => e.field).sort()) === '["aim_id","target"]' &&
    await pCount() === pBefore, "a programme's measure with two bad fields names both, and none is added", pTwoBad.text);
  const badAim = await api('POST', `${P}/measures`, { ...pm, aim_id: 999999 });
  ok(badAim.status === 400 && badAim.json().error === 'owner: the programme has no aim 999999', "an aim not of the programme is refused naming owner", badAim.text);
  ok(await pCount() === pBefore, 'nothing of the refused ones is stored');
  const pMade = await api('POST', `${P}/measures`, { ...pm, aim_id: aim2.id });
  ok(pMade.status === 201 && pMade.json().level === 'aim' && pMade.json().aim_id === aim2.id && pMade.json().chart === 'p' && pMade.json().org_id === undefined,
    "API: adds a measure of one of the programme's aims", pMade.text);
  const pid2 = pMade.json().id;
  const pts = counts.map((c, i) => ({ date: `${new Date(Date.UTC(2025, i, 1)).toISOString().slice(0, 10)}`, value: 60 + c, denominator: 100 }));
  const pPut = await api('POST', `${P}/measures/${pid2}/points`, { points: pts });
  ok(pPut.status === 200 && pPut.json().n_points === 15 && pPut.json().variation, 'its points are added and charted', pPut.text.slice(0, 200));
  const pBad = await api('POST', `${P}/measures/${pid2}/points`, { points: [{ date: '2030-01-01', value: 5 }, { date: '2030-01-02', value: 120, denominator: 100 }] });
  ok(pBad.status === 400 && pBad.json().errors.length === 2, 'bad points of a programme measure are each named', pBad.text);
  ok((await req('GET', `/api/v1/measures/${pid2}`, { cookie: lead.cookie })).status === 404, "the organisation's API does not find the programme's measure");
  ok((await req('GET', `/measures/${pid2}`, { cookie: lead.cookie })).status === 404, "nor do its pages");
  ok((await req('GET', `/api/v1/programmes/chronic-pain/measures/${pid2}`, { cookie: lead.cookie })).status === 404, "another programme's scope does not find it (404)");
  ok((await req('POST', `/api/v1/programmes/chronic-pain/measures/${pid2}/move`, { cookie: lead.cookie, csrf: lead.csrf, json: {} })).status !== 200,
    "nor moves it");
  const whole = await api('POST', `${P}/measures`, { name: 'Hours lost to handover delays', kind: 'outcome', direction: 'decrease' });
  ok(whole.status === 201 && whole.json().level === 'programme' && whole.json().aim_id === null, "API: adds a measure of the programme as a whole");
  // the line of sight shows each aim's measures with icons
  const pSight = (await req('GET', '/programmes/handovers/line-of-sight', { cookie: lead.cookie })).text;
  const at2 = pSight.indexOf(`<h2>${esc(aim2.title)}</h2>`);
  const sec2 = at2 < 0 ? '' : pSight.slice(at2, pSight.indexOf('<h2>', at2 + 4) < 0 ? undefined : pSight.indexOf('<h2>', at2 + 4));
  ok(sec2.includes(`href="/programmes/handovers/measures/${pid2}"`) && /alt="[^"]*variation"/.test(sec2),
    "the programme's line of sight shows the aim's measure under it, with its icons");
  ok(pSight.includes('<h2>The programme as a whole</h2>') && pSight.includes(`href="/programmes/handovers/measures/${whole.json().id}"`), 'and the whole programme\'s under a heading of its own');
  const pSum = (await req('GET', '/programmes/handovers/summary', { cookie: lead.cookie })).text;
  const capAim = pSum.indexOf(`Aim: ${esc(aim2.title)}</caption>`), capWhole = pSum.indexOf('The programme as a whole</caption>');
  ok(capAim > 0 && pSum.indexOf(`href="/programmes/handovers/measures/${pid2}"`) > capAim && capWhole > 0 &&
    pSum.indexOf(`href="/programmes/handovers/measures/${whole.json().id}"`) > capWhole,
    "the programme's summary has a table per aim with its measures, and one of the whole programme's");
  const pSumApi = (await api('GET', `${P}/summary`)).json().measures;
  ok(pSumApi.find((x) => x.id === pid2)?.level === 'aim' && pSumApi.find((x) => x.id === whole.json().id)?.level === 'programme',
    "the programme's summary API lists its own measures with their level");
  const pPage = await req('GET', `/programmes/handovers/measures/${pid2}`, { cookie: member.cookie });
  ok(pPage.status === 200 && pPage.text.includes('<svg') && pPage.text.includes(esc(aim2.title)), "its page charts it for anyone with a role there, naming its aim");
  // moving between the programme's levels keeps its points
  const pMoved = await api('POST', `${P}/measures/${pid2}/move`, { aim_id: aim1.id });
  ok(pMoved.status === 200 && pMoved.json().aim_id === aim1.id && pMoved.json().n_points === 15 &&
    JSON.stringify(pMoved.json().points) === JSON.stringify(pPut.json().points), 'API: moved to another aim, with every point and its chart', pMoved.text.slice(0, 200));
  const pBadMove = await api('POST', `${P}/measures/${pid2}/move`, { aim_id: 999999 });
  ok(pBadMove.status === 400 && (await api('GET', `${P}/measures/${pid2}`)).json().aim_id === aim1.id, 'an aim not of the programme is refused and it stays');
  const pWhole = await api('POST', `${P}/measures/${pid2}/move`, { aim_id: null });
  ok(pWhole.status === 200 && pWhole.json().level === 'programme' && pWhole.json().n_points === 15, 'null moves it to the programme as a whole');
  ok((await req('POST', `${P}/measures/${pid2}/move`, { cookie: member.cookie, csrf: member.csrf, json: { aim_id: aim2.id } })).status === 403, "a partner's member may not move it");

  // ---- deleting one of the organisation's own ---------------------------------------------------
  const del = await post(`/measures/${oid}/delete`, { confirm: 'yes' });
  ok(del.status === 303 && del.headers.get('location') === '/summary?done=measure-deleted', "deleting the organisation's measure leads to the summary, with its banner");
} finally {
  await srv.stop();
  env.cleanup();
}
done();
