// The registration form: the fields of a new child (docs/desk.md), sent to POST /api/children and
// checked there by the same rules as the command line. A refusal names the field; its message is
// shown next to that input. The ID number fills in the date of birth and sex (GB 11643: digits
// 7-14 are the birth date, digit 17 odd for male).

import { ApiError, call } from './api.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

function fieldInputs() {
  return [...document.querySelectorAll('#register-form [data-field]')];
}

function clearErrors() {
  for (const input of fieldInputs()) {
    input.removeAttribute('aria-invalid');
    const error = input.parentElement.querySelector('.error');
    error.hidden = true;
    error.textContent = '';
  }
  $('register-error').hidden = true;
}

// Shows `message` next to the input of `field` ("guardians[0].phone"), or under the form.
function showError(field, message) {
  const input = fieldInputs().find((i) => i.dataset.field === field) ||
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
  input.focus();
}

function value(id) {
  return $(id).value.trim();
}

// The record the form describes; empty optional fields are left out.
function record() {
  const guardian = { name: value('f-g0-name'), relation: value('f-g0-relation'), phone: value('f-g0-phone') };
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
  return out;
}

function fillFromIdNumber() {
  const id = value('f-id_number');
  if (!/^\d{17}[\dXx]$/.test(id)) return;
  $('f-birth_date').value = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  $('f-sex').value = Number(id[16]) % 2 === 1 ? 'M' : 'F';
}

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Opens an empty form. `registered(childId)` runs after a registration was saved.
export function openRegisterForm() {
  $('register-form').reset();
  clearErrors();
  $('f-consent-date').value = today();
  $('register').hidden = false;
  $('f-name').focus();
}

export function setUpRegisterForm(registered) {
  $('f-id_number').addEventListener('change', fillFromIdNumber);
  $('register-cancel').addEventListener('click', () => { $('register').hidden = true; });
  $('register-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    try {
      const { child_id: childId } = await call('/api/children', { method: 'POST', body: record() });
      $('register').hidden = true;
      registered(childId);
    } catch (error) {
      showError(error instanceof ApiError ? error.field : '', error.message);
    }
  });
}
