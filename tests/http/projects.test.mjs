// Improvement work through the web and the API, on a real server (SQLite, or PostgreSQL under
// tests/run.sh): a lead registers a project tied to an ambition, builds a driver diagram, logs a
// PDSA cycle, uploads measure data (a bad row refuses the whole upload) and sees the right icons;
// an unaligned project appears on the alignment page; `purpose spc` and the web draw the same chart
// byte for byte; a deleted project keeps its audit trail. Prints TAP.
// usage: node tests/http/projects.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;

const { req, signIn } = client(U, env.creds);

try {
  const lead = await signIn('lead');
  const post = (path, form) => req('POST', path, { cookie: lead.cookie, form: { csrf: lead.csrf, ...form } });
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });
  const ambitions = (await req('GET', '/api/v1/purpose')).json().themes.flatMap((t) => t.ambitions);
  const harm = ambitions.find((a) => a.title === 'Halve avoidable harm');

  // ---- a project tied to an ambition ----------------------------------------------------------
  const form = await req('GET', '/projects/new', { cookie: lead.cookie });
  ok(form.status === 200 && form.text.includes('Intent to participate') && form.text.includes('Outstanding sustainable results'),
    'the project form shows each progress level with its definition');
  const bad = await post('/projects/new', { title: 'Pressure ulcers', aim: 'Halve them', status: 'active', score: '5.5', start_date: '2025-04-01', ambition: harm.id });
  ok(bad.status === 400 && bad.text.includes('href="#score"') && bad.text.includes('not on the progress scale'),
    'a score outside the scale is refused, naming the field');
  const made = await post('/projects/new', { title: 'Pressure ulcers', aim: 'Halve pressure ulcers by 2027', team: 'Tissue viability', status: 'active', score: '2.0', start_date: '2025-04-01', ambition: harm.id });
  ok(made.status === 303 && /^\/projects\/\d+$/.test(made.headers.get('location')), 'a lead registers a project tied to an ambition');
  const pid = Number(made.headers.get('location').split('/').pop());

  // ---- the driver diagram, as plain forms -----------------------------------------------------
  ok((await post(`/projects/${pid}/drivers`, { parent_id: '0', text: 'Skin checked every shift' })).status === 303, 'adds a primary driver');
  let page = await req('GET', `/projects/${pid}`, { cookie: lead.cookie });
  const prim = page.text.match(/\/drivers\/(\d+)\/edit/)[1];
  ok((await post(`/projects/${pid}/drivers`, { parent_id: prim, child: 'SSKIN bundle on admission' })).status === 303, 'adds a secondary driver below it');
  page = await req('GET', `/projects/${pid}`, { cookie: lead.cookie });
  const sec = [...page.text.matchAll(/\/drivers\/(\d+)\/edit/g)].map((m) => m[1]).find((id) => id !== prim);
  ok((await post(`/projects/${pid}/drivers`, { parent_id: sec, child: 'Two-hourly turns on ward 4' })).status === 303, 'adds a change idea below that');
  page = await req('GET', `/projects/${pid}`, { cookie: lead.cookie });
  ok(/<svg[^>]*class="app-driver-diagram"[^>]*role="img"/.test(page.text) && page.text.includes('Two-hourly turns on ward 4') &&
    page.text.includes('<title id="dd-title">Driver diagram</title>'), 'the project page draws the diagram as an accessible SVG');
  const change = [...page.text.matchAll(/\/drivers\/(\d+)\/edit/g)].map((m) => m[1]).find((id) => id !== prim && id !== sec);
  const deep = await post(`/projects/${pid}/drivers`, { parent_id: change, child: 'Too deep' });
  ok(deep.status === 400 && deep.text.includes('change idea is the end of the diagram'), 'nothing hangs below a change idea');

  const viaApi = await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'Nutrition', parent_id: null });
  ok(viaApi.status === 201 && viaApi.json().kind === 'primary', 'API: adds a primary driver');
  const tooDeep = await api('POST', `/api/v1/projects/${pid}/drivers`, { text: 'x', parent_id: Number(change) });
  ok(tooDeep.status === 400 && tooDeep.json().error.startsWith('parent_id:'), 'API: nothing below a change idea');

  // ---- a PDSA cycle ---------------------------------------------------------------------------
  const early = await post(`/drivers/${change}/pdsa/new`, { title: 'Turn clock on ward 4', start_date: '2025-05-12', end_date: '2025-05-01', act: 'adopt' });
  ok(early.status === 400 && early.text.includes('href="#end_date"'), 'a cycle ending before it starts is refused, naming end_date');
  const cyc = await post(`/drivers/${change}/pdsa/new`, { title: 'Turn clock on ward 4', plan: 'Two weeks', prediction: 'Fewer new ulcers', start_date: '2025-05-12', end_date: '2025-05-26', act: 'adopt' });
  ok(cyc.status === 303, 'logs a PDSA cycle on the change idea');

  const apiCycle = await api('POST', `/api/v1/drivers/${change}/pdsa`, { title: 'Weekend turns', start_date: '2025-06-02', end_date: '2025-05-02' });
  ok(apiCycle.status === 400 && apiCycle.json().error.startsWith('end_date:'), 'API: a cycle ending before it starts names end_date');
  const tree = (await api('GET', `/api/v1/projects/${pid}/drivers`)).json();
  ok(tree.drivers.length === 4 && tree.drivers.map((d) => d.kind).join() === 'primary,secondary,change,primary' &&
    tree.pdsa_cycles.length === 1 && tree.pdsa_cycles[0].act === 'adopt', 'API: the diagram depth first, and its cycle');

  // ---- a measure, its data and its chart ------------------------------------------------------
  const mm = await post(`/projects/${pid}/measures/new`, { name: 'New pressure ulcers', kind: 'outcome', unit: '', direction: 'decrease', target: '3' });
  ok(mm.status === 303, 'adds a measure');
  const mid = Number(mm.headers.get('location').split('/').pop());
  const one = await req('GET', `/measures/${mid}`, { cookie: lead.cookie });
  ok(one.text.includes('a chart needs at least 2 points; this measure has 0'), 'a measure without points says a chart needs 2');
  const rows = [];
  for (let i = 0; i < 30; i++) {
    const d = new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10);
    rows.push(`${d},${i < 20 ? 8 + (i % 3) * 0.5 : 4 + (i % 2) * 0.5}`);
  }
  const broken = ['date,value', ...rows.slice(0, 4), '2025-02-10,n/a', ...rows.slice(5)].join('\n');
  const refused = await post(`/measures/${mid}/points`, { data: broken });
  ok(refused.status === 400 && refused.text.includes('row 6: value: &quot;n/a&quot; is not a number'), 'a bad row refuses the upload, naming row and field');
  ok((await api('GET', `/api/v1/measures/${mid}`)).json().n_points === 0, 'nothing of the refused upload is stored');
  ok((await post(`/measures/${mid}/points`, { data: ['date,value', ...rows].join('\n') })).status === 303, 'uploads 30 weekly points');
  const m = (await api('GET', `/api/v1/measures/${mid}`)).json();
  ok(m.n_points === 30 && m.variation === 'improvement_low' && m.assurance !== null,
    'the measure shows special cause improvement (lower is better)', JSON.stringify({ v: m.variation, a: m.assurance }));
  page = await req('GET', `/measures/${mid}`, { cookie: lead.cookie });
  ok(page.text.includes('alt="Special cause improvement (low)"') && page.text.includes('class="pdsa"') &&
    page.text.includes('class="app-reading"'), 'the measure page shows the icons, the PDSA annotation and the reading');

  // ---- purpose spc and the web agree ----------------------------------------------------------
  const csv = join(env.dir, 'points.csv');
  writeFileSync(csv, 'date,value\n' + m.points.map((p) => `${p.date},${p.value}`).join('\n') + '\n');
  const cli = execFileSync(bin, ['spc', '--x', 'date', '--y', 'value', '--title', 'New pressure ulcers', '--improvement', 'decrease',
    '--target', '3', '--format', 'svg', csv], { stdio: ['ignore', 'pipe', 'pipe'] });
  const web = Buffer.from(await (await fetch(`${U}/measures/${mid}/chart.svg`, { headers: { Cookie: lead.cookie } })).arrayBuffer());
  ok(cli.equals(web), 'purpose spc --format svg and the web draw the same chart, byte for byte');
  // A rebase names one of the points, as purpose spc --rebase X does: the page offers their dates.
  const offered = [...page.text.split('From the point of')[1].split('</select>')[0].matchAll(/<option value="(\d{4}-\d\d-\d\d)"/g)].map((x) => x[1]);
  ok(offered.includes(rows[20].slice(0, 10)) && !offered.includes(rows[0].slice(0, 10)) && page.text.includes('From the point of'),
    "the rebase form offers the measure's points after the first");
  const between = await post(`/measures/${mid}/rebases`, { date: '2025-05-28', reason: 'Turn clock adopted' });
  ok(between.status === 400 && between.text.includes('href="#date"') && between.text.includes('has no point on 2025-05-28'),
    'a rebase on a date without a point is refused, naming the field');
  const atFirst = await post(`/measures/${mid}/rebases`, { date: rows[0].slice(0, 10), reason: 'Turn clock adopted' });
  ok(atFirst.status === 400 && atFirst.text.includes('href="#date"') && atFirst.text.includes('first point; a rebase starts new limits at a later one'),
    'a rebase at the first point is refused (it would start no group)');
  ok((await api('GET', `/api/v1/measures/${mid}`)).json().rebases.length === 0, 'nothing of the refused rebases is stored');
  ok((await post(`/measures/${mid}/rebases`, { date: rows[20].slice(0, 10), reason: 'Turn clock adopted' })).status === 303, 'rebases with a reason');
  const cli2 = execFileSync(bin, ['spc', '--x', 'date', '--y', 'value', '--title', 'New pressure ulcers', '--improvement', 'decrease',
    '--target', '3', '--rebase', rows[20].slice(0, 10), '--format', 'svg', csv], { stdio: ['ignore', 'pipe', 'pipe'] });
  const web2 = Buffer.from(await (await fetch(`${U}/measures/${mid}/chart.svg`, { headers: { Cookie: lead.cookie } })).arrayBuffer());
  ok(cli2.equals(web2), 'with a rebase too');
  // The rebase's point deleted: the rebase stays and starts no group, as purpose spc warns of an x
  // the series lacks; the charts still agree.
  ok((await post(`/measures/${mid}/points/delete`, { day: rows[20].slice(0, 10), confirm: 'yes' })).status === 303, 'deletes the rebased point (its confirmation posts confirm=yes)');
  const orphan = (await api('GET', `/api/v1/measures/${mid}`)).json();
  ok(orphan.rebases.length === 1 && orphan.rebases[0].starts_group === false && orphan.n_points === 29, 'the rebase stays and starts no group');
  ok((await req('GET', `/measures/${mid}`, { cookie: lead.cookie })).text.includes('No point on this date, so no new limits start here'),
    'the measure page says so');
  const csv3 = join(env.dir, 'points3.csv');
  writeFileSync(csv3, 'date,value\n' + orphan.points.map((p) => `${p.date},${p.value}`).join('\n') + '\n');
  const cli3 = execFileSync(bin, ['spc', '--x', 'date', '--y', 'value', '--title', 'New pressure ulcers', '--improvement', 'decrease',
    '--target', '3', '--rebase', rows[20].slice(0, 10), '--format', 'svg', csv3], { stdio: ['ignore', 'pipe', 'pipe'] });
  const web3 = Buffer.from(await (await fetch(`${U}/measures/${mid}/chart.svg`, { headers: { Cookie: lead.cookie } })).arrayBuffer());
  ok(cli3.equals(web3), 'and with a rebase whose point is gone (no group starts at it, in either)');
  ok((await post(`/measures/${mid}/points`, { data: rows[20] })).status === 303 &&
    (await api('GET', `/api/v1/measures/${mid}`)).json().rebases[0].starts_group === true, 'the point put back starts the group again');
  const summary = await req('GET', '/summary.csv', { cookie: lead.cookie });
  ok(summary.status === 200 && summary.text.split('\n').some((l) => l.includes('New pressure ulcers')), 'the summary CSV has the measure');
  const sum = await req('GET', '/summary', { cookie: lead.cookie });
  for (const icon of ['Special cause improvement (low)', 'Special cause improvement (high)', 'Special cause concern (high)',
    'Special cause concern (low)', 'Common cause variation', 'Special cause variation (high)', 'Special cause variation (low)',
    'Consistently meets the target', 'Consistently misses the target', 'May or may not meet the target'])
    ok(sum.text.includes(`alt="${icon}"`), `the demo summary shows "${icon}"`);

  // ---- alignment --------------------------------------------------------------------------------
  const lone = { title: 'Staff car sharing', aim: 'Fewer cars', status: 'idea', score: 1, start_date: '2025-06-01' };
  const refusedLone = await api('POST', '/api/v1/projects', lone);
  ok(refusedLone.status === 400 && refusedLone.json().error.startsWith('why_unaligned:'), 'a project serving nothing must say why');
  const loneMade = await api('POST', '/api/v1/projects', { ...lone, why_unaligned: 'Asked for by the travel group' });
  ok(loneMade.status === 201 && loneMade.json().ambitions.length === 0, 'API: registers an unaligned project with its reason');
  const align = await req('GET', '/alignment', { cookie: lead.cookie });
  ok(align.text.includes('Staff car sharing') && align.text.includes('Asked for by the travel group'), 'it appears on the alignment page to question');
  ok((await api('POST', '/api/v1/projects', { ...lone, score: 0.3, why_unaligned: 'x' })).json().error.startsWith('score:'), 'API: a score off the scale names score');
  const sight = await req('GET', '/line-of-sight', { cookie: lead.cookie });
  ok(sight.text.includes('Pressure ulcers') && sight.text.includes('New pressure ulcers'), 'line of sight: ambition, project, measure');

  const psight = await req('GET', '/programmes/handovers/line-of-sight', { cookie: lead.cookie });
  ok(psight.status === 200 && psight.text.includes('Handover in 30: a cohorting area') && psight.text.includes('Median handover time'),
    "a programme's line of sight shows each partner's projects and measures under its aims");

  // ---- good practice ----------------------------------------------------------------------------
  const story = { problem: 'Too many ulcers', change_made: 'A turn clock', data_shows: 'Ulcers halved', contact: 'Tissue viability' };
  const early2 = await post(`/projects/${pid}/case-study`, story);
  ok(early2.status === 400 && early2.text.includes('only a complete or sustaining project'), 'an active project cannot be published as a case study');
  const cur = (await api('GET', `/api/v1/projects/${pid}`)).json();
  ok((await api('PUT', `/api/v1/projects/${pid}`, { ...cur, status: 'sustaining' })).status === 200, 'API: the project is sustaining');
  const pub = await post(`/projects/${pid}/case-study`, story);
  ok(pub.status === 303 && /^\/good-practice\/\d+$/.test(pub.headers.get('location')), 'a lead publishes it as a case study');
  const casePage = await req('GET', pub.headers.get('location'), { cookie: lead.cookie });
  const img = (casePage.text.match(/<img src="([^"]+\/chart\.svg)"/) || [])[1];
  ok(casePage.status === 200 && img === `/measures/${mid}/chart.svg` && casePage.text.includes('alt="Chart of New pressure ulcers. The latest value'),
    'the case study embeds the live chart, its reading as the text alternative');
  const member = await signIn('member');
  const trying = await req('POST', pub.headers.get('location') + '/trying', { cookie: member.cookie, form: { csrf: member.csrf, note: 'Ward 12 from June' } });
  ok(trying.status === 303 && (await req('GET', pub.headers.get('location'), { cookie: lead.cookie })).text.includes('Ward 12 from June'),
    "a colleague says they are trying it too");
  const found = (await api('GET', '/api/v1/good-practice?q=turn%20clock')).json().case_studies;
  ok(found.length === 1 && found[0].title === 'Pressure ulcers', 'API: the library finds it by search');

  // ---- scope and deletion -----------------------------------------------------------------------
  ok((await req('GET', `/organisations/northgate-ambulance/projects/${pid}`, { cookie: lead.cookie })).status === 404,
    "another organisation's URL does not reach the project");
  ok((await api('DELETE', `/api/v1/projects/${pid}`)).status === 204, 'a lead deletes the project');
  ok((await api('GET', `/api/v1/measures/${mid}`)).status === 404, 'its measures go with it');
  const admin = await signIn('admin');
  const audit = (await req('GET', '/api/v1/audit?limit=200', { cookie: admin.cookie })).json();
  const entries = (audit.entries || audit).filter((e) => e.entity === 'project' && e.entity_id === pid).map((e) => e.action);
  ok(entries.includes('create') && entries.includes('delete'), 'the audit trail keeps the deleted project', JSON.stringify(entries));
} catch (e) {
  ok(false, 'projects tests ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
