// fetch's options for a request that follows no redirect: a session cookie, the API's CSRF token,
// and a form or (taking precedence) a JSON body; signal, if given, can cut it short.
export function requestInit(method, { cookie, form, json, csrf } = {}, signal = undefined) {
  const headers = {};
  if (cookie) headers.Cookie = cookie;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let body;
  if (form) { body = new URLSearchParams(form).toString(); headers['Content-Type'] = 'application/x-www-form-urlencoded'; }
  if (json !== undefined) { body = JSON.stringify(json); headers['Content-Type'] = 'application/json'; }
  return { method, headers, body, redirect: 'manual', signal };
}

// A client of a test server (tests/lib/server.mjs startServer): req sends a form or JSON (with
// the session's CSRF token) and follows no redirect, answering {status, headers, text, json()};
// signIn signs a demo user in (creds: demoDb's) and answers {cookie, csrf}, csrf being the API's.
export function client(U, creds) {
  async function req(method, path, opts = {}) {
    const r = await fetch(U + path, requestInit(method, opts));
    const text = await r.text();
    return { status: r.status, headers: r.headers, text, json: () => JSON.parse(text) };
  }

  async function signIn(role) {
    const page = await req('GET', '/sign-in');
    const pre = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
    const { username, password } = creds[role];
    const r = await req('POST', '/sign-in', { cookie: pre, form: { csrf, username, password } });
    const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('purpose_session=') && c.length > 17).join('; ');
    const me = (await req('GET', '/api/v1/me', { cookie })).json();
    return { cookie, csrf: me.csrf_token };
  }

  return { req, signIn };
}
