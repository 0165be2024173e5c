// File uploads in Debian's Chromium (no JavaScript needed): a lead chooses a CSV file of points for a
// new measure (a bad file first, refused naming the row and field, then a good one, which draws the
// chart) and a handover file on the import page. Every page is checked with axe-core (WCAG 2.0,
// 2.1 and 2.2 A/AA) and screenshotted into test-artifacts/uploads/. Prints TAP.
// usage: node tests/browser/uploads.test.mjs [build/release/purpose]
import { launch, auditor } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const ART = 'test-artifacts/uploads';

const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();
const cspErrors = [];

const audit = auditor(ART);

const submit = (page, label) => Promise.all([page.waitForNavigation(), page.click(`button:has-text("${label}")`)]);
const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

try {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  await page.goto(U + '/sign-in');
  await page.fill('#username', env.creds.lead.username);
  await page.fill('#password', env.creds.lead.password);
  await submit(page, 'Sign in');

  // ---- a measure's points from a CSV file ----------------------------------------------------------
  await page.goto(U + '/projects/1');
  await page.click('a:has-text("Add a measure")');
  await page.fill('#name', 'Discharges before noon');
  await page.fill('#unit', '%');
  await page.fill('#target', '40');
  await submit(page, 'Save');
  ok(/\/measures\/\d+$/.test(page.url()) && await page.locator('input[type="file"]#file[accept=".csv,text/csv"]').count() === 1,
    'the new measure offers a CSV file input', page.url());
  await audit(page, 'measure-upload-form');
  const rows = [];
  for (let i = 0; i < 20; i++) rows.push(`${new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10)},${i < 12 ? 20 + (i % 3) : 34 + (i % 2)}`);
  await page.setInputFiles('#file', csvFile('discharges.csv', ['date,value', ...rows.slice(0, 5), '2025-02-10,twenty', ...rows.slice(6)].join('\r\n')));
  await submit(page, 'Add points');
  ok(await page.locator('.nhsuk-error-summary a[href="#file"]').isVisible() &&
    (await page.content()).includes('discharges.csv: row 7: value: "twenty" is not a number') &&
    await page.locator('#file-error').isVisible() && await page.locator('table tbody tr').count() === 0,
    'a bad file is refused whole, the summary naming the file, row and field and linking to the file input',
    (await page.locator('.nhsuk-error-summary').textContent().catch(() => '')));
  await audit(page, 'measure-upload-error');
  await page.setInputFiles('#file', csvFile('discharges.csv', ['date,value', ...rows].join('\r\n') + '\r\n'));
  await submit(page, 'Add points');
  ok(await page.locator('.app-chart svg[role="img"]').count() === 1 && await page.locator('table tbody tr').count() === 20,
    'a good file adds its 20 points and the chart is drawn');
  await audit(page, 'measure-uploaded');

  // ---- a handover file -----------------------------------------------------------------------------
  await page.goto(U + '/handovers/import');
  ok(await page.locator('form[enctype="multipart/form-data"] input[type="file"]#file').count() === 1, 'the handover import offers a file input');
  await audit(page, 'handovers-import-form');
  const head = 'site,arrival,handover,clear,ref\r\n';
  const good = 'Browser General,2024-08-01T10:00Z,2024-08-01T10:25Z,2024-08-01T10:40Z,b1\r\n' +
    'Browser General,2024-08-01T11:00Z,2024-08-01T11:50Z,,b2\r\nBrowser General,2024-08-02T09:00Z,2024-08-02T09:10Z,,b3\r\n';
  await page.setInputFiles('#file', csvFile('handovers.csv', head + good + 'Browser General,2024-08-03T09:00Z,2024-08-03T08:00Z,,b4\r\n'));
  await submit(page, 'Import');
  ok((await page.content()).includes('Nothing was stored: 1 bad row') && (await page.content()).includes('Line 5, column "handover"'),
    'a handover file with a bad row is refused whole, the row listed', (await page.locator('.nhsuk-error-summary').textContent().catch(() => '')));
  await audit(page, 'handovers-import-error');
  await page.setInputFiles('#file', csvFile('handovers.csv', head + good));
  await submit(page, 'Import');
  ok((await page.locator('h1').textContent()) === 'Handovers imported' &&
    (await page.content()).includes('Stored 3 rows, skipped 0 seen before, left out 0 bad; 1 sites (1 new)'), 'a good handover file is imported');
  await audit(page, 'handovers-imported');

  ok(cspErrors.length === 0, 'no Content-Security-Policy violations', cspErrors.join('\n'));
} catch (e) {
  ok(false, 'upload browser tests ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
