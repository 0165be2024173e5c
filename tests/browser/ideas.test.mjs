// A conversation's ideas and "You said, we did" in Debian's Chromium with JavaScript off, against a
// real `purpose serve` on the demo database: the filter form, paging, a vote that comes back to the
// same page and idea, an idea's own page, and a lead's response form (its error, then its answer
// shown on the idea). Every page passes axe-core (WCAG 2.0, 2.1, 2.2 A/AA). Prints TAP.
// usage: node tests/browser/ideas.test.mjs [build/release/purpose]
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();
const audit = auditor('test-artifacts/ideas', { fullPage: false });
const base = '/programmes/handovers/conversations/2'; // the demo's open conversation

// axe runs in the page, so each page is audited again in a context with JavaScript on.
const seeing = await (await browser.newContext({ viewport: { width: 375, height: 740 } })).newPage();
async function auditPath(page, path, name) {
  await page.goto(U + path);
  await audit(page, name);
}
async function signIn(ctxOptions) {
  const page = await (await browser.newContext(ctxOptions)).newPage();
  await page.goto(U + '/sign-in');
  await page.fill('#username', env.creds['ambulance-lead'].username);
  await page.fill('#password', env.creds['ambulance-lead'].password);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')]);
  return page;
}

try {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
  const phone = await ctx.newPage();

  // The filter form is a plain GET form.
  await auditPath(seeing, base, 'ideas-first-page');
  await phone.goto(U + base);
  await phone.fill('#q', 'handover');
  await phone.selectOption('#sort', 'divided');
  await Promise.all([phone.waitForNavigation(), phone.click('button:has-text("Show ideas")')]);
  const searched = new URL(phone.url());
  ok(searched.searchParams.get('q') === 'handover' && searched.searchParams.get('sort') === 'divided' &&
    (await phone.content()).includes('Showing ideas 1 to'), 'with JavaScript off, the filter form searches and sorts', phone.url());
  await auditPath(seeing, searched.pathname + searched.search, 'ideas-searched');
  ok(await seeing.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling at 375 px');

  // Paging, then a vote on page 2 that comes back to page 2 and the idea.
  await phone.goto(U + base);
  await Promise.all([phone.waitForNavigation(), phone.click('.nhsuk-pagination__link--next')]);
  ok(new URL(phone.url()).searchParams.get('page') === '2', 'the pagination goes to page 2', phone.url());
  const id = await phone.getAttribute('.nhsuk-card[id^="idea-"]', 'id');
  await Promise.all([phone.waitForNavigation(), phone.click(`#${id} button[value="agree"]`)]);
  const back = new URL(phone.url());
  ok(back.pathname === base && back.searchParams.get('page') === '2' && back.searchParams.get('voted') === id.slice(5) && back.hash === `#${id}`,
    'with JavaScript off, a vote comes back to the same page', phone.url());
  ok((await phone.textContent(`#${id}`)).includes('Thank you: your vote is counted.') &&
    (await phone.getAttribute(`#${id} button[value="agree"]`, 'aria-pressed')) === 'true', 'the vote is shown as cast');
  await auditPath(seeing, back.pathname + back.search, 'ideas-voted');

  // The idea's own page, then a lead answers it.
  const ideaPath = `/programmes/handovers/conversations/ideas/${id.slice(5)}`;
  await auditPath(seeing, ideaPath, 'idea');
  const lead = await signIn({ viewport: { width: 1100, height: 800 }, javaScriptEnabled: false });
  const leadSeeing = await signIn({ viewport: { width: 1100, height: 800 } });
  await lead.goto(U + ideaPath);
  await Promise.all([lead.waitForNavigation(), lead.click('a:has-text("Respond")')]);
  ok(lead.url().endsWith(`${ideaPath}/respond`), 'a lead follows Respond to the form');
  await auditPath(leadSeeing, `${ideaPath}/respond`, 'respond');
  for (const page of [leadSeeing, lead]) {
    await page.check('#state-3'); // not taken forward, without the reason it needs
    if (page === lead) break;
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save the response")')]);
    await audit(page, 'respond-error');
  }
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Save the response")')]);
  ok((await lead.content()).includes('nhsuk-error-summary') && (await lead.content()).includes('href="#reason"'),
    'a response not taken forward without a reason names the reason');
  await lead.fill('#reason', 'The crews already share the board at the front door');
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Save the response")')]);
  ok((await lead.content()).includes('The response is saved.'), 'the response is saved');
  await phone.goto(U + ideaPath);
  const seen = await phone.content();
  await auditPath(seeing, ideaPath, 'idea-answered');
  ok(seen.includes('You said, we did:') && seen.includes('Not taken forward') && seen.includes('The crews already share the board'),
    'the public sees the response on the idea');
} catch (e) {
  ok(false, 'ideas browser test ran', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
