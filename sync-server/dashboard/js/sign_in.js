// The sign-in form: user and password, and the 6-digit code when the account has a second factor
// (the API answers 401 totp_required; the form then asks for it). Refusals read in words: wrong
// password, too many attempts (with the wait the server gives in Retry-After), locked account.
import { call } from './api.js';
import * as format from './format.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

function refusalText(error) {
  if (error.status === 401 && error.code === 'totp_required') return t('totpNeeded');
  if (error.status === 401 && $('totp-field').hidden === false) return t('totpWrong');
  if (error.status === 401) return t('wrongPassword');
  if (error.status === 429 && error.code === 'account_locked') {
    return t('locked', { s: error.retryAfter, m: Math.ceil(error.retryAfter / 60) });
  }
  if (error.status === 429) return t('rateLimited', { s: error.retryAfter });
  return format.errorText(error);
}

// Sends the form; `onSignedIn` receives the session (user, role, area, csrf_token, ...).
export function startSignIn(onSignedIn) {
  const form = $('sign-in-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('sign-in-error');
    error.hidden = true;
    const body = { user: $('user').value.trim(), password: $('password').value };
    if (!$('totp-field').hidden && $('totp').value) body.totp = $('totp').value.trim();
    $('sign-in-button').disabled = true;
    try {
      const session = await call('/api/v1/session', { method: 'POST', body, signedIn: false });
      form.reset();
      $('totp-field').hidden = true;
      onSignedIn(session);
    } catch (refusal) {
      if (refusal.code === 'totp_required') {
        $('totp-field').hidden = false;
        $('totp').focus();
      }
      error.textContent = refusalText(refusal);
      error.hidden = false;
    } finally {
      $('sign-in-button').disabled = false;
    }
  });
}
