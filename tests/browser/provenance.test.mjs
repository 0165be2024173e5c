// A statement's history and provenance in Debian's Chromium against a real `purpose serve` on the
// demo database: with JavaScript off, a lead finds contributions by theme, ticks two and publishes a
// new vision version, and the public purpose page shows its provenance; the history's word-level
// diff and every page here pass axe-core (WCAG 2.0, 2.1, 2.2 A/AA). Prints TAP.
// usage: node tests/browser/provenance.test.mjs [build/release/purpose]
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const ART = 'test-artifacts/provenance';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();

const check = auditor(ART);
// axe runs as JavaScript in the page: a page opened with JavaScript off is not audited.
async function audit(page, name) {
  if (await page.evaluate(() => true).catch(() => false))
    await check(page, name);
}

try {
  // A lead, JavaScript off: plain forms only.
  const lctx = await browser.newContext({ viewport: { width: 1100, height: 800 }, javaScriptEnabled: false });
  const lead = await lctx.newPage();
  await lead.goto(U + '/sign-in');
  await lead.fill('#username', env.creds.lead.username);
  await lead.fill('#password', env.creds.lead.password);
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Sign in")')]);
  await lead.goto(U + '/strategy/vision/edit');
  const old = await lead.inputValue('#text');
  await lead.fill('#text', 'Together, ' + old.replace(/\.\s*$/, '') + ', for everyone.');
  await lead.selectOption('#theme', 'Safe care');
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Filter contributions")')]);
  ok((await lead.inputValue('#text')).startsWith('Together, '), 'with JavaScript off, filtering keeps the text typed');
  const boxes = lead.locator('input[name="contribution"][type="checkbox"]');
  ok(await boxes.count() > 2, 'contributions with the theme are listed to tick', String(await boxes.count()));
  const picked = [await boxes.nth(0).getAttribute('value'), await boxes.nth(1).getAttribute('value')];
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Save")')]);
  ok(lead.url().endsWith('/strategy'), 'the lead publishes a new version of the vision with two contributions', lead.url());
  const pub = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
  const anon = await pub.newPage();
  await anon.goto(U + '/');
  const line = anon.locator('a:has-text("Shaped by")');
  ok(await line.count() === 1 && (await line.textContent()).startsWith('Shaped by fewer than 5 contributions'),
    'the public purpose page shows the provenance, suppressed', await line.count() ? await line.textContent() : '');
  await Promise.all([anon.waitForNavigation(), line.click()]);
  ok(anon.url().endsWith('/shaped/vision') && (await anon.locator('li').count()) >= 2, 'and links to the contributions that shaped it', anon.url());

  // Pages checked with axe (JavaScript on, to run it).
  const actx = await browser.newContext({ viewport: { width: 1100, height: 800 }, storageState: await lctx.storageState() });
  const seen = await actx.newPage();
  let r = await seen.goto(U + '/strategy/vision/history');
  ok(r.status() === 200, '/strategy/vision/history loads');
  const marks = await seen.evaluate(() => ({
    ins: [...document.querySelectorAll('ins')].map((e) => e.textContent),
    del: [...document.querySelectorAll('del')].map((e) => e.textContent),
    underline: getComputedStyle(document.querySelector('ins')).textDecorationLine,
    strike: document.querySelector('del') ? getComputedStyle(document.querySelector('del')).textDecorationLine : 'line-through',
  }));
  ok(marks.ins.some((t) => t.startsWith('added: Together,')) && marks.underline.includes('underline') && marks.strike.includes('line-through'),
    'added words are underlined and read "added:", removed ones struck through', JSON.stringify(marks));
  await audit(seen, 'history');
  r = await seen.goto(U + '/strategy/vision/edit');
  ok(r.status() === 200 && (await seen.locator('input[name="contribution"]').count()) > 0, 'the edit page with contributions to tick loads');
  await audit(seen, 'edit-with-contributions');
  for (const [path, name] of [['/', 'purpose-page'], ['/shaped/vision', 'shaped'], ['/programmes/handovers', 'programme'],
    ['/programmes/handovers/purpose/edit', 'programme-edit']]) {
    r = await seen.goto(U + path);
    ok(r.status() === 200, `${path} loads`);
    await audit(seen, name);
  }
} catch (e) {
  ok(false, 'provenance browser test ran', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
