// File uploads (multipart/form-data) on a real server, on SQLite or PostgreSQL (tests/run.sh): a
// measure's points and a lead's handover import sent as a CSV file. A good file is stored; a bad row
// refuses the whole file naming the row and field, with nothing stored; a chosen file wins over the
// paste box, and the box still works; the CSRF token is checked as a part; a file over --max-body is
// a 413; a NUL byte or bytes that are not UTF-8 are refused naming the field; a malformed body, too
// many parts or too long a field name are a 400. Prints TAP.
// usage: node tests/http/uploads.test.mjs [build/release/purpose]
import { ok, done, demoDb, engine, startServer } from '../lib/server.mjs';
import { client } from '../lib/client.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const MAX_BODY = 262144;
const srv = await startServer(bin, env.db, ['--quiet', '--max-body', String(MAX_BODY)]);
const U = srv.url;
console.log(`# engine: ${engine}`);

async function req(method, path, { cookie, form, json, csrf, body, type } = {}) {
  const h = {};
  if (cookie) h.Cookie = cookie;
  if (csrf) h['X-CSRF-Token'] = csrf;
  if (form) { body = new URLSearchParams(form).toString(); type = 'application/x-www-form-urlencoded'; }
  if (json !== undefined) { body = JSON.stringify(json); type = 'application/json'; }
  if (type) h['Content-Type'] = type;
  const r = await fetch(U + path, { method, headers: h, body, redirect: 'manual' });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, json: () => JSON.parse(text) };
}

const { signIn } = client(U, env.creds);

