// The board pack from the web, on a real server (SQLite, or PostgreSQL under tests/run.sh): any
// member downloads /summary.pdf (an organisation's, a programme's), the same document as
// `purpose report --db` (pdftotext of both equal), with a page per charted measure whose reading is
// the measure page's; the summary page shows each measure's "data to" date and prints cleanly (no
// filter form, no "(Link: ...)"). Needs pdftotext (poppler-utils). Prints TAP.
// usage: node tests/http/boardpack.test.mjs [build/release/purpose]
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok, done, demoDb, startServer, keyFile } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const { req, signIn } = client(U, env.creds);

// The text of a PDF, pdftotext's reading order, whitespace folded (lines wrap where the width says).
function pdfText(bytes, name) {
  const file = join(env.dir, name);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
}
const fold = (t) => t.replace(/\s+/g, ' ').trim();
const unescape = (h) => h.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

async function getPdf(path, cookie) {
  const r = await fetch(U + path, { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual' });
  return { status: r.status, type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) };
}

// The leak checker's suppressions (fontconfig's caches), as tests/run.sh and startServer give them.
const lsan = { ...process.env, LSAN_OPTIONS: process.env.LSAN_OPTIONS?.includes('suppressions=') ? process.env.LSAN_OPTIONS
  : `suppressions=${new URL('../lsan.supp', import.meta.url).pathname}` };
function cliPdf(args) {
  const r = spawnSync(bin, ['report', '--db', env.db, '--key-file', keyFile(env.db), ...args], { encoding: 'buffer', env: lsan });
  return { status: r.status, bytes: r.stdout, stderr: r.stderr.toString() };
}

try {
  ok(spawnSync('pdftotext', ['-v']).status === 0, 'pdftotext is installed (poppler-utils)');
  const contributor = await signIn('contributor');

  // ---- the organisation's pack: the web's and the CLI's are one document ----------------------------
  const web = await getPdf('/summary.pdf', contributor.cookie);
  ok(web.status === 200 && web.type === 'application/pdf' && web.bytes.subarray(0, 5).toString() === '%PDF-',
    'a contributor (any member) downloads /summary.pdf', `${web.status} ${web.type}`);
  const cli = cliPdf([]);
  ok(cli.status === 0 && cli.bytes.subarray(0, 5).toString() === '%PDF-', 'purpose report --db builds the PDF with no CSV by hand', cli.stderr);
  const webText = pdfText(web.bytes, 'web.pdf'), cliText = pdfText(cli.bytes, 'cli.pdf');
  ok(webText === cliText && webText.length > 1000, "pdftotext of /summary.pdf and of purpose report --db's are the same");
  ok(fold(cliPdf(['--org', 'northgate-th']).bytes.length ? pdfText(cliPdf(['--org', 'northgate-th']).bytes, 'th.pdf') : '') === fold(webText),
    '--org names the organisation (the first is the default)');

  // Cover, icon key, summary table, then a page per charted measure with the measure page's reading.
  const pages = webText.split('\f').filter((p) => p.trim());
  const measures = (await req('GET', '/api/v1/summary', { cookie: contributor.cookie })).json().measures;
  const charted = measures.filter((m) => m.variation !== null);
  const tablePages = pages.filter((p) => p.includes('Integrated performance summary') && p.includes('Lower limit')).length;
  ok(pages.length === 1 + tablePages + charted.length && tablePages >= 1,
    'a cover, the summary table, a page per charted measure', `${pages.length} pages, ${tablePages} table, ${charted.length} measures`);
  ok(pages[0].includes('Reading the icons') && pages[0].includes('special cause') && pages[0].includes('Northgate Teaching Hospitals NHS Trust') &&
    /\d+ measures · data to \d+ \w+ \d{4}/.test(pages[0]), 'the cover names the organisation, the measures, the data to date and the icon key', pages[0].slice(0, 300));
  let readings = 0;
  for (const m of charted) {
    const page = (await req('GET', `/measures/${m.id}`, { cookie: contributor.cookie })).text;
    const reading = unescape(page.split('<p class="app-reading">')[1].split('</p>')[0]);
    readings += pages.some((p) => p.includes(m.name.slice(0, 20)) && fold(p).includes(fold(reading)));
  }
  ok(readings === charted.length, "each measure's page in the pack carries the measure page's reading", `${readings} of ${charted.length}`);

  // ---- a programme's ---------------------------------------------------------------------------------
  const prog = await getPdf('/programmes/handovers/summary.pdf', contributor.cookie);
  const progCli = cliPdf(['--programme', 'handovers']);
  ok(prog.status === 200 && progCli.status === 0 && pdfText(prog.bytes, 'p.pdf') === pdfText(progCli.bytes, 'pc.pdf'),
    "a programme's pack: the web's equals purpose report --db --programme's", progCli.stderr);
  ok(pdfText(prog.bytes, 'p.pdf').includes('Ambulance handovers'), 'the programme pack names the programme');

  // ---- who may, and bad usage ------------------------------------------------------------------------
  const anon = await getPdf('/summary.pdf');
  ok(anon.status === 303 || anon.status === 401 || anon.status === 302, 'nobody signed in gets no pack', String(anon.status));
  const amb = await signIn('ambulance-lead');
  ok((await getPdf('/summary.pdf', amb.cookie)).status === (await req('GET', '/summary', { cookie: amb.cookie })).status,
    'who may read the summary page may read its pack');
  ok((await getPdf('/organisations/northgate-ambulance/summary.pdf', amb.cookie)).status === 200, 'a member of the ambulance service gets its own');
  const nope = cliPdf(['--org', 'no-such-org']);
  ok(nope.status === 1 && nope.bytes.length === 0 && /no-such-org/.test(nope.stderr), 'an unknown --org fails, naming it, writing nothing', nope.stderr);
  const mixed = spawnSync(bin, ['report', '--db', env.db, '--measures', 'm.csv', 'data.csv'], { encoding: 'utf8', env: lsan });
  ok(mixed.status === 2 && mixed.stderr.includes('no DATA or --measures'), '--db with DATA is bad usage', mixed.stderr);

  // ---- the summary page: data to, the pack's link, printing ------------------------------------------
  const sum = (await req('GET', '/summary', { cookie: contributor.cookie })).text;
  const rows = [...sum.matchAll(/<tr class="nhsuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => m[1]).filter((r) => r.includes('<td'));
  ok(sum.includes('>Data to</th>') && rows.length === measures.length && rows.every((r) => /<td[^>]*>\d{1,2} [A-Z][a-z]+ \d{4}<\/td>|<td[^>]*>No points yet<\/td>/.test(r)),
    'every summary row shows its data to date', `${rows.length} rows`);
  ok(sum.includes('href="/summary.pdf"') && sum.includes('<p class="app-no-print">'), 'the summary links the board pack');
  const csv = (await req('GET', '/summary.csv', { cookie: contributor.cookie })).text.trim().split('\n');
  ok(csv[0].endsWith(',data_to') && csv.slice(1).every((l) => /,(\d{4}-\d\d-\d\d)?$/.test(l)), 'the CSV has data_to', csv[0]);
  const css = (await req('GET', '/assets/app.css')).text;
  const print = css.split('@media print')[1] || '';
  ok(/\.app-filters/.test(print) && /\.nhsuk-header/.test(print) && /a:after[^{]*\{\s*content: none/.test(print) && /\.app-no-print/.test(print),
    'the print stylesheet drops the filter form, the header and the "(Link: ...)" after links');
  const progSum = (await req('GET', '/programmes/handovers/summary', { cookie: contributor.cookie })).text;
  ok(progSum.includes('href="/programmes/handovers/summary.pdf"') && progSum.includes('>Data to</th>'), "the programme's summary too");
} catch (e) {
  ok(false, 'board pack tests ran to the end', e.stack);
}
const code = await srv.stop();
ok(code === 0, 'the server stops cleanly (no sanitizer report)', srv.stderr().slice(-3000));
env.cleanup();
done();
