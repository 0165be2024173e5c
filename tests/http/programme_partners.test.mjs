// A programme and its partners commit together (issue 18: the rule lives in the store, so the API
// obeys it as the page does): POST /api/v1/programmes with "partners" makes the programme and its
// partners in one transaction; a partner that does not exist refuses the whole request, naming the
// field, and stores no programme; so does the page's form. Prints TAP.
// usage: node tests/http/programme_partners.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { signIn, csrfOf } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

try {
  const admin = await signIn(srv, env, 'admin');
  const json = async (r) => ({ status: r.status, body: await r.json() });
  const orgs = (await json(await admin.api('GET', '/api/v1/organisations'))).body.organisations;
  ok(orgs.length >= 2, 'the demo has two organisations or more');
  const ids = orgs.slice(0, 2).map((o) => o.id).sort((a, b) => a - b);

  let r = await json(await admin.api('POST', '/api/v1/programmes', { slug: 'bad-partners', name: 'Bad partners',
    partners: [ids[0], 987654321] }));
  ok(r.status === 400 && /^partners: /.test(r.body.error), 'a partner that does not exist is refused, naming the field',
    JSON.stringify(r));
  r = await json(await admin.api('GET', '/api/v1/programmes/bad-partners'));
  ok(r.status === 404, 'and no programme was stored', JSON.stringify(r));

  r = await json(await admin.api('POST', '/api/v1/programmes', { slug: 'bad-partners', name: 'Bad partners',
    partners: ['one'] }));
  ok(r.status === 400 && /^partners: /.test(r.body.error), 'a partner that is not an id is refused', JSON.stringify(r));

  r = await json(await admin.api('POST', '/api/v1/programmes', { slug: 'good-partners', name: 'Good partners',
    description: 'Two partners', partners: [ids[1], ids[0], ids[1]] }));
  ok(r.status === 201, 'a programme with its partners is made', JSON.stringify(r));
  r = await json(await admin.api('GET', '/api/v1/programmes/good-partners'));
  const got = (r.body.partners || []).map((o) => o.id).sort((a, b) => a - b);
  ok(r.status === 200 && JSON.stringify(got) === JSON.stringify(ids), 'its partners came with it, each once',
    JSON.stringify(r.body.partners));

  // The page's form follows the same rule.
  const form = await admin.text('/admin/programmes/new');
  const res = await admin.post('/admin/programmes/new', new URLSearchParams([['csrf', csrfOf(form)],
    ['name', 'Page partners'], ['slug', 'page-partners'], ['partner', String(ids[0])], ['partner', '987654321']]).toString());
  const html = await res.text();
  ok(res.status === 400 && /organisation 987654321 does not exist/.test(html),
    'the page refuses a partner that does not exist, on its form', String(res.status));
  r = await json(await admin.api('GET', '/api/v1/programmes/page-partners'));
  ok(r.status === 404, 'and stores no programme', JSON.stringify(r));
} catch (e) {
  ok(false, 'programme partners tests ran to the end', e.stack);
} finally {
  await srv.stop();
  env.cleanup();
}
done();
