// Improvement work in Debian's Chromium (the forms need no JavaScript): a lead registers
// a project tied to an ambition, builds its driver diagram, logs a PDSA cycle, pastes measure data
// and sees the chart and icons. Every page is checked with axe-core (WCAG 2.0, 2.1 and 2.2 A/AA)
// and screenshotted into test-artifacts/projects/. Prints TAP.
// usage: node tests/browser/projects.test.mjs [build/release/purpose]
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const ART = 'test-artifacts/projects';

const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();
const cspErrors = [];

const audit = auditor(ART);

const submit = (page, label) => Promise.all([page.waitForNavigation(), page.click(`button:has-text("${label}")`)]);

try {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  await page.goto(U + '/sign-in');
  await page.fill('#username', env.creds.lead.username);
  await page.fill('#password', env.creds.lead.password);
  await submit(page, 'Sign in');

  for (const [path, name] of [['/projects', 'register'], ['/projects?status=active&q=falls', 'register-filtered'],
    ['/projects/1', 'project'], ['/projects/1/edit', 'project-edit'], ['/measures/1', 'measure'], ['/summary', 'summary'],
    ['/alignment', 'alignment'], ['/line-of-sight', 'line-of-sight'], ['/drivers/1/edit', 'driver-edit'],
    ['/pdsa/1/edit', 'pdsa-edit'], ['/measures/1/edit', 'measure-edit'], ['/projects/1/measures/new', 'measure-new'],
    ['/good-practice', 'good-practice'], ['/good-practice/1', 'case-study'], ['/case-studies', 'org-case-studies'],
    ['/projects/8/case-study', 'publish-case-study'], ['/programmes/handovers/line-of-sight', 'programme-line-of-sight'],
    ['/good-practice?theme=Foundations%20for%20the%20future', 'good-practice-theme'], ['/programmes/handovers/projects', 'programme-register'],
    ['/programmes/handovers/summary', 'programme-summary']]) {
    const r = await page.goto(U + path);
    ok(r.status() === 200, `lead opens ${path}`);
    await audit(page, name);
  }

  // Register a project tied to an ambition; the score is chosen beside its definition.
  await page.goto(U + '/projects/new');
  await audit(page, 'project-new');
  await page.fill('#title', 'Medicines reconciliation');
  await page.fill('#aim', 'Reconcile 95% of admissions within 24 hours by March 2026');
  await page.check('#status-2');
  await page.check('#score-2\\.0');
  await page.fill('#start_date', '3');
  await page.fill('#start_date-month', '3');
  await page.fill('#start_date-year', '2025');
  await page.check('label:has-text("Halve avoidable harm")');
  await submit(page, 'Save');
  ok(/\/projects\/\d+$/.test(page.url()) && (await page.content()).includes('Medicines reconciliation'), 'registers a project tied to an ambition');
  const project = page.url();

  // The driver diagram as plain forms.
  await page.fill('#text', 'Pharmacy at the front door');
  await submit(page, 'Add');
  await page.click('a:has-text("Change or add below")');
  await page.fill('#child', 'Pharmacist in the acute medical unit');
  await submit(page, 'Add');
  await page.locator('a:has-text("Change or add below")').nth(1).click();
  await page.fill('#child', 'Pharmacist at the 08:00 board round');
  await submit(page, 'Add');
  ok((await page.locator('svg.app-driver-diagram text').allTextContents()).join(' ').includes('Pharmacist at the'),
    'the diagram shows the change idea');
  await audit(page, 'project-with-diagram');
  // A second primary driver, moved above the first by its plain form.
  await page.fill('#text', 'Patients bring their medicines');
  await submit(page, 'Add');
  await submit(page, 'Move up');
  const drawn = (await page.locator('svg.app-driver-diagram text').allTextContents()).join(' ');
  ok(drawn.indexOf('Patients bring their') >= 0 && drawn.indexOf('Patients bring their') < drawn.indexOf('Pharmacy at the front'),
    'Move up (a plain form) puts the driver first in the diagram', drawn);
  await audit(page, 'project-reordered');

  // A PDSA cycle on the change idea.
  await page.locator('a:has-text("Change or add below")').nth(3).click(); // the change idea, below the driver moved first
  await page.click('a:has-text("Log a PDSA cycle")');
  await page.fill('#title', 'Board round on ward 1');
  await page.fill('#prediction', 'Half of reconciliations done by noon');
  await page.fill('#start_date', '7');
  await page.fill('#start_date-month', '4');
  await page.fill('#start_date-year', '2025');
  await page.fill('#end_date', '1');
  await page.fill('#end_date-month', '3');
  await page.fill('#end_date-year', '2025');
  await submit(page, 'Save');
  ok(await page.locator('.nhsuk-error-summary a[href="#end_date"]').isVisible(), 'dates out of order: the summary links to end_date');
  await audit(page, 'pdsa-error');
  await page.fill('#end_date', '18');
  await page.fill('#end_date-month', '4');
  await page.fill('#end_date-year', '2025');
  await page.check('#act-2');
  await submit(page, 'Save');
  ok((await page.content()).includes('Board round on ward 1'), 'logs a PDSA cycle');

  // A measure with pasted data.
  await page.goto(project);
  await page.click('a:has-text("Add a measure")');
  await page.fill('#name', 'Admissions reconciled within 24 hours');
  await page.fill('#unit', '%');
  await page.check('#direction');
  await page.fill('#target', '95');
  await submit(page, 'Save');
  const lines = [];
  for (let i = 0; i < 26; i++) lines.push(`${new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10)}, ${i < 14 ? 60 + (i % 4) : 84 + (i % 3)}`);
  await page.fill('#data', lines.slice(0, 3).join('\n') + '\n2025-01-27, about 60\n');
  await submit(page, 'Add points');
  ok(await page.locator('.nhsuk-error-summary a[href="#data"]').isVisible() &&
    (await page.content()).includes('row 4: value: "about 60" is not a number'), 'a bad line refuses the paste, naming row and field');
  await audit(page, 'measure-error');
  await page.fill('#data', lines.join('\n'));
  await submit(page, 'Add points');
  ok(await page.locator('img[alt="Special cause improvement (high)"]').count() > 0, 'the measure shows special cause improvement');
  ok(await page.locator('.app-chart svg[role="img"] g.pdsa').count() === 1, 'the PDSA cycle is marked on the chart');
  await audit(page, 'measure-with-data');
  // A rebase starts at one of the points, chosen from their dates.
  await page.selectOption('#date', lines[14].slice(0, 10));
  await page.fill('#reason', 'Pharmacist on the board round');
  await submit(page, 'Rebase');
  ok((await page.content()).includes('Pharmacist on the board round') && await page.locator('a[href^="/rebases/"][href*="/delete?measure="]').count() === 1,
    'rebases from a chosen point, listed with its reason');
  await audit(page, 'measure-rebased');

  ok(cspErrors.length === 0, 'no Content-Security-Policy violations', cspErrors.join('\n'));
} catch (e) {
  ok(false, 'project browser tests ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
