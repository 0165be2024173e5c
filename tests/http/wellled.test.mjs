// The well-led self-assessment (issue 20, Deliver 3; docs/wellled.md): the eight CQC quality statements
// with the platform's live evidence, the statements without evidence named, leads' ratings with their
// history, the roles that may read and rate, bad input refused with nothing stored, and the PDF.
// Prints TAP.
// usage: node tests/http/wellled.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser, signIn, csrfOf } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

const TITLES = ['Shared direction and culture', 'Capable, compassionate and inclusive leaders', 'Freedom to speak up',
  'Workforce equality, diversity and inclusion', 'Governance, management and sustainability',
  'Partnerships and communities', 'Learning, improvement and innovation', 'Environmental sustainability'];
const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const json = async (r) => ({ status: r.status, body: await r.json().catch(() => null) });

try {
  const member = await signIn(srv, env, 'member');
  const lead = await signIn(srv, env, 'lead');
  const contributor = await signIn(srv, env, 'contributor');
  const admin = await signIn(srv, env, 'admin');
  const other = await signIn(srv, env, 'ambulance-lead'); // a lead of another organisation

  // ---- the page and its evidence, as a member ----
  let r = await member.get('/well-led');
  const page = await r.text();
  ok(r.status === 200, 'a member reads the self-assessment', r.status);
  ok(TITLES.every((t) => unescape(page).includes(t)), 'all eight quality statements are listed',
    TITLES.filter((t) => !unescape(page).includes(t)).join('; '));
  const api = await json(await member.get('/api/v1/well-led'));
  ok(api.status === 200 && api.body.statements.length === 8 && api.body.statements.map((s) => s.title).join('|') === TITLES.join('|'),
    'the JSON lists the eight statements in CQC\'s order', JSON.stringify(api.body?.statements?.map((s) => s.title)));
  const none = api.body.statements.filter((s) => !s.has_evidence).map((s) => s.title);
  ok(none.length === 1 && none[0] === 'Workforce equality, diversity and inclusion',
    'the demo has no evidence yet for workforce equality only', none.join('; '));
  ok(JSON.stringify(api.body.not_rated) === JSON.stringify(['Capable, compassionate and inclusive leaders', 'Workforce equality, diversity and inclusion']),
    'the demo leaves leaders and workforce equality unrated', JSON.stringify(api.body.not_rated));
  const pulse = api.body.statements[1].evidence.find((e) => e.kind === 'pulses');
  ok(pulse && /% agree/.test(pulse.text) && pulse.links.some((l) => /^\/pulses\/\d+\/results$/.test(l.href)),
    "the purpose pulse's results are evidence for leaders, linking to them", JSON.stringify(pulse).slice(0, 400));
  ok(JSON.stringify(api.body.no_evidence) === JSON.stringify(none), 'no_evidence names exactly the statements without evidence');
  const gapList = (cls) => {
    const m = page.match(new RegExp(`<ul class="[^"]*${cls}">([\\s\\S]*?)</ul>`));
    return m ? [...m[1].matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((x) => unescape(x[1])) : [];
  };
  ok(JSON.stringify(gapList('app-gaps-evidence')) === JSON.stringify(none), 'the page names the statements with no evidence yet',
    gapList('app-gaps-evidence').join('; '));
  ok(JSON.stringify(gapList('app-gaps-unrated')) === JSON.stringify(api.body.not_rated) && api.body.not_rated.length === 2,
    'the demo leaves two statements unrated, and the page names them', gapList('app-gaps-unrated').join('; '));
  const withEv = api.body.statements.filter((s) => s.has_evidence);
  ok(withEv.length >= 6 && withEv.every((s) => s.evidence.every((e) => e.count > 0 && e.text && e.category)),
    'every other statement has evidence, each item with its figures and CQC category', withEv.length);
  const kinds = new Set(api.body.statements.flatMap((s) => s.evidence.map((e) => e.kind)));
  ok(['statements', 'heard', 'alignment', 'improvement', 'cases', 'partnerships', 'audit', 'netzero', 'pulses'].every((k) => kinds.has(k)) &&
    !kinds.has('responses'), 'the demo has evidence of every kind but "you said, we did" (no idea has a response yet)', [...kinds].join(', '));
  // A lead answers one of the trust's published ideas: "you said, we did" becomes evidence.
  const convs = (await json(await lead.get('/api/v1/conversations'))).body;
  const conv = (convs.conversations || convs)[0];
  const ideas = (await json(await lead.get(`/api/v1/conversations/${conv.id}`))).body.contributions.filter((c) => c.kind === 'idea' && (c.state ?? 'published') === 'published');
  r = await json(await lead.api('POST', `/api/v1/conversations/ideas/${ideas[0].id}/response`, { state: 'in_progress', reason: 'Trialling it.' }));
  ok(r.status === 200, 'a lead responds to an idea', JSON.stringify(r.body).slice(0, 200));
  const speakUp = (await json(await member.get('/api/v1/well-led'))).body.statements[2].evidence.find((e) => e.kind === 'responses');
  ok(speakUp && new RegExp(`^1 of ${ideas.length} published ideas \\(\\d+%\\) have had a response: 0 adopted, 1 in progress`).test(speakUp.text) &&
    speakUp.links.some((l) => l.href === `/conversations/${conv.id}/summary`),
  'the response rate is evidence for freedom to speak up, linking to the conversation', JSON.stringify(speakUp));
  const env8 = api.body.statements[7].evidence.find((e) => e.kind === 'netzero');
  ok(env8 && /Anaesthetic gas emissions/.test(env8.links.map((l) => l.label).join()), 'a measure of net-zero work is evidence for environmental sustainability',
    JSON.stringify(env8));

  // Every evidence link on the page answers 200 for the member (the audit log, for administrators, is
  // shown as words, not a link).
  const page2 = await (await member.get('/well-led')).text();
  const links = [...page2.matchAll(/<ul class="[^"]*app-evidence-links">([\s\S]*?)<\/ul>/g)]
    .flatMap((m) => [...m[1].matchAll(/href="([^"]+)"/g)].map((x) => unescape(x[1])));
  const unique = [...new Set(links)];
  const bad = [];
  for (const href of unique) {
    const s = (await member.get(href)).status;
    if (s !== 200) bad.push(`${href} ${s}`);
  }
  ok(unique.length >= 10 && bad.length === 0, `every evidence link answers 200 for a member (${unique.length} links)`, bad.join('\n'));
  ok(!unique.some((h) => h.startsWith('/admin/audit')), 'a member is not linked to the audit log');
  const adminPage = await (await admin.get('/well-led')).text();
  ok(/href="\/admin\/audit"/.test(adminPage), 'an administrator is linked to the audit log');
  const apiLinks = api.body.statements.flatMap((s) => s.evidence.flatMap((e) => e.links.map((l) => l.href)));
  ok(apiLinks.every((h) => h.startsWith('/')), 'every link in the JSON is a path', apiLinks.filter((h) => !h.startsWith('/')).join());

  // ---- rating, with history ----
  ok(!/\/well-led\/1\/rate/.test(page), 'a member is offered no way to rate');
  const rateForm = await (await lead.get('/well-led/3/rate')).text();
  ok(/Rate it again/.test(await (await lead.get('/well-led/3')).text()) && /name="rating"/.test(rateForm), 'a lead is offered the rating form');
  const before = (await json(await member.get('/api/v1/well-led/3/ratings'))).body.ratings;
  const projects = (await json(await lead.get('/api/v1/projects'))).body;
  const pid = (projects.projects || projects)[0].id;
  r = await lead.post('/well-led/3/rate', { csrf: csrfOf(rateForm), rating: 'outstanding', narrative: 'Every idea answered within a month.',
    actions: 'Keep it up.', project: String(pid) });
  ok(r.status === 303 && /\/well-led\/3$/.test(r.headers.get('location')), 'a lead rates a statement from the page', `${r.status} ${r.headers.get('location')}`);
  let hist = (await json(await member.get('/api/v1/well-led/3/ratings'))).body.ratings;
  ok(hist.length === before.length + 1 && hist[0].rating === 'outstanding' && hist[1].rating === before[0].rating &&
    hist[0].projects.length === 1 && hist[0].projects[0].id === pid && hist[0].by === env.creds.lead.username,
  'the new rating is the current one and the earlier one stays in the history', JSON.stringify(hist).slice(0, 400));
  const statementPage = await (await member.get('/well-led/3')).text();
  ok(/Outstanding/.test(statementPage) && (statementPage.match(/<tr class="nhsuk-table__row">/g) || []).length >= hist.length,
    'the statement\'s page shows its rating history');
  r = await json(await lead.api('POST', '/api/v1/well-led/2/ratings', { rating: 'requires_improvement', narrative: 'No evidence of leadership yet.' }));
  ok(r.status === 201 && r.body.rating === 'requires_improvement' && r.body.label === 'Requires improvement' && r.body.statement === 2,
    'a lead rates a statement through the API (201)', JSON.stringify(r.body));
  const audit = (await json(await admin.get('/api/v1/audit?limit=20'))).body.entries;
  ok(audit.some((a) => a.action === 'rate' && a.entity === 'wellled_rating' && a.entity_id === r.body.id && a.actor === env.creds.lead.username),
    'each rating is audited with who gave it');

  // ---- bad input: a clear error, nothing stored ----
  const count = async (n) => (await json(await member.get(`/api/v1/well-led/${n}/ratings`))).body.ratings.length;
  const n2 = await count(2);
  const tries = [
    [{ rating: 'great', narrative: 'x' }, 'rating'],
    [{ rating: 'good', narrative: '' }, 'narrative'],
    [{ rating: 'good', narrative: 'x', projects: [999999] }, 'projects'],
    [{ rating: 'good', narrative: 'x', projects: [pid, pid] }, 'projects'],
    [{ rating: 'good', narrative: 'x', projects: 'all' }, 'projects'],
    [{ rating: 'good', narrative: 'x'.repeat(4001) }, 'narrative'],
  ];
  for (const [body, field] of tries) {
    r = await json(await lead.api('POST', '/api/v1/well-led/2/ratings', body));
    ok(r.status === 400 && new RegExp(field).test(r.body?.error), `${JSON.stringify(body).slice(0, 60)}: 400 naming ${field}`, JSON.stringify(r.body));
  }
  // Another organisation's project cannot be linked.
  const ambProjects = (await json(await other.get('/api/v1/organisations/northgate-ambulance/projects'))).body;
  const foreign = (ambProjects.projects || ambProjects || [])[0]?.id;
  if (foreign) {
    r = await json(await lead.api('POST', '/api/v1/well-led/2/ratings', { rating: 'good', narrative: 'x', projects: [foreign] }));
    ok(r.status === 400 && /projects/.test(r.body.error), 'a project of another organisation is refused', JSON.stringify(r.body));
  }
  ok(await count(2) === n2, 'nothing was stored by the refused ratings');
  r = await lead.post('/well-led/2/rate', { csrf: csrfOf(await (await lead.get('/well-led/2/rate')).text()), rating: 'brilliant', narrative: 'x' });
  const errPage = await r.text();
  ok(r.status === 400 && /nhsuk-error-summary/.test(errPage) && /href="#rating"/.test(errPage), 'the form shows a bad rating on its field', r.status);
  ok((await lead.get('/well-led/9')).status === 404 && (await json(await lead.api('POST', '/api/v1/well-led/9/ratings', { rating: 'good', narrative: 'x' }))).status === 404,
    'a ninth statement is not found');
  ok(await count(2) === n2, 'nothing was stored by the refused forms');

  // ---- roles ----
  ok((await contributor.get('/well-led')).status === 403 && (await contributor.get('/api/v1/well-led')).status === 403,
    'a contributor cannot read it');
  ok((await contributor.post('/well-led/1/rate', { csrf: csrfOf(await contributor.text('/')), rating: 'good', narrative: 'x' })).status === 403 &&
    (await contributor.api('POST', '/api/v1/well-led/1/ratings', { rating: 'good', narrative: 'x' })).status === 403,
  'a contributor cannot rate');
  ok((await member.api('POST', '/api/v1/well-led/1/ratings', { rating: 'good', narrative: 'x' })).status === 403 &&
    (await member.get('/well-led/1/rate')).status === 403, 'a member cannot rate');
  ok((await other.get('/well-led')).status === 403 && (await other.get('/api/v1/well-led')).status === 403 &&
    (await other.get('/well-led/1')).status === 403, "another organisation's lead cannot see it");
  ok((await other.api('POST', '/api/v1/well-led/1/ratings', { rating: 'inadequate', narrative: 'x' })).status === 403,
    "another organisation's lead cannot rate it");
  ok(await count(1) === 2, 'the trust\'s ratings are unchanged by the refusals');
  r = await json(await other.get('/api/v1/organisations/northgate-ambulance/well-led'));
  ok(r.status === 200 && r.body.organisation === 'northgate-ambulance' && r.body.not_rated.length === 8,
    'their own organisation\'s self-assessment is theirs, unrated', JSON.stringify(r.body?.not_rated));
  r = await json(await other.api('POST', '/api/v1/organisations/northgate-ambulance/well-led/8/ratings', { rating: 'good', narrative: 'Ours.' }));
  ok(r.status === 201, 'and they rate it', r.status);
  ok((await count(8)) === 1, "which leaves the trust's ratings alone");

  // ---- a new organisation: every statement but governance (its own creation is audited) has none ----
  r = await json(await admin.api('POST', '/api/v1/organisations', { slug: 'wellled-new', name: 'New Trust', type: 'nhs_trust' }));
  const fresh = (await json(await admin.get('/api/v1/organisations/wellled-new/well-led'))).body;
  ok(fresh.no_evidence.length === 7 && !fresh.no_evidence.includes('Governance, management and sustainability'),
    'a new organisation has evidence only in its audit log', JSON.stringify(fresh.no_evidence));
  const freshPage = await (await admin.get('/organisations/wellled-new/well-led')).text();
  ok(fresh.no_evidence.every((t) => unescape(freshPage).includes(t)) && /No evidence yet/.test(freshPage), 'and its page names the seven');

  // ---- the PDF: one page per statement ----
  r = await member.get('/well-led.pdf');
  const pdf = Buffer.from(await r.arrayBuffer());
  ok(r.status === 200 && /application\/pdf/.test(r.headers.get('content-type')) && pdf.subarray(0, 5).toString() === '%PDF-',
    'the PDF renders', `${r.status} ${r.headers.get('content-type')}`);
  const dir = mkdtempSync(join(tmpdir(), 'wellled-pdf-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    ok(TITLES.every((t) => text.includes(t)), 'pdftotext finds all eight titles', TITLES.filter((t) => !text.includes(t)).join('; '));
    const pages = execFileSync('pdfinfo', [join(dir, 'a.pdf')], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)[1];
    ok(Number(pages) === 9, 'a cover and one page per statement', pages);
    ok(/No evidence yet/.test(text) && /Outstanding/.test(text), 'the PDF names the gaps and the ratings');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} catch (e) {
  ok(false, 'the suite ran to the end', e.stack);
} finally {
  await done();
  env.cleanup();
}
