// The registration form: the fields of a new child (schema/child.schema.json), sent to
// POST /api/children and checked there by the same rules as the command line. A refusal names the
// field; its message is shown next to that input. The ID number fills in the date of birth and
// sex (GB 11643: digits 7-14 are the birth date, digit 17 odd for male). Areas are picked province
// → city → county (GET /api/areas); doses are ticked in the national schedule. Before saving, the
// desk is asked for children already held that may be this one (same ID number, name, birth date).

import { ApiError, call } from './api.js';
import { areaPicker } from './areas.js';
import { $, el, fillSelect, today } from './dom.js';
import { errorText } from './forms.js';
import { currentLanguage, t, tIn } from './i18n.js';
import { SCHEDULE, ageText, doseName, vaccineName } from './vaccines.js';

const STAGES = ['preschool', 'primary', 'junior', 'senior', 'vocational'];
const STAGE_GRADES = { preschool: [], primary: [1, 6], junior: [7, 9], senior: [10, 12], vocational: [10, 12] };
const SCHOOL_STATUSES = ['enrolled', 'not_enrolled', 'dropped_out'];

let pickers = {};
let duplicatesChecked = false;  // the registrar said "a different child" for what the form holds
let openChild = async () => {};

function fieldInputs() {
  return [...document.querySelectorAll('#register-form [data-field]')];
}

function clearErrors() {
  for (const input of fieldInputs()) {
    input.removeAttribute('aria-invalid');
    const error = input.parentElement.querySelector('.error');
    if (!error) continue;
    error.hidden = true;
    error.textContent = '';
  }
  $('register-error').hidden = true;
}

// Shows `message` next to the input of `field` ("guardians[0].phone"), or under the form.
function showError(field, message) {
  const input = fieldInputs().find((i) => field && i.dataset.field === field) ||
    fieldInputs().find((i) => field && i.dataset.field.startsWith(`${field}.`));
  if (!input) {
    $('register-error').textContent = message;
    $('register-error').hidden = false;
    return;
  }
  input.setAttribute('aria-invalid', 'true');
  const error = input.parentElement.querySelector('.error');
  // Next to its input the message need not name the field again ("字段 guardians[0].phone：…").
  error.textContent = message.replace(/^(字段 \S+?：|field \S+?: )/, '');
  error.hidden = false;
  if (input.type === 'hidden') {
    const select = input.parentElement.querySelector('select');
    if (select) select.setAttribute('aria-invalid', 'true');
    pickers[input.id]?.focus();
  } else {
    if (input.closest('details')) input.closest('details').open = true;
    input.focus();
  }
}

function value(id) {
  return $(id).value.trim();
}

// The ticked doses, in table order; each date input learns the field name its refusal would use.
function immunizations() {
  const out = [];
  for (const row of document.querySelectorAll('#f-doses-body tr')) {
    const date = row.querySelector('input[type=date]');
    date.dataset.field = '';
    if (!row.querySelector('input[type=checkbox]').checked) continue;
    date.dataset.field = `immunizations[${out.length}]`;
    out.push({ vaccine: row.dataset.vaccine, dose: Number(row.dataset.dose), date: date.value });
  }
  return out;
}

// The record the form describes; empty optional fields are left out.
function record() {
  const guardian = { name: value('f-g0-name'), relation: value('f-g0-relation'), phone: value('f-g0-phone') };
  if (!guardian.phone) delete guardian.phone;
  const out = {
    name: value('f-name'),
    sex: value('f-sex'),
    birth_date: value('f-birth_date'),
    hukou_area: value('f-hukou_area'),
    residence_area: value('f-residence_area'),
    guardians: [guardian],
    consent: { by: guardian.name, relation: guardian.relation, date: value('f-consent-date') },
  };
  if (value('f-id_number')) out.id_number = value('f-id_number').toUpperCase();
  if (value('f-residence_address')) out.residence_address = value('f-residence_address');
  if (value('f-cg-name') || value('f-cg-phone')) {
    out.caregiver = { name: value('f-cg-name'), relation: value('f-cg-relation') };
    if (value('f-cg-phone')) out.caregiver.phone = value('f-cg-phone');
  }
  if (value('f-school-name') || value('f-school-stage') || value('f-school-status')) {
    out.school = { status: value('f-school-status') };
    if (value('f-school-name')) out.school.name = value('f-school-name');
    if (value('f-school-stage')) out.school.stage = value('f-school-stage');
    if (value('f-school-grade')) out.school.grade = Number(value('f-school-grade'));
  }
  const doses = immunizations();
  if (doses.length) out.immunizations = doses;
  return out;
}

