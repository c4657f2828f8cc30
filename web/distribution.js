// Fördelning: every registered, undistributed motion on one page. The presidium
// chooses the responsible nämnd, organs to consult and the decision text for each,
// and distributes all checked ones in one request (all or nothing).
import { get, request } from './api.js';
import { boards, consultable, may, organName, serverToday } from './ctx.js';
import { h, clear, uid, notice, explain, addDays, longDate, table } from './dom.js';

const PRESIDIUM = 'rf-pres';

export async function render(page, { setTitle }) {
  setTitle('Fördelning av motioner');
  page.append(h('h1', {}, 'Fördelning av motioner'));
  if (!may.distribute()) {
    page.append(notice('info', 'Det är fullmäktiges presidium och kansliet som fördelar motioner.'));
    return;
  }
  const today = await serverToday();
  const resultBox = h('div', { class: 'page-message', tabindex: '-1' });
  const body = h('div', {});
  page.append(h('p', { class: 'lead' }, `Registrerade motioner som ännu inte är fördelade. Markera de som ska fördelas, välj ansvarig nämnd och fördela alla på en gång. Beslutet fattas av ${organName(PRESIDIUM) || 'presidiet'}.`),
    resultBox, body);
  await draw(body, resultBox, today);
}

async function draw(body, resultBox, today) {
  clear(body);
  const [list, meetings] = await Promise.all([
    get('/cases?type=motion&state=registered&limit=500'),
    get(`/meetings?organ=${PRESIDIUM}&from=${addDays(today, -90)}&to=${addDays(today, 120)}`).catch(() => ({ items: [] })),
  ]);
  const motions = [...list.items].sort((a, b) => a.received.localeCompare(b.received) || a.id - b.id);
  if (!motions.length) {
    body.append(notice('info', 'Det finns inga motioner som väntar på fördelning.'));
    return;
  }

  // The decision: date and (optionally) the presidium's meeting.
  const meetingId = uid('meeting');
  const dateId = uid('date');
  const nextMeeting = meetings.items.find((m) => m.date >= today);
  const meeting = h('select', { id: meetingId, 'aria-describedby': meetingId + '-hint' },
    h('option', { value: '' }, 'Inget sammanträde – ange datum'),
    meetings.items.map((m) => h('option', { value: String(m.id), 'data-date': m.date }, `${m.date} ${m.time || ''} ${m.place ? '– ' + m.place : ''}`.trim())));
  const date = h('input', { id: dateId, type: 'date', value: today, 'aria-required': 'true' });
  const syncDate = () => {
    const opt = meeting.selectedOptions[0];
    if (opt && opt.dataset.date) {
      date.value = opt.dataset.date;
      date.readOnly = true;
    } else {
      date.readOnly = false;
    }
  };
  meeting.addEventListener('change', syncDate);
  const decision = h('fieldset', { class: 'panel decision' }, h('legend', {}, 'Beslutet'),
    h('div', { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: meetingId }, `Sammanträde i ${organName(PRESIDIUM)}`),
        h('span', { class: 'hint', id: meetingId + '-hint' }, nextMeeting ? `Nästa: ${longDate(nextMeeting.date)}. Paragrafnummer sätts då automatiskt.` : 'Paragrafnummer sätts automatiskt vid ett planerat sammanträde.'), meeting),
      h('div', { class: 'field' }, h('label', { for: dateId }, 'Beslutsdatum'), date)));

  const targetOrgans = boards();
  const consultOrgans = consultable();
  const rows = motions.map((c, index) => {
    const checkId = uid('pick');
    const organId = uid('to');
    const textId = uid('text');
    const check = h('input', { type: 'checkbox', id: checkId, class: 'pick' });
    const to = h('select', { id: organId, 'aria-required': 'true' }, h('option', { value: '' }, 'Välj nämnd'), targetOrgans.map((o) => h('option', { value: o.code }, o.name)));
    const text = h('textarea', { id: textId, rows: '2' });
    let autoText = '';
    to.addEventListener('change', () => {
      if (to.value) check.checked = true;
      for (const b of boxes) {
        b.disabled = b.value === to.value;
        if (b.disabled) b.checked = false;
      }
      const suggestion = to.value ? `Motionen fördelas till ${organName(to.value).replace(/^Nämnd/, 'nämnd')}` : '';
      if (!text.value || text.value === autoText) text.value = suggestion;
      autoText = suggestion;
      updateCount();
    });
    check.addEventListener('change', updateCount);
    const boxes = consultOrgans.map((o) => h('input', { type: 'checkbox', id: uid('consult'), value: o.code }));
    const error = h('div', { class: 'item-error', tabindex: '-1' });
    const submitters = c.submitters.map((s) => (s.party ? `${s.name} (${s.party})` : s.name)).join(', ');
    const card = h('li', { class: 'dist-item', 'data-case': String(c.id) },
      h('div', { class: 'dist-head' },
        h('div', { class: 'check' }, check, h('label', { for: checkId }, h('span', { class: 'ref' }, c.reference), ' ', h('strong', {}, c.title))),
        h('p', { class: 'small dist-meta' }, `Inkom ${c.received} · ${submitters} · `, h('a', { href: `/cases/${c.id}` }, 'Öppna ärendet'))),
      error,
      h('div', { class: 'field-row' },
        h('div', { class: 'field' }, h('label', { for: organId }, 'Ansvarig nämnd'), to),
        h('div', { class: 'field field-wide' }, h('label', { for: textId }, 'Beslutstext och instruktioner'), text)),
      h('details', { class: 'consult' }, h('summary', {}, 'Inhämta synpunkter från andra organ (valfritt)'),
        h('fieldset', { class: 'checkbox-group' }, h('legend', { class: 'visually-hidden' }, `Synpunkter på ${c.reference} från`),
          h('div', { class: 'checkbox-grid' }, boxes.map((b, i) => h('div', { class: 'check' }, b, h('label', { for: b.id }, consultOrgans[i].name)))))));
    return { c, index, check, to, text, boxes, error, card };
  });

  const status = h('div', { class: 'form-status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Fördela markerade motioner');
  const countText = h('span', { class: 'selection-count', 'aria-live': 'polite' });
  function updateCount() {
    const n = rows.filter((r) => r.check.checked).length;
    countText.textContent = n === 0 ? 'Ingen motion markerad.' : n === 1 ? '1 motion markerad.' : `${n} motioner markerade.`;
    submit.textContent = n > 0 ? `Fördela ${n === 1 ? '1 motion' : n + ' motioner'}` : 'Fördela markerade motioner';
  }
  const selectAll = h('button', { type: 'button', class: 'link-button' }, 'Markera alla');
  selectAll.addEventListener('click', () => {
    const all = rows.every((r) => r.check.checked);
    rows.forEach((r) => { r.check.checked = !all; });
    selectAll.textContent = all ? 'Markera alla' : 'Avmarkera alla';
    updateCount();
  });

  const form = h('form', { class: 'distribution-form', novalidate: true },
    decision,
    h('div', { class: 'list-head' }, h('h2', {}, `Väntar på fördelning (${motions.length})`), selectAll),
    h('ol', { class: 'dist-list' }, rows.map((r) => r.card)),
    h('div', { class: 'sticky-actions' }, status, h('div', { class: 'buttons' }, submit, countText)));
  updateCount();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    rows.forEach((r) => { clear(r.error); r.card.classList.remove('has-error'); r.to.removeAttribute('aria-invalid'); });
    const chosen = rows.filter((r) => r.check.checked);
    if (!chosen.length) {
      status.append(notice('error', 'Markera minst en motion att fördela.'));
      rows[0].check.focus();
      return;
    }
    const missing = chosen.filter((r) => !r.to.value);
    if (missing.length) {
      for (const r of missing) {
        r.card.classList.add('has-error');
        r.to.setAttribute('aria-invalid', 'true');
        r.error.append(notice('error', `Välj ansvarig nämnd för ${r.c.reference}.`));
      }
      status.append(notice('error', `Välj ansvarig nämnd för ${missing.map((r) => r.c.reference).join(', ')}.`));
      missing[0].to.focus();
      return;
    }
    if (!date.value) {
      status.append(notice('error', 'Ange beslutsdatum.'));
      date.focus();
      return;
    }
    const payload = {
      date: date.value,
      organ: PRESIDIUM,
      items: chosen.map((r) => {
        const item = { case: r.c.id, version: r.c.version, to: r.to.value };
        const consult = r.boxes.filter((b) => b.checked).map((b) => b.value).filter((code) => code !== r.to.value);
        if (consult.length) item.consult = consult;
        if (r.text.value.trim()) item.text = r.text.value.trim();
        return item;
      }),
    };
    if (meeting.value) payload.meeting = Number(meeting.value);
    submit.disabled = true;
    submit.textContent = 'Fördelar …';
    try {
      const { data } = await request('POST', '/distributions', { body: payload });
      clear(resultBox);
      const done = data.items.map((c, i) => ({ c, paragraph: (data.paragraphs || [])[i] || '' }));
      resultBox.append(notice('success',
        h('strong', {}, done.length === 1 ? '1 motion är fördelad.' : `${done.length} motioner är fördelade.`),
        table([
          { label: 'Paragraf', cell: (r) => r.paragraph || '–' },
          { label: 'Diarienummer', cell: (r) => h('a', { href: `/cases/${r.c.id}`, class: 'ref' }, r.c.reference) },
          { label: 'Rubrik', cell: (r) => r.c.title },
          { label: 'Ansvarig nämnd', cell: (r) => organName(r.c.responsible_organ) },
        ], done, { caption: 'Fördelade motioner', captionHidden: true, class: 'result-table' })));
      await draw(body, resultBox, today);
      resultBox.focus();
    } catch (e) {
      submit.disabled = false;
      updateCount();
      const index = e.details && Number.isInteger(e.details.item) ? e.details.item : null;
      const row = index !== null ? rows.find((r) => r.c.id === payload.items[index]?.case) : null;
      const makeLead = () => (e.status === 412
        ? [h('strong', {}, 'Ärendet har ändrats av någon annan'), ' sedan sidan hämtades. Ingen motion fördelades. ']
        : [h('strong', {}, 'Ingen motion fördelades.'), ' ']);
      const why = e.status === 412 ? [] : explain(e);
      if (row) {
        row.card.classList.add('has-error');
        row.error.append(notice('error', ...(e.status === 412 ? makeLead() : explain(e))));
      }
      const reload = h('button', { type: 'button' }, 'Hämta listan på nytt');
      reload.addEventListener('click', () => draw(body, resultBox, today));
      status.append(notice('error', ...makeLead(), row ? `Det gäller ${row.c.reference}. ` : '', ...why, h('div', { class: 'buttons' }, reload)));
      if (row) row.error.focus();
      else status.querySelector('.notice').focus();
    }
  });
  body.append(form);
  syncDate();
}
