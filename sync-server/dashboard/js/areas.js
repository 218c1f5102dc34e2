// Area names from the API's GB/T 2260 table (GET /api/v1/areas?parent=…), asked once per parent.
import { call, query } from './api.js';
import { t } from './i18n.js';

const children = new Map(); // parent code ('' for provinces) → Promise of [{code, name}]

// The areas one level below `parent` ('' for the provinces), each named by its prefix (the
// API's 6-digit code "440300" as "4403"), as the other answers and the jurisdiction name them.
export function areasUnder(parent) {
  if (!children.has(parent)) {
    const digits = parent.length + 2;
    const answer = call(`/api/v1/areas?${query({ parent })}`).then((json) =>
      json.areas.map(({ code, name }) => ({ code: code.slice(0, digits), name })),
    );
    answer.catch(() => children.delete(parent));
    children.set(parent, answer);
  }
  return children.get(parent);
}

// The name of a 2-, 4- or 6-digit area code; the code itself when the table has none.
export async function areaName(code) {
  if (!code) return t('allChina');
  if (code === 'unknown') return t('unknown');
  const areas = await areasUnder(code.length <= 2 ? '' : code.slice(0, code.length - 2));
  return areas.find((area) => area.code === code)?.name ?? code;
}

// The names of several codes at once: Map code → name.
export async function areaNames(codes) {
  const unique = [...new Set(codes)];
  const names = await Promise.all(unique.map(areaName));
  return new Map(unique.map((code, i) => [code, names[i]]));
}
