// The desk's API (terminal/desk/include/onecard/desk/desk_api.h) as the pages call it: JSON over
// fetch on the same origin, the browser session in its HttpOnly cookie, the CSRF token (from
// GET /api/session) sent with every request that changes something. Every call has a timeout.

export const TIMEOUT_SECONDS = 20;

let csrfToken = '';
let onLocked = () => {};
let lastCall = Date.now();

// An answer other than 2xx, or no answer. `kind`: "http", "timeout" or "network"; `field`: the
// record field a validation error is about ("" when none).
export class ApiError extends Error {
  constructor(kind, status = 0, code = '', message = '', field = '') {
    super(message || code || kind);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

// `handler` runs when a call answers 401: the desk locked itself (idle) or was locked.
export function whenLocked(handler) {
  onLocked = handler;
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

// Milliseconds since the epoch of the last call that reached the desk (for the idle lock).
export function lastCallAt() {
  return lastCall;
}

// Calls `path` and returns its JSON body; throws ApiError. A `background` call (made because an
// event came, not because a person did something) does not count as activity for the idle lock.
export async function call(path, { method = 'GET', body, background = false } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_SECONDS * 1000);
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
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
  if (!background) lastCall = Date.now();
  const json = await response.json().catch(() => ({}));
  if (response.ok) return json;
  const error = json.error || {};
  const failure = new ApiError('http', response.status, error.code, error.message, error.field);
  if (response.status === 401 && path !== '/api/sign-in') onLocked(failure);
  throw failure;
}
