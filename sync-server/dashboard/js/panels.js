// A panel: a chart (ECharts) with the same numbers as a real <table>, a button to switch between
// them and a link to the API's CSV of the same question.
import { t } from './i18n.js';

const charts = new Set();

window.addEventListener('resize', () => {
  for (const chart of charts) chart.resize();
});

// Disposes every chart (before the panels are drawn again).
export function disposeCharts() {
  for (const chart of charts) chart.dispose();
  charts.clear();
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function table(caption, columns, rows) {
  const node = element('table', 'data');
  node.append(element('caption', '', caption));
  const head = node.createTHead().insertRow();
  for (const column of columns) {
    const th = element('th', '', column);
    th.scope = 'col';
    head.append(th);
  }
  const body = node.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const td = element(i === 0 ? 'th' : 'td', '', cell);
      if (i === 0) td.scope = 'row';
      tr.append(td);
    });
  }
  return node;
}

// A panel with title `title` appended to `container`, and its parts:
//   columns, rows  the table (cells as shown: text)
//   option         the ECharts option, or null for a table only
//   csv            the API's CSV address of the same question
//   summary        optional lines shown above the chart (headline figures)
export function addPanel(container, { id, title, columns, rows, option, csv, summary = [] }) {
  const panel = element('section', 'panel');
  panel.id = `panel-${id}`;
  panel.setAttribute('aria-labelledby', `${panel.id}-title`);
  const heading = element('h3', '', title);
  heading.id = `${panel.id}-title`;
  panel.append(heading);
  for (const line of summary) panel.append(element('p', 'summary', line));

  const tools = element('div', 'tools');
  const toggle = element('button', 'toggle', t('showTable'));
  toggle.type = 'button';
  const download = element('a', 'csv', t('downloadCsv'));
  download.href = csv;
  download.setAttribute('download', '');
  tools.append(toggle, download);
  panel.append(tools);

  const tableView = table(title, columns, rows);
  const chartView = element('div', 'chart');
  chartView.setAttribute('role', 'img');
  chartView.setAttribute('aria-label', title);
  panel.append(chartView, tableView);
  container.append(panel);

  if (!option || rows.length === 0) {
    chartView.hidden = true;
    toggle.hidden = true;
    if (rows.length === 0) tableView.after(element('p', 'empty', t('noData')));
    return panel;
  }
  tableView.hidden = true;
  const chart = window.echarts.init(chartView, null, { renderer: 'canvas' });
  chart.setOption({ aria: { enabled: true }, animation: false, ...option });
  charts.add(chart);
  toggle.addEventListener('click', () => {
    const showTable = tableView.hidden;
    tableView.hidden = !showTable;
    chartView.hidden = showTable;
    toggle.textContent = showTable ? t('showChart') : t('showTable');
    if (!showTable) chart.resize();
  });
  return panel;
}

// An ECharts bar chart option: one bar per label. Suppressed values (null) draw no bar.
export function barOption(labels, series, { percent = false, markAt } = {}) {
  return {
    grid: { left: 48, right: 16, top: series.length > 1 ? 32 : 16, bottom: 56, containLabel: true },
    legend: series.length > 1 ? { top: 0 } : undefined,
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: {
      type: 'value',
      max: percent ? 1 : undefined,
      axisLabel: percent ? { formatter: (v) => `${Math.round(v * 100)}%` } : {},
    },
    series: series.map((s, i) => ({
      type: 'bar',
      name: s.name,
      data: s.values,
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      markLine:
        markAt === undefined
          ? undefined
          : {
              symbol: 'none',
              data: [{ yAxis: markAt }],
              label: { formatter: () => (percent ? `${markAt * 100}%` : String(markAt)) },
              lineStyle: { color: '#8a1c1c' },
            },
    })),
  };
}

// Colours with at least 4.5:1 contrast against white (WCAG AA for text and marks).
export const PALETTE = ['#1f5fa8', '#b3471f', '#2c6e3f', '#6b3fa0', '#7a5a00'];
