// Ärenden: the case list with filters, full-text search and paging. The filters
// live in the address (?type=&state=&organ=&year=&overdue=&q=&offset=), so a
// search can be bookmarked and the back button works.
import { get, query } from './api.js';
import { ctx, organName } from './ctx.js';
import { h, uid, table, STATES, TYPE_LABELS, overdueBadge, deadlineBadge, errorNotice } from './dom.js';

const LIMIT = 50;

function field(label, control, hint) {
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint || null);
}

function select(name, value, options, empty) {
  return h('select', { id: uid(name), name, value },
    empty !== undefined ? h('option', { value: '' }, empty) : null,
    options.map(([v, label]) => h('option', { value: v }, label)));
}

// The most urgent open deadline of a case (overdue before open, earliest first).
function nextDeadline(c) {
  const open = (c.deadlines || []).filter((d) => d.status === 'overdue' || d.status === 'open');
  open.sort((a, b) => (a.status === b.status ? a.due.localeCompare(b.due) : a.status === 'overdue' ? -1 : 1));
  return open[0] || null;
}

export function caseTable(items, caption) {
  return table([
    { label: 'Diarienummer', cell: (c) => h('a', { href: `/cases/${c.id}`, class: 'ref' }, c.reference) },
    { label: 'Rubrik', cell: (c) => c.title },
    { label: 'Typ', cell: (c) => c.type_label || TYPE_LABELS[c.type] },
    { label: 'Status', cell: (c) => c.state_label },
    { label: 'Ansvarig', cell: (c) => organName(c.responsible_organ) || h('span', { class: 'muted' }, 'Ej fördelad') },
    { label: 'Inkom', cell: (c) => h('span', { class: 'nowrap' }, c.received) },
    {
      label: 'Närmaste tidsfrist',
      cell: (c) => {
        const d = nextDeadline(c);
        if (!d) return h('span', { class: 'muted' }, '–');
        return [h('span', { class: 'nowrap' }, d.due), ' ', d.status === 'overdue' ? overdueBadge(d.days_overdue) : deadlineBadge(d), h('br'), h('span', { class: 'small' }, d.label)];
      },
    },
  ], items, { caption, captionHidden: true, rowClass: (c) => (c.deadlines || []).some((d) => d.status === 'overdue') ? 'row-overdue' : null });
}

export async function render(page, { query: q, navigate, setTitle }) {
  setTitle('Ärenden');
  const filters = {
    q: q.get('q') || '',
    type: q.get('type') || '',
    state: q.get('state') || '',
    organ: q.get('organ') || '',
    year: q.get('year') || '',
    overdue: q.get('overdue') === 'true',
  };
  const offset = Math.max(0, parseInt(q.get('offset') || '0', 10) || 0);

  const search = h('input', { id: uid('q'), name: 'q', type: 'search', value: filters.q, maxlength: '200', 'aria-describedby': 'q-hint' });
  const type = select('type', filters.type, [['motion', 'Motion'], ['remiss', 'Remiss']], 'Alla typer');
  const stateOptions = () => {
    const t = type.value;
    const list = t ? STATES[t] : [...STATES.motion, ...STATES.remiss.filter(([c]) => !STATES.motion.some(([m]) => m === c))];
    return list;
  };
  const state = select('state', '', [], 'Alla');
  const fillStates = () => {
    const keep = state.value || filters.state;
    while (state.options.length > 1) state.remove(1);
    for (const [v, label] of stateOptions()) state.append(h('option', { value: v }, label));
    state.value = stateOptions().some(([v]) => v === keep) ? keep : '';
  };
  fillStates();
  type.addEventListener('change', fillStates);
  const organ = select('organ', filters.organ, ctx.organs.map((o) => [o.code, o.name]), 'Alla organ');
  const year = h('input', { id: uid('year'), name: 'year', type: 'number', inputmode: 'numeric', min: '1900', max: '2999', value: filters.year, class: 'input-year' });
  const overdue = h('input', { id: uid('overdue'), name: 'overdue', type: 'checkbox', checked: filters.overdue });

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Sök ärenden', novalidate: true },
    h('div', { class: 'field field-wide' }, h('label', { for: search.id }, 'Sök'), search,
      h('span', { id: 'q-hint', class: 'hint' }, 'Ord i rubrik, motionärer, avsändare eller handläggning, t.ex. ”kultur”.')),
    field('Typ', type), field('Status', state), h('div', { class: 'field field-organ' }, h('label', { for: organ.id }, 'Organ'), organ), field('År (inkom)', year),
    h('div', { class: 'field field-check' }, overdue, h('label', { for: overdue.id }, 'Endast försenade')),
    h('div', { class: 'field field-buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Sök'), h('a', { href: '/cases', class: 'button-link' }, 'Rensa')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate('/cases' + query({ q: search.value.trim(), type: type.value, state: state.value, organ: organ.value, year: year.value.trim(), overdue: overdue.checked ? 'true' : '' }));
  });

  page.append(h('h1', {}, 'Ärenden'), form);

  const params = { ...filters, overdue: filters.overdue ? 'true' : '', limit: LIMIT, offset };
  let data;
  try {
    data = await get('/cases' + query(params));
  } catch (e) {
    if (e.status === 422) {
      page.append(errorNotice(e));
      return;
    }
    throw e;
  }
  const results = h('section', { class: 'results', 'aria-labelledby': 'h-results' });
  const from = data.total === 0 ? 0 : offset + 1;
  const to = offset + data.items.length;
  results.append(h('h2', { id: 'h-results', class: 'results-heading' },
    data.total === 0 ? 'Inga ärenden matchar' : data.total === 1 ? '1 ärende' : `${data.total} ärenden`,
    data.total > LIMIT ? h('span', { class: 'heading-count' }, ` (visar ${from}–${to})`) : null));
  if (data.items.length) results.append(caseTable(data.items, 'Ärenden'));
  if (data.total > LIMIT) {
    const link = (o) => '/cases' + query({ ...filters, overdue: filters.overdue ? 'true' : '', offset: o || '' });
    results.append(h('nav', { class: 'pager', 'aria-label': 'Sidor' },
      offset > 0 ? h('a', { href: link(Math.max(0, offset - LIMIT)), rel: 'prev' }, '← Föregående') : h('span', {}),
      h('span', {}, `Sida ${Math.floor(offset / LIMIT) + 1} av ${Math.ceil(data.total / LIMIT)}`),
      to < data.total ? h('a', { href: link(offset + LIMIT), rel: 'next' }, 'Nästa →') : h('span', {})));
  }
  page.append(results);
}
