// The desk's page: sign-in, search, registration, the child's page, the card reader live, the
// worklists and the sync bar. Keyboard first: "/" focuses the search, Alt+N opens a new
// registration, Alt+O the overdue doses, Alt+R the referrals, Alt+S syncs now, Alt+V the
// supervisors' screen (supervisors only); Enter submits every form.

import { ApiError, TIMEOUT_SECONDS, call, lastCallAt, setCsrfToken, whenLocked } from './api.js';
import { followCardEvents } from './card_events.js';
import { currentChildId, currentRecord, drawChild, followChildEvents, forgetChild, setUpChildView } from './child_view.js';
import { setUpEditForm } from './edit_form.js';
import { forgetSupervisor, loadSupervisor, setSupervisorUser, setUpSupervisor } from './supervisor.js';
import { forgetForm, openRegisterForm, setUpRegisterForm } from './register_form.js';
import { currentLanguage, setLanguage, t, translatePage } from './i18n.js';
import { forgetSites } from './sites.js';
import { redrawSyncBar, setUpSyncBar, showSyncBar, syncNow } from './sync_bar.js';
import { forgetWorklists, loadOverdue, loadReferrals, setUpWorklists } from './worklists.js';

const $ = (id) => document.getElementById(id);

function show(id, visible) {
  $(id).hidden = !visible;
}

function message(error) {
  if (!(error instanceof ApiError)) return String(error);
  if (error.kind === 'timeout') return t('timeout', { s: TIMEOUT_SECONDS });
  if (error.kind === 'network') return t('network');
  return error.message;
}

function showError(id, error) {
  $(id).textContent = message(error);
  show(id, true);
}

let idleSeconds = 600;

// Empties what the page shows of children (a lock, the idle limit): results, the child's page,
// the form (with its duplicate warning and consent text), the worklists.
function forgetChildren() {
  $('results-body').replaceChildren();
  forgetChild();
  forgetForm();
  forgetWorklists();
  forgetSites();
  forgetSupervisor();
  $('q').value = '';
  for (const id of ['results', 'child', 'register', 'card-status', 'overdue', 'worklist-referrals', 'refer-done', 'supervisor']) {
    show(id, false);
  }
}

const PANELS = ['results', 'child', 'register', 'overdue', 'worklist-referrals', 'supervisor'];

let isSupervisor = false;

// Shows one view of the work area: 'search' (results, a child, the form), 'overdue', 'referrals'
// or 'supervisor'.
function showView(view) {
  for (const id of PANELS) show(id, false);
  if (view !== 'supervisor') forgetSupervisor();
  for (const [id, name] of [['nav-search', 'search'], ['nav-overdue', 'overdue'], ['nav-referrals', 'referrals'], ['nav-supervisor', 'supervisor']]) {
    if (name === view) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  }
}

async function openOverdue() {
  showView('overdue');
  show('overdue', true);
  await loadOverdue();
  ($('overdue-body').querySelector('button') || $('overdue-site')).focus();
}

async function openSupervisor() {
  if (!isSupervisor) return;
  showView('supervisor');
  show('supervisor', true);
  await loadSupervisor();
  $('s-name').focus();
}

async function openReferrals() {
  showView('referrals');
  show('worklist-referrals', true);
  await loadReferrals();
  const first = $('for-this-site-body').querySelector('button');
  if (first) first.focus();
}

function drawSession(session) {
  setCsrfToken(session.csrf_token);
  idleSeconds = session.idle_seconds || idleSeconds;
  const signedIn = Boolean(session.signed_in);
  if (!signedIn) forgetChildren();
  isSupervisor = signedIn && session.role === 'supervisor';
  setSupervisorUser(signedIn ? session.user : '');
  show('nav-supervisor', isSupervisor);
  if (!isSupervisor) {
    forgetSupervisor();
    show('supervisor', false);
  }
  show('sign-in', !signedIn);
  show('work', signedIn);
  show('lock', signedIn);
  show('who', signedIn);
  showSyncBar(signedIn);
  if (signedIn) {
    $('who').textContent = `${t('signedInAs')}${session.user}（${t(session.role)}）`;
    $('q').focus();
  } else {
    $('passphrase').value = '';
    (session.user ? $('passphrase') : $('user')).focus();
  }
}

async function refreshSession() {
  drawSession(await call('/api/session'));
}

async function signIn(event) {
  event.preventDefault();
  show('sign-in-error', false);
  try {
    const session = await call('/api/sign-in', {
      method: 'POST',
      body: { user: $('user').value.trim(), passphrase: $('passphrase').value },
    });
    $('passphrase').value = '';
    show('notice', false);
    drawSession(session);
  } catch (error) {
    $('passphrase').value = '';
    showError('sign-in-error', error);
  }
}

