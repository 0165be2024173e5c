// Co-design pages in Debian's Chromium against a real `purpose serve` on the demo database: every
// page passes axe-core (WCAG 2.0, 2.1, 2.2 A/AA); a member of the public contributes anonymously on
// a phone-sized screen with JavaScript off; leads' pages (report, moderation, forms). Prints TAP.
// usage: node tests/browser/codesign.test.mjs [build/release/purpose]
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const ART = 'test-artifacts/codesign';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();

const audit = auditor(ART, { fullPage: false });

try {
  // A phone, JavaScript off: the whole journey works with plain forms.
  const ctx = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
  const phone = await ctx.newPage();
  const actx = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const seen = await actx.newPage();
  for (const [path, name] of [['/conversations', 'conversations'], ['/conversations/1', 'closed-conversation'],
    ['/conversations/1/results', 'results'], ['/shaped/vision', 'shaped'],
    ['/programmes/handovers/conversations/2', 'open-conversation'], ['/conversations/events/1', 'event'],
    ['/conversations/1/summary', 'summary'], ['/programmes/handovers/conversations/2/summary', 'programme-summary']]) {
    const r = await seen.goto(U + path);
    ok(r.status() === 200, `${path} loads`);
    await audit(seen, name);
  }
  await phone.goto(U + '/programmes/handovers/conversations/2');
  const idea = 'Share one handover board between the crews and the emergency department';
  await phone.fill('#body', idea);
  await Promise.all([phone.waitForNavigation(), phone.click('button:has-text("Send your idea")')]);
  ok((await phone.content()).includes('A moderator will check your contribution'), 'with JavaScript off, a public idea is sent and queued');
  await phone.goto(U + '/programmes/handovers/conversations/2/mine');
  ok((await phone.content()).includes(idea) && (await phone.content()).includes('Waiting for a moderator'), 'my contributions shows it waiting');
  await seen.goto(U + '/programmes/handovers/conversations/2/mine');
  await audit(seen, 'mine');
  const scroll = seen;
  await scroll.goto(U + '/programmes/handovers/conversations/2');
  ok(await scroll.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling at 375 px');

  // A lead's pages.
  const lctx = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const lead = await lctx.newPage();
  await lead.goto(U + '/sign-in');
  await lead.fill('#username', env.creds.lead.username);
  await lead.fill('#password', env.creds.lead.password);
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Sign in")')]);
  for (const [path, name] of [['/conversations/1/report', 'report'], ['/conversations/new', 'new-conversation'],
    ['/conversations/1/edit', 'edit-conversation'], ['/programmes/handovers/conversations/2/moderate', 'moderate'],
    ['/conversations/1/events/new', 'new-event'], ['/conversations/events/1/edit', 'edit-event'], ['/conversations/events/1', 'event-lead']]) {
    const r = await lead.goto(U + path);
    ok(r.status() === 200, `lead opens ${path}`);
    await audit(lead, name);
  }
  await lead.goto(U + '/programmes/handovers/conversations/2/moderate');
  ok((await lead.content()).includes(idea), 'the idea is in the moderation queue');
} catch (e) {
  ok(false, 'codesign browser test ran', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
