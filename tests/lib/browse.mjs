// A scripted browser for the HTTP tests: keeps its cookies (one set with Max-Age=0 is forgotten),
// follows no redirect, sends forms, and calls the API with the session's CSRF token; signIn signs one
// in as a demo user (env.creds). headers: sent with every request (e.g. X-Forwarded-For).
export const csrfOf = (html) => (html.match(/name="csrf" value="([^"]+)"/) || [])[1];

export function browser(srv, headers = {}) {
  const jar = new Map();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const take = (r) => {
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      if (/Max-Age=0/.test(c)) jar.delete(kv.slice(0, i));
      else jar.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return r;
  };
  const send = async (method, path, body, extra = {}) => take(await fetch(srv.url + path, {
    method, redirect: 'manual', headers: { Cookie: cookie(), ...headers, ...extra }, body,
  }));
  const b = {
    jar,
    cookie,
    send,
    get: (path) => send('GET', path),
    text: async (path) => (await send('GET', path)).text(),
    post: (path, form) => send('POST', path, typeof form === 'string' ? form : new URLSearchParams(form),
      { 'Content-Type': 'application/x-www-form-urlencoded' }),
    // The session's CSRF token ('' when signed out).
    csrf: async () => (jar.has('purpose_session') ? (await (await fetch(srv.url + '/api/v1/me',
      { headers: { Cookie: cookie(), ...headers } })).json()).csrf_token : '') || '',
    api: async (method, path, json, extra = {}) => send(method, path, json === undefined ? undefined : JSON.stringify(json),
      { 'X-CSRF-Token': await b.csrf(), 'Content-Type': 'application/json', ...extra }),
  };
  return b;
}

export async function signIn(srv, env, role, b = browser(srv)) {
  const page = await b.text('/sign-in');
  await b.post('/sign-in', { csrf: csrfOf(page), username: env.creds[role].username, password: env.creds[role].password });
  return b;
}
