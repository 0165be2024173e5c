// `purpose init` and `purpose user` against a real database, seen through a running server:
// passwords from stdin or generated, bad input, disabling ends sessions, the CLI is audited,
// and cookies are Secure behind an https public URL. Prints TAP.
// usage: node tests/http/accounts.test.mjs [build/release/purpose]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, done, startServer, engine, freshDb, keyFile } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const dir = mkdtempSync(join(tmpdir(), 'purpose-accounts-'));
const db = engine === 'sqlite' ? join(dir, 'sub', 'purpose.db') : freshDb(dir);
const run = (args, input) => spawnSync(bin, [...args, '--db', db], { input, encoding: 'utf8', timeout: 20000 });

const init = run(['init']);
ok(init.status === 0 && init.stdout.includes('database ready'), 'init creates the database and its folder', init.stderr);
ok(run(['init']).status === 0, 'init again is harmless (migrations are applied once)');
// The key file (docs/privacy.md): made by init with mode 0600, outside the database; every command
// needs it, and a missing or wrong one is refused with its name and nothing stored.
const key = keyFile(db);
ok(init.stdout.includes(key) && (statSync(key).mode & 0o777) === 0o600, 'init makes the key file, mode 0600, and names it', init.stdout);
const noKey = join(dir, 'missing.key');
const missing = run(['user', 'add', 'eve', '--role', 'member', '--key-file', noKey]);
ok(missing.status === 1 && missing.stderr.includes(`${noKey}: the key file of the database`), 'a missing key file: refused, naming it', missing.stderr);
const wrongKey = join(dir, 'wrong.key');
writeFileSync(wrongKey, 'ab'.repeat(32) + '\n', { mode: 0o600 });
const wrong = spawnSync(bin, ['serve', '--db', db, '--key-file', wrongKey, '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 10000 });
ok(wrong.status === 1 && wrong.stderr.includes(`${wrongKey}: this is not the key of the database`), 'serve with another key file: refused, naming it', wrong.stderr);
// Rotation (docs/privacy.md): a new key in the same file, mode 0600; the server below runs on it.
const oldKey = readFileSync(key, 'utf8');
const rotated = run(['key', 'rotate']);
ok(rotated.status === 0 && readFileSync(key, 'utf8') !== oldKey && (statSync(key).mode & 0o777) === 0o600,
  'key rotate writes a new key to the key file, mode 0600', rotated.stderr);
ok(spawnSync(bin, ['key'], { encoding: 'utf8' }).status === 2, 'key without a subcommand: exit 2');
if (engine === 'postgresql') {
  const none = spawnSync(bin, ['user', 'list', '--db', db], { encoding: 'utf8', env: { ...process.env, PURPOSE_KEY_FILE: '' } });
  ok(none.status === 1 && none.stderr.includes('--key-file'), 'PostgreSQL without a key file named: refused, saying how', none.stderr);
}
ok(spawnSync(bin, ['init', '--bogus'], { encoding: 'utf8' }).status === 2, 'init with an unknown option: exit 2');
ok(spawnSync(bin, ['user'], { encoding: 'utf8' }).status === 2, 'user without a subcommand: exit 2');
const help = spawnSync(bin, ['serve', '--help'], { encoding: 'utf8' });
ok(help.status === 0 && help.stdout.includes('--listen'), 'serve --help describes the options');

const alice = run(['user', 'add', 'alice', '--role', 'admin', '--name', 'Alice Smith', '--password-stdin'], 'correct horse battery\n');
ok(alice.status === 0 && !alice.stdout.includes('correct horse'), 'user add with a password from stdin', alice.stderr);
const dup = run(['user', 'add', 'ALICE', '--role', 'member', '--password-stdin'], 'another password\n');
ok(dup.status === 1 && dup.stderr.includes('already taken'), 'usernames are unique regardless of case', dup.stderr);
const badRole = run(['user', 'add', 'bob', '--role', 'boss']);
ok(badRole.status === 1 && badRole.stderr.includes('--role'), 'unknown role: error naming --role');
const short = run(['user', 'add', 'bob', '--role', 'member', '--password-stdin'], 'short\n');
ok(short.status === 1 && short.stderr.includes('password: must be at least 10'), 'short password: error naming the field');
const badName = run(['user', 'add', 'bob smith', '--role', 'member']);
ok(badName.status === 1 && badName.stderr.includes('username:'), 'bad username: error naming the field');
const carol = run(['user', 'add', 'carol', '--role', 'member']);
const carolPw = (carol.stdout.match(/shown once\): (\S+)/) || [])[1];
ok(carol.status === 0 && carolPw && carolPw.length === 16, 'user add without a password prints a generated one once');
run(['user', 'add', 'dave', '--role', 'admin', '--password-stdin'], 'dave password 123\n');
const list = run(['user', 'list']);
ok(!list.stdout.includes('eve'), 'nothing was stored by the command refused for its key file');
ok(list.status === 0 && /alice\s+admin\s+Alice Smith/.test(list.stdout) && list.stdout.includes('carol'), 'user list');

const srv = await startServer(bin, db, ['--quiet', '--public-url', 'https://purpose.example.nhs.uk']);
async function signIn(username, password) {
  const p = await fetch(srv.url + '/sign-in');
  const cookie = p.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (await p.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const r = await fetch(srv.url + '/sign-in', {
    method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, username, password }),
  });
  const set = r.headers.getSetCookie();
  return { status: r.status, set, cookie: set.map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ') };
}
const me = (cookie) => fetch(srv.url + '/api/v1/me', { headers: { Cookie: cookie } }).then((r) => r.status);
try {
  const a = await signIn('alice', 'correct horse battery');
  ok(a.status === 303 && a.set.some((c) => c.startsWith('purpose_session=') && /; Secure/.test(c)), 'with an https public URL the session cookie is Secure');
  ok((await signIn('carol', carolPw)).status === 303, 'the generated password signs in');
  ok(await me(a.cookie) === 200, 'alice has a session');
  ok(run(['user', 'disable', 'alice']).status === 0, 'user disable');
  ok(await me(a.cookie) === 401, 'disabling (from the CLI, another process) ends her session at once');
  ok((await signIn('alice', 'correct horse battery')).status === 401, 'a disabled user cannot sign in');
  const pw = run(['user', 'passwd', 'carol', '--password-stdin'], 'a brand new password\n');
  ok(pw.status === 0, 'user passwd', pw.stderr);
  ok((await signIn('carol', carolPw)).status === 401 && (await signIn('carol', 'a brand new password')).status === 303,
    'the old password stops working, the new one works');
  ok(run(['user', 'passwd', 'nobody', '--password-stdin'], 'whatever password\n').status === 1, 'passwd for an unknown user: exit 1');
  const d = await signIn('dave', 'dave password 123');
  const audit = await (await fetch(srv.url + '/api/v1/audit', { headers: { Cookie: d.cookie } })).json();
  ok(audit.entries.some((e) => e.actor === 'cli' && e.entity === 'user' && e.after && e.after.disabled === true),
    'CLI changes are in the audit log');
} catch (e) {
  ok(false, 'account tests ran to the end', e.stack);
}
await srv.stop();
rmSync(dir, { recursive: true, force: true });
done();
