// Rapporter: the unanswered-motions report (KL 5 kap. 35 §), printable and as
// CSV, and the overdue remisser.
import { get, query } from './api.js';
import { organName, serverToday } from './ctx.js';
import { h, uid, table, overdueBadge, badge, errorNotice } from './dom.js';

export async function render(page, { query: q, navigate, setTitle }) {
  setTitle('Rapporter');
  const today = await serverToday();
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(q.get('as_of') || '') ? q.get('as_of') : today;
  const [report, remisser] = await Promise.all([
    get('/reports/unanswered-motions' + query({ as_of: asOf, format: 'json' })).catch((error) => ({ error })),
    get('/deadlines?overdue=true&type=remiss&limit=500').catch((error) => ({ error })),
  ]);

  page.append(h('h1', {}, 'Rapporter'));

  // Unanswered motions.
  const dateId = uid('as-of');
  const dateInput = h('input', { id: dateId, type: 'date', name: 'as_of', value: asOf });
  const form = h('form', { class: 'filters', novalidate: true, 'aria-label': 'Välj datum för rapporten' },
    h('div', { class: 'field' }, h('label', { for: dateId }, 'Per datum'), dateInput),
    h('div', { class: 'field field-buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Visa')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate('/reports' + query({ as_of: dateInput.value }));
  });
  const base = '/api/v1/reports/unanswered-motions';
  const section = h('section', { class: 'panel', 'aria-labelledby': 'h-unanswered' },
    h('h2', { id: 'h-unanswered' }, 'Obesvarade motioner'),
    h('p', {}, 'Redovisning enligt 5 kap. 35 § kommunallagen: motioner som inte var beslutade, avskrivna eller återtagna vid datumet. Motioner som väntat mer än ett år markeras ”Försenad”.'),
    form,
    h('p', { class: 'report-links' },
      h('a', { href: base + query({ as_of: asOf, format: 'html' }), target: '_blank', rel: 'noopener', class: 'button-link' }, 'Utskriftsvänlig version', h('span', { class: 'visually-hidden' }, ' (öppnas i ny flik)')),
      ' ',
      h('a', { href: base + query({ as_of: asOf, format: 'csv' }), download: `obesvarade-motioner-${asOf}.csv`, class: 'button-link' }, 'Ladda ner CSV (Excel)')),
    report.error ? errorNotice(report.error) : h('p', { class: 'summary' }, h('strong', {}, `${report.total} obesvarade motioner`), ` per ${report.as_of}, varav `, h('strong', {}, `${report.overdue} försenade`), '.'));
  if (report.groups && !report.groups.length) section.append(h('p', {}, 'Det fanns inga obesvarade motioner.'));
  for (const g of report.groups || []) {
    section.append(h('h3', {}, g.organ ? g.organ_name || organName(g.organ) : 'Ej fördelade', h('span', { class: 'heading-count' }, ` (${g.motions.length})`)),
      table([
        { label: 'Diarienummer', cell: (m) => h('a', { href: `/cases/${m.id}`, class: 'ref' }, m.reference) },
        { label: 'Rubrik', cell: (m) => m.title },
        { label: 'Motionärer', cell: (m) => m.submitters.map((s) => (s.party && s.party !== '-' ? `${s.name} (${s.party})` : s.name)).join(', ') },
        { label: 'Inkom', cell: (m) => h('span', { class: 'nowrap' }, m.received) },
        { label: 'Status', cell: (m) => m.state_label },
        { label: 'Senast handlagd', cell: (m) => (m.last_handling ? [h('span', { class: 'nowrap' }, m.last_handling.date), ' ', m.last_handling.event_label, m.last_handling.organ ? ` (${m.last_handling.organ_name || organName(m.last_handling.organ)})` : ''] : '–') },
        { label: 'Beslut senast', cell: (m) => h('span', { class: 'nowrap' }, m.decision_due) },
        { label: 'Dagar', cell: (m) => String(m.days_open), class: 'num' },
        { label: 'Läge', cell: (m) => [m.overdue ? overdueBadge() : badge('Inom ett år', 'open'), m.reported ? [' ', badge('Redovisad', 'met', '✓')] : null] },
      ], g.motions, { caption: `Obesvarade motioner, ${g.organ_name}`, captionHidden: true, class: 'report-table', rowClass: (m) => (m.overdue ? 'row-overdue' : null) }));
  }
  page.append(section);

  // Overdue remisser.
  const rem = h('section', { class: 'panel', 'aria-labelledby': 'h-remisser' },
    h('h2', { id: 'h-remisser' }, 'Försenade remisser', remisser.error ? null : h('span', { class: 'heading-count' }, ` (${remisser.total})`)),
    h('p', {}, 'Remisser med en tidsfrist som har passerat, t.ex. sista svarsdag eller beslutssammanträde.'));
  if (remisser.error) rem.append(errorNotice(remisser.error));
  else if (!remisser.items.length) rem.append(h('p', {}, badge('Inga försenade remisser', 'met', '✓')));
  else {
    rem.append(table([
      { label: 'Diarienummer', cell: (d) => h('a', { href: `/cases/${d.case.id}`, class: 'ref' }, d.case.reference) },
      { label: 'Rubrik', cell: (d) => d.case.title },
      { label: 'Status', cell: (d) => d.case.state_label },
      { label: 'Tidsfrist', cell: (d) => d.label },
      { label: 'Datum', cell: (d) => h('span', { class: 'nowrap' }, d.due) },
      { label: 'Ansvarig', cell: (d) => organName(d.organ || d.case.responsible_organ) || '–' },
      { label: 'Läge', cell: (d) => overdueBadge(d.days_overdue) },
    ], remisser.items, { caption: 'Försenade remisser', captionHidden: true, rowClass: () => 'row-overdue' }));
  }
  page.append(rem);
}
