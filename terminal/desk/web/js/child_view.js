// The child's page: the record, its move and differences to check, the card (issue, update,
// replace, followed live by card.write events), the doses done, due and overdue today in words,
// the referrals and a form to refer the child to another site.
// Everything is written with textContent: no value of a record is ever parsed as HTML.

import { call } from './api.js';
import { forgetEditForm } from './edit_form.js';
import { areaName } from './areas.js';
import { $, dateTimeText, el, fillSelect } from './dom.js';
import { clearFieldErrors, errorText, showFieldError } from './forms.js';
import { paren, t } from './i18n.js';
import { fillSiteSelect, loadSites, siteName } from './sites.js';
import { doseName } from './vaccines.js';

export const SERVICES = ['education', 'health', 'protection', 'legal_aid', 'social_assistance'];

let current = null;  // the page shown: {record, doses, referrals, move, conflicts, card, area_names}
let reload = async () => {};
let answeredSerial = '';  // the serial the last card write of this page answered with

function row(list, label, value) {
  const dd = el('dd', {}, value === undefined || value === null || value === '' ? '—' : String(value));
  list.append(el('dt', {}, label), dd);
  return dd;
}

function sexLabel(sex) {
  return sex === 'M' ? t('male') : sex === 'F' ? t('female') : sex;
}

// "泗洪县（321324）": the area's name from the page's area_names, and its code.
function areaText(code, names) {
  if (!code) return '';
  return names && names[code] ? `${names[code]}${paren(code)}` : code;
}

function personText(p) {
  return [p.name, p.relation ? t(p.relation) : '', p.phone].filter(Boolean).join(' ');
}

function guardiansText(guardians) {
  return (guardians || []).map(personText).join('；');
}

function schoolText(school) {
  if (!school) return '';
  return [school.name, school.stage ? t(school.stage) : '',
    school.grade ? t('gradeN', { n: school.grade }) : '', school.status ? t(school.status) : '']
    .filter(Boolean).join(' · ');
}

function dosesText(list, withDate) {
  if (!list || !list.length) return t('none');
  return list.map((d) => {
    const name = doseName(d.vaccine, d.dose);
    if (withDate === 'given' && d.date) return name + paren(d.date);
    if (withDate === 'due' && d.recommended) return name + paren(d.recommended);
    return name;
  }).join(t('listSep'));
}

function drawDoses(box, doses) {
  box.replaceChildren();
  if (!doses) return;
  const list = el('dl', { className: 'record' });
  row(list, t('dosesDone'), dosesText(doses.done, 'given'));
  row(list, t('dosesDue'), dosesText(doses.due, 'due'));
  const overdue = row(list, t('dosesOverdue'), dosesText(doses.overdue, 'due'));
  if (doses.overdue && doses.overdue.length) overdue.classList.add('overdue');
  box.append(list);
}

export function statusText(r) {
  if (r.status === 'declined' && r.decline_reason) {
    return t('declinedBecause', { reason: t(r.decline_reason) });
  }
  return t(r.status);
}

function drawReferrals(box, referrals) {
  box.replaceChildren();
  if (!referrals || !referrals.length) {
    box.append(el('p', {}, t('noReferrals')));
    return;
  }
  const head = el('tr', {}, ...['referService', 'referFrom', 'referTarget', 'referStatus', 'referReason',
    'referOutcome', 'referCreated', 'referUpdated'].map((k) => el('th', {}, t(k))));
  const body = el('tbody', { className: 'plain' });
  for (const r of referrals) {
    body.append(el('tr', { dataset: { referral: r.referral_id } },
      el('td', {}, t(r.service)), el('td', {}, siteName(r.from_site)), el('td', {}, siteName(r.to_site)),
      el('td', {}, statusText(r)), el('td', {}, r.reason || ''), el('td', {}, r.outcome || ''),
      el('td', {}, dateTimeText(r.created_at)), el('td', {}, dateTimeText(r.updated_at))));
  }
  box.append(el('table', { className: 'compact' }, el('thead', {}, head), body));
}

async function drawMove(box, move, names) {
  box.replaceChildren();
  box.hidden = !move;
  if (!move) return;
  const code = move.kind === 'moved_out' ? move.area : move.from;
  const name = (names && names[code]) || (await areaName(code));
  const area = name ? name + paren(code) : code;
  box.append(el('strong', {}, t('moveLabel')), t(move.kind, { area }));
}

// The words for a record field a conflict is about ("guardians" -> 监护人).
const FIELD_LABELS = {
  name: 'name', sex: 'sex', birth_date: 'birthDate', id_number: 'idNumber', hukou_area: 'hukouArea',
  residence_area: 'residenceArea', residence_address: 'residenceAddress', category: 'category',
  guardians: 'guardians', caregiver: 'caregiver', school: 'school', consent: 'consent',
};

