// One case: its facts, deadlines, history (a timeline) and the actions allowed
// now, each as a form asking only for that event's fields. Writes send If-Match
// with the version the page shows, so a change made by someone else in between
// is refused (412) instead of being overwritten.
import { request } from './api.js';
import { ctx, boards, consultable, may, organName, serverToday } from './ctx.js';
import { h, clear, uid, notice, explain, errorNotice, deadlineBadge, overdueBadge, table, OUTCOMES } from './dom.js';

const OUTCOME_LABEL = Object.fromEntries(OUTCOMES);

// Who usually acts for an event (a default the clerk can change).
function defaultOrgan(c, event) {
  const has = (code) => ctx.organByCode.has(code);
  const pick = (...codes) => codes.find(has) || '';
  if (c.type === 'motion') {
    if (event === 'distribute') return pick('rf-pres');
    if (['announce', 'decide', 'write_off', 'report_unanswered', 'table', 'refer_back'].includes(event)) return pick('rf');
    if (event === 'board_prepare') return pick('rs-au');
    if (event === 'board_propose') return pick('rs');
  }
  if (c.type === 'remiss' && event === 'distribute') return pick('rlk');
  return c.responsible_organ && has(c.responsible_organ) ? c.responsible_organ : '';
}

// How an event field is asked for: by its declared type, else by its name.
function fieldKind(f) {
  if (f.type) {
    if (['organ', 'organs', 'date', 'outcome', 'text', 'textarea'].includes(f.type)) return f.type;
    if (f.type === 'organ_list' || f.type === 'array') return 'organs';
  }
  if (['to', 'from', 'assignee'].includes(f.name)) return 'organ';
  if (f.name === 'consult') return 'organs';
  if (['due', 'answer_by'].includes(f.name)) return 'date';
  if (f.name === 'outcome') return 'outcome';
  if (f.name === 'reason') return 'textarea';
  return 'text';
}

const FIELD_LABELS = {
  to: 'Till organ',
  consult: 'Inhämta synpunkter från',
  assignee: 'Uppdraget går till',
  due: 'Senast klart',
  from: 'Synpunkter från',
  outcome: 'Förslag/beslut',
  reason: 'Skäl',
  officer: 'Handläggare',
  answer_by: 'Ny sista svarsdag',
  delegation: 'Delegationspunkt',
};

function organOptions(list, selected) {
  return [h('option', { value: '' }, 'Välj organ'), list.map((o) => h('option', { value: o.code, selected: o.code === selected }, o.name))];
}

// Builds one input for an event field. Returns {node, read(), focus(), input}.
function buildField(c, event, f) {
  const id = uid('ev-' + f.name);
  const hintId = id + '-hint';
  const errId = id + '-error';
  const kind = fieldKind(f);
  const label = (FIELD_LABELS[f.name] || f.name) + (f.required ? '' : ' (valfritt)');
  const describedBy = f.description ? hintId : null;
  const hint = f.description ? h('span', { class: 'hint', id: hintId }, f.description) : null;
  const error = h('p', { class: 'field-error', id: errId, hidden: true });
  if (kind === 'organs') {
    const others = consultable().filter((o) => o.code !== c.responsible_organ);
    const boxes = others.map((o) => h('input', { type: 'checkbox', id: uid('cb'), value: o.code, name: f.name }));
    const node = h('fieldset', { class: 'field checkbox-group', 'aria-describedby': describedBy },
      h('legend', {}, label), hint,
      h('div', { class: 'checkbox-grid' }, boxes.map((b, i) => h('div', { class: 'check' }, b, h('label', { for: b.id }, others[i].name)))), error);
    return {
      name: f.name, required: f.required, node, error, label,
      input: boxes[0],
      read: () => boxes.filter((b) => b.checked).map((b) => b.value),
      empty: () => !boxes.some((b) => b.checked),
      focus: () => boxes[0] && boxes[0].focus(),
    };
  }
  let input;
  if (kind === 'organ') {
    const list = event === 'distribute' || (c.type === 'remiss' && f.name === 'to') ? boards() : ctx.organs;
    input = h('select', { id, name: f.name }, organOptions(list, ''));
  } else if (kind === 'date') {
    input = h('input', { id, name: f.name, type: 'date' });
  } else if (kind === 'outcome') {
    input = h('select', { id, name: f.name }, h('option', { value: '' }, 'Välj'), OUTCOMES.map(([v, l]) => h('option', { value: v }, l)));
  } else if (kind === 'textarea') {
    input = h('textarea', { id, name: f.name, rows: '3' });
  } else {
    input = h('input', { id, name: f.name, type: 'text' });
  }
  if (describedBy) input.setAttribute('aria-describedby', describedBy);
  if (f.required) input.setAttribute('aria-required', 'true');
  const node = h('div', { class: 'field' }, h('label', { for: id }, label), hint, input, error);
  return {
    name: f.name, required: f.required, node, error, label, input,
    read: () => input.value.trim(),
    empty: () => !input.value.trim(),
    focus: () => input.focus(),
  };
}

