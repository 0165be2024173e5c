// Purpose pulses in Debian's Chromium, with JavaScript off for the person answering (a phone without
// it, as the person answering by the link does here): a lead starts a pulse and opens a wave; a member answers on a phone-sized screen, first
// leaving a statement out (the error summary links to it), then whole; someone answers by the link
// without signing in; the lead closes the wave; the results (the demo's twelve waves: P charts, icons,
// groups, response rate) and every other new page pass axe-core (WCAG 2.0, 2.1 and 2.2 A/AA) and are
// screenshotted into test-artifacts/pulses/. Prints TAP.
// usage: node tests/browser/pulses.test.mjs [build/release/purpose]
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const ART = 'test-artifacts/pulses';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();
const newPage = async (opts) => { const p = await (await browser.newContext(opts)).newPage(); p.setDefaultTimeout(15000); return p; };
const audit = auditor(ART);
const submit = (page, label) => Promise.all([page.waitForNavigation(), page.click(`button:has-text("${label}")`)]);
const signIn = async (page, role) => {
  await page.goto(U + '/sign-in');
  await page.fill('#username', env.creds[role].username);
  await page.fill('#password', env.creds[role].password);
  await submit(page, 'Sign in');
};

try {
  const lead = await newPage({ viewport: { width: 1200, height: 900 } });
  await signIn(lead, 'lead');
  await lead.goto(U + '/pulses');
  await audit(lead, 'pulses');
  await lead.click('a:has-text("Start a pulse")');
  await audit(lead, 'pulse-new');
  await lead.fill('#title', 'Ward 7 pulse');
  await lead.fill('#audience', '30');
  await lead.fill('#statement5', 'I feel listened to on this ward');
  await submit(lead, 'Start the pulse');
  ok(/\/pulses\/\d+$/.test(lead.url()), 'a lead starts a pulse', lead.url());
  const pulse = lead.url().replace(U, '');
  await submit(lead, 'Open the next wave');
  const link = await lead.locator('#pulse-link').textContent();
  ok(/\/answer\?k=/.test(link || ''), 'the opened wave shows the answer link', link);
  await audit(lead, 'pulse-open');

  // A member on a phone (JavaScript on only so that axe can run; the form is plain HTML).
  const phone = await newPage({ viewport: { width: 375, height: 740 } });
  await signIn(phone, 'member');
  await phone.goto(`${U}${pulse}/answer`);
  await audit(phone, 'pulse-answer');
  const groups = await phone.locator('fieldset.nhsuk-fieldset:has(input[type="radio"])').count();
  for (let i = 0; i < groups - 1; i++) await phone.locator('fieldset.nhsuk-fieldset:has(input[type="radio"])').nth(i).locator('input[value="4"]').check();
  await submit(phone, 'Send my answers');
  ok(await phone.locator('.nhsuk-error-summary a').count() === 1 && (await phone.content()).includes('choose an answer'),
    'a statement left out: the error summary links to it, the other answers kept',
    await phone.locator('.nhsuk-error-summary').textContent().catch(() => ''));
  await audit(phone, 'pulse-answer-error');
  await phone.locator('fieldset.nhsuk-fieldset:has(input[type="radio"])').nth(groups - 1).locator('input[value="5"]').check();
  await phone.click('summary:has-text("Tell us about yourself")').catch(() => {});
  await submit(phone, 'Send my answers');
  ok((await phone.content()).includes('Thank you'), 'the member\'s answers are counted');
  await audit(phone, 'pulse-answered');

  // By the link, without signing in, JavaScript off.
  const anon = await newPage({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
  await anon.goto(U + link.trim().replace(/^https?:\/\/[^/]+/, ''));
  for (const f of await anon.locator('fieldset.nhsuk-fieldset:has(input[type="radio"])').all()) await f.locator('input[value="2"]').check();
  await submit(anon, 'Send my answers');
  ok((await anon.content()).includes('Thank you'), 'someone with the link answers without signing in, with JavaScript off');

  await lead.goto(U + pulse);
  await submit(lead, 'Close this wave');
  ok((await lead.content()).includes('This cannot be undone'), 'closing a wave asks first: it cannot be undone');
  await submit(lead, 'Close the wave');
  ok((await lead.content()).includes('results are published'), 'the lead closes the wave');
  await audit(lead, 'pulse-closed');

  // The demo's results: twelve waves of P charts.
  const member = await newPage({ viewport: { width: 1200, height: 900 } });
  await signIn(member, 'member');
  await member.goto(U + '/pulses/1/results');
  ok(await member.locator('.app-chart svg').count() === 4 && await member.locator('img.app-icon').count() >= 4,
    'the results draw a P chart per statement with the variation icons');
  await audit(member, 'pulse-results');
  await member.goto(U + '/pulses/1/results?group=sg-nursing');
  await audit(member, 'pulse-results-group');
  await lead.goto(U + '/pulses/1/results');
  ok(await lead.locator('summary:has-text("Follow as a measure")').count() === 4, 'a lead can follow each statement as a measure');
  await audit(lead, 'pulse-results-lead');
} catch (e) {
  ok(false, 'the pulse pages ran to the end', e.stack);
}
await browser.close();
await srv.stop();
env.cleanup();
done();
