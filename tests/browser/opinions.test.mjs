// The opinion map in Debian's Chromium against a real `purpose serve` on the demo database, whose
// finished conversation has opinion groups on: the map is an SVG image with a title, the groups are
// a table beside it, what unites them is listed, the results link to it, a lead sees the switch and
// the downloads; the page passes axe-core (WCAG 2.0, 2.1, 2.2 A/AA) for the public and for a lead.
// Prints TAP. usage: node tests/browser/opinions.test.mjs [build/release/purpose]
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const ART = 'test-artifacts/opinions';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();
const check = auditor(ART);

try {
  const pub = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await pub.newPage();
  // The demo's finished conversation: the first of the trust's.
  await page.goto(U + '/conversations');
  const first = await page.locator('a[href^="/conversations/"]').evaluateAll((as) =>
    as.map((a) => a.getAttribute('href')).filter((h) => /^\/conversations\/\d+$/.test(h)));
  let href = null;
  for (const h of first) {
    const r = await page.goto(U + h + '/opinions');
    if (r.status() === 200 && await page.locator('svg[role="img"]').count()) { href = h; break; }
  }
  ok(href, "the demo's finished conversation shows an opinion map", first.join(' '));
  const svg = page.locator('svg[role="img"][aria-labelledby="opinion-map-title"]');
  ok(await svg.count() === 1 && (await page.locator('#opinion-map-title').textContent()).startsWith('Opinion map'),
    'the map is an image with a title saying what it shows');
  const groups = page.locator('table:has(caption:has-text("The groups")) tbody tr');
  const n = await groups.count();
  ok(n >= 2 && n <= 3, `its groups are a table beside it (${n})`);
  const sizes = await groups.locator('td:nth-child(2)').allTextContents();
  ok(sizes.every((s) => /^\d[\d,]*$/.test(s.trim()) && Number(s.replace(/,/g, '')) >= 5), `each group holds 5 or more: ${sizes.join(', ')}`);
  const uniting = page.locator('table:has(caption:has-text("unite all groups")) tbody tr');
  ok(await uniting.count() >= 1, `what unites all groups is listed (${await uniting.count()})`);
  await check(page, 'opinions-public');
  await page.goto(U + href + '/results');
  const link = page.locator(`a[href="${href}/opinions"]`);
  ok(await link.count() === 1, 'the results link to the map');

  const lctx = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const lead = await lctx.newPage();
  await lead.goto(U + '/sign-in');
  await lead.fill('#username', env.creds.lead.username);
  await lead.fill('#password', env.creds.lead.password);
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Sign in")')]);
  await lead.goto(U + href + '/opinions');
  ok(await lead.locator('button:has-text("Turn opinion groups off")').count() === 1
    && await lead.locator('a[href$="/opinions/participants-votes.csv"]').count() === 1, 'a lead sees the switch and the downloads');
  await check(lead, 'opinions-lead');
} catch (e) {
  ok(false, 'opinions browser test ran', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
