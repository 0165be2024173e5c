// Sign-in protection that cannot lock out the owner (issue 16, finding 4), on a real server: the
// attacker (wrong passwords, no device cookie) and the real user (the right password, from another
// address, with the device cookie of an earlier sign-in) at once. The user always gets in; the
// attacker stays refused; a device cookie is bound to its account and signed by the server. Addresses
// come from X-Forwarded-For behind --trusted-proxy. Prints TAP.
// usage: node tests/http/signin_devices.test.mjs [build/release/purpose]
import { ok, done, demoDb, engine, startServer } from '../lib/server.mjs';

const bin = process.argv[2] || 'build/release/purpose';
const env = demoDb(bin);
const srv = await startServer(bin, env.db, ['--quiet', '--trusted-proxy', '127.0.0.1']);
console.log(`# engine: ${engine}`);
const { username: user, password } = env.creds.member;

// One sign-in through the form from address xff, with a device cookie or none: {status, device}.
async function signIn(xff, username, pass, device) {
  const page = await fetch(srv.url + '/sign-in', { headers: { 'X-Forwarded-For': xff } });
  const jar = page.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  if (device) jar.push(`purpose_device=${device}`);
  const r = await fetch(srv.url + '/sign-in', { method: 'POST', redirect: 'manual',
    headers: { Cookie: jar.join('; '), 'X-Forwarded-For': xff, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, username, password: pass }).toString() });
  await r.text();
  const set = r.headers.getSetCookie().find((c) => c.startsWith('purpose_device='));
  return { status: r.status, device: set ? set.split(';')[0].slice('purpose_device='.length) : null, set };
}
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

try {
  const first = await signIn('203.0.113.5', user, password);
  ok(first.status === 303 && /^[0-9a-f]{32}\.[0-9a-f]{64}$/.test(first.device ?? '') &&
    /HttpOnly/.test(first.set) && /Max-Age=31536000/.test(first.set) && /SameSite=Lax/.test(first.set),
  'a successful sign-in sets a long-lived, HttpOnly device cookie (nonce.MAC)', first.set);
  const fails = await signIn('203.0.113.6', user, 'wrong-password-0');
  ok(fails.status === 401 && fails.device === null, 'a failed sign-in sets none', fails.status);

  // Guessing from several addresses puts the account over its allowance (10 failures with the one above).
  const warm = [];
  for (let i = 0; i < 4; i++) for (let k = 0; k < 3; k++) warm.push((await signIn(`10.9.${i}.1`, user, `guess-${i}-${k}`)).status);
  ok(warm.slice(0, 10).every((s) => s === 401) && warm.slice(10).every((s) => s === 429),
    'guesses from four addresses: tried until the account is over its allowance (a fresh address gets its first)', warm.join(','));

  // At once: the attacker guesses from one address every 50 ms; the user signs in every 150 ms.
  let stop = false;
  const attacker = (async () => {
    const codes = [];
    while (!stop) { codes.push((await signIn('198.51.100.7', user, 'guess-' + codes.length)).status); await sleep(50); }
    return codes;
  })();
  const owner = [], fresh = [];
  let device = first.device;
  for (let i = 0; i < 8; i++) {
    const r = await signIn('203.0.113.5', user, password, device);
    owner.push(r.status);
    device = r.device ?? device;
    fresh.push((await signIn(`192.0.2.${40 + i}`, user, password)).status);
    await sleep(150);
  }
  stop = true;
  const guessed = await attacker;
  ok(owner.every((s) => s === 303), 'the user with a device cookie signs in every time during the attack', owner.join(','));
  ok(fresh.every((s) => s === 303), 'the user from an address that has not failed signs in every time', fresh.join(','));
  ok(guessed.length >= 5 && guessed.filter((s) => s === 401).length <= 1 && guessed.slice(1).every((s) => s === 429),
    'the attacker is refused throughout (one try from its fresh address at most)', guessed.join(','));
  const failedAddr = await signIn('10.9.0.1', user, password);
  ok(failedAddr.status === 429, 'an untrusted try from an address that has failed is still throttled per account', failedAddr.status);

  // The device cookie is the server's and the account's.
  const lead = env.creds.lead;
  for (let i = 0; i < 3; i++) await signIn(`10.8.${i}.1`, lead.username, 'guess');
  for (let i = 0; i < 8; i++) await signIn('10.8.0.1', lead.username, 'guess');
  const other = await signIn('10.8.0.1', lead.username, lead.password, device);
  ok(other.status === 429, "another account's device cookie does not vouch for this one", other.status);
  const forged = device.slice(0, 33) + (device[33] === 'a' ? 'b' : 'a') + device.slice(34);
  const bad = await signIn('10.9.1.1', user, password, forged);
  ok(bad.status === 429, 'a device cookie with a wrong MAC is not trusted', bad.status);
  const fine = await signIn('10.9.1.1', user, password, device);
  ok(fine.status === 303, 'the same try with the real device cookie signs in', fine.status);
} finally {
  await srv.stop();
  env.cleanup();
  done();
}