function showFieldError(fieldObj, message) {
  fieldObj.error.textContent = message;
  fieldObj.error.hidden = false;
  const target = fieldObj.node.tagName === 'FIELDSET' ? fieldObj.node : fieldObj.input;
  target.setAttribute('aria-invalid', 'true');
  const ids = new Set((target.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
  ids.add(fieldObj.error.id);
  target.setAttribute('aria-describedby', [...ids].join(' '));
}

function clearFieldErrors(fields) {
  for (const f of fields) {
    f.error.hidden = true;
    f.error.textContent = '';
    const target = f.node.tagName === 'FIELDSET' ? f.node : f.input;
    if (target) target.removeAttribute('aria-invalid');
  }
}

function describeDetails(d) {
  const out = [];
  if (!d) return out;
  if (d.to) out.push(['Till', organName(d.to)]);
  if (d.consult && d.consult.length) out.push(['Synpunkter från', d.consult.map(organName).join(', ')]);
  if (d.assignee) out.push(['Uppdrag till', organName(d.assignee)]);
  if (d.from) out.push(['Från', organName(d.from)]);
  if (d.due) out.push(['Senast', d.due]);
  if (d.outcome) out.push(['Förslag/beslut', OUTCOME_LABEL[d.outcome] || d.outcome]);
  if (d.answer_by && d.event) out.push(['Ny svarsdag', d.answer_by]);
  if (d.officer) out.push(['Handläggare', d.officer]);
  if (d.delegation) out.push(['Delegation', d.delegation]);
  if (d.reason) out.push(['Skäl', d.reason]);
  if (d.document && d.document.title) out.push(['Handling', d.document.title + (d.document.date ? ` (${d.document.date})` : '')]);
  if (d.vote) out.push(['Omröstning', `${d.vote.yes} ja, ${d.vote.no} nej, ${d.vote.abstain || 0} avstår`]);
  if (d.reservations && d.reservations.length) out.push(['Reservationer', d.reservations.join('; ')]);
  return out;
}

function timeline(items) {
  if (!items.length) return h('p', {}, 'Ingen handläggning registrerad.');
  return h('ol', { class: 'timeline' }, items.map((e) => {
    const meta = [e.organ ? organName(e.organ) : null, e.paragraph].filter(Boolean).join(' · ');
    const extra = describeDetails(e.details);
    const changed = e.from_state && e.from_state !== e.to_state;
    return h('li', { class: 'tl-item' },
      h('div', { class: 'tl-date' }, h('time', { datetime: e.date }, e.date)),
      h('div', { class: 'tl-body' },
        h('p', { class: 'tl-title' }, h('strong', {}, e.event_label), meta ? h('span', { class: 'tl-meta' }, ' – ' + meta) : null),
        e.text && !(e.event === 'register' && e.details && e.text === e.details.title) ? h('p', { class: 'tl-text' }, e.text) : null,
        extra.length ? h('dl', { class: 'tl-details' }, extra.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null,
        changed ? h('p', { class: 'tl-state small' }, 'Ny status: ', e.to_state_label) : null));
  }));
}

function facts(c) {
  const rows = [
    ['Diarienummer', c.reference],
    ['Typ', c.type_label],
    ['Inkom', c.received],
    ['Status', c.state_label],
  ];
  if (c.type === 'motion') {
    rows.push(['Motionärer', c.submitters.length ? h('ul', { class: 'plain' }, c.submitters.map((s) => h('li', {}, s.party && s.party !== '-' ? `${s.name} (${s.party})` : s.name))) : '–']);
  } else {
    rows.push(['Avsändare', c.sender || '–']);
    rows.push(['Svar senast', c.answer_by || '–']);
  }
  rows.push(['Ansvarigt organ', c.responsible_organ ? organName(c.responsible_organ) : h('span', { class: 'muted' }, 'Ej fördelat')]);
  if (c.consulted_organs && c.consulted_organs.length) rows.push(['Synpunkter inhämtas från', c.consulted_organs.map(organName).join(', ')]);
  if (c.distributed_on) rows.push(['Fördelat', c.distributed_on]);
  if (c.officer) rows.push(['Handläggare', c.officer]);
  if (c.proposed_outcome_label) rows.push(['Förslag till beslut', c.proposed_outcome_label]);
  if (c.outcome_label) rows.push(['Beslut', c.outcome_label]);
  if (c.reported_unanswered) rows.push(['Redovisad som obesvarad', 'Ja']);
  if (c.confidential) rows.push(['Sekretess', 'Sekretessmarkerat']);
  if (c.notes) rows.push(['Anteckningar', c.notes]);
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => h('div', { class: 'fact' }, h('dt', {}, k), h('dd', {}, v))));
}

function deadlinesTable(c) {
  if (!c.deadlines.length) return h('p', {}, 'Ärendet har inga tidsfrister.');
  return table([
    { label: 'Tidsfrist', cell: (d) => [h('span', { class: 'deadline-label' }, d.label), d.basis ? h('span', { class: 'deadline-basis' }, d.basis) : null] },
    { label: 'Datum', cell: (d) => h('span', { class: 'nowrap' }, d.due) },
    { label: 'Läge', cell: (d) => deadlineBadge(d) },
    { label: 'Vem ska agera', cell: (d) => organName(d.organ) || '–' },
  ], c.deadlines, { caption: 'Tidsfrister', captionHidden: true, class: 'deadlines', rowClass: (d) => 'row-' + d.status });
}

export async function render(page, { params, setTitle }) {
  const id = params[0];
  const state = { message: null };

  async function load() {
    const [caseRes, historyRes, actionsRes] = await Promise.all([
      request('GET', `/cases/${id}`),
      request('GET', `/cases/${id}/history`),
      may.write() ? request('GET', `/cases/${id}/actions`) : Promise.resolve(null),
    ]);
    return { c: caseRes.data, etag: caseRes.etag || `"${caseRes.data.version}"`, history: historyRes.data.items, actions: actionsRes ? actionsRes.data.items : [] };
  }

  async function draw(data, focusTarget) {
    const { c, etag, history, actions } = data;
    const today = await serverToday();
    setTitle(`${c.reference} ${c.title}`);
    clear(page);
    const overdue = c.deadlines.filter((d) => d.status === 'overdue');
    const messageBox = h('div', { class: 'page-message', tabindex: '-1' });
    if (state.message) messageBox.append(state.message);
    state.message = null;

    page.append(
      h('nav', { class: 'breadcrumb', 'aria-label': 'Brödsmulor' }, h('a', { href: '/cases' }, 'Ärenden'), h('span', { 'aria-hidden': 'true' }, ' › '), h('span', {}, c.reference)),
      h('p', { class: 'eyebrow' }, `${c.type_label} · ${c.reference}`),
      h('h1', {}, c.title),
      h('p', { class: 'status-line' }, 'Status: ', h('strong', { class: 'state-label' }, c.state_label),
        overdue.length ? [' ', overdueBadge()] : null),
      messageBox);

    const mainCol = h('div', { class: 'case-main' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-facts' }, h('h2', { id: 'h-facts' }, 'Uppgifter'), facts(c)),
      h('section', { class: 'panel', 'aria-labelledby': 'h-deadlines' }, h('h2', { id: 'h-deadlines' }, 'Tidsfrister'), deadlinesTable(c)));
    const grid = h('div', { class: 'case-grid' }, mainCol);

    const allowed = actions.filter((a) => a.permitted);
    if (may.write()) {
      const side = h('section', { class: 'panel case-actions', 'aria-labelledby': 'h-actions' }, h('h2', { id: 'h-actions' }, 'Åtgärder'));
      if (!allowed.length) {
        side.append(h('p', {}, actions.length ? 'Din roll kan inte registrera något i ärendet i dess nuvarande läge.' : 'Ärendet är avslutat. Inga fler åtgärder kan registreras.'));
      } else {
        side.append(h('p', { class: 'hint' }, `Det här kan registreras nu, när ärendet är ”${c.state_label}”.`));
        const panel = h('div', { class: 'action-panel', id: 'action-panel' });
        const buttons = allowed.map((a) => h('button', { type: 'button', class: 'action-button', 'data-event': a.event, 'aria-expanded': 'false', 'aria-controls': 'action-panel' }, a.label));
        buttons.forEach((b, i) => b.addEventListener('click', () => {
          buttons.forEach((x) => x.setAttribute('aria-expanded', String(x === b)));
          openForm(panel, allowed[i], data, today, () => {
            b.setAttribute('aria-expanded', 'false');
            clear(panel);
            b.focus();
          });
        }));
        side.append(h('ul', { class: 'action-list' }, buttons.map((b) => h('li', {}, b))), panel);
      }
      grid.append(h('div', { class: 'case-side' }, side));
    }
    page.append(grid,
      h('section', { class: 'panel', 'aria-labelledby': 'h-history' }, h('h2', { id: 'h-history' }, 'Handläggning'),
        h('p', { class: 'hint' }, 'Ärendets historik, äldst först. Historiken ändras aldrig i efterhand.'), timeline(history)));
    if (focusTarget === 'message' && messageBox.firstChild) messageBox.focus();
    return etag;
  }

  function openForm(panel, action, data, today, close) {
    const { c, etag } = data;
    clear(panel);
    const fields = action.fields.map((f) => buildField(c, action.event, f));
    const dateId = uid('ev-date');
    const organId = uid('ev-organ');
    const date = h('input', { id: dateId, name: 'date', type: 'date', value: today, 'aria-required': 'true' });
    const organ = h('select', { id: organId, name: 'organ', 'aria-required': 'true', 'aria-describedby': organId + '-hint' }, organOptions(ctx.organs, defaultOrgan(c, action.event)));
    const paragraph = h('input', { id: uid('ev-par'), name: 'paragraph', type: 'text', placeholder: '§ 23', 'aria-describedby': 'par-hint', class: 'input-short' });
    const text = h('textarea', { id: uid('ev-text'), name: 'text', rows: '3' });
    const common = [
      { name: 'date', required: true, label: 'Datum', input: date, node: h('div', { class: 'field' }, h('label', { for: dateId }, 'Datum'), date, h('p', { class: 'field-error', id: dateId + '-error', hidden: true })), read: () => date.value, empty: () => !date.value, focus: () => date.focus() },
      { name: 'organ', required: true, label: 'Organ', input: organ, node: h('div', { class: 'field' }, h('label', { for: organId }, 'Organ som handlade ärendet'), h('span', { class: 'hint', id: organId + '-hint' }, 'T.ex. nämnden, presidiet eller fullmäktige.'), organ, h('p', { class: 'field-error', id: organId + '-error', hidden: true })), read: () => organ.value, empty: () => !organ.value, focus: () => organ.focus() },
      { name: 'paragraph', required: false, label: 'Paragraf', input: paragraph, node: h('div', { class: 'field' }, h('label', { for: paragraph.id }, 'Paragraf (valfritt)'), h('span', { class: 'hint', id: 'par-hint' }, 'Lämna tomt vid ett planerat sammanträde så numreras den automatiskt.'), paragraph, h('p', { class: 'field-error', id: paragraph.id + '-error', hidden: true })), read: () => paragraph.value.trim(), empty: () => !paragraph.value.trim(), focus: () => paragraph.focus() },
      { name: 'text', required: false, label: 'Text', input: text, node: h('div', { class: 'field' }, h('label', { for: text.id }, 'Beslutstext eller anteckning (valfritt)'), text, h('p', { class: 'field-error', id: text.id + '-error', hidden: true })), read: () => text.value.trim(), empty: () => !text.value.trim(), focus: () => text.focus() },
    ];
    for (const f of common) f.error = f.node.querySelector('.field-error');
    const all = [...fields, ...common];
    const status = h('div', { class: 'form-status' });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Registrera');
    const form = h('form', { class: 'action-form', novalidate: true, 'aria-labelledby': 'h-action-form' },
      h('h3', { id: 'h-action-form' }, action.label),
      fields.map((f) => f.node), common.map((f) => f.node), status,
      h('div', { class: 'buttons' }, submit, h('button', { type: 'button', on: { click: close } }, 'Avbryt')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(status);
      clearFieldErrors(all);
      const missing = all.filter((f) => f.required && f.empty());
      if (missing.length) {
        for (const f of missing) showFieldError(f, `Fyll i ${f.label.replace(' (valfritt)', '').toLowerCase()}.`);
        status.append(notice('error', 'Fyll i de obligatoriska fälten: ', missing.map((f) => f.label).join(', '), '.'));
        missing[0].focus();
        return;
      }
      const body = { event: action.event };
      for (const f of all) {
        const v = f.read();
        if (Array.isArray(v) ? v.length : v) body[f.name] = v;
      }
      submit.disabled = true;
      submit.textContent = 'Registrerar …';
      try {
        const res = await request('POST', `/cases/${c.id}/events`, { body, ifMatch: etag });
        state.message = notice('success', `Registrerat: ${action.label} (${body.date}). Ärendet har nu status ”${res.data.state_label}”.`);
        await refresh('message');
      } catch (e) {
        submit.disabled = false;
        submit.textContent = 'Registrera';
        if (e.status === 412) {
          const reload = h('button', { type: 'button', class: 'primary reload' }, 'Ladda om ärendet');
          reload.addEventListener('click', () => refresh('message'));
          status.append(notice('error', h('strong', {}, 'Ärendet har ändrats av någon annan'), ' sedan du öppnade det, så din ändring sparades inte. Ladda om ärendet för att se vad som har ändrats och gör sedan om åtgärden om den fortfarande behövs.', h('div', { class: 'buttons' }, reload)));
          reload.focus();
          return;
        }
        if (e.status === 422 && e.details && e.details.field) {
          const name = String(e.details.field).split(/[.[]/)[0];
          const f = all.find((x) => x.name === name);
          if (f) showFieldError(f, e.message);
        }
        status.append(notice('error', ...explain(e, c.type)));
        status.querySelector('.notice').setAttribute('tabindex', '-1');
        status.querySelector('.notice').focus();
      }
    });
    panel.append(form);
    (fields[0] || common[0]).focus();
  }

  async function refresh(focusTarget) {
    try {
      const data = await load();
      await draw(data, focusTarget);
    } catch (e) {
      clear(page);
      page.append(h('h1', {}, 'Ärendet kunde inte visas'), errorNotice(e), h('p', {}, h('a', { href: '/cases' }, 'Till ärendelistan')));
    }
  }

  let data;
  try {
    data = await load();
  } catch (e) {
    if (e.status === 404) {
      setTitle('Ärendet finns inte');
      page.append(h('h1', {}, 'Ärendet finns inte'), h('p', {}, `Det finns inget ärende med nummer ${id}. `, h('a', { href: '/cases' }, 'Till ärendelistan')));
      return;
    }
    throw e;
  }
  await draw(data);
}
