// The worklists: children with overdue doses (GET /api/worklists/overdue), each with one action
// that refers the child to a health site; and the referrals of this site (GET /api/referrals):
// those addressed here (accept, decline with a coded reason, complete with the outcome, close when
// the child was not reached) and those made here, with their status. Lists reload on the desk's
// `referrals` event.

import { call } from './api.js';
import { $, dateTimeText, el, fillSelect } from './dom.js';
import { clearFieldErrors, errorText, showFieldError } from './forms.js';
import { paren, t, tIn } from './i18n.js';
import { statusText } from './child_view.js';
import { fillSiteSelect, loadSites, siteName } from './sites.js';
import { doseName, vaccineName } from './vaccines.js';

const DECLINE_REASONS = ['inappropriate', 'no_capacity', 'family_refused', 'other'];

let lastHealthSite = '';  // the health site chosen last, in this page's memory only
let openChild = async () => {};

function cells(...values) {
  return values.map((v) => el('td', {}, v));
}

function button(label, onClick, props = {}) {
  const b = el('button', { type: 'button', textContent: label, ...props });
  b.addEventListener('click', onClick);
  return b;
}

function childCell(childId, name) {
  if (!name) return t('notHeldHere');
  return button(name, () => openChild(childId), { className: 'link' });
}

function showListError(id, error) {
  $(id).textContent = errorText(error);
  $(id).hidden = !error;
}

// ---- overdue doses ----

function overdueText(overdue) {
  return overdue.map((d) => doseName(d.vaccine, d.dose) + paren(t('overdueDue', { d: d.due_on }))).join(t('listSep'));
}

// The reason a clinic nurse reads: in Chinese, the working language of the sites, the doses
// grouped by vaccine ("乙肝疫苗第2、3剂；麻腮风疫苗第1剂"), within the 500 bytes a reason may hold
// (protocol referral.h kMaxReferralReasonBytes): what does not fit is counted ("等共 12 剂").
const REASON_BYTES = 500;

function overdueReason(overdue) {
  const byVaccine = new Map();
  for (const d of overdue) byVaccine.set(d.vaccine, [...(byVaccine.get(d.vaccine) || []), d.dose]);
  const groups = [...byVaccine].map(([vaccine, doses]) => `${vaccineName(vaccine, 'zh')}第${doses.join('、')}剂`);
  const bytes = (text) => new TextEncoder().encode(text).length;
  for (let n = groups.length; n > 0; --n) {
    const more = n < groups.length ? `等，共 ${overdue.length} 剂` : '';
    const reason = tIn('zh', 'overdueReason', { doses: groups.slice(0, n).join('；') + more });
    if (bytes(reason) <= REASON_BYTES) return reason;
  }
  return tIn('zh', 'overdueReason', { doses: `共 ${overdue.length} 剂` });
}

async function referToHealth(child, row) {
  const form = $('overdue-form');
  clearFieldErrors(form);
  row.querySelector('.error').hidden = true;
  if (!$('overdue-site').value) {
    showFieldError(form, Object.assign(new Error(t('chooseSite')), { field: 'to_site' }));
    return;
  }
  try {
    await call(`/api/children/${encodeURIComponent(child.child_id)}/referrals`, {
      method: 'POST',
      body: { service: 'health', to_site: $('overdue-site').value, reason: overdueReason(child.overdue) },
    });
    await loadOverdue();
  } catch (error) {
    if (error.field === 'to_site') showFieldError(form, error);
    else {
      row.querySelector('.error').textContent = errorText(error);
      row.querySelector('.error').hidden = false;
    }
  }
}

function drawOverdue(children) {
  const body = $('overdue-body');
  body.replaceChildren();
  for (const child of children) {
    const action = el('td');
    const tr = el('tr', { dataset: { child: child.child_id } },
      el('td', {}, childCell(child.child_id, child.name)), ...cells(child.birth_date, overdueText(child.overdue)), action);
    if (child.open_health_referral) action.append(el('span', { className: 'muted' }, t('overdueReferred')));
    else action.append(button(t('overdueRefer'), () => referToHealth(child, tr)));
    action.append(el('p', { className: 'error', hidden: true }));
    body.append(tr);
  }
  $('overdue-none').hidden = children.length > 0;
}

export async function loadOverdue(background = false) {
  showListError('overdue-error', null);
  try {
    await fillSiteSelect($('overdue-site'), lastHealthSite);
    drawOverdue(await call('/api/worklists/overdue', { background }));
  } catch (error) {
    showListError('overdue-error', error);
  }
}

// ---- referrals ----

