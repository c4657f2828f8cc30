// Registrera: a new motion (title, received, submitters) or remiss (title,
// received, sender, answer_by, optionally distributed at once) → the new case.
import { request } from './api.js';
import { boards, may, serverToday } from './ctx.js';
import { h, clear, uid, notice, explain } from './dom.js';

export async function render(page, { navigate, setTitle, setFlash }) {
  setTitle('Registrera ärende');
  page.append(h('h1', {}, 'Registrera ärende'));
  if (!may.register()) {
    page.append(notice('info', 'Det är registrator och administratör som registrerar nya ärenden.'));
    return;
  }
  const today = await serverToday();
  const errors = new Map(); // field name → {input, error}

  function textField(name, label, attrs = {}, hint) {
    const id = uid(name);
    const input = h(attrs.rows ? 'textarea' : 'input', { id, name, type: attrs.rows ? null : (attrs.type || 'text'), ...attrs, 'aria-describedby': hint ? id + '-hint' : null });
    const error = h('p', { class: 'field-error', id: id + '-error', hidden: true });
    errors.set(name, { input, error, label });
    return { input, node: h('div', { class: 'field' }, h('label', { for: id }, label), hint ? h('span', { class: 'hint', id: id + '-hint' }, hint) : null, input, error) };
  }

  const typeMotion = h('input', { type: 'radio', name: 'type', id: 'type-motion', value: 'motion', checked: true });
  const typeRemiss = h('input', { type: 'radio', name: 'type', id: 'type-remiss', value: 'remiss' });
  const typeField = h('fieldset', { class: 'field radio-group' }, h('legend', {}, 'Typ av ärende'),
    h('div', { class: 'check' }, typeMotion, h('label', { for: 'type-motion' }, 'Motion')),
    h('div', { class: 'check' }, typeRemiss, h('label', { for: 'type-remiss' }, 'Remiss')));

  const title = textField('title', 'Rubrik', { maxlength: '500', 'aria-required': 'true', class: 'input-wide' });
  const received = textField('received', 'Inkom', { type: 'date', value: today, 'aria-required': 'true' }, 'Dagen då ärendet kom in (motion: dagen den väcktes).');

  // Motion: submitters, one row each.
  const rows = h('ol', { class: 'submitter-rows' });
  const addRow = (focus) => {
    const n = rows.children.length + 1;
    const nameId = uid('sub-name');
    const partyId = uid('sub-party');
    const name = h('input', { id: nameId, type: 'text', name: 'submitter-name', maxlength: '500', autocomplete: 'off' });
    const party = h('input', { id: partyId, type: 'text', name: 'submitter-party', maxlength: '32', class: 'input-short', autocomplete: 'off' });
    const remove = h('button', { type: 'button', class: 'link-button' }, 'Ta bort');
    const li = h('li', { class: 'submitter-row' },
      h('div', { class: 'field' }, h('label', { for: nameId }, 'Namn'), name),
      h('div', { class: 'field' }, h('label', { for: partyId }, 'Parti'), party),
      h('div', { class: 'field field-buttons' }, remove));
    remove.addEventListener('click', () => {
      if (rows.children.length === 1) {
        name.value = '';
        party.value = '';
        name.focus();
        return;
      }
      li.remove();
      renumber();
      addButton.focus();
    });
    rows.append(li);
    renumber();
    if (focus) name.focus();
    return li;
  };
  const renumber = () => {
    [...rows.children].forEach((li, i) => {
      li.querySelector('button').setAttribute('aria-label', `Ta bort motionär ${i + 1}`);
      li.querySelectorAll('label')[0].textContent = `Namn, motionär ${i + 1}`;
      li.querySelectorAll('label')[1].textContent = `Parti, motionär ${i + 1}`;
    });
  };
  const addButton = h('button', { type: 'button' }, '+ Lägg till motionär');
  addButton.addEventListener('click', () => addRow(true));
  addRow(false);
  const submittersError = h('p', { class: 'field-error', id: 'submitters-error', hidden: true });
  const motionPart = h('fieldset', { class: 'field group', 'aria-describedby': 'submitters-hint' }, h('legend', {}, 'Motionärer'),
    h('span', { class: 'hint', id: 'submitters-hint' }, 'Minst en motionär. Parti som förkortning, t.ex. V, S, M; lämna tomt om ledamoten saknar parti.'),
    rows, submittersError, addButton);

  // Remiss.
  const sender = textField('sender', 'Avsändare', { maxlength: '500', 'aria-required': 'true', class: 'input-wide' }, 'T.ex. Socialdepartementet eller Trafikverket.');
  const answerBy = textField('answer_by', 'Svar senast', { type: 'date', 'aria-required': 'true' }, 'Avsändarens sista dag för remissvaret.');
  const toId = uid('to');
  const to = h('select', { id: toId, name: 'to', 'aria-describedby': toId + '-hint' }, h('option', { value: '' }, 'Fördela senare'), boards().map((o) => h('option', { value: o.code }, o.name)));
  errors.set('to', { input: to, error: h('p', { class: 'field-error', id: toId + '-error', hidden: true }), label: 'Svarande organ' });
  const officer = textField('officer', 'Handläggare (valfritt)', { maxlength: '500' });
  const remissPart = h('div', { class: 'group', hidden: true },
    sender.node, answerBy.node,
    h('div', { class: 'field' }, h('label', { for: toId }, 'Svarande organ (valfritt)'), h('span', { class: 'hint', id: toId + '-hint' }, 'Välj ett organ för att registrera och fördela remissen i ett steg.'), to, errors.get('to').error),
    officer.node);

  const notes = textField('notes', 'Anteckningar (valfritt)', { rows: '3' });
  const confidential = h('input', { type: 'checkbox', id: 'confidential', name: 'confidential' });

  const status = h('div', { class: 'form-status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Registrera motionen');
  const form = h('form', { class: 'register-form', novalidate: true },
    typeField, title.node, received.node, motionPart, remissPart, notes.node,
    h('div', { class: 'field check' }, confidential, h('label', { for: 'confidential' }, 'Sekretessmarkera ärendet (rubrik och texter döljs för läsare)')),
    status, h('div', { class: 'buttons' }, submit));

  const sync = () => {
    const motion = typeMotion.checked;
    motionPart.hidden = !motion;
    remissPart.hidden = motion;
    submit.textContent = motion ? 'Registrera motionen' : 'Registrera remissen';
  };
  typeMotion.addEventListener('change', sync);
  typeRemiss.addEventListener('change', sync);

  const showError = (name, message) => {
    const e = errors.get(name);
    if (!e) return null;
    e.error.textContent = message;
    e.error.hidden = false;
    e.input.setAttribute('aria-invalid', 'true');
    e.input.setAttribute('aria-describedby', [e.input.getAttribute('aria-describedby'), e.error.id].filter(Boolean).join(' '));
    return e.input;
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    for (const e of errors.values()) {
      e.error.hidden = true;
      e.input.removeAttribute('aria-invalid');
    }
    submittersError.hidden = true;
    const motion = typeMotion.checked;
    const body = { type: motion ? 'motion' : 'remiss', title: title.input.value.trim(), received: received.input.value };
    const problems = [];
    if (!body.title) problems.push(showError('title', 'Skriv ärendets rubrik.'));
    if (!body.received) problems.push(showError('received', 'Ange när ärendet kom in.'));
    if (motion) {
      body.submitters = [...rows.children].map((li) => {
        const [name, party] = li.querySelectorAll('input');
        return { name: name.value.trim(), party: party.value.trim() };
      }).filter((s) => s.name);
      if (!body.submitters.length) {
        submittersError.textContent = 'Ange minst en motionär.';
        submittersError.hidden = false;
        problems.push(rows.querySelector('input'));
      }
    } else {
      body.sender = sender.input.value.trim();
      body.answer_by = answerBy.input.value;
      if (!body.sender) problems.push(showError('sender', 'Ange vem som skickat remissen.'));
      if (!body.answer_by) problems.push(showError('answer_by', 'Ange sista svarsdag.'));
      if (to.value) body.to = to.value;
      if (officer.input.value.trim()) body.officer = officer.input.value.trim();
    }
    if (notes.input.value.trim()) body.notes = notes.input.value.trim();
    if (confidential.checked) body.confidential = true;
    if (problems.length) {
      status.append(notice('error', 'Några uppgifter saknas. Rätta de markerade fälten.'));
      problems.find(Boolean)?.focus();
      return;
    }
    submit.disabled = true;
    try {
      const { data } = await request('POST', '/cases', { body });
      setFlash('success', `${data.type_label} ${data.reference} ”${data.title}” är registrerad${data.state === 'distributed' ? ' och fördelad' : ''}.`);
      navigate(`/cases/${data.id}`);
    } catch (e) {
      submit.disabled = false;
      if (e.status === 422 && e.details && e.details.field) {
        const name = String(e.details.field).split(/[.[]/)[0];
        const input = name === 'submitters' ? rows.querySelector('input') : showError(name, e.message);
        if (input) input.focus();
      }
      status.append(notice('error', ...explain(e)));
    }
  });
  page.append(h('p', { class: 'lead' }, 'Ett diarienummer tilldelas när ärendet registreras.'), form);
  sync();
}
