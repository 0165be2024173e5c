// Renders charts from the real binary (`build/purpose spc --format svg`) in Debian's Chromium and
// checks what a reader would see: no two axis labels overlap, no text runs into other text, all
// text stays inside the drawing, and the SVG is accessible (role, title, desc). Prints TAP.
// Run from the repository root: node tests/browser/svg_labels.test.mjs
// Screenshots go to test-artifacts/ (gitignored) for a human to look at.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BIN = 'build/purpose';
const ARTIFACTS = 'test-artifacts';

let n = 0;
let failed = 0;
function check(ok, name, detail) {
  n += 1;
  if (ok) {
    console.log(`ok ${n} - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok ${n} - ${name}`);
    if (detail) console.log(`# ${String(detail).split('\n').join('\n# ')}`);
  }
}

// A small deterministic generator so the charts (and their special causes) are the same every run.
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function writeCases(dir) {
  const rnd = lcg(20160401);
  const dates = ['x,y'];
  for (let m = 0; m < 36; m += 1) {
    const d = new Date(Date.UTC(2016, 3 + m, 1)).toISOString().slice(0, 10);
    dates.push(`${d},${(72 + 6 * rnd() + (m >= 24 ? 5 : 0)).toFixed(1)}`);
  }
  writeFileSync(join(dir, 'dates36.csv'), `${dates.join('\n')}\n`);

  const wards = ['Emergency Assessment Unit', 'Acute Medical Unit', 'Children\'s Ward & Day Case', 'Maternity <Triage>'];
  const labels = ['x,y'];
  for (let i = 0; i < 300; i += 1) {
    const label = `${wards[i % wards.length]} (site ${String.fromCharCode(65 + (i % 3))}) week ${i + 1}`;
    labels.push(`${label},${(50 + 10 * rnd() + (i > 200 ? 4 : 0)).toFixed(2)}`);
  }
  writeFileSync(join(dir, 'labels300.csv'), `${labels.join('\n')}\n`);
}

function render(dir, name, input, opts) {
  const out = join(dir, `${name}.svg`);
  execFileSync(BIN, ['spc', '--format', 'svg', '-o', out, input, ...opts], { stdio: ['ignore', 'pipe', 'pipe'] });
  return readFileSync(out, 'utf8');
}

// Boxes as the browser lays them out (rotation included), in SVG user units at scale 1.
async function boxes(page, selector) {
  return page.$$eval(selector, (els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { text: e.textContent, cls: e.getAttribute('class') || e.parentNode.getAttribute('class') || '',
      left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  }));
}

function overlaps(list) {
  const found = [];
  for (let i = 0; i < list.length; i += 1) {
    for (let j = i + 1; j < list.length; j += 1) {
      const a = list[i];
      const b = list[j];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
        found.push(`"${a.text}" [${a.cls}] and "${b.text}" [${b.cls}]`);
      }
    }
  }
  return found;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'purpose-svg-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  writeCases(dir);
  const cases = [
    { name: 'handover_pct60', input: 'examples/handover_pct60.csv', opts: ['--target', '95'], minX: 12 },
    { name: 'dates36', input: join(dir, 'dates36.csv'), opts: ['--rebase', '2018-04-01'], minX: 6 },
    { name: 'labels300', input: join(dir, 'labels300.csv'), opts: [], minX: 10 },
  ];
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 960, height: 540 } });
    for (const c of cases) {
      let svg;
      try {
        svg = render(dir, c.name, c.input, c.opts);
      } catch (e) {
        check(false, `${c.name}: purpose spc --format svg succeeds`, e.stderr ? e.stderr.toString() : e.message);
        continue;
      }
      check(svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>'), `${c.name}: output is one SVG document`);
      await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
      const a11y = await page.$eval('svg', (s) => {
        const ids = (s.getAttribute('aria-labelledby') || '').split(/\s+/);
        return { role: s.getAttribute('role'), named: ids.map((id) => s.querySelector(`#${id}`)?.textContent || '') };
      });
      check(a11y.role === 'img' && a11y.named.length === 2 && a11y.named.every((t) => t.length > 0),
        `${c.name}: role="img" labelled by a non-empty title and desc`, JSON.stringify(a11y));

      const xs = await boxes(page, '.x-tick');
      const ys = await boxes(page, '.y-tick');
      check(xs.length >= c.minX, `${c.name}: at least ${c.minX} x-axis labels (got ${xs.length})`);
      check(ys.length >= 3, `${c.name}: at least 3 y-axis labels (got ${ys.length})`);
      const xo = overlaps(xs);
      check(xo.length === 0, `${c.name}: no two x-axis labels overlap`, xo.slice(0, 5).join('\n'));
      const yo = overlaps(ys);
      check(yo.length === 0, `${c.name}: no two y-axis labels overlap`, yo.slice(0, 5).join('\n'));

      // Every other text too (title, legend, line labels, icon captions), icon letters aside:
      // they sit inside their own rings by design.
      const all = (await boxes(page, 'svg text')).filter((t) => !/^[HLPF?]$/.test(t.text));
      const ao = overlaps(all);
      check(ao.length === 0, `${c.name}: no text overlaps other text`, ao.slice(0, 5).join('\n'));
      const out = all.filter((t) => t.left < 0 || t.top < 0 || t.right > 960 || t.bottom > 540);
      check(out.length === 0, `${c.name}: all text inside the 960x540 drawing`, out.map((t) => t.text).join('\n'));

      await page.screenshot({ path: join(ARTIFACTS, `svg-${c.name}.png`) });
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`1..${n}`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.log(`not ok ${n + 1} - browser test crashed`);
  console.log(`# ${e.stack}`);
  process.exitCode = 1;
});
