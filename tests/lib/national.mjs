// The load step of `make bench-scale` (bench/scale.mjs) and of its smoke test
// (tests/http/national.test.mjs), written once: `purpose generate national` into a database, an
// administrator added to it and signed in, and the paths of the pages people use most.
import { execFileSync, spawnSync } from 'node:child_process';
import { client } from './client.mjs';

// Runs `purpose generate national --db DB ARGS...` (cwd: where the CLI may write); answers
// {status, stdout, stderr, made: {trusts, contributions, ...}, secs}.
export function generate(bin, db, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, ['generate', 'national', '--db', db, ...args], { encoding: 'utf8', cwd });
  const made = r.status === 0
    ? Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)])) : {};
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, made, secs: Number(process.hrtime.bigint() - t0) / 1e9 };
}

// Adds the administrator "bench" with password to db, signs them in on the server at U and lists
// the organisations (up to max, from the organisations page); answers {cookie, orgs}.
export async function signInAdmin(bin, db, U, password, cwd, max = Infinity) {
  execFileSync(bin, ['user', 'add', 'bench', '--role', 'admin', '--password-stdin', '--db', db],
    { input: `${password}\n`, stdio: ['pipe', 'ignore', 'pipe'], cwd });
  const { req, signIn } = client(U, { admin: { username: 'bench', password } });
  const { cookie } = await signIn('admin');
  const orgs = [...new Set([...(await req('GET', '/organisations')).text.matchAll(/href="\/organisations\/([a-z0-9-]+)"/g)]
    .map((m) => m[1]))].slice(0, max);
  return { cookie, orgs };
}

// The pages the benchmark reads, each a list of paths: the organisations' summaries and lines of
// sight, the results of each organisation's first conversation, the handover collaborative's
// dashboard, an integrated care board's system view and the installation's.
export async function nationalPages(U, cookie, orgs) {
  const { req } = client(U, {});
  const convs = [];
  for (const o of orgs) {
    const m = (await req('GET', `/organisations/${o}/conversations`, { cookie })).text.match(/\/conversations\/(\d+)/);
    if (m) convs.push(`/organisations/${o}/conversations/${m[1]}/results`);
  }
  return {
    'organisation summary': orgs.map((o) => `/organisations/${o}/summary`),
    'line of sight': orgs.map((o) => `/organisations/${o}/line-of-sight`),
    'conversation results': convs,
    'handover dashboard (10 organisations)': ['/programmes/handover-collaborative/handovers'],
    'system view (an integrated care board)': ['/programmes/icb-q01-northern-fells/system'],
    "system view (the installation's)": ['/system'],
  };
}
