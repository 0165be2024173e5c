// The system view of a programme (issue 19 item 7), on a real database (SQLite, or PostgreSQL under
// tests/run.sh): the demo handovers programme's partners' own measures side by side, matched by name
// (the trust's real A&E P chart and one the ambulance service adds under the same name), as a page
// linked from the programme's hub and in the API; a funnel plot of that proportion measure across
// the partners whose limits equal what `purpose funnel` prints for the same numbers, as an SVG and a
// table; a measure no partner has is a clear 404; who may see it is who may see the summary. Then the
// installation's system view (/system): after `purpose import ae` of four providers, every
// organisation's measures, one measure at a time with organisations as rows, and the funnel of the
// A&E measure across every organisation, equal to `purpose funnel` on the same file. Prints TAP.
// usage: node tests/http/system_view.test.mjs [build/release/purpose]
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, done, demoDb, startServer, keyFile } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const { req: send, signIn } = client(srv.url, env.creds);
// The server closes a connection idle while an import runs; a request that met one closing is sent again.
const req = async (...a) => { try { return await send(...a); } catch { return await send(...a); } };
const AE = 'A&E: seen within 4 hours';
const q = encodeURIComponent(AE);

try {
  const admin = await signIn('admin');
  const crew = await signIn('ambulance-lead');
  const get = (path, who = admin) => req('GET', path, { cookie: who.cookie });

  // The ambulance service gets its own A&E measure of the same name (a P chart): two partners to compare.
  const capi = (method, path, json) => req(method, path, { cookie: crew.cookie, csrf: crew.csrf, json });
  let r = await capi('POST', '/api/v1/organisations/northgate-ambulance/measures',
    { name: AE, kind: 'outcome', direction: 'increase', unit: '%', chart: 'p', per: 100 });
  ok(r.status === 201, "the ambulance service adds a P chart measure of the trust's name", r.text);
  const mid = r.json().id;
  r = await capi('POST', `/api/v1/organisations/northgate-ambulance/measures/${mid}/points`, {
    points: [{ date: '2025-01-01', value: 700, denominator: 1000 }, { date: '2025-02-01', value: 610, denominator: 1000 }],
  });
  ok(r.status === 200 || r.status === 201, 'and its points', r.text);

  // ---- small multiples -----------------------------------------------------------------------------
  r = await get('/api/v1/programmes/handovers/system');
  ok(r.status === 200, 'GET /api/v1/programmes/handovers/system answers', r.text.slice(0, 200));
  const sys = r.json();
  const slugs = sys.organisations.map((o) => o.slug).sort();
  ok(JSON.stringify(slugs) === JSON.stringify(['northgate-ambulance', 'northgate-th']), 'its columns are the partners', JSON.stringify(slugs));
  const row = sys.measures.find((m) => m.name === AE);
  ok(row && row.organisations['northgate-th'] && row.organisations['northgate-ambulance'],
    'the A&E measure is one row with both partners, matched by name', JSON.stringify(row && Object.keys(row.organisations)));
  ok(row && row.organisations['northgate-ambulance'].id === mid && row.organisations['northgate-ambulance'].chart === 'p',
    "each cell is that partner's own measure");

  const page = (await get('/programmes/handovers/system')).text;
  ok(page.includes('<h1>System view</h1>') && page.includes('A&amp;E: seen within 4 hours'), 'the page lists the measure');
  ok(page.includes(`href="/organisations/northgate-ambulance/measures/${mid}"`), "a cell links to the partner's measure");
  ok(page.includes('Northgate and Dales Ambulance Service NHS Trust') && page.includes('<table'), 'as a table, a column per partner');
  const img = page.match(/<img class="app-small-multiple"[^>]*src="(\/organisations\/northgate-ambulance\/measures\/\d+\/chart\.svg)"/);
  ok(img, "each cell draws the partner's chart small", page.match(/<img[^>]*>/)?.[0]);
  r = img ? await get(img[1]) : { status: 0, headers: new Headers() };
  ok(r.status === 200 && /image\/svg\+xml/.test(r.headers.get('content-type')), 'and that chart is there', String(r.status));
  const sysPage = (await get('/system')).text;
  ok(sysPage.includes('>Not measured<') && !/>-<\/td>/.test(sysPage), 'an organisation without the measure says "Not measured", not a dash');
  const hub = (await get('/programmes/handovers')).text;
  ok(hub.includes('href="/programmes/handovers/system"'), "the programme's hub links to it");

  // ---- the funnel ----------------------------------------------------------------------------------
  r = await get(`/api/v1/programmes/handovers/system?measure=${q}`);
  const f = r.json().funnel;
  ok(r.status === 200 && f && f.units.length === 2, 'the funnel of the A&E measure has both partners', r.text.slice(0, 300));
  const amb = f.units.find((u) => u.organisation === 'northgate-ambulance');
  ok(amb && amb.numerator === 610 && amb.denominator === 1000 && amb.day === '2025-02-01', "each partner's latest period");
  // purpose funnel on the same numbers prints the same limits.
  const csv = ['unit,numerator,denominator', ...f.units.map((u) => `${u.organisation},${u.numerator},${u.denominator}`)].join('\n') + '\n';
  const cli = spawnSync(bin, ['funnel', '-', '--format', 'json'], { input: csv, encoding: 'utf8' });
  ok(cli.status === 0, 'purpose funnel reads the same numbers', cli.stderr);
  const want = JSON.parse(cli.stdout);
  const keys = ['proportion', 'lower_998', 'lower_95', 'upper_95', 'upper_998'];
  const same = (a, b) => a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a));
  let agree = same(want.target, f.target);
  for (const u of f.units) {
    const w = want.units.find((x) => x.unit === u.organisation);
    agree = agree && w && u.place === w.place && keys.every((k) => same(u[k], w[k]));
  }
  ok(agree, 'the API\'s target, limits and places equal what purpose funnel prints', JSON.stringify({ api: f, cli: want }));

  r = await get(`/api/v1/programmes/handovers/system?measure=${q}&period=01/01/2025`);
  const one = r.json().funnel;
  ok(r.status === 200 && one.units.length === 1 && one.units[0].numerator === 700 && one.units[0].day === '2025-01-01',
    '?period= takes each partner\'s point of that day', r.text.slice(0, 300));
  r = await get(`/api/v1/programmes/handovers/system?measure=${q}&period=2025-13-01`);
  ok(r.status === 400 && /^period: /.test(r.json().error), 'a period that is not a date: a 400 naming the field', r.text);
  r = await get(`/api/v1/programmes/handovers/system?measure=${q}&period=1990-01-01`);
  ok(r.status === 404 && r.json().error.includes('on 1990-01-01'), 'a period no partner has: a 404 saying so', r.text);
  r = await get(`/programmes/handovers/system/funnel.svg?measure=${q}`);
  ok(r.status === 200 && /image\/svg\+xml/.test(r.headers.get('content-type')) && (r.text.match(/<circle/g) || []).length === 2,
    'the funnel as an SVG, a dot per partner', r.status + ' ' + r.text.slice(0, 200));
  // The PNG: the same drawing through cairo, 2 pixels per layout unit.
  const isPng = (buf, w, h) => buf.length > 1000 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    && buf.subarray(12, 16).toString() === 'IHDR' && buf.readUInt32BE(16) === w && buf.readUInt32BE(20) === h;
  const png = async (path, who = admin) => {
    const res = await fetch(srv.url + path, { headers: { cookie: who.cookie }, redirect: 'manual' });
    return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  };
  let p = await png(`/programmes/handovers/system/funnel.png?measure=${q}`);
  ok(p.status === 200 && p.type === 'image/png' && isPng(p.body, 1920, 1080), "the programme's funnel as a PNG: magic, IHDR 1920 x 1080",
    `${p.status} ${p.type} ${p.body.subarray(0, 24).toString('hex')}`);
  p = await png('/programmes/handovers/system/funnel.png?measure=No%20such%20measure');
  ok(p.status === 404, 'and a measure no partner has: a 404', String(p.status));
  const fpage = (await get(`/programmes/handovers/system?measure=${q}`)).text;
  ok(fpage.includes('href="/programmes/handovers/system/funnel.png?measure=A%26E%3A%20seen%20within%204%20hours"'), 'the page links the PNG');
  ok(fpage.includes('src="/programmes/handovers/system/funnel.svg?measure=A%26E%3A%20seen%20within%204%20hours"') && fpage.includes('Funnel plot figures'),
    'the page shows the SVG and its table alternative');

  // ---- a measure no partner has --------------------------------------------------------------------
  r = await get('/api/v1/programmes/handovers/system?measure=No%20such%20measure');
  ok(r.status === 404 && /^measure: no partner/.test(r.json().error), 'a name no partner has: a 404 naming the field', r.text);
  r = await get('/programmes/handovers/system/funnel.svg?measure=No%20such%20measure');
  ok(r.status === 404, 'and its SVG is a 404', String(r.status));
  r = await get('/programmes/handovers/system/funnel.svg?measure=Falls');
  ok(r.status === 404, 'as is a measure that is not a proportion', String(r.status));
  r = await get('/programmes/handovers/system/funnel.svg');
  ok(r.status === 400 && r.text.includes('measure: is missing'), 'the SVG without a measure: a 400 saying so', String(r.status));
  r = await get(`/api/v1/programmes/handovers/system?measure=${'x'.repeat(5000)}`);
  ok(r.status === 404 && /^measure: /.test(r.json().error), 'a name longer than any measure\'s: a 404, never the view without its funnel', r.text.slice(0, 200));
  const npage = (await get('/programmes/handovers/system?measure=No%20such%20measure')).text;
  ok(npage.includes('no partner of this programme has a proportion'), 'the page says so in words');

  // ---- who may see it: who may see the programme's summary ------------------------------------------
  for (const role of ['lead', 'member', 'contributor', 'ambulance-lead']) {
    const who = await signIn(role);
    const a = (await get('/programmes/handovers/summary', who)).status;
    const b = (await get('/programmes/handovers/system', who)).status;
    const c = (await get('/api/v1/programmes/handovers/system', who)).status;
    const d = (await get('/api/v1/programmes/handovers/summary', who)).status;
    ok(a === b && c === d, `${role}: the system view answers as the summary does`, `${a} ${b} ${c} ${d}`);
  }
  r = await req('GET', '/api/v1/programmes/handovers/system');
  ok(r.status === 401, 'signed out, the API refuses', String(r.status));

  // ---- the installation: every organisation ---------------------------------------------------------
  // Four A&E providers join (with their ODS codes) and purpose import ae gives each its measure: with
  // the demo's organisations that is more than a table's columns, so the page lists one measure at a time.
  const providers = ['RJ1', 'RDE', 'RGN', 'RHU'];
  for (const code of providers) {
    r = await req('POST', '/api/v1/organisations', { cookie: admin.cookie, csrf: admin.csrf,
      json: { slug: `provider-${code.toLowerCase()}`, name: `Provider ${code}`, type: 'nhs_trust', ods_code: code } });
    ok(r.status === 201, `organisation ${code} added`, r.text);
  }
  const keep = new Set([...providers, 'RR8']);
  const lines = readFileSync('examples/ae_attendances.csv', 'utf8').split('\n');
  const aeFile = join(env.dir, 'ae_five.csv');
  writeFileSync(aeFile, [lines[0], ...lines.slice(1).filter((l) => keep.has(l.split(',')[1]))].join('\n') + '\n');
  const imp = spawnSync(bin, ['import', 'ae', aeFile, '--db', env.db, '--key-file', keyFile(env.db)], { encoding: 'utf8' });
  ok(imp.status === 0 && imp.stdout.includes('5 providers, 5 matched'), 'purpose import ae gives the providers their measures', imp.stdout + imp.stderr);

  r = await get('/api/v1/system');
  const inst = r.json();
  ok(r.status === 200 && inst.organisations.length >= 9 && providers.every((c) => inst.organisations.some((o) => o.ods_code === c)),
    'GET /api/v1/system: every organisation of the installation', r.text.slice(0, 200));
  const instRow = inst.measures.find((m) => m.name === AE);
  ok(instRow && Object.keys(instRow.organisations).length === 6 && instRow.organisations['provider-rj1'].chart === 'p',
    'the A&E measure is one row: the five providers and the ambulance service', JSON.stringify(instRow && Object.keys(instRow.organisations)));

  r = await get(`/api/v1/system?measure=${q}&period=2019-03-01`);
  const fi = r.json().funnel;
  ok(r.status === 200 && fi && fi.units.length === 5, "the installation's funnel of March 2019: the five providers", r.text.slice(0, 300));
  const cli5 = spawnSync(bin, ['funnel', aeFile, '--unit', 'org_code', '--numerator', 'breaches', '--denominator', 'attendances',
    '--complement', '--where', 'period=2019-03-01', '--format', 'json'], { encoding: 'utf8' });
  ok(cli5.status === 0, 'purpose funnel on the same file', cli5.stderr);
  const want5 = JSON.parse(cli5.stdout || '{"units":[]}');
  let agree5 = fi && same(want5.target, fi.target) && want5.units.length === fi.units.length;
  for (const u of fi ? fi.units : []) {
    const w = want5.units.find((x) => x.unit === u.ods_code);
    agree5 = agree5 && w && w.numerator === u.numerator && w.denominator === u.denominator && u.place === w.place && keys.every((k) => same(u[k], w[k]));
  }
  ok(agree5, "the API's numbers, limits and places equal purpose funnel's on the file imported", JSON.stringify({ api: fi, cli: want5 }).slice(0, 2000));

  const ipage = (await get(`/system?measure=${q}`)).text;
  ok(ipage.includes('<h1>System view</h1>') && ipage.includes('6 of ') && ipage.includes('Provider RJ1'),
    'the page: one measure, an organisation a row', ipage.match(/<p>\d+ of \d+[^<]*<\/p>/)?.[0]);
  ok(ipage.includes('src="/system/funnel.svg?measure=A%26E%3A%20seen%20within%204%20hours"') && ipage.includes('Funnel plot figures'),
    'and the funnel of that proportion measure, with its table');
  r = await get(`/system/funnel.svg?measure=${q}&period=2019-03-01`);
  ok(r.status === 200 && (r.text.match(/<circle/g) || []).length === 5, 'the funnel SVG: a dot per provider', r.status + ' ' + r.text.slice(0, 100));
  p = await png(`/system/funnel.png?measure=${q}&period=2019-03-01`);
  ok(p.status === 200 && p.type === 'image/png' && isPng(p.body, 1920, 1080), "the installation's funnel as a PNG", String(p.status));
  p = await png(`/system/funnel.png?measure=${q}`, { cookie: '' });
  ok(p.status === 303, 'signed out, the PNG asks to sign in', String(p.status));
  // purpose funnel draws the same plot from the file: as a PNG (-o FILE) and an SVG with a dot per provider.
  const pngFile = join(env.dir, 'funnel.png');
  const cliPng = spawnSync(bin, ['funnel', aeFile, '--unit', 'org_code', '--numerator', 'breaches', '--denominator', 'attendances',
    '--complement', '--where', 'period=2019-03-01', '--format', 'png', '-o', pngFile], { encoding: 'utf8' });
  ok(cliPng.status === 0 && isPng(readFileSync(pngFile), 1920, 1080), 'purpose funnel --format png -o FILE writes a PNG', cliPng.stderr);
  const cliSvg = spawnSync(bin, ['funnel', aeFile, '--unit', 'org_code', '--numerator', 'breaches', '--denominator', 'attendances',
    '--complement', '--where', 'period=2019-03-01', '--format', 'svg', '--title', AE], { encoding: 'utf8' });
  r = await get(`/system/funnel.svg?measure=${q}&period=2019-03-01`);
  const dots = (svg) => [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => `${m[1]},${m[2]}`).sort().join(' ');
  ok(cliSvg.status === 0 && dots(cliSvg.stdout) === dots(r.text) && dots(r.text).split(' ').length === 5,
    'and its SVG puts every dot where the web\'s does', `${dots(cliSvg.stdout)} | ${dots(r.text)}`);
  r = await get('/system?page=0');
  ok(r.status === 400, 'a page number that is not one: a 400', String(r.status));
  r = await get('/api/v1/system?measure=No%20such%20measure');
  ok(r.status === 404 && /^measure: no organisation has/.test(r.json().error), 'a name no organisation has: a 404 naming the field', r.text);
  const orgs = (await get('/organisations')).text;
  ok(orgs.includes('href="/system"'), 'the organisations page links to it');
  ok(!(await req('GET', '/organisations')).text.includes('href="/system"'), 'but not for someone signed out, who may not read it');

  // Who may read it: anyone signed in (as a programme's summary); nobody signed out.
  for (const role of ['contributor', 'member', 'lead', 'ambulance-lead']) {
    const who = await signIn(role);
    const a = (await get('/system', who)).status, b = (await get('/api/v1/system', who)).status;
    ok(a === 200 && b === 200, `${role}: reads the installation's system view`, `${a} ${b}`);
  }
  r = await req('GET', '/api/v1/system');
  ok(r.status === 401, "signed out, the installation's API refuses", String(r.status));
  r = await req('GET', '/system');
  ok(r.status === 303 && r.headers.get('location').startsWith('/sign-in'), 'and its page asks to sign in', String(r.status));
} catch (e) {
  ok(false, 'system view tests ran to the end', e.stack);
} finally {
  await srv.stop();
  env.cleanup();
}
done();
