// The supervisors' screen: the staff of this terminal (add, disable, reset a passphrase), the audit
// check, the conflicting edits to resolve and the possible duplicates the server sent to decide.
// Shown only to a supervisor (the desk refuses these routes to registrars anyway). Passphrases are
// never kept: the inputs are cleared after every call, answered or not.

import { call } from './api.js';
import { areaName } from './areas.js';
import { $, dateTimeText, el } from './dom.js';
import { clearFieldErrors, errorText, showFieldError } from './forms.js';
import { paren, t } from './i18n.js';

const FIELD_LABELS = {
  name: 'name', sex: 'sex', birth_date: 'birthDate', id_number: 'idNumber', hukou_area: 'hukouArea',
  residence_area: 'residenceArea', residence_address: 'residenceAddress', category: 'category',
  guardians: 'guardians', caregiver: 'caregiver', school: 'school', consent: 'consent',
};

let afterResolve = async () => {};
// The decisions a supervisor can make on a possible duplicate here, and their labels.
const REVIEW_LABELS = { merge: 'reviewMerge', separate: 'reviewSeparate' };
// Pairs decided at this screen ("A|B" -> decision): the desk lists a pair until the server has the
// decision (the next sync), so the screen says it was decided instead of offering it again.
const decided = new Map();
let signedInUser = '';  // not offered to disable themselves

function fieldLabel(field) {
  const top = String(field || '').split(/[.[]/)[0];
  return FIELD_LABELS[top] ? t(FIELD_LABELS[top]) : field;
}

function valueText(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(valueText).join('、');
  if (typeof value === 'object') {
    if (value.name) return [value.name, value.relation ? t(value.relation) : '', value.phone].filter(Boolean).join(' ');
    return JSON.stringify(value);
  }
  if (value === 'M') return t('male');
  if (value === 'F') return t('female');
  return String(value);
}

function done(text) {
  $('supervisor-error').hidden = true;
  $('supervisor-done').textContent = text;
  $('supervisor-done').hidden = false;
}

function failed(error) {
  $('supervisor-error').textContent = errorText(error);
  $('supervisor-error').hidden = false;
}

function clearPassphrases() {
  for (const input of document.querySelectorAll('#supervisor input[type=password]')) input.value = '';
}

// ---- staff ----

function closeInline() {
  for (const row of document.querySelectorAll('#staff-body tr.inline')) row.remove();
}

function confirmDisable(tr, member) {
  closeInline();
  const yes = el('button', { type: 'button' }, t('staffDisableYes'));
  const no = el('button', { type: 'button' }, t('cancel'));
  const row = el('tr', { className: 'inline' }, el('td', { colSpan: 5 },
    el('span', { role: 'alert' }, t('staffDisableConfirm', { name: member.name })), ' ', yes, ' ', no));
  no.addEventListener('click', closeInline);
  yes.addEventListener('click', async () => {
    try {
      drawStaff(await call(`/api/staff/${encodeURIComponent(member.name)}/disable`, { method: 'POST' }));
      done(t('staffDisabledDone', { name: member.name }));
    } catch (error) {
      failed(error);
    }
  });
  tr.after(row);
  yes.focus();
}

function openReset(tr, member) {
  closeInline();
  const pass = el('input', { type: 'password', autocomplete: 'new-password', dataset: { field: 'passphrase' }, 'aria-label': t('staffPass') });
  const pass2 = el('input', { type: 'password', autocomplete: 'new-password', dataset: { field: 'passphrase2' }, 'aria-label': t('staffPass2') });
  const form = el('form', { className: 'inline-form reset-form', noValidate: true },
    el('strong', {}, t('staffResetFor', { name: member.name })),
    el('span', {}, pass, el('span', { className: 'error', hidden: true })),
    el('span', {}, pass2, el('span', { className: 'error', hidden: true })),
    el('button', { type: 'submit' }, t('staffResetSubmit')),
    el('button', { type: 'button', className: 'reset-cancel' }, t('cancel')),
    el('p', { className: 'error form-error', role: 'alert', hidden: true }));
  pass.placeholder = t('staffPass');
  pass2.placeholder = t('staffPass2');
  form.querySelector('.reset-cancel').addEventListener('click', closeInline);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    if (pass.value !== pass2.value) {
      pass2.value = '';
      showFieldError(form, { field: 'passphrase2', message: t('passMismatch') });
      return;
    }
    const body = { passphrase: pass.value };
    try {
      const list = await call(`/api/staff/${encodeURIComponent(member.name)}/reset`, { method: 'POST', body });
      drawStaff(list);
      done(t('staffResetDone', { name: member.name }));
    } catch (error) {
      clearPassphrases();
      showFieldError(form, error);
    } finally {
      body.passphrase = '';
      pass.value = '';
      pass2.value = '';
    }
  });
  tr.after(el('tr', { className: 'inline' }, el('td', { colSpan: 5 }, form)));
  pass.focus();
}

