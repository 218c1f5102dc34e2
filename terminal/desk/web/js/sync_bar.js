// The sync bar, always shown while someone is signed in: when the last sync succeeded (in words),
// how many changes wait to be sent, the state (syncing, the last error, up to date) and a button
// that syncs now (POST /api/sync). Fed by GET /api/sync at sign-in and the desk's `sync` event.

import { ApiError, call } from './api.js';
import { $ } from './dom.js';
import { errorText } from './forms.js';
import { t } from './i18n.js';
import { sitesMayHaveChanged } from './sites.js';

let state = null;
let ticker = 0;

// "3 分钟前" from an ISO-8601 time; "从未同步" when there is none.
export function ago(iso, now = Date.now()) {
  if (!iso) return t('syncNever');
  const seconds = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 60) return t('justNow');
  if (seconds < 3600) return t('minutesAgo', { n: Math.floor(seconds / 60) });
  if (seconds < 86400) return t('hoursAgo', { n: Math.floor(seconds / 3600) });
  return t('daysAgo', { n: Math.floor(seconds / 86400) });
}

function draw() {
  if (!state) return;
  const last = $('sync-last');
  last.textContent = t('syncLast', { when: ago(state.last_success_at) });
  last.title = state.last_success_at || '';
  // `waiting` is null when the desk could not count it just then.
  $('sync-waiting').textContent = typeof state.waiting === 'number' ? t('syncWaiting', { n: state.waiting }) : '';
  const box = $('sync-state');
  let text;
  let kind = 'good';
  if (state.state === 'syncing') {
    text = t('syncing');
    kind = 'busy';
  } else if (state.last_error) {
    text = t('syncFailed', { message: state.last_error });
    kind = 'bad';
  } else if (state.waiting > 0) {
    text = t('syncPending');
    kind = 'busy';
  } else if (!state.last_success_at) {
    text = t('syncNotYet');
    kind = 'busy';
  } else {
    text = t('syncUpToDate');
  }
  box.textContent = text;
  box.className = `sync-state ${kind}`;
  $('sync-now').disabled = state.state === 'syncing';
}

export function drawSyncState(next) {
  state = next;
  draw();
}

export async function refreshSync(background = false) {
  try {
    drawSyncState(await call('/api/sync', { background }));
  } catch (error) {
    $('sync-state').textContent = errorText(error);
    $('sync-state').className = 'sync-state bad';
  }
}

export async function syncNow() {
  if ($('sync-bar').hidden || $('sync-now').disabled) return;
  $('sync-now').disabled = true;
  drawSyncState({ ...(state || {}), state: 'syncing' });
  try {
    drawSyncState(await call('/api/sync', { method: 'POST' }));
    sitesMayHaveChanged();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'aborted') {
      $('sync-state').textContent = t('syncBusy');
      return;
    }
    drawSyncState({ ...(state || {}), state: 'idle', last_error: errorText(error) });
  } finally {
    $('sync-now').disabled = state && state.state === 'syncing';
  }
}

// Shows or hides the bar (signed in or not).
export function showSyncBar(signedIn) {
  $('sync-bar').hidden = !signedIn;
  clearInterval(ticker);
  if (!signedIn) {
    state = null;
    return;
  }
  refreshSync();
  ticker = setInterval(draw, 30000);
}

export function setUpSyncBar(events) {
  $('sync-now').addEventListener('click', syncNow);
  // The event's state has no `waiting` (docs/desk.md): the count is kept, and asked for again
  // when a run ends.
  events.addEventListener('sync', (event) => {
    if ($('sync-bar').hidden) return;
    const next = JSON.parse(event.data);
    drawSyncState({ ...(state || {}), ...next });
    if (next.state !== 'syncing') {
      sitesMayHaveChanged();
      refreshSync(true);
    }
  });
}

export function redrawSyncBar() {
  draw();
}
