// The child's page: the record, the doses done, due and overdue today, and the referrals.
// Everything is written with textContent: no value of a record is ever parsed as HTML.

import { t } from './i18n.js';

function row(list, label, value) {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value === undefined || value === null || value === '' ? '—' : String(value);
  list.append(dt, dd);
}

function sexLabel(sex) {
  return sex === 'M' ? t('male') : sex === 'F' ? t('female') : sex;
}

// "泗洪县（321324）": the area's name from the page's area_names, and its code.
function areaText(code, names) {
  if (!code) return '';
  return names && names[code] ? `${names[code]}（${code}）` : code;
}

function guardiansText(guardians) {
  return (guardians || [])
    .map((g) => [g.name, g.relation ? t(g.relation) : '', g.phone].filter(Boolean).join(' '))
    .join('；');
}

function dosesText(list) {
  return list && list.length ? list.map((d) => `${d.vaccine} ${d.dose}`).join('、') : t('none');
}

function drawDoses(box, doses) {
  box.replaceChildren();
  if (!doses) return;
  const list = document.createElement('dl');
  list.className = 'record';
  row(list, t('dosesDone'), dosesText(doses.done));
  row(list, t('dosesDue'), dosesText(doses.due));
  row(list, t('dosesOverdue'), dosesText(doses.overdue));
  if (doses.overdue && doses.overdue.length) list.lastChild.classList.add('overdue');
  box.append(list);
}

function drawReferrals(box, referrals) {
  box.replaceChildren();
  if (!referrals || !referrals.length) {
    const p = document.createElement('p');
    p.textContent = t('noReferrals');
    box.append(p);
    return;
  }
  const ul = document.createElement('ul');
  for (const r of referrals) {
    const li = document.createElement('li');
    li.textContent = [r.referral_id, r.service, r.to_site, r.status].filter(Boolean).join(' · ');
    ul.append(li);
  }
  box.append(ul);
}

// Draws `page` (GET /api/children/{id}) into the #child section.
export function drawChild(page) {
  const record = page.record || {};
  const title = document.getElementById('child-title');
  const list = document.getElementById('child-record');
  list.replaceChildren();
  if (record.closed_on) {
    title.textContent = record.child_id;
    row(list, t('childId'), record.child_id);
    list.append(Object.assign(document.createElement('dd'), { textContent: t('closed', { d: record.closed_on }) }));
    drawDoses(document.getElementById('child-doses'), null);
    drawReferrals(document.getElementById('child-referrals'), []);
    return;
  }
  title.textContent = `${record.name || ''}（${record.child_id || ''}）`;
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
  row(list, t('school'), record.school ? record.school.name : '');
  row(list, t('cardSerial'), record.card_serial);
  drawDoses(document.getElementById('child-doses'), page.doses);
  drawReferrals(document.getElementById('child-referrals'), record.referrals);
}
