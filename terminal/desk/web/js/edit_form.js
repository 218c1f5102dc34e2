// Editing a child's record from its page: the record's fields in a form (the registration form's
// widgets: the area pickers, the guardian, the caregiver, the school), only the fields that changed
// sent with PUT /api/children/{id} (checked there as the command line's `update --record`). A
// refusal names its field and is shown next to it; the answer (the child's page) is drawn again.
// Escape cancels. Doses are recorded on the registration form only.

import { call } from './api.js';
import { areaPicker } from './areas.js';
import { $, el, fillSelect } from './dom.js';
import { clearFieldErrors, showFieldError } from './forms.js';
import { t } from './i18n.js';

const RELATIONS = ['father', 'mother', 'grandparent', 'other'];
const STAGES = ['preschool', 'primary', 'junior', 'senior', 'vocational'];
const STAGE_GRADES = { preschool: [], primary: [1, 6], junior: [7, 9], senior: [10, 12], vocational: [10, 12] };
const SCHOOL_STATUSES = ['enrolled', 'not_enrolled', 'dropped_out'];

let original = null;  // the record the form was opened with
let pickers = {};
let drawPage = async () => {};

function form() {
  return $('edit-form');
}

function value(id) {
  const input = $(id);
  return input ? input.value.trim() : '';
}

// A labelled row of the form: label, then the input(s) with a box for the refusal.
function fieldRow(id, labelKey, ...inputs) {
  return [el('label', { for: id }, t(labelKey)), el('div', {}, ...inputs, el('p', { className: 'error', hidden: true }))];
}

function input(id, field, current, props = {}) {
  return el('input', { ...props, id, autocomplete: 'off', dataset: { field }, value: current ?? '' });
}

function select(id, field, options, current) {
  const s = el('select', { id, dataset: { field } });
  fillSelect(s, options, current ?? '');
  return s;
}

const choose = () => [{ value: '', label: t('chooseNone') }];
const words = (list) => list.map((v) => ({ value: v, label: t(v) }));

function fillGrades(stage, keep) {
  const range = STAGE_GRADES[stage];
  const grades = [];
  if (range === undefined) for (let g = 1; g <= 12; ++g) grades.push(g);
  else if (range.length) for (let g = range[0]; g <= range[1]; ++g) grades.push(g);
  fillSelect($('e-school-grade'), choose().concat(grades.map((g) => ({ value: String(g), label: t('gradeN', { n: g }) }))),
    keep === undefined ? value('e-school-grade') : String(keep ?? ''));
  $('e-school-grade').disabled = range !== undefined && range.length === 0;
}

function person(prefix, current) {
  const out = { name: value(`${prefix}-name`), relation: value(`${prefix}-relation`) };
  if (value(`${prefix}-phone`)) out.phone = value(`${prefix}-phone`);
  // What the form does not show of the person (an ID number) is kept.
  return { ...(current || {}), ...out, ...(out.phone ? {} : { phone: undefined }) };
}

function clean(object) {
  return JSON.parse(JSON.stringify(object));
}

// The record's fields as the form has them now.
function edited() {
  const r = original;
  const out = {
    name: value('e-name'),
    sex: value('e-sex'),
    birth_date: value('e-birth_date'),
    id_number: value('e-id_number').toUpperCase(),
    hukou_area: value('e-hukou_area'),
    residence_area: value('e-residence_area'),
    residence_address: value('e-residence_address'),
  };
  const guardians = clean(r.guardians || []);
  guardians[0] = clean(person('e-g0', guardians[0]));
  out.guardians = guardians;
  if (value('e-cg-name') || value('e-cg-phone')) out.caregiver = clean(person('e-cg', r.caregiver));
  else out.caregiver = null;
  if (value('e-school-name') || value('e-school-stage') || value('e-school-status')) {
    const school = { ...(r.school || {}), status: value('e-school-status') };
    for (const key of ['name', 'stage', 'grade']) delete school[key];
    if (value('e-school-name')) school.name = value('e-school-name');
    if (value('e-school-stage')) school.stage = value('e-school-stage');
    if (value('e-school-grade')) school.grade = Number(value('e-school-grade'));
    out.school = school;
  } else out.school = null;
  return out;
}

