// A statement's history and provenance (issue 9, deliverable 7) through a real server on the demo
// database: the history page shows each version against the one before, word by word, for an
// organisation and a programme. Prints TAP.
// usage: node tests/http/provenance.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

// A browser: keeps its cookies.
function browser() {
  const jar = new Map();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const take = (r) => {
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      jar.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return r;
  };
  const send = async (method, path, body, headers = {}) => take(await fetch(srv.url + path, {
    method, redirect: 'manual', headers: { Cookie: cookie(), ...headers }, body,
  }));
  return {
    jar,
    get: (path) => send('GET', path),
    post: (path, form) => send('POST', path, new URLSearchParams(form), { 'Content-Type': 'application/x-www-form-urlencoded' }),
    json: async (method, path, obj) => {
      const me = await (await send('GET', '/api/v1/me')).json();
      return send(method, path, JSON.stringify(obj), { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token });
    },
  };
}
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const csrfOf = (html) => (html.match(/name="csrf" value="([^"]+)"/) || [])[1];

async function signIn(role) {
  const b = browser();
  const page = await (await b.get('/sign-in')).text();
  await b.post('/sign-in', { csrf: csrfOf(page), username: env.creds[role].username, password: env.creds[role].password });
  return b;
}

try {
  const lead = await signIn('lead');
  // ---- history: a word-level diff between versions ----
  const before = (await (await lead.get('/api/v1/statements/vision')).json()).text;
  const words = before.split(/\s+/);
  const changed = ['Together,', ...words.slice(0, -1), 'everyone.'].join(' ');
  let r = await lead.json('PUT', '/api/v1/statements/vision', { text: changed });
  ok(r.status === 200, 'a lead publishes a new version of the vision', String(r.status));
  let page = await (await lead.get('/strategy')).text();
  ok(page.includes('href="/strategy/vision/history"'), 'the strategy page links to the history');
  page = await (await lead.get('/strategy/vision/history')).text();
  ok(page.includes('<h1>How the vision has changed</h1>'), 'the history page', page.slice(0, 200));
  const current = page.slice(page.indexOf('(current)'), page.indexOf('</section>', page.indexOf('(current)')));
  ok(current.includes('<ins><span class="nhsuk-u-visually-hidden">added: </span>Together,'),
    'the added word is marked, and says "added:" to screen readers', current);
  const last = esc(words[words.length - 1]);
  ok(current.includes(`<del><span class="nhsuk-u-visually-hidden">removed: </span>${last}`) &&
     current.includes('<ins><span class="nhsuk-u-visually-hidden">added: </span>everyone.'),
    'the replaced last word is shown removed, then its replacement added', current);
  ok(current.replace(/<ins>.*?<\/ins>|<del>.*?<\/del>/gs, '').replace(/<\/p><p class="app-diff">/g, ' ').replace(/\s+/g, ' ')
    .includes(esc(words.slice(0, -1).join(' '))), 'the words kept are shown unmarked, in order', current);
  ok(page.includes('Version 1') && page.includes('Version 2 (current)'), 'every version is listed, newest first');
  ok((await (await browser().get('/strategy/vision/history')).status) === 303, "an organisation's history is for its members");

  // ---- a programme's history is public, markup is shown as text ----
  r = await lead.json('PUT', '/api/v1/programmes/handovers/statements/purpose', { text: 'We work together.\n\nFirst paragraph <b>kept</b>.' });
  ok(r.status === 200, 'a lead writes the programme\'s shared purpose', String(r.status));
  r = await lead.json('PUT', '/api/v1/programmes/handovers/statements/purpose', { text: 'We work together, always.\nFirst paragraph <b>kept</b>.' });
  page = await (await browser().get('/programmes/handovers/purpose/history')).text();
  ok(page.includes('How the shared purpose has changed'), 'anyone reads a programme\'s history');
  ok(page.includes('<del><span class="nhsuk-u-visually-hidden">removed: </span>together. \u00b6 (paragraph break)<span'),
    'a paragraph break that went is marked', page.slice(page.indexOf('(current)'), page.indexOf('(current)') + 800));
  ok(page.includes('&lt;b&gt;kept&lt;/b&gt;') && !page.includes('<b>kept</b>'), 'markup in a statement is shown as text');
} catch (e) {
  ok(false, 'provenance test ran', e.stack + '\n' + srv.stderr().slice(-3000));
} finally {
  await srv.stop();
  env.cleanup();
}
done();