function fillFromIdNumber() {
  const id = value('f-id_number');
  if (!/^\d{17}[\dXx]$/.test(id)) return;
  $('f-birth_date').value = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  $('f-sex').value = Number(id[16]) % 2 === 1 ? 'M' : 'F';
}

function fillGrades() {
  const range = STAGE_GRADES[value('f-school-stage')];
  const grades = [];
  if (range === undefined) for (let g = 1; g <= 12; ++g) grades.push(g);
  else if (range.length) for (let g = range[0]; g <= range[1]; ++g) grades.push(g);
  const keep = value('f-school-grade');
  fillSelect($('f-school-grade'), [{ value: '', label: t('chooseNone') }]
    .concat(grades.map((g) => ({ value: String(g), label: t('gradeN', { n: g }) }))), keep);
  $('f-school-grade').disabled = range !== undefined && range.length === 0;
}

function fillChoices() {
  const none = [{ value: '', label: t('chooseNone') }];
  fillSelect($('f-school-stage'), none.concat(STAGES.map((s) => ({ value: s, label: t(s) }))));
  fillSelect($('f-school-status'), none.concat(SCHOOL_STATUSES.map((s) => ({ value: s, label: t(s) }))));
  fillGrades();
  const body = $('f-doses-body');
  body.replaceChildren();
  for (const [vaccine, dose, months, days] of SCHEDULE) {
    const box = el('input', { type: 'checkbox', 'aria-label': doseName(vaccine, dose) });
    const date = el('input', { type: 'date', disabled: true, 'aria-label': `${doseName(vaccine, dose)}：${t('doseDate')}` });
    box.addEventListener('change', () => {
      date.disabled = !box.checked;
      if (box.checked) date.focus();
    });
    body.append(el('tr', { dataset: { vaccine, dose: String(dose) } },
      el('td', {}, box), el('td', {}, vaccineName(vaccine)), el('td', {}, t('doseN', { n: dose })),
      el('td', {}, ageText(months, days)), el('td', {}, date, el('p', { className: 'error', hidden: true }))));
  }
}

// ---- possible duplicates ----

function reasonsText(reasons) {
  return (reasons || []).map((r) => t(`${r}Same`)).join('、');
}

function areasText(record) {
  const names = record.area_names || {};
  return [record.hukou_area, record.residence_area].filter(Boolean)
    .map((code) => names[code] || code).join(' / ');
}

function drawDuplicates(found) {
  const body = $('dup-body');
  body.replaceChildren();
  for (const { record: r, reasons } of found) {
    const open = el('button', { type: 'button', textContent: t('dupOpen') });
    open.addEventListener('click', async () => {
      $('register').hidden = true;
      forgetForm();
      await openChild(r.child_id);
    });
    body.append(el('tr', {}, el('td', {}, r.name || ''), el('td', {}, r.birth_date || ''),
      el('td', {}, areasText(r)), el('td', {}, reasonsText(reasons)), el('td', {}, open)));
  }
  $('dup').hidden = false;
  $('dup-save').focus();
}

async function possibleDuplicates(rec) {
  const query = new URLSearchParams({ name: rec.name, id_number: rec.id_number || '', birth_date: rec.birth_date });
  return call(`/api/children/possible-duplicates?${query}`);
}

// ---- the consent statement, printed ----