function same(a, b) {
  const norm = (v) => (v === undefined || v === null || v === '' ? null : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

// Only what changed; a field emptied is sent as null (taken out of the record).
function changes() {
  const now = edited();
  const out = {};
  for (const [key, v] of Object.entries(now)) {
    if (same(v, original[key])) continue;
    out[key] = v === '' ? null : v;
  }
  return out;
}

// Empties the form and closes it (a lock, another child, a save).
export function forgetEditForm() {
  original = null;
  const f = form();
  if (!f) return;
  f.replaceChildren();
  f.hidden = true;
  $('edit-open').hidden = false;
}

// Opens the form on `record` (the page's record).
export async function openEditForm(record) {
  original = clean(record);
  const r = original;
  const g = (r.guardians || [])[0] || {};
  const cg = r.caregiver || {};
  const school = r.school || {};
  const f = form();
  f.replaceChildren(
    el('h3', { className: 'span' }, t('editTitle')),
    ...fieldRow('e-name', 'name', input('e-name', 'name', r.name)),
    ...fieldRow('e-sex', 'sex', select('e-sex', 'sex', [{ value: 'M', label: t('male') }, { value: 'F', label: t('female') }], r.sex)),
    ...fieldRow('e-birth_date', 'birthDate', input('e-birth_date', 'birth_date', r.birth_date, { type: 'date' })),
    ...fieldRow('e-id_number', 'idNumber', input('e-id_number', 'id_number', r.id_number, { maxLength: 18 })),
    el('label', { for: 'e-hukou_area-province' }, t('hukouArea')),
    el('div', { id: 'e-hukou-picker', className: 'area-picker' },
      el('input', { type: 'hidden', id: 'e-hukou_area', dataset: { field: 'hukou_area' } }), el('p', { className: 'error', hidden: true })),
    el('label', { for: 'e-residence_area-province' }, t('residenceArea')),
    el('div', { id: 'e-residence-picker', className: 'area-picker' },
      el('input', { type: 'hidden', id: 'e-residence_area', dataset: { field: 'residence_area' } }), el('p', { className: 'error', hidden: true })),
    ...fieldRow('e-residence_address', 'residenceAddress', input('e-residence_address', 'residence_address', r.residence_address)),
    ...fieldRow('e-g0-name', 'guardianName', input('e-g0-name', 'guardians[0].name', g.name)),
    ...fieldRow('e-g0-relation', 'guardianRelation', select('e-g0-relation', 'guardians[0].relation', words(RELATIONS), g.relation)),
    ...fieldRow('e-g0-phone', 'guardianPhone', input('e-g0-phone', 'guardians[0].phone', g.phone, { inputMode: 'tel' })),
    ...fieldRow('e-cg-name', 'caregiverName', input('e-cg-name', 'caregiver.name', cg.name)),
    ...fieldRow('e-cg-relation', 'caregiverRelation', select('e-cg-relation', 'caregiver.relation', words(['grandparent', 'father', 'mother', 'other']), cg.relation)),
    ...fieldRow('e-cg-phone', 'caregiverPhone', input('e-cg-phone', 'caregiver.phone', cg.phone, { inputMode: 'tel' })),
    ...fieldRow('e-school-name', 'schoolName', input('e-school-name', 'school.name', school.name)),
    el('label', { for: 'e-school-stage' }, t('schoolStageRow')),
    el('div', { className: 'row' },
      select('e-school-stage', 'school.stage', choose().concat(words(STAGES)), school.stage),
      el('select', { id: 'e-school-grade', dataset: { field: 'school.grade' }, 'aria-label': t('schoolGrade') }),
      select('e-school-status', 'school.status', choose().concat(words(SCHOOL_STATUSES)), school.status),
      el('p', { className: 'error', hidden: true })),
    el('div'),
    el('div', {},
      el('button', { type: 'submit' }, t('editSave')), ' ',
      el('button', { type: 'button', id: 'edit-cancel' }, t('editCancel')),
      el('p', { className: 'hint' }, t('editHint')),
      el('p', { className: 'error form-error', role: 'alert', hidden: true })));
  $('e-school-grade').setAttribute('data-field', 'school.grade');
  fillGrades(school.stage || '', school.grade);
  $('e-school-stage').addEventListener('change', () => fillGrades(value('e-school-stage')));
  $('edit-cancel').addEventListener('click', forgetEditForm);
  pickers = {
    hukou: areaPicker($('e-hukou-picker'), $('e-hukou_area'), t('hukouArea')),
    residence: areaPicker($('e-residence-picker'), $('e-residence_area'), t('residenceArea')),
  };
  $('edit-open').hidden = true;
  // The form is shown once the pickers hold the record's areas: a save before would change them.
  try {
    await pickers.hukou.setCode(r.hukou_area || '');
    await pickers.residence.setCode(r.residence_area || '');
  } catch (error) {
    showFieldError(f, error);
  }
  if (original !== r) return;  // closed (or opened again) meanwhile
  f.hidden = false;
  $('e-name').focus();
}

async function submit(event) {
  event.preventDefault();
  const f = form();
  clearFieldErrors(f);
  const childId = original && original.child_id;
  if (!childId) return;
  const body = changes();
  if (!Object.keys(body).length) {
    forgetEditForm();
    return;
  }
  try {
    const page = await call(`/api/children/${encodeURIComponent(childId)}`, { method: 'PUT', body });
    forgetEditForm();
    await drawPage(page);
    $('refer-done').textContent = t('editDone');
    $('refer-done').hidden = false;
  } catch (error) {
    const field = error && error.field ? error.field : '';
    // A refusal about an area names the hidden input; show it by its picker.
    showFieldError(f, error);
    if (field.endsWith('_area')) pickers[field.startsWith('hukou') ? 'hukou' : 'residence'].focus();
  }
}

// `draw(page)` draws the child's page from PUT's answer; `shownRecord()` is the record shown.
export function setUpEditForm(draw, shownRecord) {
  drawPage = draw;
  $('edit-open').addEventListener('click', () => {
    const record = shownRecord();
    if (record && record.child_id) openEditForm(record);
  });
  form().addEventListener('submit', submit);
  form().addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      forgetEditForm();
      $('edit-open').focus();
    }
  });
}
