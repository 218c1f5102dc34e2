// The card reader, live: follows the desk's event stream (GET /api/events, docs/desk.md "Events")
// and tells the page what happened. EventSource reconnects by itself and is sent what it missed.

import { call } from './api.js';
import { t } from './i18n.js';

function status(text, bad) {
  const box = document.getElementById('card-status');
  box.textContent = text;
  box.classList.toggle('bad', bad);
  box.hidden = false;
}

function showReader(reader) {
  if (!reader.available) status(t('readerGone', { message: reader.message }), true);
  else if (document.getElementById('card-status').classList.contains('bad')) {
    document.getElementById('card-status').hidden = true;
  }
}

// `openChild(childId)` shows a child's page; `alsoFollow(events)` adds the page's other listeners
// (card writes, referrals, sync) before anything can fail.
export async function followCardEvents(openChild, alsoFollow = () => {}) {
  const events = new EventSource('/api/events');
  alsoFollow(events);
  events.addEventListener('card', (event) => {
    const card = JSON.parse(event.data);
    if (card.outcome === 'read' && card.closed_on) {
      status(t('cardClosed', { serial: card.serial, d: card.closed_on }), false);
    } else if (card.outcome === 'read') {
      const imported = card.imported ? ` ${t('cardImported')}` : '';
      status(t('cardRead', { serial: card.serial, signer: card.signer_terminal_id }) + imported, false);
      openChild(card.child_id);
    } else if (card.outcome === 'locked') {
      status(t('cardLocked'), true);
    } else {
      status(card.message, true);
    }
  });
  events.addEventListener('card.removed', () => status(t('cardRemoved'), false));
  events.addEventListener('reader', (event) => showReader(JSON.parse(event.data)));
  showReader(await call('/api/reader'));  // the state before the stream opened
  return events;
}
