// The overview of one area: what the API says about the children registered there, one panel per
// question, each panel's numbers straight from one API answer (its CSV link asks the same).
import { call, query } from './api.js';
import { areaNames } from './areas.js';
import * as format from './format.js';
import { t, valueLabel, valueRank } from './i18n.js';
import { addPanel, barOption } from './panels.js';
import { flowPanels } from './flows.js';
import { referralPanels } from './referrals.js';

// The last 12 whole months in China's calendar: {from: first day, to: last day}.
export function lastTwelveMonths(now = new Date()) {
  const [year, month] = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
  })
    .format(now)
    .split('-')
    .map(Number);
  const first = new Date(Date.UTC(year, month - 12, 1));
  const last = new Date(Date.UTC(year, month, 0));
  const day = (date) => date.toISOString().slice(0, 10);
  return { from: day(first), to: day(last) };
}

const COUNT_PANELS = [
  { id: 'category', dimension: 'category', title: 'panelCategory' },
  { id: 'sex', dimension: 'sex', title: 'panelSex' },
  { id: 'age', dimension: 'age_band', title: 'panelAge' },
  { id: 'vaccination', dimension: 'vaccination', title: 'panelVaccination' },
  { id: 'school-status', dimension: 'school_status', title: 'panelSchoolStatus' },
  { id: 'school-stage', dimension: 'school_stage', title: 'panelSchoolStage' },
];

// The total row after the groups' rows. No groups, no children: no rows at all, so that the panel
// says there are no data instead of drawing an empty chart over a total of 0.
function withTotal(rows, answer) {
  if (answer.groups.length > 0) rows.push([t('total'), format.count(answer.total)]);
}

async function countPanel(container, area, { id, dimension, title }) {
  const params = query({ area, by: dimension });
  const answer = await call(`/api/v1/counts?${params}`);
  const rank = (group) => valueRank(dimension, group[dimension]);
  answer.groups.sort((a, b) => rank(a) - rank(b));
  const labels = answer.groups.map((group) => valueLabel(dimension, group[dimension]));
  const rows = answer.groups.map((group, i) => [labels[i], format.count(group.count)]);
  withTotal(rows, answer);
  addPanel(container, {
    id,
    title: t(title),
    columns: [t(title), t('count')],
    rows,
    csv: `/api/v1/counts.csv?${params}`,
    option: barOption(labels, [{ name: t('count'), values: answer.groups.map((g) => g.count) }]),
  });
  return answer;
}

// The children whose hukou is in `area` and who live elsewhere, by where they live (a province
// for a province's official, else a prefecture), most first: what a sending area's official asks
// first (the API's moved_out=1).
async function livingElsewherePanel(container, area) {
  const dimension = `residence_area:${area.length <= 2 ? 2 : 4}`;
  const params = query({ area, moved_out: 1, by: dimension });
  const answer = await call(`/api/v1/counts?${params}`);
  answer.groups.sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
  const names = await areaNames(answer.groups.map((g) => g[dimension]));
  const labels = answer.groups.map((g) => names.get(g[dimension]));
  const rows = answer.groups.map((g, i) => [labels[i], format.count(g.count)]);
  withTotal(rows, answer);
  addPanel(container, {
    id: 'living-elsewhere',
    title: t('panelLivingElsewhere'),
    columns: [t('livesIn'), t('count')],
    rows,
    csv: `/api/v1/counts.csv?${params}`,
    option: barOption(labels, [{ name: t('count'), values: answer.groups.map((g) => g.count) }]),
  });
}

async function coveragePanel(container, area) {
  const params = query({ area });
  const answer = await call(`/api/v1/coverage?${params}`);
  const names = await areaNames(answer.rows.map((row) => row.area));
  const labels = answer.rows.map(
    (row) => `${names.get(row.area)} ${valueLabel('category', row.category)}`,
  );
  const rows = answer.rows.map((row, i) => [
    labels[i],
    format.count(row.registered),
    format.count(row.estimate),
    `${row.source} (${row.year})`,
    format.share(row.coverage),
  ]);
  addPanel(container, {
    id: 'coverage',
    title: t('panelCoverage'),
    columns: [t('area'), t('registered'), t('estimate'), t('source'), t('coverage')],
    rows,
    csv: `/api/v1/coverage.csv?${params}`,
    option: barOption(labels, [
      { name: t('registered'), values: answer.rows.map((row) => row.registered) },
      { name: t('estimate'), values: answer.rows.map((row) => row.estimate) },
    ]),
  });
}

// Draws every panel of `area` into `container`, each on its own: one that fails shows why in
// words and the others still show. Returns the registered children's answer (its as_of) or
// throws the first error when that answer failed.
export async function drawOverview(container, area) {
  const period = lastTwelveMonths();
  const kinds = [...COUNT_PANELS.map(() => 'count'), 'elsewhere', 'flows', 'referrals', 'coverage'];
  const slots = kinds.map(() => {
    const slot = document.createElement('div');
    slot.className = 'slot';
    container.append(slot);
    return slot;
  });
  const jobs = [
    ...COUNT_PANELS.map((panel, i) => countPanel(slots[i], area, panel)),
    livingElsewherePanel(slots[COUNT_PANELS.length], area),
    flowPanels(slots[COUNT_PANELS.length + 1], area, period),
    referralPanels(slots[COUNT_PANELS.length + 2], area, period),
    coveragePanel(slots[COUNT_PANELS.length + 3], area),
  ];
  const results = await Promise.allSettled(jobs);
  results.forEach((result, i) => {
    if (result.status === 'rejected') {
      const message = document.createElement('p');
      message.className = 'error';
      message.textContent = format.errorText(result.reason);
      slots[i].append(message);
    }
  });
  if (results[0].status === 'rejected') throw results[0].reason;
  return results[0].value;
}
