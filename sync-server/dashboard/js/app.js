// The officials' dashboard (docs/dashboard.md): signs in, then shows the overview of an area of
// the official's jurisdiction, from the jurisdiction down to its counties. The area shown is in
// the address (#area=440306), so the browser's back button walks back up.
import { call, query, setCsrfToken, whenSessionEnds, lastCallAt, ApiError } from './api.js';
import { areaName, areasUnder } from './areas.js';
import * as format from './format.js';
import { currentLanguage, setLanguage, t, translatePage } from './i18n.js';
import { disposeCharts } from './panels.js';
import { drawOverview } from './overview.js';
import { startSignIn } from './sign_in.js';

const $ = (id) => document.getElementById(id);
let principal = null; // the signed-in account: {user, role, area, idle_timeout_seconds}
let idleTimer = 0;
let drawing = 0; // the latest drawing; an older one that finishes late is dropped
// Asked this long after the idle timeout, so the server surely counts the session as ended (a
// question while it is still valid would restart its idle time).
const IDLE_MARGIN_MS = 2000;

function notice(text) {
  $('notice').textContent = text;
  $('notice').hidden = !text;
}

function showSignIn(message = '') {
  principal = null;
  clearInterval(idleTimer);
  disposeCharts();
  $('dashboard').hidden = true;
  $('sign-out').hidden = true;
  $('who').hidden = true;
  $('sign-in').hidden = false;
  notice(message);
  $('user').focus();
}

// The session ends after idle_timeout_seconds unused: when that time has passed since the last
// call, ask the server, which answers 401 if it has ended (and then the sign-in shows).
function watchIdleTimeout() {
  clearInterval(idleTimer);
  const idleMs = principal.idle_timeout_seconds * 1000;
  idleTimer = setInterval(
    () => {
      if (Date.now() - lastCallAt() > idleMs + IDLE_MARGIN_MS) call('/api/v1/session').catch(() => {});
    },
    Math.min(Math.max(idleMs / 4, 500), 30000),
  );
}

function signedIn(session) {
  principal = session;
  setCsrfToken(session.csrf_token);
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  $('sign-out').hidden = false;
  $('who').hidden = false;
  $('who').textContent = `${t('signedInAs')}${session.user}`;
  notice('');
  watchIdleTimeout();
  show(areaFromAddress() ?? session.area);
}

function areaFromAddress() {
  const match = /^#area=(\d{2,6})$/.exec(location.hash);
  return match ? match[1] : null;
}

// The breadcrumb from the jurisdiction down to `area`: each level a link, the last the page.
async function drawBreadcrumb(area) {
  const list = $('breadcrumb');
  list.replaceChildren();
  const root = principal.area;
  const levels = [];
  for (let length = root.length; length <= area.length; length += 2) {
    levels.push(area.slice(0, length));
  }
  if (!area.startsWith(root)) levels.splice(0, levels.length, area);
  const names = await Promise.all(levels.map(areaName));
  levels.forEach((code, i) => {
    const item = document.createElement('li');
    if (i === levels.length - 1) {
      const here = document.createElement('span');
      here.textContent = names[i];
      here.setAttribute('aria-current', 'page');
      item.append(here);
    } else {
      const link = document.createElement('a');
      link.href = `#area=${code}`;
      link.textContent = names[i];
      item.append(link);
    }
    list.append(item);
  });
  $('area-title').textContent = names[names.length - 1];
}

// Buttons for the areas one level down (none below a county), with their children registered.
async function drawSubareas(area) {
  const box = $('subareas');
  box.replaceChildren();
  if (area.length >= 6) return;
  const level = area.length + 2;
  const [areas, counts] = await Promise.all([
    areasUnder(area),
    call(`/api/v1/counts?${query({ area, by: `residence_area:${level}` })}`),
  ]);
  const key = `residence_area:${level}`;
  const countOf = new Map(counts.groups.map((g) => [g[key], g.count]));
  const heading = document.createElement('h3');
  heading.textContent = `${t('subareas')} · ${t('subareasHint')}`;
  const list = document.createElement('ul');
  for (const { code, name } of areas) {
    if (!countOf.has(code)) continue; // no child registered there
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'subarea';
    button.dataset.area = code;
    button.textContent = `${name} · ${format.count(countOf.get(code))}`;
    button.addEventListener('click', () => {
      location.hash = `area=${code}`;
    });
    item.append(button);
    list.append(item);
  }
  box.append(heading, list);
}

async function show(area) {
  const mine = ++drawing;
  disposeCharts();
  $('panels').replaceChildren();
  $('subareas').replaceChildren();
  $('dashboard-error').hidden = true;
  $('as-of').textContent = t('loading');
  $('panels').setAttribute('aria-busy', 'true');
  try {
    await drawBreadcrumb(area);
    const [registered] = await Promise.all([drawOverview($('panels'), area), drawSubareas(area)]);
    if (mine !== drawing) return;
    $('as-of').textContent = format.dateTime(registered.as_of);
    $('as-of').dateTime = registered.as_of;
  } catch (error) {
    if (mine !== drawing || !(error instanceof ApiError) || error.status === 401) return;
    $('panels').replaceChildren();
    $('subareas').replaceChildren();
    $('as-of').textContent = '';
    $('dashboard-error').textContent = format.errorText(error);
    $('dashboard-error').hidden = false;
  } finally {
    if (mine === drawing) $('panels').setAttribute('aria-busy', 'false');
  }
}

async function signOut() {
  try {
    await call('/api/v1/session', { method: 'DELETE' });
    showSignIn(t('signedOut'));
  } catch (error) {
    if (error.status !== 401) notice(format.errorText(error));
  }
}

function switchLanguage() {
  setLanguage(currentLanguage() === 'en' ? 'zh' : 'en');
  drawLanguage();
  if (principal) {
    $('who').textContent = `${t('signedInAs')}${principal.user}`;
    show(areaFromAddress() ?? principal.area);
  }
}

function drawLanguage() {
  translatePage();
  const english = currentLanguage() === 'en';
  $('language').textContent = english ? '中文' : 'English';
  $('language').lang = english ? 'zh-CN' : 'en';
  $('breadcrumb-nav').setAttribute('aria-label', t('area'));
}

async function start() {
  setLanguage(currentLanguage());
  drawLanguage();
  $('language').addEventListener('click', switchLanguage);
  $('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', () => {
    if (principal) show(areaFromAddress() ?? principal.area);
  });
  whenSessionEnds(() => {
    if (principal) showSignIn(t('expired'));
  });
  startSignIn(signedIn);
  try {
    signedIn(await call('/api/v1/session', { signedIn: false }));
  } catch (error) {
    showSignIn(error.status === 401 || !(error instanceof ApiError) ? '' : format.errorText(error));
  }
}

start();
