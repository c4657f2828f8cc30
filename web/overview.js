// Översikt: what is late, what is due soon, open cases in figures, the notifications feed.
import { get, query } from './api.js';
import { ctx, may, organName, serverToday } from './ctx.js';
import { h, addDays, badge, deadlineBadge, overdueBadge, instant, table, TYPE_LABELS, errorNotice } from './dom.js';

const LIMIT = 25;
const SHOWN_CASES = 15;

function caseCell(c) {
  return [h('a', { href: `/cases/${c.id}`, class: 'ref' }, c.reference), ' ', h('span', { class: 'case-title' }, c.title)];
}

function deadlineTable(items, caption) {
  return table([
    { label: 'Ärende', cell: (d) => caseCell(d.case), class: 'col-case' },
    { label: 'Typ', cell: (d) => TYPE_LABELS[d.case.type] || d.case.type },
    { label: 'Tidsfrist', cell: (d) => d.label },
    { label: 'Datum', cell: (d) => h('span', { class: 'nowrap' }, d.due) },
    { label: 'Ansvarig', cell: (d) => organName(d.organ || d.case.responsible_organ) || '–' },
    { label: 'Status', cell: (d) => deadlineBadge(d) },
  ], items, { caption, captionHidden: true, rowClass: (d) => (d.status === 'overdue' ? 'row-overdue' : null) });
}

function countList(rows, link) {
  return h('ul', { class: 'count-list' }, rows.map((r) =>
    h('li', {}, h('a', { href: link(r) }, h('span', { class: 'count-label' }, r.label), h('span', { class: 'count' }, String(r.count))))));
}