function drawStaff(list) {
  const body = $('staff-body');
  body.replaceChildren();
  for (const m of list) {
    const actions = el('td', { className: 'actions' });
    const tr = el('tr', { dataset: { staff: m.name } },
      el('td', {}, m.name), el('td', {}, t(m.role)), el('td', {}, dateTimeText(m.created_at)),
      el('td', {}, m.disabled_at ? t('staffDisabledAt', { at: dateTimeText(m.disabled_at) }) : t('staffActive')), actions);
    if (!m.disabled_at) {
      const reset = el('button', { type: 'button' }, t('staffReset'));
      const disable = el('button', { type: 'button' }, t('staffDisable'));
      reset.addEventListener('click', () => openReset(tr, m));
      disable.addEventListener('click', () => confirmDisable(tr, m));
      actions.append(reset);
      if (m.name !== signedInUser) actions.append(disable);
    }
    body.append(tr);
  }
}

async function addMember(event) {
  event.preventDefault();
  const form = $('staff-add-form');
  clearFieldErrors(form);
  if ($('s-pass').value !== $('s-pass2').value) {
    $('s-pass2').value = '';
    showFieldError(form, { field: 'passphrase2', message: t('passMismatch') });
    return;
  }
  const name = $('s-name').value.trim();
  const body = { name, role: $('s-role').value, passphrase: $('s-pass').value };
  try {
    drawStaff(await call('/api/staff', { method: 'POST', body }));
    form.reset();
    done(t('staffAddedDone', { name }));
  } catch (error) {
    showFieldError(form, error);
  } finally {
    body.passphrase = '';
    clearPassphrases();
  }
}

// ---- the audit check ----

async function verifyAudit() {
  const box = $('audit-result');
  box.className = '';
  box.textContent = '';
  try {
    const report = await call('/api/audit/verify');
    box.textContent = report.intact ? t('auditIntact', { n: report.entries })
      : t('auditBroken', { problem: report.problem, n: report.entries });
    box.className = report.intact ? 'done' : 'error';
  } catch (error) {
    box.textContent = errorText(error);
    box.className = 'error';
  }
}

// ---- conflicts ----

// "TERMINAL:SEQ" of a value (its stamp is [hlc, terminal_id, seq]), or the terminal alone.
function valueFrom(v) {
  return Array.isArray(v.stamp) && v.stamp[2] !== undefined ? `${v.terminal_id}:${v.stamp[2]}` : v.terminal_id;
}

async function resolve(child, conflict, v) {
  try {
    await call(`/api/children/${encodeURIComponent(child.child_id)}/conflicts/resolve`,
      { method: 'POST', body: { field: conflict.field, value_from: valueFrom(v) } });
    done(t('conflictResolved', { name: child.name || child.child_id, field: fieldLabel(conflict.field), value: valueText(v.value) }));
    await loadConflicts();
    await afterResolve(child.child_id);
  } catch (error) {
    failed(error);
  }
}

function drawConflicts(list) {
  const box = $('conflicts-list');
  box.replaceChildren();
  const open = list.filter((c) => (c.conflicts || []).length);
  if (!open.length) {
    box.append(el('p', {}, t('conflictsNone')));
    return;
  }
  box.append(el('p', { className: 'hint' }, t('conflictsIntro')));
  const body = el('tbody', { className: 'plain' });
  for (const child of open) {
    for (const c of child.conflicts) {
      const values = el('td');
      const all = [c.winner, ...(c.others || [])].filter(Boolean);
      for (const v of all) {
        const keep = el('button', { type: 'button' }, t('conflictKeep'));
        keep.addEventListener('click', () => resolve(child, c, v));
        values.append(el('div', { className: 'conflict-value', dataset: { from: valueFrom(v) } },
          el('strong', {}, `“${valueText(v.value)}”`), ' ',
          el('span', { className: 'muted' }, t('conflictWrote', { term: v.terminal_id, at: dateTimeText(v.at) }) +
            (v === c.winner ? paren(t('conflictShown')) : '')), ' ', keep));
      }
      body.append(el('tr', { dataset: { child: child.child_id, field: c.field } },
        el('td', {}, `${child.name || ''}${paren(child.child_id)}`), el('td', {}, fieldLabel(c.field)), values));
    }
  }
  box.append(el('table', { className: 'compact' },
    el('thead', {}, el('tr', {}, el('th', {}, t('referChild')), el('th', {}, t('conflictField')), el('th', {}, t('conflictValues')))),
    body));
}

