// A measure's annotations, on a real server (SQLite, or PostgreSQL under tests/run.sh): a member
// adds them on the measure page and by the API (bad fields refused, naming each, nothing stored),
// they are drawn on the chart byte for byte as `purpose spc --annotations` draws the same notes on
// the exported points, the reading names the one near the shift (page and board pack), and they
// are deleted; a contributor may not write them, another organisation cannot reach them. Prints TAP.
// usage: node tests/http/annotations.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, done, demoDb, startServer, keyFile } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const { req, signIn } = client(U, env.creds);
const lsan = { ...process.env, LSAN_OPTIONS: process.env.LSAN_OPTIONS?.includes('suppressions=') ? process.env.LSAN_OPTIONS
  : `suppressions=${new URL('../lsan.supp', import.meta.url).pathname}` };

try {
  const lead = await signIn('lead');
  const api = (method, path, json, who = lead) => req(method, path, { cookie: who.cookie, csrf: who.csrf, json });
  const post = (path, form, who = lead) => req('POST', path, { cookie: who.cookie, form: { csrf: who.csrf, ...form } });

  // 30 weekly points, a step down from the 19th (6 May 2025).
  const proj = await api('POST', '/api/v1/projects', { title: 'Quicker triage', aim: 'Triage within 15 minutes', status: 'active',
    score: 2, start_date: '2025-01-01', why_unaligned: 'A test of annotations' });
  const m = await api('POST', `/api/v1/projects/${proj.json().id}/measures`, { name: 'Minutes to triage', kind: 'outcome', unit: 'minutes', direction: 'decrease' });
  ok(proj.status === 201 && m.status === 201, 'a lead makes a project and a measure', m.text);
  const mid = m.json().id;
  const points = Array.from({ length: 30 }, (_, i) => ({ date: new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10),
    value: (i < 17 ? 50 : 40) + [1.2, -0.8, 0.4, -1.5, 0.9, -0.3][i % 6] }));
  ok((await api('POST', `/api/v1/measures/${mid}/points`, { points })).status === 200, 'with 30 weekly points');

  // ---- adding: page and API, bad fields named, nothing stored ----------------------------------------
  const count = async () => (await api('GET', `/api/v1/measures/${mid}/annotations`)).json().annotations.length;
  const bad = await post(`/measures/${mid}/annotations`, { 'date-day': '31', 'date-month': '2', 'date-year': '2025', label: '' });
  ok(bad.status === 400 && bad.text.includes('href="#date') && bad.text.includes('href="#label"'),
    'the page refuses a date that does not exist and an empty label, naming both at once', bad.text.slice(0, 300));
  const badApi = await api('POST', `/api/v1/measures/${mid}/annotations`, { date: '2025-13-01', label: 'x'.repeat(201) });
  ok(badApi.status === 400 && badApi.json().errors.map((e) => e.field).sort().join() === 'date,label', 'the API names both fields', badApi.text);
  const twoLines = await api('POST', `/api/v1/measures/${mid}/annotations`, { date: '2025-04-14', label: 'one\ntwo' });
  ok(twoLines.status === 400 && twoLines.json().error.startsWith('label:'), 'a label is one line', twoLines.text);
  ok(await count() === 0, 'nothing of the refused ones is stored');
  const page = await post(`/measures/${mid}/annotations`, { 'date-day': '14', 'date-month': '4', 'date-year': '2025', label: 'New triage model' });
  ok(page.status === 303 && page.headers.get('location') === `/measures/${mid}#annotations`, 'a member adds one on the measure page', page.text);
  const viaApi = await api('POST', `/api/v1/measures/${mid}/annotations`, { date: '2025-02-03', label: 'Staff briefing, ward 3 & 4' });
  ok(viaApi.status === 201 && viaApi.json().label === 'Staff briefing, ward 3 & 4' && viaApi.json().date === '2025-02-03',
    'and one by the API', viaApi.text);
  const list = (await api('GET', `/api/v1/measures/${mid}/annotations`)).json().annotations;
  ok(list.map((a) => a.date).join() === '2025-02-03,2025-04-14', 'listed by date', JSON.stringify(list));

  // ---- drawn as purpose spc --annotations draws them -------------------------------------------------
  const measure = (await api('GET', `/api/v1/measures/${mid}`)).json();
  ok(measure.annotations.map((a) => `${a.date} ${a.label}`).join() === '2025-02-03 Staff briefing, ward 3 & 4,2025-04-14 New triage model',
    "the measure's JSON carries them too", JSON.stringify(measure.annotations));
  const csv = join(env.dir, 'points.csv'), notes = join(env.dir, 'notes.csv');
  writeFileSync(csv, 'date,minutes\n' + measure.points.map((p) => `${p.date},${p.value}`).join('\n') + '\n');
  writeFileSync(notes, 'date,label\n2025-04-14,New triage model\n2025-02-03,"Staff briefing, ward 3 & 4"\n');
  const cli = execFileSync(bin, ['spc', '--x', 'date', '--y', 'minutes', '--title', 'Minutes to triage', '--improvement', 'decrease',
    '--annotations', notes, '--format', 'svg', csv], { stdio: ['ignore', 'pipe', 'pipe'], env: lsan });
  const web = Buffer.from(await (await fetch(`${U}/measures/${mid}/chart.svg`, { headers: { Cookie: lead.cookie } })).arrayBuffer());
  ok(cli.equals(web) && (web.toString().match(/<g class="note">/g) || []).length === 2,
    "the web's chart and purpose spc --annotations's are the same bytes, with both notes");
  const shown = (await req('GET', `/measures/${mid}`, { cookie: lead.cookie })).text;
  ok(shown.includes('id="annotations"') && shown.includes('2025-04-14: New triage model') && shown.includes('class="note"'),
    'the measure page lists them and draws them');
  ok(shown.includes('The shift began 3 weeks after &#39;New triage model&#39; (14 Apr 2025).') ||
    shown.includes("The shift began 3 weeks after 'New triage model' (14 Apr 2025)."), 'the reading names the note near the shift',
  (shown.split('class="app-reading">')[1] || '').slice(0, 400));

  // The board pack carries the same notes and reading.
  const pack = execFileSync(bin, ['report', '--db', env.db, '--key-file', keyFile(env.db)], { stdio: ['ignore', 'pipe', 'pipe'], env: lsan });
  writeFileSync(join(env.dir, 'pack.pdf'), pack);
  const text = execFileSync('pdftotext', [join(env.dir, 'pack.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  ok(text.includes("The shift began 3 weeks after 'New triage model' (14 Apr 2025).") && text.includes('New triage model'),
    "the board pack's page for the measure draws the note and reads it");

  // ---- who may -----------------------------------------------------------------------------------------
  const contributor = await signIn('contributor');
  ok((await api('POST', `/api/v1/measures/${mid}/annotations`, { date: '2025-03-03', label: 'x' }, contributor)).status === 403,
    'a contributor may not add one');
  ok(!(await req('GET', `/measures/${mid}`, { cookie: contributor.cookie })).text.includes('Add the annotation'),
    'and is offered no form');
  const amb = await signIn('ambulance-lead');
  ok((await api('DELETE', `/api/v1/organisations/northgate-ambulance/annotations/${list[0].id}`, undefined, amb)).status === 404,
    "another organisation's lead cannot reach it through their own");
  ok((await api('POST', `/api/v1/measures/${mid}/annotations`, { date: '2025-03-03', label: 'x' }, amb)).status === 403,
    "nor add one to this organisation's measure");

  // ---- deleting --------------------------------------------------------------------------------------
  const del = await post(`/annotations/${list[1].id}/delete`, { confirm: 'yes' });
  ok(del.status === 303 && del.headers.get('location') === `/measures/${mid}?done=annotation-deleted#annotations`, 'a member deletes one on the page', del.text);
  ok((await api('DELETE', `/api/v1/annotations/${list[0].id}`)).status === 204, 'and one by the API');
  ok(await count() === 0 && (await api('DELETE', `/api/v1/annotations/${list[0].id}`)).status === 404, 'both gone; again is 404');
  const plain = Buffer.from(await (await fetch(`${U}/measures/${mid}/chart.svg`, { headers: { Cookie: lead.cookie } })).arrayBuffer());
  ok(!plain.toString().includes('class="note"'), 'the chart has no notes left');
  const admin = await signIn('admin');
  const audit = (await req('GET', '/api/v1/audit?limit=200', { cookie: admin.cookie })).json();
  const ids = list.map((a) => a.id);
  const acts = (audit.entries || audit).filter((e) => e.entity === 'annotation' && ids.includes(e.entity_id)).map((e) => e.action);
  ok(acts.filter((a) => a === 'create').length === 2 && acts.filter((a) => a === 'delete').length === 2, 'each write is audited', JSON.stringify(acts));
} catch (e) {
  ok(false, 'annotations tests ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
