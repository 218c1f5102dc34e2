// The sites this terminal knows (GET /api/sites, from sync): names for site ids, and the choices
// of a referral's target (never the own site).

import { call } from './api.js';
import { fillSelect } from './dom.js';
import { paren, t } from './i18n.js';

let sites = null;
let stale = true;

export async function loadSites() {
  if (!sites || stale) {
    sites = await call('/api/sites');
    stale = false;
  }
  return sites;
}

// After a sync: the list is asked for again when next needed; the names known stay meanwhile.
export function sitesMayHaveChanged() {
  stale = true;
}

// A lock: nothing kept.
export function forgetSites() {
  sites = null;
  stale = true;
}

// The site's name, else its id.
export function siteName(siteId) {
  const site = (sites || []).find((s) => s.site_id === siteId);
  return site ? site.name : siteId || '';
}

// Fills `select` with the other sites ("name（area name）"), keeping `selected` when offered.
// Returns how many sites were offered.
export async function fillSiteSelect(select, selected = '') {
  const others = (await loadSites()).filter((s) => !s.is_own);
  fillSelect(select, [{ value: '', label: t('chooseSite') }].concat(others.map((s) => ({
    value: s.site_id,
    label: s.area_name ? s.name + paren(s.area_name) : s.name,
  }))), selected);
  return others.length;
}
