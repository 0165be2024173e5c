// bench/deps.sh's set-up against one running `purpose serve` (after bench/web-setup.mjs): writes the
// first programme's public page to nginx's root, as purpose serves it, and prints one line per
// project of the first organisation the lead may change: "put /api/v1/projects/ID BODY", BODY the
// project as that PUT takes it, with @N@ in its aim for bench/writes.lua to fill.
// Usage: node bench/deps-setup.mjs URL LEAD_TOKEN WWW_DIR
import { writeFileSync } from "node:fs";

const [U, lead, www] = process.argv.slice(2);
const get = async (path, headers = {}) => {
  const r = await fetch(U + path, { headers });
  if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status}`);
  return r;
};
const slug = (await (await get("/api/v1/programmes")).json()).programmes[0].slug;
writeFileSync(`${www}/programme.html`, Buffer.from(await (await get(`/programmes/${slug}`)).arrayBuffer()));
console.log(`programme /programmes/${slug}`);
const auth = { Authorization: "Bearer " + lead };
const projects = (await (await get("/api/v1/projects", auth)).json()).projects;
for (const p of projects.slice(0, 8)) {
  const full = await (await get(`/api/v1/projects/${p.id}`, auth)).json();
  const body = {
    title: full.title, aim: `Benchmark write @N@: ${full.aim}`.slice(0, 3900), team: full.team ?? "",
    sponsor: full.sponsor ?? "", status: full.status, score: full.score, start_date: full.start_date,
    why_unaligned: full.why_unaligned ?? "", ambitions: (full.ambitions ?? []).map((a) => a.id ?? a),
  };
  console.log(`put /api/v1/projects/${p.id} ${JSON.stringify(body)}`);
}
