// Field errors for the desk's small forms: the API names the field a refusal is about (`field`);
// its message goes next to the input marked data-field="that field", else under the form.

import { ApiError, TIMEOUT_SECONDS } from './api.js';
import { t } from './i18n.js';

// The words for a failed call.
export function errorText(error) {
  if (!(error instanceof ApiError)) return String(error && error.message ? error.message : error);
  if (error.kind === 'timeout') return t('timeout', { s: TIMEOUT_SECONDS });
  if (error.kind === 'network') return t('network');
  return error.message;
}

export function clearFieldErrors(form) {
  for (const input of form.querySelectorAll('[data-field]')) {
    input.removeAttribute('aria-invalid');
    const box = input.parentElement.querySelector('.error');
    if (box) {
      box.hidden = true;
      box.textContent = '';
    }
  }
  for (const box of form.querySelectorAll('.form-error')) {
    box.hidden = true;
    box.textContent = '';
  }
}

// Shows `error` next to its field in `form`, or in the form's .form-error.
export function showFieldError(form, error) {
  const field = (error && error.field) || '';
  const message = errorText(error);
  const input = field && form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  const box = input ? input.parentElement.querySelector('.error') : form.querySelector('.form-error');
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
  if (box) {
    box.textContent = message.replace(/^(字段 \S+?：|field \S+?: )/, '');
    box.hidden = false;
  }
}
