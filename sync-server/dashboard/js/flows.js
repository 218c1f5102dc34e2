// Moves into and out of an area (GET /api/v1/flows, docs/flows.md): a Sankey of from-area →
// to-area and the months' moves in and out. The API answers by from-area, to-area and month; the
// Sankey's links and the months' figures add up its published cells, so a cell suppressed as "<5"
// is not in them (they read "≥N" then). The tables list the API's own cells.
import { call, query } from './api.js';
import { areaNames } from './areas.js';
import * as format from './format.js';
import { t } from './i18n.js';
import { addPanel, barOption, PALETTE } from './panels.js';

// Published cells summed by `keyOf`: Map key → {sum, suppressed}.
function sumBy(groups, keyOf) {
  const sums = new Map();
  for (const group of groups) {
    const key = keyOf(group);
    if (key === null) continue;
    const entry = sums.get(key) ?? { sum: 0, suppressed: false };
    if (group.count === null) entry.suppressed = true;
    else entry.sum += group.count;
    sums.set(key, entry);
  }
  return sums;
}

function sankeyOption(links, names) {
  // Ends are distinct nodes ("from:" and "to:"), so a move back (A → B and B → A) is no cycle.
  const nodes = new Map();
  for (const [key] of links) {
    const [from, to] = key.split('>');
    nodes.set(`from:${from}`, names.get(from));
    nodes.set(`to:${to}`, names.get(to));
  }
  return {
    tooltip: { trigger: 'item', renderMode: 'richText' },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 96,
        nodeGap: 12,
        data: [...nodes.keys()].map((name) => ({ name })),
        links: [...links].map(([key, { sum }]) => {
          const [from, to] = key.split('>');
          return { source: `from:${from}`, target: `to:${to}`, value: sum };
        }),
        label: { formatter: (params) => nodes.get(params.name), color: '#1a1a1a' },
        lineStyle: { color: 'source', opacity: 0.45 },
        itemStyle: { color: PALETTE[0] },
      },
    ],
  };
}

async function sankeyPanel(container, answer, params, names) {
  const links = sumBy(answer.groups, (g) => `${g.from_area}>${g.to_area}`);
  const rows = answer.groups.map((g) => [
    names.get(g.from_area),
    names.get(g.to_area),
    g.month,
    format.count(g.count),
  ]);
  addPanel(container, {
    id: 'flows',
    title: t('panelFlows'),
    summary: [
      `${t('movedIn')}: ${format.count(answer.moved_in)}`,
      `${t('movedOut')}: ${format.count(answer.moved_out)}`,
    ],
    columns: [t('fromArea'), t('toArea'), t('month'), t('count')],
    rows,
    csv: `/api/v1/flows.csv?${params}`,
    // Every link suppressed: nothing to draw in proportion, the table says "<5".
    option: [...links.values()].some((l) => l.sum > 0) ? sankeyOption(links, names) : null,
  });
}

function trendPanel(container, answer, area, params) {
  const into = sumBy(answer.groups, (g) => (g.to_area.startsWith(area) ? g.month : null));
  const out = sumBy(answer.groups, (g) => (g.from_area.startsWith(area) ? g.month : null));
  const months = [...new Set(answer.groups.map((g) => g.month))].sort();
  const none = { sum: 0, suppressed: false };
  const rows = months.map((month) => {
    const i = into.get(month) ?? none;
    const o = out.get(month) ?? none;
    return [month, format.partialSum(i.sum, i.suppressed), format.partialSum(o.sum, o.suppressed)];
  });
  // A month whose every cell is suppressed draws "<5" (null), not a bar of 0.
  const bar = (entry = none) => (entry.suppressed && entry.sum === 0 ? null : entry.sum);
  const option = barOption(months, [
    { name: t('movedIn'), values: months.map((m) => bar(into.get(m))) },
    { name: t('movedOut'), values: months.map((m) => bar(out.get(m))) },
  ]);
  addPanel(container, {
    id: 'flow-trend',
    title: t('panelFlowTrend'),
    columns: [t('month'), t('movedIn'), t('movedOut')],
    rows,
    csv: `/api/v1/flows.csv?${params}`,
    option,
  });
}

export async function flowPanels(container, area, { from, to }) {
  const level = area.length <= 2 ? 4 : 6;
  const params = query({ area, from, to, by: `from_area:${level},to_area:${level}` });
  const answer = await call(`/api/v1/flows?${params}`);
  const names = await areaNames(answer.groups.flatMap((g) => [g.from_area, g.to_area]));
  await sankeyPanel(container, answer, params, names);
  trendPanel(container, answer, area, params);
}
