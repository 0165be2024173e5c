// Wayfinding in Debian's Chromium against a real `purpose serve` on the demo (issue 18, Deliver 6):
// the ambulance service's lead signs in and lands on their own organisation's home (not the trust's
// as a contributor), then reaches the shared handover dashboard and the programme's open
// conversation by clicking links, within three clicks each; a person with roles in several places
// switches between them in the header; every error page offers a way back. axe on each page, a
// screenshot of each in test-artifacts/wayfinding. Prints TAP.
// usage: node tests/browser/wayfinding.test.mjs [build/release/purpose]
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet'], { PURPOSE_FAULT_HEADER: '1' });
const U = srv.url;
const browser = await launch();
const audit = auditor('test-artifacts/wayfinding');
const path = (page) => new URL(page.url()).pathname;

async function signIn(page, role) {
  await page.goto(U + '/sign-in');
  await page.fill('#username', env.creds[role].username);
  await page.fill('#password', env.creds[role].password);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')]);
}
async function click(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.first().click()]);
}

try {
  // ---- the ambulance service's lead: lands at home, two clicks to each of their programme's pages ----
  const actx = await browser.newContext();
  const amb = await actx.newPage();
  await signIn(amb, 'ambulance-lead');
  ok(path(amb) === '/organisations/northgate-ambulance', 'the ambulance lead lands on their own organisation\'s home', path(amb));
  const bar = await amb.locator('.app-account-bar').innerText();
  ok(!/contributor/i.test(bar), 'the header does not call them a contributor', bar);
  await audit(amb, 'ambulance-home');
  const sw = amb.getByRole('navigation', { name: 'Your organisations and programmes' });
  ok(await sw.count() === 1, 'the header has a switcher of their organisation and programme');
  await click(amb, sw.getByRole('link', { name: /Ambulance handovers/ }));
  ok(path(amb) === '/programmes/handovers', 'click 1: the programme\'s page', path(amb));
  await audit(amb, 'programme-hub');
  const hub = await amb.locator('main').innerText();
  for (const t of ['Shared handover dashboard', 'Project register', 'Summary', 'Line of sight', 'Conversations'])
    ok(hub.includes(t), `the programme's page leads to its ${t}`);
  await click(amb, amb.getByRole('link', { name: 'Shared handover dashboard' }));
  ok(path(amb) === '/programmes/handovers/handovers' && (await amb.locator('h1').innerText()).length > 0,
    'click 2: the shared handover dashboard', path(amb));
  await audit(amb, 'programme-handovers');
  await amb.goBack();
  const open = amb.locator('main li').filter({ hasText: 'Open' }).getByRole('link');
  ok(await open.count() >= 1, 'the programme\'s page lists its open conversation');
  await click(amb, open);
  ok(/^\/programmes\/handovers\/conversations\/[0-9]+$/.test(path(amb)), 'click 2: the programme\'s open conversation', path(amb));
  await audit(amb, 'programme-conversation');

  // ---- "Tell us about yourself": one age band and one ethnic group (radios), the rest any ----
  await amb.click('summary:has-text("Tell us about yourself")');
  const ages = await amb.$$eval('input[name=group-age]', (xs) => xs.map((x) => ({ id: x.id, type: x.type, value: x.value })));
  const eth = await amb.$$eval('input[name=group-ethnicity]', (xs) => xs.map((x) => x.type));
  ok(ages.length > 3 && ages.every((x) => x.type === 'radio') && eth.length > 10 && eth.every((t) => t === 'radio'),
    'age band and ethnic group are radios', JSON.stringify(ages.slice(0, 3)));
  const allIds = await amb.$$eval('form[action$="/about-me"] input[id]', (xs) => xs.map((x) => x.id));
  ok(new Set(allIds).size === allIds.length, `every choice of "Tell us about yourself" has its own id (${allIds.length})`);
  ok(await amb.isChecked('#group-age-none'), '"Prefer not to say" is chosen until an age band is');
  const [a1, a2] = ages.filter((x) => x.value);
  await amb.click(`label[for="${a1.id}"]`);
  await amb.click(`label[for="${a2.id}"]`);
  const chosen = await amb.$$eval('input[name=group-age]:checked', (xs) => xs.map((x) => x.value));
  ok(chosen.length === 1 && chosen[0] === a2.value, 'choosing a second age band replaces the first', chosen.join(','));
  await audit(amb, 'about-yourself');
  await amb.locator('form[action$="/about-me"]').screenshot({ path: 'test-artifacts/wayfinding/about-yourself-form.png' });
  await Promise.all([amb.waitForNavigation(), amb.click('form[action$="/about-me"] button')]);
  await amb.click('summary:has-text("Tell us about yourself")');
  ok(await amb.isChecked(`#${a2.id}`) && !(await amb.isChecked('#group-age-none')), 'the age band is saved and shown again');

  // ---- /account says where each role is held ----
  await amb.goto(U + '/account');
  const acct = await amb.locator('main').innerText();
  ok(/Northgate and Dales Ambulance Service NHS Trust\s+lead/.test(acct) &&
     /Ambulance handovers: every minute matters \(programme\)\s+lead/.test(acct), '/account says where each role is held', acct);
  await audit(amb, 'account');

  // ---- error pages offer a way back ----
  await amb.goto(U + '/strategy');
  const s403 = await amb.locator('main').innerText();
  ok(/lead role or above|member role or above|role or above/.test(s403), '403 says who can do this', s403);
  const back = amb.getByRole('link', { name: /where your work is/ });
  ok(await back.count() === 1, '403 links to their own organisation\'s home');
  await audit(amb, 'error-403');
  await click(amb, back);
  ok(path(amb) === '/organisations/northgate-ambulance', 'the 403 link leads home', path(amb));
  const r404 = await amb.goto(U + '/no-such-page');
  ok(r404.status() === 404, '404 for a page that does not exist');
  ok(await amb.getByRole('link', { name: 'Find an organisation or programme' }).count() === 1 &&
     await amb.getByRole('link', { name: 'Go to the home page' }).count() === 1, '404 links home and to the organisations');
  await audit(amb, 'error-404');
  await actx.close();

  // ---- the trust's lead also leads the programme: the switcher takes them there and back ----
  const lctx = await browser.newContext();
  const lead = await lctx.newPage();
  await signIn(lead, 'lead');
  ok(path(lead) === '/', 'the trust\'s lead lands on the trust\'s home', path(lead));
  const lsw = lead.getByRole('navigation', { name: 'Your organisations and programmes' });
  ok(await lsw.locator('[aria-current="page"]').innerText().then((t) => /Northgate/.test(t)), 'the switcher marks where they are');
  await click(lead, lsw.getByRole('link', { name: /Ambulance handovers/ }));
  ok(path(lead) === '/programmes/handovers', 'the switcher leads to the programme', path(lead));
  await click(lead, lead.getByRole('navigation', { name: 'Your organisations and programmes' }).getByRole('link', { name: /Northgate/ }));
  ok(path(lead) === '/', 'and back to the trust', path(lead));
  await audit(lead, 'lead-home');
  await lctx.close();

  // ---- a 503: the database away for one request (X-Purpose-Fault) offers to try again ----
  const pctx = await browser.newContext({ extraHTTPHeaders: { 'X-Purpose-Fault': '1' } });
  const pub = await pctx.newPage();
  const r5 = await pub.goto(U + '/organisations');
  ok(r5.status() >= 500, 'a failing database step answers 5xx', String(r5.status()));
  {
    ok(await pub.getByRole('link', { name: 'Try again' }).count() === 1, `${r5.status()} offers to try again`);
    await audit(pub, 'error-5xx');
  }
  await pctx.close();
} catch (e) {
  ok(false, 'wayfinding', e.stack);
} finally {
  await browser.close();
  const code = await srv.stop();
  ok(code === 0, 'the server stops cleanly (no leak or sanitizer report)', srv.stderr().slice(-3000));
  env.cleanup();
}
done();
