// Sammanträden: each organ's meeting plan, and a meeting's agenda (what must be
// handled there for the deadlines to hold), printable.
import { get, query } from './api.js';
import { ctx, organName, serverToday } from './ctx.js';
import { h, uid, longDate, table, deadlineBadge, badge } from './dom.js';

export async function render(page, context) {
  if (context.agenda) return renderAgenda(page, context);
  return renderPlan(page, context);
}

async function renderPlan(page, { query: q, navigate, setTitle }) {
  setTitle('Sammanträden');
  const today = await serverToday();
  const year = today.slice(0, 4);
  const organ = q.get('organ') || '';
  const from = q.get('from') || `${year}-01-01`;
  const to = q.get('to') || `${year}-12-31`;

  const organId = uid('organ');
  const fromId = uid('from');
  const toId = uid('to');
  const organSelect = h('select', { id: organId, name: 'organ', value: organ }, h('option', { value: '' }, 'Alla organ'), ctx.organs.map((o) => h('option', { value: o.code }, o.name)));
  const fromInput = h('input', { id: fromId, type: 'date', name: 'from', value: from });
  const toInput = h('input', { id: toId, type: 'date', name: 'to', value: to });
  const form = h('form', { class: 'filters', novalidate: true, 'aria-label': 'Välj sammanträden' },
    h('div', { class: 'field' }, h('label', { for: organId }, 'Organ'), organSelect),
    h('div', { class: 'field' }, h('label', { for: fromId }, 'Från'), fromInput),
    h('div', { class: 'field' }, h('label', { for: toId }, 'Till'), toInput),
    h('div', { class: 'field field-buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Visa')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate('/meetings' + query({ organ: organSelect.value, from: fromInput.value, to: toInput.value }));
  });

  const data = await get('/meetings' + query({ organ, from, to }));
  page.append(h('h1', {}, 'Sammanträden'),
    h('p', { class: 'lead' }, 'Sammanträdesplanen. Öppna ett sammanträde för att se vilka ärenden som behöver behandlas där.'),
    form);
  const heading = `${organ ? organName(organ) : 'Alla organ'}, ${from} – ${to}`;
  page.append(h('h2', {}, heading, h('span', { class: 'heading-count' }, ` (${data.total} sammanträden)`)));
  if (!data.items.length) {
    page.append(h('p', {}, 'Inga sammanträden är planerade för det valda organet och datumintervallet.'));
    return;
  }
  const nextId = (data.items.find((m) => m.date >= today) || {}).id;
  const months = new Map();
  for (const m of data.items) {
    const key = m.date.slice(0, 7);
    if (!months.has(key)) months.set(key, []);
    months.get(key).push(m);
  }
  for (const [key, list] of months) {
    const [y, mo] = key.split('-').map(Number);
    page.append(h('section', { class: 'month', 'aria-label': `${MONTH_NAMES[mo - 1]} ${y}` },
      h('h3', {}, `${MONTH_NAMES[mo - 1][0].toUpperCase()}${MONTH_NAMES[mo - 1].slice(1)} ${y}`),
      table([
        { label: 'Datum', cell: (m) => [h('span', { class: 'nowrap' }, m.date), m.id === nextId ? [' ', badge('Nästa', 'soon', '→')] : m.date < today ? [' ', h('span', { class: 'muted small' }, '(har varit)')] : null] },
        { label: 'Dag', cell: (m) => longDate(m.date).split(' ')[0] },
        { label: 'Tid', cell: (m) => m.time || '–' },
        { label: 'Organ', cell: (m) => m.organ_name || organName(m.organ) },
        { label: 'Plats', cell: (m) => m.place || '–' },
        { label: 'Ärenden', cell: (m) => h('a', { href: `/meetings/${m.id}` }, h('span', {}, 'Visa ärenden'), h('span', { class: 'visually-hidden' }, ` för ${m.organ_name || organName(m.organ)} ${m.date}`)) },
      ], list, { caption: `Sammanträden ${key}`, captionHidden: true, class: 'meeting-table', rowClass: (m) => (m.date < today ? 'row-past' : null) })));
  }
}

const MONTH_NAMES = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

async function renderAgenda(page, { params, setTitle }) {
  const id = params[0];
  let agenda;
  try {
    agenda = await get(`/meetings/${id}/agenda`);
  } catch (e) {
    if (e.status === 404) {
      setTitle('Sammanträdet finns inte');
      page.append(h('h1', {}, 'Sammanträdet finns inte'), h('p', {}, h('a', { href: '/meetings' }, 'Till sammanträdesplanen')));
      return;
    }
    throw e;
  }
  const m = agenda.meeting;
  const name = m.organ_name || organName(m.organ);
  setTitle(`Föredragningslista ${name} ${m.date}`);
  const printButton = h('button', { type: 'button', class: 'no-print' }, 'Skriv ut');
  printButton.addEventListener('click', () => window.print());
  const total = agenda.sections.reduce((n, s) => n + s.total, 0);
  page.append(
    h('nav', { class: 'breadcrumb no-print', 'aria-label': 'Brödsmulor' }, h('a', { href: `/meetings?organ=${encodeURIComponent(m.organ)}` }, 'Sammanträden'), h('span', { 'aria-hidden': 'true' }, ' › '), h('span', {}, `${name} ${m.date}`)),
    h('p', { class: 'eyebrow' }, 'Ärenden att behandla'),
    h('h1', {}, `${name}, ${longDate(m.date)}`),
    h('p', { class: 'meeting-meta' }, [m.time ? `Tid: ${m.time}` : null, m.place ? `Plats: ${m.place}` : null, m.cancelled ? 'INSTÄLLT' : null].filter(Boolean).join(' · ') || 'Tid och plats ej angivna.'),
    h('p', {}, agenda.next_meeting ? `Tidsfrister fram till nästa sammanträde ${agenda.next_meeting.date} tas med.` : `Tidsfrister till och med ${agenda.due_before} tas med.`,
      ` ${total === 1 ? '1 ärende' : total + ' ärenden'} totalt.`),
    h('div', { class: 'buttons no-print' }, printButton));
  for (const s of agenda.sections) {
    const sid = uid('sec');
    const section = h('section', { class: ['agenda-section', s.total === 0 && 'agenda-empty'], 'aria-labelledby': sid },
      h('h2', { id: sid }, s.label, h('span', { class: 'heading-count' }, ` (${s.total})`)));
    if (!s.items.length) section.append(h('p', { class: 'muted' }, 'Inga ärenden.'));
    else {
      section.append(table([
        { label: 'Diarienummer', cell: (i) => h('a', { href: `/cases/${i.case.id}`, class: 'ref' }, i.case.reference) },
        { label: 'Ärende', cell: (i) => i.case.title },
        { label: 'Status', cell: (i) => i.case.state_label },
        { label: 'Varför', cell: (i) => h('span', { class: 'small' }, i.reason) },
        { label: 'Tidsfrist', cell: (i) => (i.deadline ? [h('span', { class: 'nowrap' }, i.deadline.due), ' ', deadlineBadge(i.deadline)] : '–') },
      ], s.items, { caption: s.label, captionHidden: true, class: 'agenda-table' }));
      if (s.total > s.items.length) section.append(h('p', { class: 'small' }, `Visar ${s.items.length} av ${s.total}.`));
    }
    page.append(section);
  }
}
