// A statement's history and provenance in Debian's Chromium against a real `purpose serve` on the
// demo database: the history page's word-level diff and the provenance pages pass axe-core (WCAG
// 2.0, 2.1, 2.2 A/AA) and work with JavaScript off. Prints TAP.
// usage: node tests/browser/provenance.test.mjs [build/release/purpose]
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const ART = 'test-artifacts/provenance';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
mkdirSync(ART, { recursive: true });
const axeSource = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--no-proxy-server'],
});

async function audit(page, name) {
  const js = await page.evaluate(() => true).catch(() => false);
  if (!js)
    return;
  await page.evaluate(axeSource);
  const res = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  const v = res.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((nd) => nd.target.join(' ')).slice(0, 3).join(', ')})`);
  ok(v.length === 0, `axe: no WCAG A/AA violations on ${name}`, v.join('\n'));
  await page.screenshot({ path: `${ART}/${name}.png`, fullPage: true });
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
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Save")')]);
  ok(lead.url().endsWith('/strategy'), 'with JavaScript off, the lead saves a new version of the vision', lead.url());

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
} catch (e) {
  ok(false, 'provenance browser test ran', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