function fieldLabel(field) {
  const top = String(field || '').split(/[.[]/)[0];
  return FIELD_LABELS[top] ? t(FIELD_LABELS[top]) : field;
}

function valueText(value) {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map(valueText).join('、');
  if (typeof value === 'object') return value.name ? personText(value) : JSON.stringify(value);
  return String(value);
}

function conflictValue(v) {
  return valueText(v ? v.value : null);
}

function drawConflicts(box, conflicts) {
  box.replaceChildren();
  box.hidden = !conflicts || !conflicts.length;
  if (box.hidden) return;
  const ul = el('ul');
  for (const c of conflicts) {
    ul.append(el('li', {}, t('conflictLine', {
      field: fieldLabel(c.field),
      winner: conflictValue(c.winner),
      wterm: c.winner ? c.winner.terminal_id : '',
      wat: dateTimeText(c.winner ? c.winner.at : ''),
      others: (c.others || []).map((o) => `${conflictValue(o)}（${o.terminal_id}，${dateTimeText(o.at)}）`).join('；'),
    })));
  }
  box.append(el('h3', {}, t('conflicts')), ul);
}

function cardSerialOf(page) {
  return (page.card && page.card.serial) || (page.record && page.record.card_serial) || '';
}

function drawCard(page) {
  const serial = cardSerialOf(page);
  $('child-card').textContent = serial ? t('cardSerialNow', { serial }) : t('noCard');
  $('card-issue').hidden = Boolean(serial);
  $('card-update').hidden = !serial;
  $('card-replace').hidden = !serial;
  if (!serial) $('card-replace-form').hidden = true;
}

// Empties the child's page (a lock, the idle limit, another child).
export function forgetChild() {
  current = null;
  forgetEditForm();
  for (const id of ['child-record', 'child-doses', 'child-referrals', 'child-move', 'child-conflicts']) {
    $(id).replaceChildren();
  }
  $('child-title').textContent = '';
  $('child-card').textContent = '';
  $('card-replace-form').reset();
  $('card-replace-form').hidden = true;
  $('refer-form').reset();
  $('refer-form').hidden = true;
  $('card-progress').hidden = true;
  $('card-progress').textContent = '';
}

// The record the page shows (null when none).
export function currentRecord() {
  return current && current.record ? current.record : null;
}

export function currentChildId() {
  return current && current.record ? current.record.child_id : '';
}

// Draws `page` (GET /api/children/{id}) into the #child section.
export async function drawChild(page) {
  const record = page.record || {};
  if (currentChildId() !== record.child_id) forgetChild();
  current = page;
  await loadSites().catch(() => []);  // names of sites in the referrals; the page works without
  const list = $('child-record');
  list.replaceChildren();
  if (record.closed_on) {
    $('child-title').textContent = record.child_id;
    row(list, t('childId'), record.child_id);
    list.append(el('dd', {}, t('closed', { d: record.closed_on })));
    drawDoses($('child-doses'), null);
    drawReferrals($('child-referrals'), []);
    $('child-card-box').hidden = true;
    $('refer-open').hidden = true;
    $('edit-open').hidden = true;
    return;
  }
  $('child-card-box').hidden = false;
  $('refer-open').hidden = false;
  $('edit-open').hidden = !$('edit-form').hidden;
  $('child-title').textContent = (record.name || '') + paren(record.child_id || '');
  row(list, t('childId'), record.child_id);
  row(list, t('name'), record.name);
  row(list, t('sex'), sexLabel(record.sex));
  row(list, t('birthDate'), record.birth_date);
  row(list, t('idNumber'), record.id_number);
  row(list, t('category'), record.category ? t(record.category) : '');
  row(list, t('hukouArea'), areaText(record.hukou_area, page.area_names));
  row(list, t('residenceArea'), areaText(record.residence_area, page.area_names));
  row(list, t('residenceAddress'), record.residence_address);
  row(list, t('guardians'), guardiansText(record.guardians));
  if (record.caregiver) row(list, t('caregiver'), personText(record.caregiver));
  row(list, t('school'), schoolText(record.school));
  if (record.consent) {
    row(list, t('consent'), [record.consent.by, record.consent.relation ? t(record.consent.relation) : '',
      record.consent.date].filter(Boolean).join(' '));
  }
  drawCard(page);
  drawDoses($('child-doses'), page.doses);
  drawReferrals($('child-referrals'), page.referrals || record.referrals);
  drawConflicts($('child-conflicts'), page.conflicts || record.conflicts);
  await drawMove($('child-move'), page.move !== undefined ? page.move : record.move, page.area_names);
}

// ---- the card ----

function progress(text, state) {
  const box = $('card-progress');
  box.textContent = text;
  box.className = `card-progress ${state}`;
  box.hidden = false;
}

function setCardButtons(disabled) {
  for (const id of ['card-issue', 'card-update', 'card-replace']) $(id).disabled = disabled;
  $('card-replace-form').querySelector('button[type=submit]').disabled = disabled;
}

async function writeCard(action, reason) {
  const childId = currentChildId();
  if (!childId) return;
  setCardButtons(true);
  progress(t('cardWriting'), 'busy');
  try {
    const body = reason ? { action, reason } : { action };
    const done = await call(`/api/children/${encodeURIComponent(childId)}/card`, { method: 'POST', body });
    answeredSerial = done.serial;
    progress(done.old_serial ? t('cardReplaced', { serial: done.serial, old: done.old_serial })
      : t('cardDone', { serial: done.serial }), 'good');
    $('card-replace-form').reset();
    $('card-replace-form').hidden = true;
    if (currentChildId() === childId) await reload(childId, { keepStatus: true });
  } catch (error) {
    progress(t('cardFailed', { message: errorText(error) }), 'bad');
  } finally {
    setCardButtons(false);
  }
}

// A card.write event: {child_id, action, stage: writing|done|failed, serial?, code?, message?}.
function cardWriteEvent(data) {
  if (data.child_id !== currentChildId()) return;
  if (data.stage === 'writing') progress(t('cardWriting'), 'busy');
  else if (data.stage === 'done') {
    // The answer to this page's own call may have come first, and says more (the old serial).
    if (data.serial === answeredSerial) return;
    progress(t('cardDone', { serial: data.serial }), 'good');
    // The reader's earlier word on this card ("a blank card") no longer holds.
    if ($('card-status').classList.contains('bad')) $('card-status').hidden = true;
  } else if (data.stage === 'failed') progress(t('cardFailed', { message: data.message || data.code }), 'bad');
}

// ---- referring the child ----

async function openReferForm() {
  const form = $('refer-form');
  form.reset();
  clearFieldErrors(form);
  fillSelect($('r-service'), [{ value: '', label: t('chooseService') }]
    .concat(SERVICES.map((s) => ({ value: s, label: t(s) }))));
  try {
    const offered = await fillSiteSelect($('r-to_site'));
    $('refer-no-sites').hidden = offered > 0;
  } catch (error) {
    showFieldError(form, error);
  }
  form.hidden = false;
  $('r-service').focus();
}

async function submitReferral(event) {
  event.preventDefault();
  const form = $('refer-form');
  clearFieldErrors(form);
  const childId = currentChildId();
  try {
    const body = { service: $('r-service').value, to_site: $('r-to_site').value, reason: $('r-reason').value.trim() };
    const made = await call(`/api/children/${encodeURIComponent(childId)}/referrals`, { method: 'POST', body });
    form.reset();
    form.hidden = true;
    await reload(childId, { keepStatus: true });
    $('refer-done').textContent = t('referDone', { id: made.referral_id });
    $('refer-done').hidden = false;
  } catch (error) {
    showFieldError(form, error);
  }
}

// `reloadChild(childId, options)` fetches and draws the child's page again.
export function setUpChildView(reloadChild) {
  reload = reloadChild;
  $('card-issue').addEventListener('click', () => writeCard('issue'));
  $('card-update').addEventListener('click', () => writeCard('update'));
  $('card-replace').addEventListener('click', () => {
    $('card-replace-form').hidden = false;
    $('card-replace-reason').focus();
  });
  $('card-replace-cancel').addEventListener('click', () => {
    $('card-replace-form').reset();
    $('card-replace-form').hidden = true;
  });
  $('card-replace-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const reason = $('card-replace-reason').value.trim();
    const error = $('card-replace-form').querySelector('.error');
    error.hidden = Boolean(reason);
    error.textContent = reason ? '' : t('cardReasonNeeded');
    if (!reason) {
      $('card-replace-reason').focus();
      return;
    }
    writeCard('replace', reason);
  });
  $('refer-open').addEventListener('click', openReferForm);
  $('refer-cancel').addEventListener('click', () => { $('refer-form').hidden = true; });
  $('refer-form').addEventListener('submit', submitReferral);
}

// Follows the card.write and referrals events of the desk's stream.
export function followChildEvents(events) {
  events.addEventListener('card.write', (event) => cardWriteEvent(JSON.parse(event.data)));
  events.addEventListener('referrals', () => {
    const childId = currentChildId();
    if (childId && !$('child').hidden) reload(childId, { keepStatus: true, background: true }).catch(() => {});
  });
}
