// bench/web.sh's set-up against one running `purpose serve`: the demo admin signs in and makes a
// member token (for the API read) and a lead token (for the writes); the public page and the API
// read's bytes are written to nginx's root so that nginx serves exactly the same bytes.
// Usage: node bench/web-setup.mjs URL CREDENTIALS_FILE WWW_DIR
// Prints "member TOKEN", "lead TOKEN", then per value "put /api/v1/values/ID BODY" for
// bench/writes.lua (the description changes; the name stays).
import { readFileSync, writeFileSync } from "node:fs";

const [U, credsFile, www] = process.argv.slice(2);
const creds = Object.fromEntries(readFileSync(credsFile, "utf8").split("\n")
  .filter((l) => l && !l.startsWith("#"))
  .map((l) => { const [r, u, p] = l.trim().split(/\s+/); return [r, { u, p }]; }));
const jar = (r) => r.headers.getSetCookie().map((c) => c.split(";")[0]).filter((c) => !c.endsWith("=")).join("; ");

async function ok(res, what) {
  if (!res.ok && res.status !== 303) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

const page = await ok(await fetch(U + "/sign-in"), "GET /sign-in");
const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
const signIn = await ok(await fetch(U + "/sign-in", {
  method: "POST", redirect: "manual",
  headers: { Cookie: jar(page), "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ csrf, username: creds.admin.u, password: creds.admin.p }),
}), "POST /sign-in");
const cookie = jar(signIn);
const me = await (await ok(await fetch(U + "/api/v1/me", { headers: { Cookie: cookie } }), "GET /api/v1/me")).json();
const users = (await (await ok(await fetch(U + "/api/v1/users", { headers: { Cookie: cookie } }), "GET /api/v1/users")).json()).users;

// The demo's users named after their role in the trust (the ambulance service's lead is a lead too).
async function token(role) {
  const res = await ok(await fetch(U + "/api/v1/tokens", {
    method: "POST",
    headers: { Cookie: cookie, "X-CSRF-Token": me.csrf_token, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "bench " + role, user_id: users.find((x) => x.username === role).id }),
  }), "POST /api/v1/tokens");
  return (await res.json()).token;
}
const member = await token("member");
const lead = await token("lead");

const bytes = async (path, headers) =>
  Buffer.from(await (await ok(await fetch(U + path, { headers }), "GET " + path)).arrayBuffer());
writeFileSync(www + "/index.html", await bytes("/", {}));
const values = await bytes("/api/v1/values", { Authorization: "Bearer " + member });
writeFileSync(www + "/values.json", values);

console.log("member " + member);
console.log("lead " + lead);
for (const v of JSON.parse(values).values)
  console.log(`put /api/v1/values/${v.id} ${JSON.stringify({ name: v.name, description: 'Benchmark write @N@' })}`);
