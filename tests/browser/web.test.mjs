// The web app in Debian's Chromium (playwright-core, no downloaded browser), against a real
// `purpose serve` on a temporary demo database. Every page is checked with axe-core (WCAG 2.0,
// 2.1 and 2.2 A/AA rules) and screenshotted into test-artifacts/web/. Prints TAP.
// usage: node tests/browser/web.test.mjs [build/release/purpose]
import { execFileSync } from 'node:child_process';
import { launch, auditor, axeSource, AXE_TAGS } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const ART = 'test-artifacts/web';

const env = demoDb(bin);
// A month of synthetic handovers for the dashboard (two sites of the trust).
const hoCsv = execFileSync(bin, ['handovers', 'generate', '--days', '31', '--seed', '2'], { maxBuffer: 1 << 26 });
execFileSync(bin, ['handovers', 'import', '-', '--db', env.db], { input: hoCsv, stdio: ['pipe', 'ignore', 'inherit'] });
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();

const offsite = [];
const cspErrors = [];
async function newPage(opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 800 }, ...opts });
  const page = await ctx.newPage();
  page.on('request', (r) => { if (!r.url().startsWith(U) && !r.url().startsWith('data:')) offsite.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  return page;
}

// axe on the current page (page.evaluate is not subject to the page's CSP), then a screenshot.
const audit = auditor(ART);

async function signIn(page, role, next) {
  await page.goto(U + '/sign-in' + (next ? '?next=' + encodeURIComponent(next) : ''));
  await page.fill('#username', env.creds[role].username);
  await page.fill('#password', env.creds[role].password);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')]);
}

try {
  { // The checker itself: a page with known faults must fail it, or the checks below prove nothing.
    const probe = await newPage();
    await probe.setContent('<html><body><img src="/x.png"><a href="/"></a></body></html>');
    await probe.evaluate(axeSource);
    const res = await probe.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
    const ids = res.violations.map((v) => v.id);
    ok(ids.includes('image-alt') && ids.includes('html-has-lang'), 'axe finds the faults in a known-bad page', ids.join(','));
    await probe.context().close();
  }
  // ---- anyone ---------------------------------------------------------------------------------
  const anon = await newPage();
  for (const [path, name] of [['/', 'our-purpose'], ['/values', 'values'], ['/themes', 'themes'],
    ['/organisations', 'organisations'], ['/organisations/northgate-ambulance', 'partner-purpose'],
    ['/organisations/northgate-ambulance/values', 'partner-values'], ['/programmes/handovers', 'programme'],
    ['/programmes/chronic-pain', 'programme-pain'], ['/sign-in', 'sign-in']]) {
    const r = await anon.goto(U + path);
    ok(r.status() === 200, `${path} loads`);
    await audit(anon, name);
  }
  ok(await anon.locator('h1').first().textContent() === 'Sign in', 'sign-in page has one clear heading');
  await anon.fill('#username', 'lead');
  await anon.fill('#password', 'wrong password');
  await Promise.all([anon.waitForNavigation(), anon.click('button:has-text("Sign in")')]);
  ok(await anon.locator('.nhsuk-error-summary').isVisible(), 'wrong password shows the NHS error summary');
  await audit(anon, 'sign-in-error');
  const nf = await anon.goto(U + '/no-such-page');
  ok(nf.status() === 404 && (await anon.textContent('h1')) === 'Page not found', '404 page');
  await audit(anon, 'not-found');

  // ---- a lead edits the vision, the public sees it --------------------------------------------
  const lead = await newPage();
  await lead.goto(U + '/strategy/vision/edit');
  ok(lead.url().startsWith(U + '/sign-in?next='), 'signed out: the edit page sends you to sign in');
  await lead.fill('#username', env.creds.lead.username);
  await lead.fill('#password', env.creds.lead.password);
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Sign in")')]);
  ok(lead.url() === U + '/strategy/vision/edit', 'after sign-in you land on the page you asked for', lead.url());
  await audit(lead, 'edit-vision');
  const vision = 'Browser-tested vision: the best care for everyone, every time.';
  await lead.fill('#text', vision);
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Save")')]);
  ok(lead.url() === U + '/strategy' && (await lead.content()).includes(vision), 'saved vision shows on the strategy page');
  await audit(lead, 'strategy-lead');
  await lead.goto(U + '/strategy/vision/edit');
  await lead.fill('#text', '');
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Save")')]);
  ok(await lead.locator('.nhsuk-error-summary a[href="#text"]').isVisible(), 'empty vision: error summary links to the field');
  await audit(lead, 'edit-vision-error');
  for (const [path, name] of [['/strategy/values/1/edit', 'edit-value'], ['/strategy/values/new', 'new-value'],
    ['/strategy/themes/1/edit', 'edit-theme'], ['/strategy/themes/new', 'new-theme'],
    ['/strategy/themes/1/ambitions/new', 'new-ambition'], ['/strategy/ambitions/1/edit', 'edit-ambition'],
    ['/account', 'account-lead'], ['/handovers', 'handovers'], ['/handovers?from=2023-01-10&to=2023-01-20', 'handovers-period'],
    ['/programmes/handovers/handovers', 'handovers-programme'], ['/handovers/import', 'handovers-import']]) {
    const r = await lead.goto(U + path);
    ok(r.status() === 200, `lead opens ${path}`);
    await audit(lead, name);
  }
  await Promise.all([lead.waitForNavigation(), lead.click('button:has-text("Sign out")')]);
  ok((await lead.content()).includes('Sign in'), 'sign out');

  const pub = await newPage();
  await pub.goto(U + '/');
  ok((await pub.textContent('.app-vision')).includes(vision), 'the public "Our purpose" page shows the new vision');

  // ---- the ambulance service's lead leads the shared programme, not the trust's strategy --------
  const crew = await newPage();
  await signIn(crew, 'ambulance-lead', '/programmes/handovers/purpose/edit');
  ok(crew.url() === U + '/programmes/handovers/purpose/edit', 'the ambulance lead opens the shared purpose', crew.url());
  await audit(crew, 'edit-shared-purpose');
  const shared = 'Every minute at the front door matters: hospital and ambulance crews as one team.';
  await crew.fill('#text', shared);
  await Promise.all([crew.waitForNavigation(), crew.click('button:has-text("Save")')]);
  ok(crew.url() === U + '/programmes/handovers' && (await crew.content()).includes(shared), 'the shared purpose shows on the programme page');
  await crew.goto(U + '/programmes/handovers/aims/new');
  await audit(crew, 'new-aim');
  await crew.fill('#title', 'No handover over two hours');
  await crew.fill('#target_year', '20x6');
  await Promise.all([crew.waitForNavigation(), crew.click('button:has-text("Save")')]);
  ok(await crew.locator('.nhsuk-error-summary a[href="#target_year"]').isVisible(), 'a bad target year: the error names the field');
  await audit(crew, 'new-aim-error');
  await crew.fill('#target_year', '2026');
  await Promise.all([crew.waitForNavigation(), crew.click('button:has-text("Save")')]);
  ok((await crew.content()).includes('No handover over two hours'), 'the new aim shows on the programme page');
  const theirs = await crew.goto(U + '/strategy/vision/edit');
  ok(theirs.status() === 403, "the ambulance lead may not edit the trust's vision", theirs.status());
  const own = await crew.goto(U + '/organisations/northgate-ambulance/strategy/vision/edit');
  ok(own.status() === 200, "but edits the ambulance service's own", own.status());
  ok((await crew.getAttribute('form[method="post"]:has(#text)', 'action')) === '/organisations/northgate-ambulance/strategy/vision/edit',
    "the form posts to the ambulance service's page");
  await audit(crew, 'partner-edit-vision');

  // ---- a contributor is refused the edit page --------------------------------------------------
  const contrib = await newPage();
  await signIn(contrib, 'contributor');
  const refused = await contrib.goto(U + '/strategy/vision/edit');
  ok(refused.status() === 403 && (await contrib.textContent('h1')).includes('do not have permission'), 'contributor is refused the edit page (403)');
  await audit(contrib, 'forbidden');
  ok(!(await contrib.content()).includes('href="/strategy"'), 'contributor is not offered the strategy pages');
  await contrib.goto(U + '/account');
  await audit(contrib, 'account-contributor');

  // ---- member reads; admin pages -------------------------------------------------------------
  const member = await newPage();
  await signIn(member, 'member');
  await member.goto(U + '/strategy');
  ok(!(await member.content()).includes('/strategy/vision/edit'), 'member sees the strategy without edit links');
  await audit(member, 'strategy-member');

  const admin = await newPage();
  await signIn(admin, 'admin');
  for (const [path, name] of [['/admin/users', 'users'], ['/admin/users/1/edit', 'edit-user'], ['/admin/tokens', 'tokens'], ['/admin/audit', 'audit'],
    ['/admin/audit?before=1000000', 'audit-older-page'], ['/admin/organisations/new', 'new-organisation'],
    ['/admin/programmes/new', 'new-programme'], ['/admin/users/5/roles', 'user-roles']]) {
    const r = await admin.goto(U + path);
    ok(r.status() === 200, `admin opens ${path}`);
    await audit(admin, name);
  }
  await admin.goto(U + '/admin/tokens');
  await admin.fill('#name', 'Board report');
  await Promise.all([admin.waitForNavigation(), admin.click('button:has-text("Create token")')]);
  const tok = await admin.textContent('#new-token');
  ok(/^pur_[A-Za-z0-9_-]{43}$/.test(tok), 'a new API token is shown once');
  await audit(admin, 'token-created');
  await admin.goto(U + '/admin/tokens');
  ok(!(await admin.content()).includes(tok), 'the token is not shown again');
  await admin.goto(U + '/admin/audit');
  ok((await admin.content()).includes('Browser-tested vision'), 'the audit log shows the vision change');

  // ---- JavaScript off: server-rendered pages still work ----------------------------------------
  const nojs = await newPage({ javaScriptEnabled: false });
  await signIn(nojs, 'lead', '/strategy/purpose/edit');
  await nojs.fill('#text', 'Purpose saved with JavaScript off.');
  await Promise.all([nojs.waitForNavigation(), nojs.click('button:has-text("Save")')]);
  ok((await nojs.content()).includes('Purpose saved with JavaScript off.'), 'sign in and edit work with JavaScript off');

  ok(offsite.length === 0, 'no request left the machine', [...new Set(offsite)].join('\n'));
  ok(cspErrors.length === 0, 'no Content-Security-Policy violations', cspErrors.join('\n'));
} catch (e) {
  ok(false, 'browser tests ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
