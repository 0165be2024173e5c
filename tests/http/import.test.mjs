// NHS open data in (issue 19 item 6), on a real database (SQLite, or PostgreSQL under tests/run.sh):
// purpose import ae reads NHS England's A&E file into a 4-hour P chart per provider matched by ODS
// code (the demo trust's real figures are there already: importing the file changes nothing); a new
// organisation with an ODS code gets its measure, and importing twice gives the same database (every
// table dumped and compared); purpose import measures creates and updates measures from a long CSV,
// changes nothing the second time, and names every bad row with nothing stored. Prints TAP.
// usage: node tests/http/import.test.mjs [build/release/purpose]
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, done, demoDb, startServer, keyFile, engine } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const { req: send, signIn } = client(srv.url, env.creds);
// The server closes a connection idle while an import runs; a request that met one closing is sent again.
const req = async (...a) => { try { return await send(...a); } catch { return await send(...a); } };
const ae = 'examples/ae_attendances.csv';
const run = (...args) => spawnSync(bin, ['import', ...args, '--db', env.db, '--key-file', keyFile(env.db)], { encoding: 'utf8' });

function dump() {
  if (engine === 'sqlite') {
    const q = (sql) => JSON.parse(execFileSync('sqlite3', ['-json', env.db, sql], { encoding: 'utf8', maxBuffer: 1 << 30 }) || '[]');
    const out = {};
    for (const { name } of q("SELECT name FROM sqlite_master WHERE type = 'table'")) out[name] = q(`SELECT * FROM "${name}"`);
    return JSON.stringify(out);
  }
  const psql = (sql) => execFileSync('psql', ['-X', '-At', '-d', env.db, '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
  const out = {};
  for (const t of psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").split('\n').filter(Boolean))
    out[t] = JSON.parse(psql(`SELECT COALESCE(json_agg(t), '[]'::json) FROM "${t}" t`)).map((r) => JSON.stringify(r)).sort();
  return JSON.stringify(out);
}

try {
  const admin = await signIn('admin');
  const lead = await signIn('lead');

  // ---- the demo trust's real A&E figures ------------------------------------------------------------
  const trust = (await req('GET', '/api/v1/organisations/northgate-th')).json();
  ok(trust.ods_code === 'RR8', 'the demo trust carries an ODS code', trust.ods_code);
  const measures = (await req('GET', '/api/v1/summary', { cookie: lead.cookie })).json().measures;
  const aeDemo = measures.find((m) => m.name === 'A&E: seen within 4 hours');
  ok(aeDemo && aeDemo.level === 'organisation', "the demo trust has its A&E measure, its own");
  const demo = (await req('GET', `/api/v1/measures/${aeDemo.id}`, { cookie: lead.cookie })).json();
  const rr8 = readFileSync(ae, 'utf8').split('\n').filter((l) => l.split(',')[1] === 'RR8' && l.startsWith('2018-01-01'));
  const att = rr8.reduce((s, l) => s + Number(l.split(',')[3]), 0), br = rr8.reduce((s, l) => s + Number(l.split(',')[4]), 0);
  const jan = demo.points.find((p) => p.date === '2018-01-01');
  ok(demo.chart === 'p' && demo.per === 100 && demo.target === 95 && demo.n_points === 36 && jan.denominator === att && jan.value === att - br,
    "a P chart per 100 of the 36 months, each month's types added up", JSON.stringify(jan));
  let before = dump();
  let r = run('ae', ae);
  ok(r.status === 0 && r.stdout.includes('36 as they were') && r.stdout.includes('274 providers, 1 matched'), 'purpose import ae of the same file: every point as it was', r.stdout + r.stderr);
  ok(dump() === before, 'and the database is as it was, every table');

  // ---- a new organisation with an ODS code ----------------------------------------------------------
  const org = await req('POST', '/api/v1/organisations', { cookie: admin.cookie, csrf: admin.csrf, json: { slug: 'riverside-th', name: 'Riverside Hospitals', type: 'nhs_trust', ods_code: 'RJ1' } });
  ok(org.status === 201 && org.json().ods_code === 'RJ1', 'an organisation is added with its ODS code', org.text);
  r = run('ae', ae);
  ok(r.status === 0 && r.stdout.includes('(1 new, 0 changed); 36 points new') && r.stdout.includes('2 matched'), 'the import makes its measure', r.stdout + r.stderr);
  before = dump();
  r = run('ae', ae);
  ok(r.status === 0 && r.stdout.includes('0 points new, 0 changed, 72 as they were'), 'a second import finds every point as it was', r.stdout);
  ok(dump() === before, 'importing twice gives the same database, every table');
  const rj1 = (await req('GET', '/api/v1/organisations/riverside-th/summary', { cookie: admin.cookie })).json().measures;
  ok(rj1.length === 1 && rj1[0].chart === 'p' && rj1[0].n_points === 36, "the organisation's summary shows it", JSON.stringify(rj1).slice(0, 200));
  const badAe = join(env.dir, 'ae_bad.csv');
  writeFileSync(badAe, 'period,org_code,type,attendances,breaches,admissions\n2019-04-01,RJ1,1,100,120,5\n2019-04-01,,1,100,10,5\n2019-13-01,RJ1,1,100,10,5\n2019-04-01,RJ1,1,ten,10,5\n');
  r = run('ae', badAe);
  ok(r.status === 1 && r.stderr.includes('ae_bad.csv:2: column "breaches": 120 is more than the attendances (100)') && r.stderr.includes('ae_bad.csv:3: column "org_code"') &&
    r.stderr.includes('ae_bad.csv:4: column "period"') && r.stderr.includes('ae_bad.csv:5: column "attendances"') && r.stderr.includes('4 bad rows: nothing imported'),
    'every bad row of an A&E file is named', r.stderr);
  ok(dump() === before, 'and nothing is stored');

  // ---- a long CSV of measures -----------------------------------------------------------------------
  const good = join(env.dir, 'm.csv');
  writeFileSync(good, ['measure,date,value,denominator,organisation,unit,direction,target,chart',
    'Discharges before noon,2025-01-06,30,120,RR8,%,increase,33,p', 'Discharges before noon,2025-01-13,28,110,RR8,%,increase,33,p',
    'Discharges before noon,2025-01-20,35,118,RR8,%,increase,33,p', 'Falls,2025-01-06,4,,RJ1,,decrease,,c', 'Falls,2025-01-13,6,,RJ1,,decrease,,c',
    'Falls,2025-01-20,3,,RJ1,,decrease,,c'].join('\n') + '\n');
  r = run('measures', good);
  ok(r.status === 0 && r.stdout.includes('2 measures (2 new, 0 changed); 6 points new'), 'purpose import measures makes two measures', r.stdout + r.stderr);
  before = dump();
  r = run('measures', good);
  ok(r.status === 0 && r.stdout.includes('(0 new, 0 changed); 0 points new, 0 changed, 6 as they were') && dump() === before, 'importing it again changes nothing');
  const dis = (await req('GET', '/api/v1/summary', { cookie: lead.cookie })).json().measures.find((m) => m.name === 'Discharges before noon');
  ok(dis && dis.chart === 'p' && dis.target === 33 && dis.n_points === 3, "the P chart measure is the organisation's of that ODS code");
  const mixed = join(env.dir, 'mixed.csv');
  writeFileSync(mixed, readFileSync(good, 'utf8').replace('2025-01-13,28,110,RR8,%,increase,33', '2025-01-13,28,110,RR8,%,increase,40'));
  r = run('measures', mixed);
  ok(r.status === 1 && r.stderr.includes('mixed.csv:3: column "target": differs from line 2\'s for the same measure'), "a measure's rows that disagree on its target are refused", r.stderr);
  writeFileSync(good, readFileSync(good, 'utf8').replace('2025-01-13,28,110', '2025-01-13,29,110').replaceAll(',33,p', ',40,p'));
  r = run('measures', good);
  ok(r.status === 0 && r.stdout.includes('(0 new, 1 changed); 0 points new, 1 changed, 5 as they were'), 'a changed value and target update the measure', r.stdout);
  const bad = join(env.dir, 'bad.csv');
  writeFileSync(bad, ['measure,date,value,denominator,organisation,unit,direction,target,chart',
    'Discharges before noon,2025-02-03,30,20,RR8,%,increase,33,p', 'Discharges before noon,2025-13-10,28,110,RR8,%,increase,33,p',
    'Discharges before noon,2025-02-17,x,118,RR8,%,increase,33,p', 'Falls,2025-02-03,4,,ZZZ,,decrease,,c', ',2025-02-03,4,,,,decrease,,c',
    'Falls,2025-02-10,-6,,RJ1,,decrease,,c'].join('\n') + '\n');
  before = dump();
  r = run('measures', bad);
  const named = [2, 3, 4, 5, 6, 7].every((n) => r.stderr.includes(`bad.csv:${n}: column`));
  ok(r.status === 1 && named && r.stderr.includes('6 bad rows: nothing imported') && r.stderr.includes('bad.csv:2: column "value": 30 is more than its denominator 20'),
    'every bad row is named, row and column', r.stderr);
  ok(dump() === before, 'and nothing is stored');
  ok(run('measures').status === 2 && run('pies', good).status === 2, 'usage errors exit 2');
} catch (e) {
  ok(false, 'the test ran to its end', `${e.stack}\n[${srv.stderr().slice(-4000)}] exit ${srv.proc.exitCode} ${srv.proc.signalCode}`);
} finally {
  await srv.stop();
  env.cleanup();
}
done();
