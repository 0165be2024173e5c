// Engagement events (issue 9, deliverable 6) through a real server on the demo database: the demo's
// events on the conversation page, the event page and the API with attendance under 5 suppressed; a
// lead adds an event with attendance by group (bad input refused, nothing stored), enters what was
// said there (published at once, "from" the event and not from the lead, counted in the results, the
// export and the who-has-been-heard report), renames it, and deletes it (its outputs leave every
// page); every change audited; a programme's event only under its programme. Prints TAP.
// usage: node tests/http/events.test.mjs [build/release/purpose]
import { ok, done, demoDb, startServer } from '../lib/server.mjs';
import { browser as openBrowser, signIn as openSignIn, csrfOf } from '../lib/browse.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet']);

const browser = () => openBrowser(srv);
const signIn = (role) => openSignIn(srv, env, role);
const json = async (path) => (await fetch(srv.url + path)).json();

try {
  // ---- the demo's events, seen by anyone ----
  const pub = browser();
  let page = await (await pub.get('/conversations/1?group=event&per_page=50')).text();
  ok(page.includes('Engagement events') && page.includes('Listening event at Northgate Central Library') &&
    page.includes('Night-shift huddle on the acute medical unit'), 'the finished conversation lists its two events');
  ok(page.includes('From Listening event at Northgate Central Library'), 'an event output is shown as from the event');
  ok(!page.includes('Add an event'), 'the public are not offered to add an event');
  const list = await json('/api/v1/conversations/1/events');
  ok(list.events.length === 2, 'the API lists two events', JSON.stringify(list).slice(0, 300));
  const lib = list.events[0];
  const lived = lib.attendance.find((g) => g.code === 'lived');
  const pubs = lib.attendance.find((g) => g.code === 'public');
  ok(lived.attended === 'fewer than 5' && pubs.attended === 18 && lib.attendees === 'about 30' && lib.format === 'listening' &&
    lib.date === '2026-03-12', 'attendance by group: a group of 3 is "fewer than 5"', JSON.stringify(lib));
  const one = await json(`/api/v1/conversations/events/${lib.id}`);
  ok(one.outputs.length === 3 && one.outputs.every((c) => c.author === '' && c.state === 'published'),
    'the event has 3 published outputs with no author', JSON.stringify(one.outputs[0]));
  page = await (await pub.get(`/conversations/events/${lib.id}`)).text();
  ok(page.includes('Listening event') && page.includes('fewer than 5') && page.includes('Interpreters for Bengali') &&
    page.includes('Tell people how long they will wait'), 'the event page: format, attendance, notes, what was said');
  ok(!page.includes('Delete the event') && !page.includes('name="body"'), 'the public see no lead forms on it');

  // ---- a programme's event is under its programme only ----
  const pc = 2; // the demo's open conversation, the handover programme's
  const pev = await json(`/api/v1/programmes/handovers/conversations/${pc}/events`);
  ok(pev.events.length === 1 && pev.events[0].title.startsWith('Online session'), "the programme's conversation has its event");
  ok((await pub.get(`/conversations/events/${pev.events[0].id}`)).status === 404, "a programme's event is not under the organisation");
  ok((await pub.get(`/programmes/handovers/conversations/events/${pev.events[0].id}`)).status === 200, "it is under the programme");
  ok((await pub.get(`/programmes/handovers/conversations/events/${lib.id}`)).status === 404, "the trust's event is not under the programme");

  // ---- a lead adds an event ----
  const lead = await signIn('lead');
  page = await (await lead.get('/conversations/1')).text();
  ok(page.includes('Add an event'), 'a lead is offered to add an event');
  const form = await (await lead.get('/conversations/1/events/new')).text();
  ok(form.includes('name="att-carer"') && form.includes('name="attendance_other"'), 'the form asks for attendance by group');
  const before = (await json('/api/v1/conversations/1/events')).events.length;
  const base = { csrf: csrfOf(form), title: 'Drop-in at the <b>market</b>', format: 'drop-in', held_on: '2026-03-20',
    place: 'Northgate market hall', attendees: '15', 'att-public': '9', 'att-carer': '2', attendance_other: 'White: British: 6\nasian or asian british: bangladeshi: 1', notes: 'Stall with cards.' };
  let r = await lead.post('/conversations/1/events/new', { ...base, 'att-carer': '16' });
  ok(r.status === 400 && (await r.text()).includes('from 0 to the 15 who attended'), 'a group larger than the attendance is refused');
  r = await lead.post('/conversations/1/events/new', { ...base, held_on: '20 March' });
  ok(r.status === 400 && (await r.text()).includes('Enter the date of the event, for example 12 3 2026'), 'a bad date is refused with an example');
  r = await lead.post('/conversations/1/events/new', { ...base, attendance_other: 'Martian: 3' });
  ok(r.status === 400 && (await r.text()).includes('is not an ethnic group'), 'an unknown group is refused');
  r = await lead.post('/conversations/1/events/new', { ...base, format: 'rave' });
  ok(r.status === 400, 'an unknown format is refused');
  ok((await json('/api/v1/conversations/1/events')).events.length === before, 'nothing stored from a refused form');
  r = await lead.post('/conversations/1/events/new', base);
  const loc = r.headers.get('location') || '';
  const eid = Number((loc.match(/events\/(\d+)$/) || [])[1]);
  ok(r.status === 303 && eid > 0, 'the lead adds the event', `${r.status} ${loc}`);
  const ev = await json(`/api/v1/conversations/events/${eid}`);
  const att = Object.fromEntries(ev.attendance.map((g) => [g.code, g.attended]));
  ok(ev.title === 'Drop-in at the <b>market</b>' && att.public === 9 && att.carer === 'fewer than 5' && att['eth-A'] === 6 &&
    att['eth-K'] === 'fewer than 5' && ev.attendees === 'about 20', 'attendance stored by group, from fields and lines', JSON.stringify(ev));
  page = await (await lead.get(`/conversations/events/${eid}`)).text();
  ok(page.includes('Drop-in at the &lt;b&gt;market&lt;/b&gt;') && !page.includes('<b>market'), 'markup in a title is shown as text');
  const edit = await (await lead.get(`/conversations/events/${eid}/edit`)).text();
  ok(edit.includes('value="9"') && edit.includes('White: British: 6'), 'the change form holds the counts');

  // ---- what was said there ----
  const ideasBefore = (await json('/api/v1/conversations/1')).contributions.length;
  r = await lead.post(`/conversations/events/${eid}/outputs`, { csrf: csrfOf(page), body: '', theme: '' });
  ok(r.status === 400, 'an empty output is refused');
  r = await lead.post(`/conversations/events/${eid}/outputs`, { csrf: csrfOf(page), body: 'Open a clinic in the market on Saturdays', theme: 'Fair access' });
  ok(r.status === 303, 'the lead enters an idea from the event');
  const conv = await json('/api/v1/conversations/1');
  const out = conv.contributions.find((c) => c.body === 'Open a clinic in the market on Saturdays');
  ok(conv.contributions.length === ideasBefore + 1 && out && out.author === '' && out.anonymous === true && out.staff === false &&
    out.state === 'published' && out.theme === 'Fair access', 'published at once, attributed to no person', JSON.stringify(out));
  page = await (await pub.get('/conversations/1?group=event&per_page=50')).text();
  const card = page.slice(page.indexOf('Open a clinic in the market'), page.indexOf('Open a clinic in the market') + 400);
  ok(card.includes('From Drop-in at the &lt;b&gt;market&lt;/b&gt;') && !card.includes(env.creds.lead.username), 'shown from the event, not from the lead');
  const csv = await (await lead.get('/conversations/1/export.csv')).text();
  const line = csv.split('\r\n').find((l) => l.includes('Open a clinic in the market on Saturdays')) || '';
  ok(csv.startsWith('id,kind,on,theme,text,staff,agree,disagree,unsure,day,event\r\n') && line.endsWith(',"Drop-in at the <b>market</b>"'),
    'it is in the export, marked with its event', line);
  r = await lead.api('POST', `/api/v1/conversations/events/${eid}/outputs`, { body: 'Markets reach people we never see', parent_id: 999999 });
  ok(r.status === 400, 'an output on an idea that is not there is refused');
  r = await lead.api('POST', `/api/v1/conversations/events/${eid}/outputs`, { body: 'Yes, and in the evenings', parent_id: out.id });
  const com = await r.json();
  ok(r.status === 201 && com.kind === 'comment' && com.parent_id === out.id && com.event_id === eid, 'the API enters a comment from the event', JSON.stringify(com));

  // ---- who has been heard ----
  const rep = await (await lead.get('/conversations/1/report')).text();
  ok(rep.includes('Heard at events') && rep.includes('Attendance at events by group'), 'the report has a line for events');
  const repj = await (await lead.api('GET', '/api/v1/conversations/1/report')).json();
  ok(repj.events.events === 3 && repj.events.attendees === 'about 60' && repj.events.contributions === 7,
    'the report API counts events, attendance and their contributions', JSON.stringify(repj.events));

  // ---- renaming, through the API ----
  r = await lead.api('PUT', `/api/v1/conversations/events/${eid}`, { title: 'Market drop-in', format: 'drop-in', place: 'Market hall',
    held_on: 1773964800, attendees: 15, attendance: { public: 9, 'eth-A': 6 } });
  const put = await r.json();
  ok(r.status === 200 && put.title === 'Market drop-in' && put.attendance.length === 2 && put.outputs.length === 2, 'the API changes the event', JSON.stringify(put).slice(0, 300));
  r = await lead.api('PUT', `/api/v1/conversations/events/${eid}`, { title: 'x', format: 'drop-in', place: 'y', held_on: 1773964800, attendees: 3, attendance: { nobody: 1 } });
  ok(r.status === 400 && (await r.json()).error.includes('not one of the groups'), 'an unknown group in the API is refused');
  page = await (await pub.get('/conversations/1?group=event&per_page=50')).text();
  ok(page.includes('From Market drop-in'), 'its outputs follow the new name');

  // ---- the audit log ----
  const admin = await signIn('admin');
  const audit = await (await admin.api('GET', '/api/v1/audit?limit=20')).json();
  const mine = audit.entries.filter((e) => e.entity === 'event' && e.entity_id === eid);
  ok(mine.some((e) => e.action === 'create') && mine.some((e) => e.action === 'update' && e.before.title === 'Drop-in at the <b>market</b>'),
    'adding and changing the event are audited', JSON.stringify(mine).slice(0, 300));
  ok(audit.entries.some((e) => e.entity === 'contribution' && e.actor === env.creds.lead.username && e.after.event_id === eid),
    'entering an output is audited with the lead who typed it');

  // ---- deleting ----
  const evp = await (await lead.get(`/conversations/events/${eid}`)).text();
  r = await lead.post(`/conversations/events/${eid}/delete`, { csrf: csrfOf(evp), confirm: 'yes' });
  ok(r.status === 303, 'the lead deletes the event');
  ok((await pub.get(`/conversations/events/${eid}`)).status === 404, 'its page is gone');
  page = await (await pub.get('/conversations/1')).text();
  ok(!page.includes('Open a clinic in the market') && !page.includes('Market drop-in'), 'its outputs leave the public page');
  ok(!(await (await lead.get('/conversations/1/export.csv')).text()).includes('Open a clinic in the market'), 'and the export');
  ok((await json('/api/v1/conversations/1')).contributions.length === ideasBefore, 'and the counts');
  const audit2 = await (await admin.api('GET', '/api/v1/audit?limit=20')).json();
  ok(audit2.entries.some((e) => e.entity === 'event' && e.entity_id === eid && e.action === 'delete') &&
    audit2.entries.some((e) => e.entity === 'contribution' && e.action === 'hide' && e.after.reason === 'Its event was deleted'),
    'deleting is audited, with each output it hid');
  r = await lead.api('DELETE', `/api/v1/conversations/events/${eid}`);
  ok(r.status === 404, 'deleting it again: 404');
  r = await pub.post(`/conversations/events/${lib.id}/delete`, { csrf: 'x' });
  ok([303, 403].includes(r.status) && (await json('/api/v1/conversations/1/events')).events.length === 2, 'the public cannot delete an event');
} catch (e) {
  ok(false, 'events test ran', e.stack + '\n' + srv.stderr().slice(-3000));
} finally {
  const code = await srv.stop();
  ok(code === 0, 'the server stops cleanly (no leak or sanitizer report)', srv.stderr().slice(-3000));
  env.cleanup();
}
done();
