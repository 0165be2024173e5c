// The well-led self-assessment in Debian's Chromium (no JavaScript needed): a member reads it, a lead
// rates a statement (a refusal first, shown on its field). Every page is checked with axe-core (WCAG
// 2.0, 2.1 and 2.2 A/AA) and screenshotted into test-artifacts/wellled/. Prints TAP.
// usage: node tests/browser/wellled.test.mjs [build/release/purpose]
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();
const cspErrors = [];
const audit = auditor('test-artifacts/wellled');
const submit = (page, label) => Promise.all([page.waitForNavigation(), page.click(`button:has-text("${label}")`)]);

async function signIn(ctx, role) {
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  await page.goto(U + '/sign-in');
  await page.fill('#username', env.creds[role].username);
  await page.fill('#password', env.creds[role].password);
  await submit(page, 'Sign in');
  return page;
}

try {
  const member = await signIn(await browser.newContext({ viewport: { width: 1200, height: 900 } }), 'member');
  for (const [path, name] of [['/well-led', 'well-led'], ['/well-led/1', 'statement-rated'], ['/well-led/4', 'statement-gap']]) {
    const r = await member.goto(U + path);
    ok(r.status() === 200, `member opens ${path}`);
    await audit(member, `member-${name}`);
  }
  ok(await member.locator('a:has-text("Rate this statement")').count() === 0, 'a member sees no way to rate');

  const lead = await signIn(await browser.newContext({ viewport: { width: 1200, height: 900 } }), 'lead');
  await lead.goto(U + '/well-led');
  await audit(lead, 'lead-well-led');
  await lead.goto(U + '/well-led/2');
  await lead.click('a:has-text("Rate this statement")');
  await audit(lead, 'rate-form');
  await submit(lead, 'Save the rating');
  ok(await lead.locator('.nhsuk-error-summary a[href="#rating"]').isVisible(), 'no rating chosen: the summary links to the rating');
  await audit(lead, 'rate-error');
  await lead.check('#rating-3');
  await lead.fill('#narrative', 'Leaders are visible on the wards, but we have no staff feedback on them yet.');
  await lead.fill('#actions', 'Run the purpose pulse.');
  await lead.check('label:has-text("Quality improvement skills for ward teams")');
  await submit(lead, 'Save the rating');
  ok(/\/well-led\/2$/.test(lead.url()) && (await lead.content()).includes('Requires improvement'), 'the lead rates the statement');
  await audit(lead, 'statement-after-rating');
  ok(cspErrors.length === 0, 'no Content-Security-Policy violations', cspErrors.join('\n'));
} catch (e) {
  ok(false, 'well-led browser tests ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
