// Konton (administrators): list accounts, create one, disable/enable, set a new password.
import { get, request } from './api.js';
import { ctx, may } from './ctx.js';
import { h, clear, uid, notice, explain, table, badge, ROLE_LABELS } from './dom.js';

const MIN_PASSWORD = 10;

export async function render(page, { setTitle }) {
  setTitle('Konton');
  page.append(h('h1', {}, 'Konton'));
  if (!may.administer()) {
    page.append(notice('info', 'Bara administratörer hanterar konton.'));
    return;
  }
  const message = h('div', { class: 'page-message', tabindex: '-1' });
  const listBox = h('section', { class: 'panel', 'aria-labelledby': 'h-accounts' });
  page.append(message, listBox, createForm(refresh, message));

  function say(kind, ...text) {
    clear(message);
    message.append(notice(kind, ...text));
    message.focus();
  }

  async function refresh() {
    const data = await get('/accounts');
    clear(listBox);
    listBox.append(h('h2', { id: 'h-accounts' }, 'Alla konton', h('span', { class: 'heading-count' }, ` (${data.total})`)));
    listBox.append(table([
      { label: 'Användarnamn', cell: (a) => h('span', { class: 'mono' }, a.username) },
      { label: 'Namn', cell: (a) => a.display_name },
      { label: 'Roll', cell: (a) => ROLE_LABELS[a.role] || a.role },
      {
        label: 'Status',
        cell: (a) => [a.active ? badge('Aktivt', 'met', '✓') : badge('Inaktiverat', 'cancelled', '–'), a.locked ? [' ', badge('Låst efter felaktiga inloggningar', 'overdue', '⚠')] : null],
      },
      { label: 'Åtgärder', cell: (a) => accountActions(a) },
    ], data.items, { caption: 'Konton', captionHidden: true }));
  }

  function accountActions(a) {
    const self = a.username === ctx.me.name;
    const toggle = h('button', { type: 'button', disabled: self && a.active, title: self && a.active ? 'Du kan inte inaktivera ditt eget konto' : null },
      a.active ? 'Inaktivera' : 'Aktivera', h('span', { class: 'visually-hidden' }, ` ${a.username}`));
    toggle.addEventListener('click', async () => {
      toggle.disabled = true;
      try {
        await request('PATCH', `/accounts/${encodeURIComponent(a.username)}`, { body: { active: !a.active } });
        await refresh();
        say('success', `Kontot ${a.username} är ${a.active ? 'inaktiverat' : 'aktiverat'}.`);
      } catch (e) {
        toggle.disabled = false;
        say('error', ...explain(e));
      }
    });
    const pwButton = h('button', { type: 'button', 'aria-expanded': 'false' }, 'Nytt lösenord', h('span', { class: 'visually-hidden' }, ` för ${a.username}`));
    const pwBox = h('div', { class: 'inline-form' });
    pwButton.addEventListener('click', () => {
      if (pwBox.firstChild) {
        clear(pwBox);
        pwButton.setAttribute('aria-expanded', 'false');
        return;
      }
      pwButton.setAttribute('aria-expanded', 'true');
      const id = uid('pw');
      const input = h('input', { id, type: 'password', autocomplete: 'new-password', minlength: String(MIN_PASSWORD), 'aria-describedby': id + '-hint' });
      const err = h('div', {});
      const form = h('form', { novalidate: true },
        h('div', { class: 'field' }, h('label', { for: id }, `Nytt lösenord för ${a.username}`), h('span', { class: 'hint', id: id + '-hint' }, `Minst ${MIN_PASSWORD} tecken.`), input),
        err, h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Spara lösenord')));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clear(err);
        if (input.value.length < MIN_PASSWORD) {
          input.setAttribute('aria-invalid', 'true');
          err.append(notice('error', `Lösenordet måste ha minst ${MIN_PASSWORD} tecken.`));
          input.focus();
          return;
        }
        try {
          await request('PATCH', `/accounts/${encodeURIComponent(a.username)}`, { body: { password: input.value } });
          clear(pwBox);
          pwButton.setAttribute('aria-expanded', 'false');
          say('success', `Nytt lösenord sparat för ${a.username}.`);
        } catch (e) {
          err.append(notice('error', ...explain(e)));
        }
      });
      pwBox.append(form);
      input.focus();
    });
    return h('div', { class: 'row-actions' }, toggle, ' ', pwButton, pwBox);
  }

  await refresh();
}

function createForm(refresh, message) {
  const fields = {};
  const mk = (name, label, control, hint) => {
    const id = control.id;
    fields[name] = control;
    if (hint) control.setAttribute('aria-describedby', id + '-hint');
    return h('div', { class: 'field' }, h('label', { for: id }, label), hint ? h('span', { class: 'hint', id: id + '-hint' }, hint) : null, control);
  };
  const status = h('div', { class: 'form-status' });
  const form = h('form', { class: 'panel create-account', novalidate: true, 'aria-labelledby': 'h-new-account' },
    h('h2', { id: 'h-new-account' }, 'Nytt konto'),
    h('div', { class: 'field-row' },
      mk('username', 'Användarnamn', h('input', { id: uid('username'), type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }), 'Små bokstäver, siffror, punkt eller bindestreck, t.ex. anna.andersson.'),
      mk('display_name', 'Namn', h('input', { id: uid('display'), type: 'text', autocomplete: 'off' }), 'Visas i sidhuvudet och i historiken.')),
    h('div', { class: 'field-row' },
      mk('role', 'Roll', h('select', { id: uid('role') }, h('option', { value: '' }, 'Välj roll'), Object.entries(ROLE_LABELS).map(([v, l]) => h('option', { value: v }, l)))),
      mk('password', 'Lösenord', h('input', { id: uid('password'), type: 'password', autocomplete: 'new-password' }), `Minst ${MIN_PASSWORD} tecken. Lämna det till personen på ett säkert sätt.`)),
    status, h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Skapa konto')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    Object.values(fields).forEach((f) => f.removeAttribute('aria-invalid'));
    const body = {
      username: fields.username.value.trim(),
      display_name: fields.display_name.value.trim(),
      role: fields.role.value,
      password: fields.password.value,
    };
    const problems = [];
    if (!body.username) problems.push(['username', 'användarnamn']);
    if (!body.display_name) problems.push(['display_name', 'namn']);
    if (!body.role) problems.push(['role', 'roll']);
    if (body.password.length < MIN_PASSWORD) problems.push(['password', `lösenord med minst ${MIN_PASSWORD} tecken`]);
    if (problems.length) {
      problems.forEach(([n]) => fields[n].setAttribute('aria-invalid', 'true'));
      status.append(notice('error', `Fyll i ${problems.map(([, t]) => t).join(', ')}.`));
      fields[problems[0][0]].focus();
      return;
    }
    try {
      await request('POST', '/accounts', { body });
      form.reset();
      await refresh();
      clear(message);
      message.append(notice('success', `Kontot ${body.username} (${ROLE_LABELS[body.role]}) är skapat.`));
      message.focus();
    } catch (e) {
      const f = e.details && e.details.field && fields[e.details.field];
      if (f) {
        f.setAttribute('aria-invalid', 'true');
        f.focus();
      }
      status.append(notice('error', ...explain(e)));
    }
  });
  return form;
}
