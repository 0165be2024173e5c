// Views across the improvement work, on a real server (SQLite, or PostgreSQL under tests/run.sh):
// the good-practice library filtered by theme (an organisation's, and every organisation's theme of
// that title across the installation), and a programme's project register and integrated
// performance summary across its partners (page, CSV and API), each linking to the partner's own
// pages. Prints TAP.
// usage: node tests/http/improve_views.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;

const { req, signIn } = client(U, env.creds);

const cards = (html) => [...html.matchAll(/<h2 class="nhsuk-card__heading[^"]*"><a[^>]*>([^<]+)</g)].map((m) => m[1]);

try {
  const contributor = await signIn('contributor');
  const amb = await signIn('ambulance-lead');
  const A = '/api/v1/organisations/northgate-ambulance';
  const ambApi = (method, path, json) => req(method, path, { cookie: amb.cookie, csrf: amb.csrf, json });
  const get = (path, who = contributor) => req('GET', path, { cookie: who.cookie });

  // ---- the good-practice library by theme ---------------------------------------------------------
  let lib = await get('/case-studies');
  ok(lib.text.includes('<option value="Foundations for the future">') && lib.text.includes('<option value="Outstanding patient outcomes, safety and experience">'),
    "the organisation's library offers the themes its case studies serve");
  lib = await get('/case-studies?theme=Foundations%20for%20the%20future');
  ok(cards(lib.text).join() === 'Desflurane out of theatres' && lib.text.includes('<option value="Foundations for the future" selected>'),
    "filtered by one of the organisation's themes", cards(lib.text).join());
  ok(cards((await get('/case-studies?theme=No%20such%20theme')).text).length === 0, 'a theme nobody has finds nothing');
  ok(cards((await get('/case-studies?theme=foundations%20for%20the%20future&q=desflurane')).text).length === 1, 'theme and search together (the theme in any case)');

  // The ambulance service has a theme of the same title, and publishes work serving it.
  const theme = await ambApi('POST', `${A}/themes`, { title: 'Foundations for the future', description: 'Green ambulances' });
  ok(theme.status === 201, "the ambulance service adds a theme of the same title", theme.text);
  const ambition = await ambApi('POST', `${A}/themes/${theme.json().id}/ambitions`, { title: 'Net zero fleet', description: 'Electric', target_year: 2030 });
  const proj = await ambApi('POST', `${A}/projects`, { title: 'Electric rapid response cars', aim: 'Half the fleet electric', status: 'complete',
    score: 4, start_date: '2024-04-01', ambitions: [ambition.json().id] });
  ok(proj.status === 201, 'registers a project serving it', proj.text);
  const pub = await ambApi('PUT', `${A}/projects/${proj.json().id}/case-study`,
    { problem: 'Diesel', change_made: 'Electric cars', data_shows: 'Fewer emissions', contact: 'Fleet manager' });
  ok(pub.status === 201, 'and publishes it as a case study');
  lib = await get('/good-practice?theme=Foundations%20for%20the%20future');
  ok(cards(lib.text).sort().join() === 'Desflurane out of theatres,Electric rapid response cars',
    "installation-wide: every organisation's case studies of a theme of that title", cards(lib.text).join());
  ok(cards((await get('/case-studies?theme=Foundations%20for%20the%20future')).text).join() === 'Desflurane out of theatres',
    "an organisation's library keeps to its own");
  const apiLib = (await get('/api/v1/good-practice?theme=Foundations%20for%20the%20future')).json().case_studies;
  ok(apiLib.map((c) => c.organisation).sort().join() === 'northgate-ambulance,northgate-th', 'API: ?theme= across organisations');
  ok((await get('/api/v1/good-practice?theme=' + 'x'.repeat(150))).json().case_studies.length === 0, 'API: an unknown theme finds nothing');

  // ---- a programme's register and summary across its partners --------------------------------------
  const aims = (await get('/api/v1/programmes/handovers/aims')).json();
  const aim = (aims.aims || aims)[0];
  const programmeId = (await get('/api/v1/programmes/handovers')).json().id;
  const hp = await ambApi('POST', `${A}/projects`, { title: 'Crews released in 15 minutes', aim: 'Release crews fast', status: 'active',
    score: 2.5, start_date: '2025-01-06', programme_id: programmeId, aims: [aim.id], why_unaligned: '' });
  ok(hp.status === 201, "the ambulance service registers work for the handovers programme", hp.text);
  const hm = await ambApi('POST', `${A}/projects/${hp.json().id}/measures`, { name: 'Crews released within 15 minutes', kind: 'process', unit: '%', direction: 'increase', target: 90 });
  const pts = [];
  for (let i = 0; i < 20; i++) pts.push({ date: new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10), value: 60 + i });
  ok((await ambApi('POST', `${A}/measures/${hm.json().id}/points`, { points: pts })).status === 200, 'with 20 weekly points');

  let reg = await get('/programmes/handovers/projects');
  ok(reg.status === 200 && reg.text.includes('Handover in 30: a cohorting area') && reg.text.includes('Crews released in 15 minutes') &&
    !reg.text.includes('Opioid tapering clinic') && !reg.text.includes('Fewer falls'), "the register lists the programme's projects across its partners, and no others");
  ok(reg.text.includes(`href="/organisations/northgate-ambulance/projects/${hp.json().id}"`) && /href="\/projects\/\d+">Handover in 30/.test(reg.text),
    "each links to its partner's own page");
  reg = await get('/programmes/handovers/projects?partner=northgate-ambulance');
  ok(reg.text.includes('Crews released in 15 minutes') && !reg.text.includes('Handover in 30') && reg.text.includes('1 project<'), 'filtered by partner');
  reg = await get('/programmes/handovers/projects?status=active&score=2.5');
  ok(reg.text.includes('Crews released in 15 minutes') && !reg.text.includes('Handover in 30'), 'filtered by status and score');
  ok((await get('/programmes/handovers/projects?q=cohorting')).text.includes('Handover in 30') &&
    !(await get('/programmes/handovers/projects?q=cohorting')).text.includes('Crews released'), 'searched');
  const regApi = (await get('/api/v1/programmes/handovers/projects')).json().projects;
  ok([...new Set(regApi.map((p) => p.organisation))].sort().join() === 'northgate-ambulance,northgate-th' && regApi.every((p) => p.programme_id === programmeId) &&
    regApi.some((p) => p.organisation === 'northgate-ambulance' && p.title === 'Crews released in 15 minutes'),
    'API: the register with each project\'s organisation');
  ok((await get('/api/v1/programmes/handovers/projects?q=' + 'q'.repeat(300))).status === 200, 'API: an over-long search is ignored, not an error');

  const sum = await get('/programmes/handovers/summary');
  ok(sum.status === 200 && sum.text.includes('Crews released within 15 minutes') && sum.text.includes('Median handover time') &&
    sum.text.includes('Ambulance Service NHS Trust</caption>') && sum.text.includes('alt="Special cause improvement (high)"'),
  "the summary shows every partner's measures with their icons, a table per partner");
  ok(sum.text.includes(`href="/organisations/northgate-ambulance/measures/${hm.json().id}"`), "each row opens its chart on the partner's page");
  ok(!/<td[^>]*>\d{4}-\d\d-\d\d<\/td>/.test(sum.text) && /<td[^>]*>\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}<\/td>/.test(sum.text),
    "the summary's day of each latest value reads as people write it (21 July 2025)", (sum.text.match(/<td[^>]*>[0-9][^<]*<\/td>/) || [''])[0]);
  const only = await get('/programmes/handovers/summary?partner=northgate-ambulance&kind=process');
  ok(only.text.includes('Crews released within 15 minutes') && !only.text.includes('Median handover time') &&
    only.text.includes('href="/programmes/handovers/summary.csv?partner=northgate-ambulance&amp;kind=process"'), 'filtered, with the CSV link keeping the filters');
  const csv = await get('/programmes/handovers/summary.csv?partner=northgate-ambulance');
  const lines = csv.text.trim().split('\n');
  ok(csv.headers.get('content-type').startsWith('text/csv') && lines[0] === 'organisation,project,measure,kind,unit,points,latest,mean,lpl,upl,target,variation,assurance,data_to' &&
    lines.length === 2 && lines[1].startsWith('northgate-ambulance,Crews released in 15 minutes,Crews released within 15 minutes,process,%,20,79,'),
  'the CSV export', csv.text);
  const sumApi = (await get('/api/v1/programmes/handovers/summary')).json().measures;
  const crews = sumApi.find((m) => m.name === 'Crews released within 15 minutes');
  ok(crews && crews.organisation === 'northgate-ambulance' && crews.project === 'Crews released in 15 minutes' && crews.variation === 'improvement_high',
    'API: the summary with organisation and project', JSON.stringify(crews));
  ok((await get('/programmes/chronic-pain/summary')).text.includes('Opioid') || (await get('/programmes/chronic-pain/projects')).text.includes('Opioid tapering clinic'),
    "another programme shows its own work");
  ok((await get('/programmes/handovers/line-of-sight')).text.includes('href="/programmes/handovers/summary"'), 'the line of sight links to them');
  ok((await req('GET', '/programmes/handovers/summary')).status === 303, 'signed out: sent to sign in');
  ok((await get('/programmes/no-such/summary')).status === 404, 'an unknown programme: 404');
} catch (e) {
  ok(false, 'improvement views tests ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
