// The officials' API (docs/api.md) as the dashboard calls it: JSON over fetch on the same origin,
// the session in its HttpOnly cookie, the CSRF token (from the sign-in or GET /api/v1/session)
// sent with every state-changing request. Every call has a timeout.

export const TIMEOUT_SECONDS = 15;

let csrfToken = '';
let onExpired = () => {};
let lastCall = 0;

// An answer other than 2xx, or no answer. `kind` is one of "http", "timeout", "network".
export class ApiError extends Error {
  constructor(kind, status = 0, code = '', message = '', retryAfter = 0) {
    super(message || code || kind);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

// `handler` runs when a signed-in call answers 401 (the session ended: idle, expired, revoked).
export function whenSessionEnds(handler) {
  onExpired = handler;
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

// Milliseconds since the epoch of the last call that reached the server (for the idle timer).
export function lastCallAt() {
  return lastCall;
}

// Calls `path` and returns its JSON body; throws ApiError.
export async function call(path, { method = 'GET', body, signedIn = true } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_SECONDS * 1000);
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
  } catch (error) {
    throw new ApiError(controller.signal.aborted ? 'timeout' : 'network', 0, '', String(error));
  } finally {
    clearTimeout(timer);
  }
  lastCall = Date.now();
  const json = await response.json().catch(() => ({}));
  if (response.ok) return json;
  const code = json?.error?.code ?? '';
  const retryAfter = Number(response.headers.get('Retry-After') ?? 0);
  const error = new ApiError('http', response.status, code, json?.error?.message ?? '', retryAfter);
  if (response.status === 401 && signedIn) onExpired(error);
  throw error;
}

// A query string from an object, leaving out empty values.
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  return search.toString();
}
