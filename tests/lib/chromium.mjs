// Debian's Chromium for the browser tests (never a downloaded browser), and the axe-core audit every
// page gets: no violation of WCAG 2.0, 2.1 and 2.2 at levels A and AA, then a screenshot.
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { ok } from './server.mjs';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const axeSource = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

export const launch = () => chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--no-proxy-server'],
});

// The page's axe violations, one line each (rule, help and the first three elements).
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  const res = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  return res.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((nd) => nd.target.join(' ')).slice(0, 3).join(', ')})`);
}

// audit(page, name): one TAP line, no violations on the page, and its screenshot in dir/name.png.
export function auditor(dir, { fullPage = true } = {}) {
  mkdirSync(dir, { recursive: true });
  return async (page, name) => {
    const v = await axeViolations(page);
    ok(v.length === 0, `axe: no WCAG A/AA violations on ${name}`, v.join('\n'));
    await page.screenshot({ path: `${dir}/${name}.png`, fullPage });
  };
}