function consentParagraphs(lang, rec) {
  const values = {
    name: rec.name,
    guardian: rec.consent.by,
    relation: tIn(lang, rec.consent.relation || 'other'),
    date: rec.consent.date,
  };
  return [
    el('h2', { lang: lang === 'en' ? 'en' : 'zh-CN' }, tIn(lang, 'consentHeading')),
    el('p', { lang: lang === 'en' ? 'en' : 'zh-CN' }, tIn(lang, 'consentBody', values)),
    el('p', { lang: lang === 'en' ? 'en' : 'zh-CN', className: 'signature' }, tIn(lang, 'consentSigned', values)),
  ];
}

function printConsent() {
  const rec = record();
  const box = $('consent-print');
  if (!rec.name || !rec.consent.by) {
    $('register-error').textContent = t('consentFill');
    $('register-error').hidden = false;
    return;
  }
  box.replaceChildren(...consentParagraphs('zh', rec));
  if (currentLanguage() === 'en') box.append(...consentParagraphs('en', rec));
  box.hidden = false;
  document.body.classList.add('printing-consent');
  window.print();
}

// Empties the form and what it showed (a lock, the idle limit, a saved registration).
export function forgetForm() {
  $('register-form').reset();
  // A form's reset leaves hidden inputs as they are: the chosen area codes.
  for (const id of ['f-hukou_area', 'f-residence_area']) $(id).value = '';
  clearErrors();
  duplicatesChecked = false;
  $('dup').hidden = true;
  $('dup-body').replaceChildren();
  $('consent-print').replaceChildren();
  $('consent-print').hidden = true;
  document.body.classList.remove('printing-consent');
  for (const date of document.querySelectorAll('#f-doses-body input[type=date]')) date.disabled = true;
}

// Opens an empty form. `registered(childId)` runs after a registration was saved.
export async function openRegisterForm() {
  forgetForm();
  fillChoices();
  $('f-doses').open = false;
  $('f-consent-date').value = today();
  $('register').hidden = false;
  $('f-name').focus();
  try {
    await Promise.all(Object.values(pickers).map((p) => p.reset()));
  } catch (error) {
    showError('', errorText(error));
  }
}

async function save() {
  const { child_id: childId } = await call('/api/children', { method: 'POST', body: record() });
  $('register').hidden = true;
  forgetForm();
  return childId;
}

// `registered(childId)` runs after a registration was saved; `openChildPage(childId)` shows a
// child already held (from the duplicate warning).
export function setUpRegisterForm(registered, openChildPage) {
  openChild = openChildPage;
  pickers = {
    'f-hukou_area': areaPicker($('f-hukou-picker'), $('f-hukou_area'), t('hukouArea')),
    'f-residence_area': areaPicker($('f-residence-picker'), $('f-residence_area'), t('residenceArea')),
  };
  $('f-id_number').addEventListener('change', fillFromIdNumber);
  for (const id of ['f-name', 'f-id_number', 'f-birth_date']) {
    $(id).addEventListener('input', () => { duplicatesChecked = false; $('dup').hidden = true; });
  }
  $('f-school-stage').addEventListener('change', fillGrades);
  $('register-cancel').addEventListener('click', () => { $('register').hidden = true; forgetForm(); });
  $('consent-print-button').addEventListener('click', printConsent);
  window.addEventListener('afterprint', () => document.body.classList.remove('printing-consent'));
  $('dup-back').addEventListener('click', () => { $('dup').hidden = true; $('f-name').focus(); });
  $('dup-save').addEventListener('click', async () => {
    duplicatesChecked = true;
    $('dup').hidden = true;
    $('register-form').requestSubmit();
  });
  $('register-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    try {
      if (!duplicatesChecked) {
        const found = await possibleDuplicates(record());
        if (found.length) {
          drawDuplicates(found);
          return;
        }
      }
      registered(await save());
    } catch (error) {
      showError(error instanceof ApiError ? error.field : '', errorText(error));
    }
  });
}