export async function render(page, { setTitle }) {
  setTitle('Översikt');
  const today = await serverToday();
  const soonUntil = addDays(today, 15); // due_before is exclusive: up to and including today + 14
  const [overdue, soon, stats, feed] = await Promise.all([
    get('/deadlines' + query({ overdue: true, limit: 500 })),
    get('/deadlines' + query({ overdue: false, due_before: soonUntil, limit: LIMIT })),
    get('/stats').catch((e) => ({ error: e })),
    may.notifications() ? get('/notifications?limit=10').catch((e) => ({ error: e })) : Promise.resolve(null),
  ]);

  page.append(h('h1', {}, 'Översikt'),
    h('p', { class: 'lead' }, `Läget ${today}. Inloggad som ${ctx.me.display_name || ctx.me.name}.`));

  if (stats && !stats.error) {
    page.append(h('div', { class: 'key-figures' },
      h('a', { class: 'figure', href: '/cases' }, h('span', { class: 'figure-value' }, String(stats.open_total)), h('span', { class: 'figure-label' }, 'öppna ärenden')),
      h('a', { class: ['figure', stats.overdue_cases > 0 && 'figure-alert'], href: '/cases?overdue=true' },
        h('span', { class: 'figure-value' }, String(stats.overdue_cases)),
        h('span', { class: 'figure-label' }, stats.overdue_cases > 0 ? h('span', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'försenade ärenden') : 'försenade ärenden'))));
  }

  // Overdue first: one row per case, the case whose deadline passed longest ago first.
  const lateCases = [];
  const byCase = new Map();
  for (const d of overdue.items) {
    let entry = byCase.get(d.case.id);
    if (!entry) {
      entry = { case: d.case, deadlines: [] };
      byCase.set(d.case.id, entry);
      lateCases.push(entry);
    }
    entry.deadlines.push(d);
  }
  const shown = lateCases.slice(0, SHOWN_CASES);
  const late = h('section', { class: 'panel', 'aria-labelledby': 'h-overdue' },
    h('h2', { id: 'h-overdue' }, 'Försenade ärenden', h('span', { class: 'heading-count' }, ` (${stats && !stats.error ? stats.overdue_cases : lateCases.length})`)));
  if (shown.length === 0) {
    late.append(h('p', {}, badge('Inget är försenat', 'met', '✓')));
  } else {
    late.append(h('p', { class: 'hint' }, 'Ärenden med tidsfrister som har passerat utan att vara uppfyllda. Det som är mest försenat står först.'),
      table([
        { label: 'Ärende', cell: (e) => caseCell(e.case), class: 'col-case' },
        { label: 'Status', cell: (e) => e.case.state_label },
        { label: 'Ansvarig', cell: (e) => organName(e.case.responsible_organ) || h('span', { class: 'muted' }, 'Ej fördelat') },
        {
          label: 'Försenade tidsfrister',
          cell: (e) => h('ul', { class: 'plain deadline-lines' }, e.deadlines.map((d) => h('li', {},
            overdueBadge(d.days_overdue), ' ', h('span', {}, d.label), ' ', h('span', { class: 'nowrap muted' }, d.due)))),
        },
      ], shown, { caption: 'Försenade ärenden', captionHidden: true, rowClass: () => 'row-overdue' }));
    if (lateCases.length > shown.length || overdue.total > overdue.items.length) {
      late.append(h('p', {}, h('a', { href: '/cases?overdue=true' }, 'Visa alla försenade ärenden')));
    }
  }
  page.append(late);

  const soonItems = soon.items.filter((d) => d.status !== 'overdue' && d.due >= today);
  const upcoming = h('section', { class: 'panel', 'aria-labelledby': 'h-soon' },
    h('h2', { id: 'h-soon' }, 'Förfaller inom 14 dagar', h('span', { class: 'heading-count' }, ` (${soonItems.length < soon.items.length ? soonItems.length : soon.total})`)),
    h('p', { class: 'hint' }, `Tidsfrister från i dag till och med ${addDays(today, 14)}.`));
  upcoming.append(soonItems.length ? deadlineTable(soonItems, 'Tidsfrister inom 14 dagar') : h('p', {}, 'Inga tidsfrister förfaller de närmaste 14 dagarna.'));
  page.append(upcoming);

  if (stats && stats.error) {
    page.append(h('section', { class: 'panel' }, h('h2', {}, 'Öppna ärenden'), errorNotice(stats.error)));
  } else if (stats) {
    const byState = stats.by_state.map((s) => ({ ...s, label: `${TYPE_LABELS[s.type] || s.type}: ${s.state_label}` }));
    const byOrgan = stats.by_organ.map((o) => ({ ...o, label: o.organ ? (o.name || organName(o.organ)) : 'Ej fördelade' }));
    page.append(h('section', { class: 'panel', 'aria-labelledby': 'h-stats' },
      h('h2', { id: 'h-stats' }, 'Öppna ärenden'),
      h('div', { class: 'stats-grid' },
        h('div', {}, h('h3', {}, 'Per typ'), countList(stats.by_type.map((t) => ({ ...t, label: t.label || TYPE_LABELS[t.type] })), (t) => '/cases' + query({ type: t.type }))),
        h('div', {}, h('h3', {}, 'Per status'), countList(byState, (s) => '/cases' + query({ type: s.type, state: s.state }))),
        h('div', {}, h('h3', {}, 'Per ansvarigt organ'), countList(byOrgan, (o) => (o.organ ? '/cases' + query({ organ: o.organ }) : '/cases?state=registered'))))));
  }

  if (feed && !feed.error) {
    const section = h('section', { class: 'panel', 'aria-labelledby': 'h-feed' },
      h('h2', { id: 'h-feed' }, 'Senaste meddelanden'));
    if (feed.items.length === 0) section.append(h('p', {}, 'Inga påminnelser eller meddelanden ännu.'));
    else {
      section.append(h('ul', { class: 'feed' }, feed.items.map((n) => h('li', {},
        h('span', { class: 'feed-time' }, instant(n.created_at)), ' ',
        n.case_id ? h('a', { href: `/cases/${n.case_id}` }, n.subject) : h('span', {}, n.subject), ' ',
        n.status === 'dead' ? badge('Kunde inte levereras', 'overdue', '⚠') : n.status === 'pending' ? badge('Skickas', 'open', '◷') : null))));
    }
    page.append(section);
  } else if (feed && feed.error && feed.error.status !== 403) {
    page.append(h('section', { class: 'panel' }, h('h2', {}, 'Senaste meddelanden'), errorNotice(feed.error)));
  }
}
