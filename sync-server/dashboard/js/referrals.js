// Referral outcomes of the sites in an area (GET /api/v1/referrals/stats) against the
// programme's targets: a service is "effective" when at least 50% of its referrals were completed
// and "appropriate" when at most 5% were declined as inappropriate (1 − share ≥ 95%). A share the
// API withholds (its count is "<5") cannot be judged.
import { call, query } from './api.js';
import * as format from './format.js';
import { t, valueLabel } from './i18n.js';
import { addPanel, barOption } from './panels.js';

const EFFECTIVE_AT = 0.5;
const APPROPRIATE_AT = 0.95;

function verdict(value, meets) {
  if (value === null || value === undefined) return t('notKnown');
  return meets(value) ? t('meets') : t('misses');
}

function outcomesPanel(container, answer, params) {
  const labels = answer.groups.map((g) => valueLabel('service', g.service));
  const rows = answer.groups.map((g, i) => [
    labels[i],
    format.count(g.count),
    format.share(g.completed_share),
    verdict(g.completed_share, (v) => v >= EFFECTIVE_AT),
    format.share(g.declined_inappropriate_share),
    verdict(g.declined_inappropriate_share, (v) => 1 - v >= APPROPRIATE_AT),
  ]);
  const completed = answer.groups.map((g) => g.completed_share);
  const appropriate = answer.groups.map((g) => {
    const declined = g.declined_inappropriate_share;
    return declined === null || declined === undefined ? null : 1 - declined;
  });
  const withheld = [...completed, ...appropriate].some((v) => v === null);
  // No referrals: no rows at all, so that the panel says there is nothing rather than a total of 0.
  if (rows.length > 0) rows.push([t('total'), format.count(answer.total), '', '', '', '']);
  addPanel(container, {
    id: 'referrals',
    title: t('panelReferrals'),
    columns: [
      t('service'),
      t('referrals'),
      t('completedShare'),
      t('effective'),
      t('inappropriateShare'),
      t('appropriate'),
    ],
    rows,
    csv: `/api/v1/referrals/stats.csv?${params}`,
    notes: withheld ? [t('sharesWithheld')] : [],
    option: barOption(
      labels,
      [
        {
          name: t('completedShare'),
          values: completed,
          target: { at: EFFECTIVE_AT, label: t('effectiveTarget') },
        },
        {
          name: t('appropriateShare'),
          values: appropriate,
          target: { at: APPROPRIATE_AT, label: t('appropriateTarget') },
        },
      ],
      { percent: true },
    ),
  });
}

function trendPanel(container, answer, params) {
  const months = answer.groups.map((g) => g.period);
  addPanel(container, {
    id: 'referral-trend',
    title: t('panelReferralTrend'),
    columns: [t('month'), t('referrals')],
    rows: answer.groups.map((g) => [g.period, format.count(g.count)]),
    csv: `/api/v1/referrals/stats.csv?${params}`,
    option: barOption(months, [{ name: t('referrals'), values: answer.groups.map((g) => g.count) }]),
  });
}

export async function referralPanels(container, area, { from, to }) {
  const byService = query({ area, by: 'service', from, to });
  const byPeriod = query({ area, by: 'period', from, to });
  const [services, periods] = await Promise.all([
    call(`/api/v1/referrals/stats?${byService}`),
    call(`/api/v1/referrals/stats?${byPeriod}`),
  ]);
  outcomesPanel(container, services, byService);
  trendPanel(container, periods, byPeriod);
}
