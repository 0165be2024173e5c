// The national data set at scale (issue 22, `make bench-scale`): for each scale (default 1/100 and
// 1/10), `purpose generate national` loads a synthetic national installation into a new database on
// a throwaway PostgreSQL server (bench/pg.sh: default durability); then two `purpose serve` share that
// database and the pages people use most are read through both, alternately, by CONNS clients
// (REQUESTS each page): an organisation's summary and its line of sight (ten organisations in turn),
// a conversation's results (ten conversations), a programme's handover dashboard over ten
// organisations (the handover collaborative), an integrated care board's system view and the
// installation's (/system). Prints load time,
// database size and each page's p50/p99 per scale, then how each grew from one scale to the next
// (the goal: page times that do not grow with the installation).
// Usage: node bench/scale.mjs [build/release/purpose] [SCALE...]   (e.g. 1/1000 1/100)
// REQUESTS (default 200) and CONNS (default 4) set the reads. REPLICA=1 starts a hot standby of the
// server (bench/pg.sh standby: pg_basebackup) after each load and runs both servers with --db-read.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer } from '../tests/lib/server.mjs';
import { generate, signInAdmin, nationalPages } from '../tests/lib/national.mjs';

const args = process.argv.slice(2);
const bin = resolve(args[0] && !/^[\d./]+$/.test(args[0]) ? args.shift() : 'build/release/purpose');
const scales = args.length ? args : ['1/100', '1/10'];
const REQUESTS = Number(process.env.REQUESTS || 200), CONNS = Number(process.env.CONNS || 4);
const keyDir = mkdtempSync(join(tmpdir(), 'purpose-scale-'));
process.env.PURPOSE_KEY_FILE = join(keyDir, 'purpose.key');
const pgdir = execFileSync('bench/pg.sh', ['start'], { encoding: 'utf8' }).trim();
const load = () => execFileSync('cut', ['-d', ' ', '-f1-3', '/proc/loadavg'], { encoding: 'utf8' }).trim();
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)]; };

// Every path of a page in turn, through both servers alternately, by CONNS clients; latencies in ms.
async function measure(servers, paths, cookie) {
  const times = [];
  let next = 0, bad = 0;
  const worker = async () => {
    for (let i; (i = next++) < REQUESTS;) {
      const base = servers[i % servers.length].url, path = paths[i % paths.length];
      const t = process.hrtime.bigint();
      const r = await fetch(base + path, { headers: { Cookie: cookie }, redirect: 'manual' });
      await r.arrayBuffer();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (r.status !== 200) bad++;
    }
  };
  await Promise.all(Array.from({ length: CONNS }, worker));
  return { p50: pct(times, 50), p99: pct(times, 99), bad };
}

const results = [];
try {
  console.log(`# bench/scale.mjs: ${execFileSync('bench/pg.sh', ['show', pgdir], { encoding: 'utf8' }).trim()}; ` +
    `${REQUESTS} requests a page, ${CONNS} clients, two servers` +
    `${process.env.REPLICA === '1' ? ', each reading from a hot standby (--db-read)' : ''}`);
  for (const scale of scales) {
    const db = execFileSync('bench/pg.sh', ['newdb', pgdir], { encoding: 'utf8' }).trim();
    const gen = generate(bin, db, ['--scale', scale]);
    if (gen.status !== 0) throw new Error(`generate ${scale}: exit ${gen.status}: ${gen.stderr}`);
    const { secs, made } = gen;
    const name = db.split('?')[0].split('/').pop();
    const size = Number(execFileSync('psql', ['-h', pgdir, '-U', 'postgres', '-d', name, '-At', '-c',
      'SELECT pg_database_size(current_database())'], { encoding: 'utf8' }).trim());
    const serve = ['--quiet'];
    if (process.env.REPLICA === '1') {
      // The standby made after an earlier scale's load is reused: it follows the primary by streaming.
      const sdir = existsSync(join(pgdir, 'standby', 'data')) ? join(pgdir, 'standby')
        : execFileSync('bench/pg.sh', ['standby', pgdir], { encoding: 'utf8' }).trim();
      const want = execFileSync('psql', ['-h', pgdir, '-U', 'postgres', '-d', name, '-At', '-c',
        "SELECT pg_current_wal_flush_lsn() - '0/0'"], { encoding: 'utf8' }).trim(); // walsenders send flushed WAL
      for (let i = 0; i < 600; i++) {
        const got = execFileSync('psql', ['-h', sdir, '-U', 'postgres', '-d', name, '-At', '-c',
          "SELECT pg_last_wal_replay_lsn() - '0/0'"], { encoding: 'utf8' }).trim();
        if (Number(got) >= Number(want)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      serve.push('--db-read', db.replace(`host=${pgdir}`, `host=${sdir}`));
    }
    const servers = [await startServer(bin, db, serve), await startServer(bin, db, serve)];
    const base = servers[0].url;
    const { cookie, orgs } = await signInAdmin(bin, db, base, 'bench-scale-password', undefined, 10);
    const pages = await nationalPages(base, cookie, orgs);
    const row = { scale, secs, size, made, pages: {} };
    for (const [page, paths] of Object.entries(pages)) {
      row.pages[page] = await measure(servers, paths, cookie);
      const m = row.pages[page];
      console.log(`# ${scale} ${page}: p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms${m.bad ? `, ${m.bad} not 200` : ''} (load ${load()})`);
    }
    for (const s of servers) await s.stop();
    results.push(row);
    console.log(`# ${scale}: loaded in ${secs.toFixed(1)} s, ${(size / 1048576).toFixed(0)} MB; ` +
      `${made.contributions} contributions, ${made.votes} votes, ${made.measures} measures, ${made.handover_rows} handovers`);
  }
  const w = 40;
  const head = ['figure'.padEnd(w), ...results.map((r) => r.scale.padStart(14)), ...results.slice(1).map((r, i) => `x (${results[i].scale}→${r.scale})`.padStart(22))];
  console.log(`\n${head.join(' ')}`);
  const line = (label, vals, fmt) => {
    const grow = vals.slice(1).map((v, i) => (vals[i] > 0 ? `${(v / vals[i]).toFixed(2)}x` : '-').padStart(22));
    console.log([label.padEnd(w), ...vals.map((v) => fmt(v).padStart(14)), ...grow].join(' '));
  };
  line('load time (s)', results.map((r) => r.secs), (v) => v.toFixed(1));
  line('database size (MB)', results.map((r) => r.size / 1048576), (v) => v.toFixed(0));
  line('handover rows', results.map((r) => r.made.handover_rows), String);
  line('votes', results.map((r) => r.made.votes), String);
  for (const page of Object.keys(results[0]?.pages || {})) {
    line(`${page} p50 (ms)`, results.map((r) => r.pages[page].p50), (v) => v.toFixed(1));
    line(`${page} p99 (ms)`, results.map((r) => r.pages[page].p99), (v) => v.toFixed(1));
  }
  if (results.some((r) => Object.values(r.pages).some((m) => m.bad))) process.exitCode = 1;
} finally {
  execFileSync('bench/pg.sh', ['stop', pgdir]);
  rmSync(keyDir, { recursive: true, force: true });
}
