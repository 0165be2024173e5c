// A scripted browser for the HTTP tests: keeps its cookies, follows no redirect, sends forms, and
// calls the API with the session's CSRF token; signIn signs one in as a demo user (env.creds).
export const csrfOf = (html) => (html.match(/name="csrf" value="([^"]+)"/) || [])[1];

export function browser(srv) {
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
  return {
    jar,
    cookie,
    get: async (path) => take(await fetch(srv.url + path, { redirect: 'manual', headers: { Cookie: cookie() } })),
    post: async (path, form) => take(await fetch(srv.url + path, {
      method: 'POST', redirect: 'manual',
      headers: { Cookie: cookie(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    })),
    api: async (method, path, json) => {
      const me = await (await fetch(srv.url + '/api/v1/me', { headers: { Cookie: cookie() } })).json();
      return fetch(srv.url + path, {
        method, headers: { Cookie: cookie(), 'X-CSRF-Token': me.csrf_token || '', 'Content-Type': 'application/json' },
        body: json ? JSON.stringify(json) : undefined,
      });
    },
  };
}

export async function signIn(srv, env, role) {
  const b = browser(srv);
  const page = await (await b.get('/sign-in')).text();
  await b.post('/sign-in', { csrf: csrfOf(page), username: env.creds[role].username, password: env.creds[role].password });
  return b;
}
