// How numbers, shares and times read on the page. A count the API suppressed (null: fewer than
// 5 children, docs/disclosure-control.md) reads "<5", as in the API's CSV.
import { TIMEOUT_SECONDS } from './api.js';
import { currentLanguage, t } from './i18n.js';

function locale() {
  return currentLanguage() === 'en' ? 'en-GB' : 'zh-CN';
}

export function count(value) {
  return value === null || value === undefined ? '<5' : value.toLocaleString(locale());
}

// A sum of published cells; "≥" when some cells were suppressed and so are not in it.
export function partialSum(sum, anySuppressed) {
  if (!anySuppressed) return count(sum);
  return sum === 0 ? '<5' : `≥${count(sum)}`;
}

// A share 0..1 as a percentage with one decimal; "—" when the API gives none.
export function share(value) {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

export function dateTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale(), { timeZone: 'Asia/Shanghai', hour12: false });
}

// Words for an ApiError, for the person reading the page.
export function errorText(error) {
  if (error.kind === 'timeout') return t('timeout', { s: TIMEOUT_SECONDS });
  if (error.kind === 'network') return t('network');
  if (error.status === 403 && error.code === 'outside_jurisdiction') return t('outside');
  if (error.status === 401) return t('expired');
  return t('serverError', { status: error.status, message: error.message });
}