// An inline form under a referral's row: fields, then 确定; `send(values)` calls the desk.
function inlineForm(tr, fields, send) {
  tr.parentElement.querySelectorAll('tr.inline').forEach((r) => r.remove());
  const form = el('form', { className: 'inline-form', noValidate: true });
  for (const f of fields) form.append(el('label', { for: f.input.id }, f.label), el('span', {}, f.input, el('span', { className: 'error', hidden: true })));
  const cancel = button(t('cancel'), () => holder.remove());
  form.append(el('button', { type: 'submit', textContent: t('confirm') }), cancel,
    el('p', { className: 'error form-error', role: 'alert', hidden: true }));
  const holder = el('tr', { className: 'inline' }, el('td', { colSpan: 8 }, form));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    try {
      await send();
      await loadReferrals();
    } catch (error) {
      showFieldError(form, error);
    }
  });
  tr.after(holder);
  fields[0].input.focus();
}

function noteInput(id, label) {
  return { label, input: el('input', { id, autocomplete: 'off', dataset: { field: 'note' } }) };
}

function act(r, verb, body) {
  return call(`/api/referrals/${encodeURIComponent(r.referral_id)}/${verb}`, { method: 'POST', body });
}

function actionsFor(r, tr) {
  const box = el('td', { className: 'actions' });
  if (r.status === 'requested' || r.status === 'open') {
    box.append(button(t('accept'), async () => {
      try {
        await act(r, 'accept', {});
        await loadReferrals();
      } catch (error) {
        showListError('referrals-error', error);
      }
    }));
    box.append(button(t('decline'), () => {
      const reason = el('select', { id: `decline-${r.referral_id}`, dataset: { field: 'reason' } });
      fillSelect(reason, DECLINE_REASONS.map((c) => ({ value: c, label: t(c) })));
      const note = noteInput(`decline-note-${r.referral_id}`, t('note'));
      inlineForm(tr, [{ label: t('declineReason'), input: reason }, note],
        () => act(r, 'decline', { reason: reason.value, note: note.input.value.trim() }));
    }));
  }
  if (r.status === 'accepted') {
    box.append(button(t('complete'), () => {
      const note = noteInput(`complete-${r.referral_id}`, t('outcomeNote'));
      inlineForm(tr, [note], () => act(r, 'complete', { note: note.input.value.trim() }));
    }));
    box.append(button(t('closeUnreached'), () => {
      const note = noteInput(`close-${r.referral_id}`, t('note'));
      inlineForm(tr, [note], () => act(r, 'close', { note: note.input.value.trim() }));
    }));
  }
  return box;
}

function drawReferralLists(lists) {
  const incoming = $('for-this-site-body');
  incoming.replaceChildren();
  for (const r of lists.for_this_site || []) {
    const tr = el('tr', { dataset: { referral: r.referral_id } },
      el('td', {}, childCell(r.child_id, r.child_name)),
      ...cells(t(r.service), siteName(r.from_site), r.reason || '', statusText(r), r.outcome || '', dateTimeText(r.created_at)));
    tr.append(actionsFor(r, tr));
    incoming.append(tr);
  }
  $('for-this-site-none').hidden = incoming.children.length > 0;
  const outgoing = $('made-here-body');
  outgoing.replaceChildren();
  for (const r of lists.made_here || []) {
    outgoing.append(el('tr', { dataset: { referral: r.referral_id } },
      el('td', {}, childCell(r.child_id, r.child_name)),
      ...cells(t(r.service), siteName(r.to_site), r.reason || '', statusText(r), r.outcome || '', dateTimeText(r.updated_at))));
  }
  $('made-here-none').hidden = outgoing.children.length > 0;
}

export async function loadReferrals(background = false) {
  showListError('referrals-error', null);
  try {
    await loadSites();
    drawReferralLists(await call('/api/referrals', { background }));
  } catch (error) {
    showListError('referrals-error', error);
  }
}

// Empties the worklists (a lock, the idle limit).
export function forgetWorklists() {
  for (const id of ['overdue-body', 'for-this-site-body', 'made-here-body']) $(id).replaceChildren();
  for (const id of ['overdue-error', 'referrals-error']) $(id).hidden = true;
}

// `openChildPage(childId)` shows a child; `events` is the desk's event stream.
export function setUpWorklists(openChildPage, events) {
  openChild = openChildPage;
  $('overdue-site').addEventListener('change', () => { lastHealthSite = $('overdue-site').value; });
  $('overdue-form').addEventListener('submit', (event) => event.preventDefault());
  events.addEventListener('referrals', () => {
    if (!$('worklist-referrals').hidden) loadReferrals(true);
    if (!$('overdue').hidden) loadOverdue(true);
  });
}
