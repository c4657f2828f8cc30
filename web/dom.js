// Small DOM and formatting helpers shared by the pages. No inline styles or
// handlers anywhere (the server's Content-Security-Policy forbids them).

// h('a', {href: '/x', class: 'c', on: {click: fn}}, 'text', child, [more]) → an element.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const a = attrs || {};
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === null || v === false || k === 'value') continue;
    if (k === 'on') {
      for (const [name, fn] of Object.entries(v)) el.addEventListener(name, fn);
    } else if (k === 'class') {
      el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    } else if (k === 'checked' || k === 'selected' || k === 'multiple') {
      el[k] = Boolean(v);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  if (a.value !== undefined && a.value !== null) el.value = a.value;
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false || c === '') continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let idCounter = 0;
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// ---- dates (civil dates as 'YYYY-MM-DD' strings, computed in UTC so no time zone shifts them)

export function addDays(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

export function daysBetween(fromIso, toIso) {
  const a = Date.parse(fromIso + 'T00:00:00Z');
  const b = Date.parse(toIso + 'T00:00:00Z');
  return Math.round((b - a) / 86400000);
}

export function localToday() {
  const t = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`;
}

const WEEKDAYS = ['söndag', 'måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag'];
const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti',
  'september', 'oktober', 'november', 'december'];

// '2023-03-01' → 'onsdag 1 mars 2023'
export function longDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[wd]} ${d} ${MONTHS[m - 1]} ${y}`;
}

// An RFC 3339 instant as 'YYYY-MM-DD HH:MM' (the wall time the server wrote).
export function instant(s) {
  if (!s) return '';
  return s.slice(0, 10) + ' ' + s.slice(11, 16);
}

export function days(n) {
  return n === 1 ? '1 dag' : `${n} dagar`;
}

// ---- labels

export const ROLE_LABELS = {
  admin: 'Administratör',
  registrar: 'Registrator',
  secretary: 'Nämndsekreterare',
  presidium: 'Presidium',
  officer: 'Handläggare',
  reader: 'Läsare',
};

export const OUTCOMES = [
  ['approved', 'Bifall'],
  ['rejected', 'Avslag'],
  ['answered', 'Anse besvarad'],
  ['partly_approved', 'Delvis bifall'],
];

export const TYPE_LABELS = { motion: 'Motion', remiss: 'Remiss' };

// State codes with their labels, per case type (api.md).
export const STATES = {
  motion: [
    ['registered', 'Registrerad'],
    ['distributed', 'Fördelad'],
    ['in_preparation', 'Under beredning'],
    ['answered', 'Besvarad av nämnd'],
    ['board_preparation', 'Beredning i regionstyrelsen'],
    ['ready_for_council', 'Klar för beslut i fullmäktige'],
    ['decided', 'Beslutad'],
    ['written_off', 'Avskriven'],
    ['withdrawn', 'Återtagen'],
  ],
  remiss: [
    ['registered', 'Registrerad'],
    ['distributed', 'Fördelad'],
    ['in_preparation', 'Under beredning'],
    ['proposal_ready', 'Förslag till yttrande klart'],
    ['decided', 'Yttrande beslutat'],
    ['answered', 'Yttrande skickat'],
    ['declined', 'Avstår från att yttra sig'],
    ['withdrawn', 'Återkallad'],
  ],
};

// ---- status marks: always a word, never colour alone

export function badge(text, kind, icon) {
  return h('span', { class: ['badge', kind && 'badge-' + kind] },
    icon ? h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, icon) : null, text);
}

export function overdueBadge(daysOverdue) {
  return badge(daysOverdue === undefined ? 'Försenad' : `Försenad ${days(daysOverdue)}`, 'overdue', '⚠');
}

// A deadline's status in words: Försenad 12 dagar / Klar 2022-05-01 / Om 5 dagar / I dag / Avbruten.
export function deadlineBadge(d) {
  switch (d.status) {
    case 'overdue':
      return overdueBadge(d.days_overdue);
    case 'met':
      return badge(d.met_late ? `Klar ${d.met_on} (för sent)` : `Klar ${d.met_on}`, 'met', '✓');
    case 'cancelled':
      return badge('Avbruten (ärendet avslutat)', 'cancelled', '–');
    default:
      if (d.days_left === 0) return badge('Förfaller i dag', 'soon', '!');
      if (d.days_left !== undefined && d.days_left <= 14) return badge(`Om ${days(d.days_left)}`, 'soon', '◷');
      return badge(d.days_left !== undefined ? `Om ${days(d.days_left)}` : 'Öppen', 'open', '◷');
  }
}

// ---- messages

// A notice box: kind 'error' | 'success' | 'info' | 'warning'. Errors are role=alert.
export function notice(kind, ...children) {
  const titles = { error: 'Fel', success: 'Klart', info: 'Information', warning: 'Observera' };
  return h('div', { class: ['notice', 'notice-' + kind], role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: 'visually-hidden' }, titles[kind] + ': '), ...children);
}

// Words a clerk understands for an API error, with the server's own sentence kept.
export function explain(error, caseType) {
  if (error.code === 'stale_version') {
    return [h('strong', {}, 'Ärendet har ändrats av någon annan.'), ' Ladda om och försök igen.'];
  }
  let lead = {
    invalid_transition: 'Åtgärden är inte tillåten i ärendets nuvarande läge.',
    validation_failed: 'Uppgifterna kunde inte sparas. Kontrollera fälten.',
    conflict: 'Det finns en konflikt med det som redan är registrerat.',
    forbidden: 'Din roll får inte göra detta.',
    csrf: 'Sessionen behöver förnyas. Ladda om sidan och försök igen.',
    not_found: 'Det efterfrågade finns inte.',
    unavailable: 'Databasen är inte tillgänglig just nu. Försök igen om en stund.',
    network: 'Servern svarar inte. Kontrollera nätverket och försök igen.',
    payload_too_large: 'Uppgifterna är för stora för att skickas.',
    idempotency_key_reused: 'Begäran har redan skickats med andra uppgifter.',
  }[error.code];
  if (error.code === 'invalid_transition' && error.details && error.details.state) {
    const list = STATES[caseType] || [...STATES.motion, ...STATES.remiss];
    const found = list.find(([code]) => code === error.details.state);
    if (found) lead = `Åtgärden är inte tillåten när ärendet har status ”${found[1]}”.`;
  }
  if (!lead || lead === error.message) return [error.message];
  return [h('strong', {}, lead), ' ', h('span', { class: 'server-message' }, 'Serverns förklaring: ', error.message)];
}

export function errorNotice(error) {
  return notice('error', ...explain(error));
}

export function loading(text = 'Hämtar …') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

// A table whose rows turn into labelled blocks on narrow screens (see .responsive in app.css).
// columns: [{label, cell: (row) => node|string, class?}]
export function table(columns, rows, options = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: ['data', 'responsive', options.class] },
      options.caption ? h('caption', { class: options.captionHidden ? 'visually-hidden' : null }, options.caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
      h('tbody', {}, rows.map((row) => h('tr', { class: options.rowClass ? options.rowClass(row) : null },
        columns.map((c) => h('td', { 'data-label': c.label, class: c.class }, c.cell(row))))))));
}