async function openChild(childId, { keepStatus = false, background = false } = {}) {
  try {
    const page = await call(`/api/children/${encodeURIComponent(childId)}`, { background });
    // A page drawn again because an event came: only while it is still in sight, and in place.
    if (background) {
      if (!$('child').hidden && currentChildId() === childId) await drawChild(page);
      return;
    }
    if (!keepStatus) show('refer-done', false);
    showView('search');
    await drawChild(page);
    show('child', true);
  } catch (error) {
    showError('search-error', error);
  }
}

function drawResults(found) {
  const body = $('results-body');
  body.replaceChildren();
  for (const r of found) {
    const tr = document.createElement('tr');
    tr.tabIndex = 0;
    const cells = r.closed_on
      ? [r.child_id, t('closed', { d: r.closed_on }), '', '', '']
      : [r.child_id, r.name, r.sex === 'M' ? t('male') : t('female'), r.birth_date,
        (r.area_names || {})[r.residence_area] || r.residence_area];
    for (const text of cells) tr.append(Object.assign(document.createElement('td'), { textContent: text || '' }));
    tr.addEventListener('click', () => openChild(r.child_id));
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') openChild(r.child_id); });
    body.append(tr);
  }
  show('results-none', found.length === 0);
  show('results', true);
}

async function search(event) {
  event.preventDefault();
  show('search-error', false);
  showView('search');
  try {
    drawResults(await call(`/api/children?q=${encodeURIComponent($('q').value.trim())}`));
  } catch (error) {
    showError('search-error', error);
  }
}

async function lock() {
  drawSession(await call('/api/lock', { method: 'POST' }));
}

async function switchLanguage() {
  setLanguage(currentLanguage() === 'en' ? 'zh' : 'en');
  translatePage();
  redrawSyncBar();
  // What the page drew itself is drawn again in the new language.
  if (!$('child').hidden && currentChildId()) openChild(currentChildId(), { keepStatus: true });
  if (!$('overdue').hidden) loadOverdue();
  if (!$('worklist-referrals').hidden) loadReferrals();
  if (!$('supervisor').hidden) loadSupervisor();
  await call('/api/language', { method: 'POST', body: { language: currentLanguage() } });
  await refreshSession();
}

function newRegistration() {
  showView('search');
  openRegisterForm();
}

async function registered(childId) {
  await openChild(childId);
  $('card-status').classList.remove('bad');
  $('card-status').textContent = t('registered', { id: childId });
  show('card-status', true);
}

// The desk locks itself after idleSeconds without a call; the page then shows nothing of
// children, whether or not it asks the desk (the desk enforces the lock on its side too).
function watchIdle() {
  setInterval(() => {
    if ($('work').hidden || Date.now() - lastCallAt() < idleSeconds * 1000) return;
    forgetChildren();
    $('notice').textContent = t('locked');
    show('notice', true);
    refreshSession();
  }, 5000);
}

function shortcuts(event) {
  if ($('work').hidden) return;
  const key = event.key.toLowerCase();
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    const action = { n: newRegistration, o: openOverdue, r: openReferrals, s: syncNow, v: openSupervisor }[key];
    if (action) {
      event.preventDefault();
      action();
      return;
    }
  }
  const typing = ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName);
  if (event.key === '/' && !typing) {
    event.preventDefault();
    $('q').focus();
  }
}

async function start() {
  translatePage();
  $('sign-in-form').addEventListener('submit', signIn);
  $('search-form').addEventListener('submit', search);
  $('lock').addEventListener('click', lock);
  $('new-child').addEventListener('click', newRegistration);
  $('nav-search').addEventListener('click', () => { showView('search'); $('q').focus(); });
  $('nav-overdue').addEventListener('click', openOverdue);
  $('nav-referrals').addEventListener('click', openReferrals);
  $('nav-supervisor').addEventListener('click', openSupervisor);
  // A resolved conflict of the child whose page is open: the page is drawn again, out of sight.
  setUpSupervisor(async (childId) => {
    if (currentChildId() === childId) await drawChild(await call(`/api/children/${encodeURIComponent(childId)}`));
  });
  setUpRegisterForm(registered, openChild);
  setUpChildView(openChild);
  setUpEditForm(async (page) => { await drawChild(page); show('child', true); }, currentRecord);
  $('language').addEventListener('click', switchLanguage);
  document.addEventListener('keydown', shortcuts);
  watchIdle();
  whenLocked(() => {
    $('notice').textContent = t('locked');
    show('notice', true);
    refreshSession();
  });
  try {
    await refreshSession();  // first: it gives the CSRF token the language call needs
    await call('/api/language', { method: 'POST', body: { language: currentLanguage() } });
    await followCardEvents(openChild, (events) => {
      followChildEvents(events);
      setUpWorklists(openChild, events);
      setUpSyncBar(events);
    });
  } catch (error) {
    $('notice').textContent = message(error);
    show('notice', true);
  }
}

start();
