// Small DOM helpers for the desk's pages. Every value goes in with textContent (never parsed as
// HTML), so nothing a record holds can become markup.

export const $ = (id) => document.getElementById(id);

// el('td', {className: 'x'}, 'text', otherNode): an element with properties and children (strings
// become text nodes; null, undefined and false are skipped).
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('aria-') || key === 'for' || key === 'role') node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}

// A <select>'s options from [{value, label}], the first selected unless `selected` is given.
export function fillSelect(select, options, selected = '') {
  select.replaceChildren(...options.map((o) => el('option', { value: o.value, textContent: o.label })));
  if (selected !== '' && options.some((o) => o.value === selected)) select.value = selected;
}

// Today in the browser's time zone, YYYY-MM-DD (the desk's machine is in China).
export function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// "2026-12-08T02:10:00Z" -> "2026-12-08 10:10" in local time; "" stays "".
export function dateTimeText(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
