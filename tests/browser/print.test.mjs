// Printing the integrated performance summary in Debian's Chromium (issue 19: it printed the filter
// form on page 1 and "(Link: /measures/1)" after every link): the page printed to PDF has no filter
// form, no header or navigation and no link addresses, and keeps every measure with its "data to"
// date; the same for a programme's summary. The demo's celebration and its draft pass axe too.
// Needs pdftotext (poppler-utils). Prints TAP.
// usage: node tests/browser/print.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();
const audit = auditor('test-artifacts/print');
const submit = (page, label) => Promise.all([page.waitForNavigation(), page.click(`button:has-text("${label}")`)]);

try {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(U + '/sign-in');
  await page.fill('#username', env.creds.lead.username);
  await page.fill('#password', env.creds.lead.password);
  await submit(page, 'Sign in');

  for (const [path, name] of [['/summary', 'summary'], ['/programmes/handovers/summary', 'programme-summary']]) {
    await page.goto(U + path);
    await page.emulateMedia({ media: 'print' });
    ok(!(await page.isVisible('form.app-filters')) && !(await page.isVisible('header.nhsuk-header')) && !(await page.isVisible('.app-no-print')),
      `printing ${path}: no filter form, header or download links`);
    const after = await page.evaluate(() => getComputedStyle(document.querySelector('.app-summary a'), '::after').content);
    ok(after === 'none' || after === 'normal', `printing ${path}: no address after a link`, after);
    const file = join(env.dir, `${name}.pdf`);
    writeFileSync(file, await page.pdf({ format: 'A4', landscape: true }));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    const DAY = /\d{1,2}\s+(January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}/g; // '21 July 2025'
    const rows = await page.$$eval('.app-summary tbody tr', (trs) => trs.length);
    ok(!text.includes('(Link:') && !text.includes('Apply filters') && !text.includes('Type of measure') && text.includes('Data to') &&
      (text.match(DAY) || []).length >= rows && rows > 0,
    `${path} printed: every measure with its data to date, no form and no link addresses`,
    `${rows} rows, ${(text.match(DAY) || []).length} dates, link ${text.includes("(Link:")}, form ${text.includes("Apply filters")}\n${text.slice(0, 1500)}`);
    await page.emulateMedia({ media: 'screen' });
  }

  // The demo's falls measure improved: the lead's home page offers it, with a draft.
  await page.goto(U + '/');
  ok(await page.isVisible('.app-celebrations'), "the lead's home page offers a celebration");
  await audit(page, 'home-celebration');
  await Promise.all([page.waitForNavigation(), page.click('.app-celebration a:has-text("Draft a case study")')]);
  ok((await page.inputValue('textarea[name="data_shows"]')).includes('special cause improvement'), 'the draft says what the chart shows');
  await audit(page, 'celebration-draft');
} catch (e) {
  ok(false, 'print tests ran to the end', e.stack);
}
await browser.close();
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
