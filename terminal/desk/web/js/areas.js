// GB/T 2260 areas through GET /api/areas?under=CODE: the province → city → county picker of the
// registration form, and area names for codes the page was not given names for.

import { call } from './api.js';
import { el, fillSelect } from './dom.js';
import { t } from './i18n.js';

const children = new Map();  // parent code ('' = the provinces) -> [{code, name}]

export async function areasUnder(code = '') {
  if (!children.has(code)) {
    children.set(code, await call(`/api/areas?under=${encodeURIComponent(code)}`));
  }
  return children.get(code);
}

function provinceOf(code) {
  return `${code.slice(0, 2)}0000`;
}

function cityOf(code) {
  return `${code.slice(0, 4)}00`;
}

// The name of a 6-digit area code ("440306" -> "宝安区"), "" when unknown.
export async function areaName(code) {
  if (!/^\d{6}$/.test(code || '')) return '';
  try {
    const parent = code.endsWith('0000') ? '' : code.endsWith('00') ? provinceOf(code) : cityOf(code);
    let list = await areasUnder(parent);
    // A county directly under a province (e.g. 省直辖县级行政区划) is listed under its province.
    if (!list.some((a) => a.code === code) && parent !== provinceOf(code)) list = await areasUnder(provinceOf(code));
    return (list.find((a) => a.code === code) || {}).name || '';
  } catch {
    return '';
  }
}

// A picker of three selects inside `box`, writing the most precise chosen code into `output` (an
// input, usually hidden, that the form reads). Returns {reset(), setCode(code)}.
export function areaPicker(box, output, labelPrefix) {
  const make = (level) => el('select', { id: `${output.id}-${level}`, 'aria-label': `${labelPrefix}：${t(level)}`, dataset: { level } });
  const province = make('province');
  const city = make('city');
  const county = make('county');
  box.prepend(province, city, county);

  const placeholder = (level) => [{ value: '', label: t(`choose_${level}`) }];
  const write = () => {
    output.value = county.value || city.value || province.value;
    output.dispatchEvent(new Event('change', { bubbles: true }));
  };
  const load = async (select, level, parent) => {
    const list = parent === null ? [] : await areasUnder(parent);
    fillSelect(select, placeholder(level).concat(list.map((a) => ({ value: a.code, label: a.name }))));
    select.disabled = parent === null || list.length === 0;
  };

  province.addEventListener('change', async () => {
    await load(city, 'city', province.value || null);
    await load(county, 'county', null);
    write();
  });
  city.addEventListener('change', async () => {
    await load(county, 'county', city.value || null);
    write();
  });
  county.addEventListener('change', write);

  const picker = {
    async reset() {
      await load(province, 'province', '');
      await load(city, 'city', null);
      await load(county, 'county', null);
      output.value = '';
    },
    // Selects `code` (6 digits) at each level it names.
    async setCode(code) {
      await picker.reset();
      if (!/^\d{6}$/.test(code)) return;
      province.value = provinceOf(code);
      await load(city, 'city', province.value);
      if (!code.endsWith('0000')) {
        city.value = cityOf(code);
        if (city.value) await load(county, 'county', city.value);
        if (!code.endsWith('00')) county.value = code;
      }
      write();
    },
    focus() {
      (county.value || !city.value ? (city.value ? county : province) : county).focus();
    },
  };
  return picker;
}
