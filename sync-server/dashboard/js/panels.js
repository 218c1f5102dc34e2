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
//   notes          optional lines of explanation (how to read what the panel shows)
export function addPanel(
  container,
  { id, title, columns, rows, option, csv, summary = [], notes = [] },
) {
  const panel = element('section', 'panel');
  panel.id = `panel-${id}`;
  panel.setAttribute('aria-labelledby', `${panel.id}-title`);
  const heading = element('h3', '', title);
  heading.id = `${panel.id}-title`;
  panel.append(heading);
  for (const line of summary) panel.append(element('p', 'summary', line));
  for (const line of notes) panel.append(element('p', 'note', line));

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

  if (rows.length === 0) {
    // Nothing to show: words instead of an empty chart or a table of headings.
    chartView.hidden = true;
    tableView.hidden = true;
    toggle.hidden = true;
    tableView.after(element('p', 'empty', t('noData')));
    return panel;
  }
  if (!option) {
    chartView.hidden = true;
    toggle.hidden = true;
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

// The text of a value a chart cannot draw as a bar: a count suppressed as "<5", a share withheld.
function withheldText(percent) {
  return percent ? t('notPublished') : '<5';
}

// A bar's datum: a value draws its bar; null (suppressed, withheld) draws none but says so in
// words where the bar would stand, so that it never reads as zero.
function barDatum(value, percent) {
  if (value !== null && value !== undefined) return value;
  return {
    value: 0,
    label: { show: true, position: 'top', formatter: withheldText(percent), color: '#1a1a1a' },
  };
}

// The tooltip's words for one bar: the value as the table shows it.
function valueText(value, percent) {
  if (value === null || value === undefined) return withheldText(percent);
  return percent ? `${(value * 100).toFixed(1)}%` : value.toLocaleString();
}

// A target line across the chart at `at`, in the colour of its series, its label inside the
// plot (at the right end, above the line) so that it is never cut off at the chart's edge.
function targetLine(at, label, color) {
  return {
    symbol: 'none',
    silent: true,
    data: [{ yAxis: at }],
    label: { position: 'insideEndTop', formatter: label, color },
    lineStyle: { color, type: 'dashed' },
  };
}

// An ECharts bar chart option: one bar per label, one colour per series. A series is
// {name, values, target?: {at, label}}: values are numbers, or null where the API gives none
// (labelled "<5", or "未公布" for shares when `percent`); a target draws as a dashed line.
export function barOption(labels, series, { percent = false } = {}) {
  return {
    grid: { left: 48, right: 16, top: series.length > 1 ? 32 : 16, bottom: 56, containLabel: true },
    legend: series.length > 1 ? { top: 0 } : undefined,
    tooltip: {
      trigger: 'axis',
      renderMode: 'richText',
      formatter: (items) => {
        const lines = items.map(
          (item) =>
            `${item.seriesName}: ${valueText(series[item.seriesIndex].values[item.dataIndex], percent)}`,
        );
        return [items[0].axisValueLabel, ...lines].join('\n');
      },
    },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: {
      type: 'value',
      max: percent ? 1 : undefined,
      axisLabel: percent ? { formatter: (v) => `${Math.round(v * 100)}%` } : {},
    },
    series: series.map((s, i) => {
      const color = PALETTE[i % PALETTE.length];
      return {
        type: 'bar',
        name: s.name,
        data: s.values.map((value) => barDatum(value, percent)),
        itemStyle: { color },
        markLine: s.target ? targetLine(s.target.at, s.target.label, color) : undefined,
      };
    }),
  };
}

// Colours with at least 4.5:1 contrast against white (WCAG AA for text and marks).
export const PALETTE = ['#1f5fa8', '#b3471f', '#2c6e3f', '#6b3fa0', '#7a5a00'];
