// A shared ward PC and the "Tell us about yourself" form in Debian's Chromium against a real
// `purpose serve` (issue 17, Deliver 4 and 6). Two people sign in one after another in ONE browser
// context: the second sees none of the first person's contributions or Withdraw buttons, and voting
// does not replace the first person's vote. Clicking each group's label ticks that group's box and no
// other (every box had id="group"). Contributions are anonymous unless the person ticks "Show my
// name with it", for ideas and comments alike, and the page says so beside the button. Prints TAP.
// usage: node tests/browser/shared_pc.test.mjs [build/release/purpose]
import { launch } from '../lib/chromium.mjs';
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);
const U = srv.url;
const browser = await launch();

async function signIn(page, role) {
  await page.goto(U + '/sign-in');
  await page.fill('#username', env.creds[role].username);
  await page.fill('#password', env.creds[role].password);
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')]);
}

try {
  // A lead opens a conversation of the trust (members are staff there) with one idea to vote on.
  const lctx = await browser.newContext();
  const lead = await lctx.newPage();
  await signIn(lead, 'lead');
  const me = await (await lead.request.get(U + '/api/v1/me')).json();
  const now = Math.floor(Date.now() / 1000);
  const conv = await (await lead.request.post(U + '/api/v1/conversations', { headers: { 'X-CSRF-Token': me.csrf_token },
    data: { question: 'What would make the ward PC safe to share?', audience: 'all', privacy: 'We keep only what you write.',
      opens_at: now - 60, closes_at: now + 86400, queue_public: false } })).json();
  const idea = await (await lead.request.post(U + `/api/v1/conversations/${conv.id}/contributions`,
    { headers: { 'X-CSRF-Token': me.csrf_token }, data: { body: 'Lock screens after two minutes' } })).json();
  const C = `${U}/conversations/${conv.id}`;

  // ---- the group labels ----
  const actx = await browser.newContext();
  const visitor = await actx.newPage();
  await visitor.goto(C);
  await visitor.click('summary:has-text("Tell us about yourself")');
  const ids = await visitor.$$eval('input[type=checkbox]', (xs) => xs.map((x) => x.id));
  ok(ids.length > 10 && new Set(ids).size === ids.length, `every checkbox on the page has its own id (${ids.length})`,
    ids.filter((x, i) => ids.indexOf(x) !== i).join(' '));
  const labels = await visitor.$$eval('input[name=group] + label', (ls) => ls.map((l) => ({ for: l.htmlFor, text: l.textContent, value: l.previousElementSibling.value })));
  let right = 0;
  const wrong = [];
  for (const l of labels) {
    await visitor.click(`label[for="${l.for}"]`);
    const ticked = await visitor.$$eval('input[name=group]:checked', (xs) => xs.map((x) => x.value));
    if (ticked.length === 1 && ticked[0] === l.value) right++;
    else wrong.push(`${l.text} ticked ${ticked.join(',') || 'nothing'}`);
    await visitor.click(`label[for="${l.for}"]`); // and untick it again
  }
  ok(labels.length > 10 && right === labels.length, `clicking each of the ${labels.length} group labels ticks its own box and no other`,
    wrong.slice(0, 5).join('; '));
  await visitor.click('label:has-text("Patient or service user")');
  await Promise.all([visitor.waitForNavigation(), visitor.click('form[action$="/about-me"] button')]);
  await visitor.click('summary:has-text("Tell us about yourself")');
  const saved = await visitor.$$eval('input[name=group]:checked', (xs) => xs.map((x) => x.value));
  ok(saved.length === 1 && saved[0] !== 'staff', 'saved: "Patient or service user" and not "Staff"', saved.join(','));

  // ---- one browser context, two people ----
  const ctx = await browser.newContext();
  const pc = await ctx.newPage();
  await signIn(pc, 'member');
  await pc.goto(C);
  const sayIdea = await pc.textContent('form[action$="/contribute"]:has(#body)');
  ok(/sent anonymously unless you tick "Show my name with it"/.test(sayIdea) && !(await pc.isChecked('#named-0')),
    'an idea is anonymous unless the person chooses otherwise, as the form says beside the button');
  const sayComment = await pc.textContent(`form[action$="/contribute"]:has(#named-${idea.id})`);
  ok(/sent anonymously unless you tick/.test(sayComment) && !(await pc.isChecked(`#named-${idea.id}`)),
    'a comment has the same default and says so');
  await pc.fill('#body', 'Ward PC: an idea the next person must not see');
  await Promise.all([pc.waitForNavigation(), pc.click('button:has-text("Send your idea")')]);
  ok((await pc.content()).includes('Ward PC: an idea the next person must not see'), 'person 1 posts an idea (published: staff)');
  ok((await pc.textContent(`#idea-${idea.id}`)) !== null, 'the idea to vote on is on the page');
  await Promise.all([pc.waitForNavigation(), pc.click(`#idea-${idea.id} button[value=agree]`)]);
  ok(await pc.getAttribute(`#idea-${idea.id} button[value=agree]`, 'aria-pressed') === 'true', 'person 1 votes agree');
  await pc.goto(C + '/mine');
  ok((await pc.content()).includes('must not see') && await pc.locator('a:has-text("Withdraw")').count() === 1,
    'person 1 sees their idea with a Withdraw link');
  await Promise.all([pc.waitForNavigation(), pc.click('button:has-text("Sign out")')]);

  await signIn(pc, 'contributor');
  await pc.goto(C + '/mine');
  const mine2 = await pc.content();
  ok(!mine2.includes('must not see') && await pc.locator('a:has-text("Withdraw")').count() === 0,
    "person 2, in the same browser, sees none of person 1's contributions and no Withdraw link");
  await pc.goto(C);
  ok(await pc.locator(`#idea-${idea.id} button[aria-pressed=true]`).count() === 0, "person 2 is not shown person 1's vote as theirs");
  await Promise.all([pc.waitForNavigation(), pc.click(`#idea-${idea.id} button[value=disagree]`)]);
  ok(await pc.getAttribute(`#idea-${idea.id} button[value=disagree]`, 'aria-pressed') === 'true', 'person 2 votes disagree');
  await Promise.all([pc.waitForNavigation(), pc.click('button:has-text("Sign out")')]);

  await signIn(pc, 'member');
  await pc.goto(C);
  ok(await pc.getAttribute(`#idea-${idea.id} button[value=agree]`, 'aria-pressed') === 'true',
    "person 1, back, still has their own vote: person 2's did not replace it");
  const api = await (await lead.request.get(U + `/api/v1/conversations/${conv.id}`)).json();
  const got = api.contributions.find((c) => c.id === idea.id);
  ok(got.agree === 'fewer than 5' && got.disagree === 'fewer than 5', 'both votes count, one each way', JSON.stringify(got));
} catch (e) {
  ok(false, 'shared PC browser test ran', e.stack);
} finally {
  await browser.close();
  await srv.stop();
  env.cleanup();
}
done();