// A multipart/form-data body written byte by byte, as a browser writes one: parts are
// {name, value (string or Buffer), filename?, type?}.
function multipart(parts, boundary = '----PurposeTest' + Math.random().toString(16).slice(2)) {
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"\r\nContent-Type: ${p.type || 'text/csv'}`;
    chunks.push(Buffer.from(head + '\r\n\r\n'), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

try {
  const lead = await signIn('lead');
  const member = await signIn('member');
  const api = (method, path, json) => req(method, path, { cookie: lead.cookie, csrf: lead.csrf, json });
  // Sent by fetch's own FormData encoder (what a browser does), or as hand-written bytes.
  const send = (path, who, fd) => req('POST', path, { cookie: who.cookie, body: fd });
  const sendRaw = (path, who, parts, boundary) => { const m = multipart(parts, boundary); return req('POST', path, { cookie: who.cookie, body: m.body, type: m.type }); };
  const fileForm = (who, fields, file, name = 'points.csv') => {
    const fd = new FormData();
    if (who) fd.append('csrf', who.csrf);
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    if (file !== undefined) fd.append('file', new Blob([file], { type: 'text/csv' }), name);
    return fd;
  };

  // ---- a measure with no points ---------------------------------------------------------------
  const ambitions = (await req('GET', '/api/v1/purpose')).json().themes.flatMap((t) => t.ambitions);
  const made = await req('POST', '/projects/new', { cookie: lead.cookie, form: { csrf: lead.csrf, title: 'Falls', aim: 'Fewer falls on wards', status: 'active', score: '2.0', start_date: '2025-04-01', ambition: ambitions[0].id } });
  const pid = Number(made.headers.get('location')?.split('/').pop());
  const mm = await req('POST', `/projects/${pid}/measures/new`, { cookie: lead.cookie, form: { csrf: lead.csrf, name: 'Falls per 1,000 bed days', kind: 'outcome', unit: '', direction: 'decrease', target: '' } });
  const mid = Number(mm.headers.get('location')?.split('/').pop());
  ok(made.status === 303 && mm.status === 303 && mid > 0, 'a project and a measure to upload to', mm.text.slice(0, 300));
  const points = async () => (await api('GET', `/api/v1/measures/${mid}`)).json().points.map((p) => `${p.date}=${p.value}`).join(' ');
  const path = `/measures/${mid}/points`;

  const page = await req('GET', `/measures/${mid}`, { cookie: lead.cookie });
  ok(page.text.includes('enctype="multipart/form-data"') && /<input class="nhsuk-file-upload__input" id="file" name="file"[^>]* type="file" accept="\.csv,text\/csv">/.test(page.text) &&
    page.text.includes('name="data"'), 'the measure page offers a CSV file input beside the paste box', page.text.match(/<h2 id="add-points">[\s\S]{0,1500}/)?.[0]);

  const rows = [];
  for (let i = 0; i < 12; i++) rows.push(`${new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10)},${3 + (i % 4)}`);
  const good = ['date,value', ...rows].join('\n') + '\n';

  // ---- refusals first: nothing may be stored -----------------------------------------------------
  const broken = ['date,value', ...rows.slice(0, 4), '2025-02-03,n/a', ...rows.slice(5)].join('\n');
  const bad = await send(path, lead, fileForm(lead, { data: '' }, broken));
  ok(bad.status === 400 && bad.text.includes('points.csv: row 6: value: &quot;n/a&quot; is not a number') && bad.text.includes('href="#file"') &&
    bad.text.includes('nhsuk-file-upload__input--error'), 'a bad row refuses the whole file, naming the file, row and field', bad.text.match(/nhsuk-error-summary[\s\S]{0,600}/)?.[0]);
  ok(await points() === '', 'nothing of the refused file is stored');

  const noCsrf = await send(path, lead, fileForm(null, { data: '' }, good));
  ok(noCsrf.status === 403 && await points() === '', 'a multipart form without its csrf part is refused (403), nothing stored', noCsrf.status);
  const wrongCsrf = await send(path, lead, fileForm({ csrf: 'x'.repeat(lead.csrf.length) }, { data: '' }, good));
  ok(wrongCsrf.status === 403 && await points() === '', 'a wrong csrf part is refused (403)', wrongCsrf.status);
  const otherCsrf = await send(path, lead, fileForm(member, { data: '' }, good));
  ok(otherCsrf.status === 403 && await points() === '', "another session's csrf part is refused (403)", otherCsrf.status);

  let big = 'date,value\n';
  for (let i = 0; big.length <= MAX_BODY; i++) big += `${new Date(Date.UTC(1990, 0, 1 + i)).toISOString().slice(0, 10)},${i % 10}\n`;
  const tooBig = await send(path, lead, fileForm(lead, { data: '' }, big));
  ok(tooBig.status === 413 && await points() === '', `a file over --max-body (${big.length} bytes) is a 413, nothing stored`, tooBig.status);

  const nul = await sendRaw(path, lead, [{ name: 'csrf', value: lead.csrf }, { name: 'data', value: '' },
    { name: 'file', filename: 'points.csv', value: Buffer.concat([Buffer.from('date,value\n2025-01-06,'), Buffer.from([0]), Buffer.from('3\n')]) }]);
  ok(nul.status === 400 && nul.text.includes('File &quot;points.csv&quot; is not a text file (a NUL byte on line 2)') && nul.text.includes('href="#file"') &&
    await points() === '', 'a file with a NUL byte is refused, naming the field and line', nul.text.match(/nhsuk-error-summary[\s\S]{0,600}/)?.[0]);
  const latin1 = await sendRaw(path, lead, [{ name: 'csrf', value: lead.csrf },
    { name: 'file', filename: 'points.csv', value: Buffer.from('date,value\n2025-01-06,3\n2025-01-13,\xa34\n', 'latin1') }]);
  ok(latin1.status === 400 && latin1.text.includes('File &quot;points.csv&quot; is not UTF-8 text (line 3)') && await points() === '',
    'a file that is not UTF-8 is refused, naming the field and line', latin1.text.match(/nhsuk-error-summary[\s\S]{0,600}/)?.[0]);

  const m = multipart([{ name: 'csrf', value: lead.csrf }, { name: 'file', filename: 'points.csv', value: good }]);
  const cut = await req('POST', path, { cookie: lead.cookie, body: m.body.subarray(0, m.body.length - 30), type: m.type });
  ok(cut.status === 400 && await points() === '', 'a body that stops before its closing boundary is a 400', cut.status);
  const noBoundary = await req('POST', path, { cookie: lead.cookie, body: m.body, type: 'multipart/form-data' });
  ok(noBoundary.status === 400, 'multipart/form-data without a boundary is a 400', noBoundary.status);
  const many = await sendRaw(path, lead, [{ name: 'csrf', value: lead.csrf }, ...Array.from({ length: 32 }, (_, i) => ({ name: `x${i}`, value: 'y' }))]);
  ok(many.status === 400 && many.text.includes('too many fields'), 'more than 32 parts is a 400', many.status);
  const longName = await sendRaw(path, lead, [{ name: 'csrf', value: lead.csrf }, { name: 'n'.repeat(65), value: 'y' }]);
  ok(longName.status === 400 && longName.text.includes('longer than 64 bytes'), 'a field name over 64 bytes is a 400', longName.status);
  const nameless = await req('POST', path, { cookie: lead.cookie, type: 'multipart/form-data; boundary=b',
    body: `--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n` });
  ok(nameless.status === 400 && await points() === '', 'a part with no name is a 400', nameless.status);

  // ---- stored -------------------------------------------------------------------------------------
  const stored = await send(path, lead, fileForm(lead, { data: '' }, good));
  ok(stored.status === 303 && await points() === rows.map((r) => r.replace(',', '=')).join(' '), 'a good file is stored (12 points)', stored.text.slice(0, 300));
  const wins = await send(path, lead, fileForm(lead, { data: '2025-06-02,40' }, 'date,value\n2025-06-09,41\n'));
  const after = await points();
  ok(wins.status === 303 && after.includes('2025-06-09=41') && !after.includes('2025-06-02'), 'a chosen file wins over the paste box', after);
  const pasted = await sendRaw(path, lead, [{ name: 'csrf', value: lead.csrf }, { name: 'data', value: '2025-06-16,42\r\n2025-06-23,43' },
    { name: 'file', filename: '', type: 'application/octet-stream', value: '' }]);
  ok(pasted.status === 303 && (await points()).includes('2025-06-23=43'), 'with no file chosen, the paste box is used (multipart, CRLF)', pasted.status);
  const excel = await sendRaw(path, lead, [{ name: 'csrf', value: lead.csrf },
    { name: 'file', filename: 'C:\\Users\\me\\excel.csv', value: '\ufeffdate,value\r\n30/06/2025,44\r\n' }]);
  ok(excel.status === 303 && (await points()).includes('2025-06-30=44'), 'a spreadsheet export (byte order mark, CRLF, UK dates, a Windows path) is read', excel.text.slice(0, 400));
  const urlencoded = await req('POST', path, { cookie: lead.cookie, form: { csrf: lead.csrf, data: '2025-07-07,45' } });
  ok(urlencoded.status === 303 && (await points()).includes('2025-07-07=45'), 'the url-encoded paste form still works');
  const quoted = await sendRaw(path, lead, [{ name: 'csrf', value: lead.csrf }, { name: 'file', filename: 'q.csv', value: '2025-07-14,46\n' }], 'a"b');
  ok(quoted.status === 400 || quoted.status === 303, 'an odd boundary is answered, not a crash', quoted.status);

  // ---- the handover import --------------------------------------------------------------------------
  const imp = await req('GET', '/handovers/import', { cookie: lead.cookie });
  ok(imp.status === 200 && imp.text.includes('enctype="multipart/form-data"') && /type="file" accept="\.csv,text\/csv"/.test(imp.text) && imp.text.includes('name="csv"'),
    'the handover import offers a CSV file input beside the paste box');
  const report = async () => (await req('GET', '/api/v1/handovers?by=day&from=2024-07-01&to=2024-07-31', { cookie: lead.cookie })).text;
  const before = await report();
  const hoGood = 'site,arrival,handover,clear,ref\nUpload General,2024-07-01T10:00Z,2024-07-01T10:25Z,2024-07-01T10:40Z,u1\n' +
    'Upload General,2024-07-01T11:00Z,2024-07-01T11:50Z,,u2\nUpload General,2024-07-02T09:00Z,2024-07-02T09:10Z,,u3\n';
  const hoBad = hoGood + 'Upload General,2024-07-03T09:00Z,2024-07-03T08:00Z,,u4\n';
  const hoForm = (who, file, fields = {}) => fileForm(who, fields, file, 'handovers.csv');
  const hRefused = await send('/handovers/import', lead, hoForm(lead, hoBad));
  ok(hRefused.status === 400 && hRefused.text.includes('Nothing was stored: 1 bad row') && hRefused.text.includes('Line 5, column &quot;handover&quot;') &&
    await report() === before, 'a handover file with a bad row is refused whole, naming the line and column', hRefused.text.match(/nhsuk-error-summary[\s\S]{0,600}/)?.[0]);
  const hNoCsrf = await send('/handovers/import', lead, hoForm(null, hoGood));
  ok(hNoCsrf.status === 403 && await report() === before, 'a handover file without the csrf part is refused (403)');
  const hMember = await send('/handovers/import', member, hoForm(member, hoGood));
  ok(hMember.status === 403 && await report() === before, 'a member may not import a file (403)');
  const hNul = await sendRaw('/handovers/import', lead, [{ name: 'csrf', value: lead.csrf }, { name: 'file', filename: 'handovers.csv', value: Buffer.from('site,arrival\n\0') }]);
  ok(hNul.status === 400 && hNul.text.includes('Nothing was stored: file: &quot;handovers.csv&quot; is not a text file (a NUL byte on line 2)') && await report() === before,
    'a handover file with a NUL byte is refused, naming the field', hNul.text.match(/nhsuk-error-summary[\s\S]{0,600}/)?.[0]);
  const hBig = await send('/handovers/import', lead, hoForm(lead, 'site,arrival,handover,clear,ref\n' + 'x'.repeat(MAX_BODY)));
  ok(hBig.status === 413 && await report() === before, 'a handover file over --max-body is a 413');
  const hNoHeader = await send('/handovers/import', lead, hoForm(lead, 'Upload General,2024-07-01T10:00Z,2024-07-01T10:25Z\n'));
  ok(hNoHeader.status === 400 && hNoHeader.text.includes('handovers.csv') && await report() === before, "a file's own errors carry its name", hNoHeader.text.match(/nhsuk-error-summary[\s\S]{0,600}/)?.[0]);
  const hOk = await send('/handovers/import', lead, hoForm(lead, hoGood, { csv: 'site,arrival,handover\nPasted,2024-07-01T10:00Z,2024-07-01T10:05Z\n' }));
  const afterHo = await report();
  ok(hOk.status === 200 && hOk.text.includes('Stored 3 rows, skipped 0 seen before, left out 0 bad; 1 sites (1 new)') && afterHo.includes('Upload General') && !afterHo.includes('Pasted'),
    'a good handover file is stored (and wins over the paste box)', hOk.text.match(/<h1>[\s\S]{0,400}/)?.[0]);
  const hPaste = await sendRaw('/handovers/import', lead, [{ name: 'csrf', value: lead.csrf }, { name: 'csv', value: 'site,arrival,handover\r\nPasted,2024-07-01T10:00Z,2024-07-01T10:05Z\r\n' },
    { name: 'file', filename: '', type: 'application/octet-stream', value: '' }]);
  ok(hPaste.status === 200 && hPaste.text.includes('Stored 1 rows') && (await report()).includes('Pasted'), 'with no file chosen, the pasted rows are imported', hPaste.text.slice(0, 400));
} catch (e) {
  ok(false, 'the upload tests ran to the end', e.stack);
} finally {
  const code = await srv.stop();
  ok(code === 0, 'the server exits 0 after SIGTERM (under ASan: no leak, no undefined behaviour)', srv.stderr().slice(-3000));
  env.cleanup();
}
done();
