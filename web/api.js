// Talks to Kansli's JSON API (/api/v1) with the session cookie. Writes carry the
// CSRF token the server gave at login (or in /me); it is kept in memory only.

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// An error answer of the API: status, code, message and details as the server sent them.
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

const FALLBACK = {
  0: 'Servern svarar inte. Kontrollera nätverket och försök igen.',
  400: 'Servern kunde inte läsa begäran.',
  401: 'Du är inte inloggad.',
  403: 'Din roll får inte göra detta.',
  404: 'Det efterfrågade finns inte.',
  409: 'Åtgärden är inte tillåten just nu.',
  412: 'Ärendet har ändrats av någon annan.',
  413: 'Uppgifterna är för stora.',
  422: 'Uppgifterna är inte giltiga.',
  429: 'För många försök. Vänta en stund och försök igen.',
  500: 'Ett fel uppstod på servern.',
  503: 'Databasen är inte tillgänglig just nu. Försök igen om en stund.',
};

// Called with the error when a request (other than logging in) finds the session gone.
let onUnauthorized = null;
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

// Sends one request. Resolves to {data, etag, status}; rejects with ApiError.
// options: body (sent as JSON), ifMatch (an ETag such as "5"), quiet401 (do not
// call the unauthorized handler, e.g. for /me and /session).
export async function request(method, path, options = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  let response;
  try {
    response = await fetch('/api/v1' + path, init);
  } catch (e) {
    throw new ApiError(0, 'network', FALLBACK[0], {});
  }
  let data = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
  }
  if (!response.ok) {
    const err = (data && data.error) || {};
    const message = err.message || FALLBACK[response.status] || FALLBACK[500];
    const error = new ApiError(response.status, err.code || 'http_' + response.status, message, err.details);
    if (response.status === 401 && !options.quiet401 && onUnauthorized) onUnauthorized(error);
    throw error;
  }
  return { data, etag: response.headers.get('ETag'), status: response.status };
}

export async function get(path, options) {
  return (await request('GET', path, options)).data;
}

export async function post(path, body, options = {}) {
  return (await request('POST', path, { ...options, body })).data;
}

// "?a=1&b=x" from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