async function loadConflicts() {
  try {
    drawConflicts(await call('/api/conflicts'));
  } catch (error) {
    $('conflicts-list').replaceChildren(el('p', { className: 'error' }, errorText(error)));
  }
}

// ---- possible duplicates ----

function recordCell(r, names) {
  const area = (code) => (code ? `${(names && names[code]) || code}` : '—');
  return el('td', {}, el('dl', { className: 'record' },
    el('dt', {}, t('childId')), el('dd', {}, r.child_id || ''),
    el('dt', {}, t('name')), el('dd', {}, r.name || '—'),
    el('dt', {}, t('sex')), el('dd', {}, valueText(r.sex)),
    el('dt', {}, t('birthDate')), el('dd', {}, r.birth_date || '—'),
    el('dt', {}, t('hukouArea')), el('dd', {}, area(r.hukou_area)),
    el('dt', {}, t('residenceArea')), el('dd', {}, area(r.residence_area))));
}

async function areaNames(pairs) {
  const names = {};
  for (const p of pairs) {
    for (const r of p.records || []) {
      for (const code of [r.hukou_area, r.residence_area]) {
        if (code && !(code in names)) names[code] = await areaName(code);
      }
    }
  }
  return names;
}

async function decide(pair, decision) {
  try {
    const left = await call(`/api/review/${encodeURIComponent(pair.a)}/${encodeURIComponent(pair.b)}/${decision}`, { method: 'POST' });
    decided.set(`${pair.a}|${pair.b}`, decision);
    await drawReview(left);
    done(t('reviewDecided', { a: pair.a, b: pair.b }));
  } catch (error) {
    failed(error);
  }
}

async function drawReview(pairs) {
  const box = $('review-list');
  box.replaceChildren();
  if (!pairs.length) {
    box.append(el('p', {}, t('reviewNone')));
    return;
  }
  const names = await areaNames(pairs);
  for (const pair of pairs) {
    const [a, b] = pair.records || [{}, {}];
    const actions = el('p', { className: 'inline-form' });
    // The queue holds pairs not linked; a pair decided here stays listed until the next sync.
    const already = decided.get(`${pair.a}|${pair.b}`);
    if (already) {
      actions.append(el('span', { className: 'done' }, t('reviewPending', { decision: t(REVIEW_LABELS[already]) })));
    }
    for (const decision of already ? [] : ['merge', 'separate']) {
      const label = REVIEW_LABELS[decision];
      const button = el('button', { type: 'button', dataset: { decision } }, t(label));
      button.addEventListener('click', () => decide(pair, decision));
      actions.append(button);
    }
    box.append(el('div', { className: 'review-pair', dataset: { a: pair.a, b: pair.b } },
      el('p', {}, el('strong', {}, t('reviewScore', { score: Math.round(Number(pair.score) * 100) / 100 })), ' ', pair.reasons_text || ''),
      el('table', { className: 'compact pair' }, el('tbody', { className: 'plain' }, el('tr', {}, recordCell(a, names), recordCell(b, names)))),
      actions));
  }
}

async function loadReview() {
  try {
    await drawReview(await call('/api/review'));
  } catch (error) {
    $('review-list').replaceChildren(el('p', { className: 'error' }, errorText(error)));
  }
}

// ---- the screen ----

// Empties the screen (a lock, the idle limit, a registrar's session).
export function forgetSupervisor({ keepDecisions = false } = {}) {
  if (!keepDecisions) decided.clear();
  clearPassphrases();
  $('staff-add-form').reset();
  clearFieldErrors($('staff-add-form'));
  for (const id of ['staff-body', 'conflicts-list', 'review-list']) $(id).replaceChildren();
  $('audit-result').textContent = '';
  for (const id of ['supervisor-done', 'supervisor-error']) {
    $(id).textContent = '';
    $(id).hidden = true;
  }
}

// The staff member signed in at this screen.
export function setSupervisorUser(name) {
  signedInUser = name || '';
}

// Loads everything the screen shows.
export async function loadSupervisor() {
  forgetSupervisor({ keepDecisions: true });
  try {
    drawStaff(await call('/api/staff'));
  } catch (error) {
    failed(error);
  }
  await Promise.all([loadConflicts(), loadReview()]);
}

// `childResolved(childId)` runs after a conflict of that child was resolved.
export function setUpSupervisor(childResolved) {
  afterResolve = childResolved;
  $('staff-add-form').addEventListener('submit', addMember);
  $('audit-run').addEventListener('click', verifyAudit);
  $('supervisor').addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && event.target.closest('tr.inline')) closeInline();
  });
}
