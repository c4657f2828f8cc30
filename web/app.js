// Kansli's browser app: sign-in, the header and navigation, and a small router
// over the History API (the server answers index.html for every non-API path).
import { request, setCsrfToken, setUnauthorizedHandler } from './api.js';
import { ctx, loadOrgans, may, resetContext } from './ctx.js';
import { h, clear, notice, errorNotice, loading, ROLE_LABELS } from './dom.js';
import * as overview from './overview.js';
import * as cases from './cases.js';
import * as casePage from './case.js';
import * as register from './register.js';
import * as distribution from './distribution.js';
import * as meetings from './meetings.js';
import * as reports from './reports.js';
import * as accounts from './accounts.js';

const header = document.getElementById('site-header');
const main = document.getElementById('main');

const NAV = [
  { path: '/', label: 'Översikt', section: 'overview' },
  { path: '/cases', label: 'Ärenden', section: 'cases' },
  { path: '/register', label: 'Registrera', section: 'register', when: may.register },
  { path: '/distribution', label: 'Fördelning', section: 'distribution', when: may.distribute },
  { path: '/meetings', label: 'Sammanträden', section: 'meetings' },
  { path: '/reports', label: 'Rapporter', section: 'reports' },
  { path: '/accounts', label: 'Konton', section: 'accounts', when: may.administer },
];

const ROUTES = [
  { re: /^\/$/, section: 'overview', page: overview },
  { re: /^\/cases\/?$/, section: 'cases', page: cases },
  { re: /^\/cases\/(\d+)\/?$/, section: 'cases', page: casePage },
  { re: /^\/register\/?$/, section: 'register', page: register },
  { re: /^\/distribution\/?$/, section: 'distribution', page: distribution },
  { re: /^\/meetings\/?$/, section: 'meetings', page: meetings },
  { re: /^\/meetings\/(\d+)\/?$/, section: 'meetings', page: meetings, agenda: true },
  { re: /^\/reports\/?$/, section: 'reports', page: reports },
  { re: /^\/accounts\/?$/, section: 'accounts', page: accounts },
];

let renderCount = 0;
let flash = null;

// Shows a message at the top of the next page that is rendered.
export function setFlash(kind, text) {
  flash = { kind, text };
}

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

export function setTitle(text) {
  document.title = text ? `${text} – Kansli` : 'Kansli';
}

// ---- sign-in

function renderLogin(message) {
  clear(header);
  header.classList.add('site-header-plain');
  header.append(h('div', { class: 'header-inner' }, h('span', { class: 'brand' }, 'Kansli')));
  setTitle('Logga in');
  clear(main);
  const status = h('div', { class: 'login-status' });
  if (message) status.append(notice('info', message));
  const user = h('input', { id: 'login-username', name: 'username', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Logga in');
  const form = h('form', { class: 'login-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'login-username' }, 'Användarnamn'), user),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Lösenord'), pass),
    button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(status);
    if (!user.value.trim() || !pass.value) {
      status.append(notice('error', 'Fyll i både användarnamn och lösenord.'));
      (user.value.trim() ? pass : user).focus();
      return;
    }
    button.disabled = true;
    button.textContent = 'Loggar in …';
    try {
      const { data } = await request('POST', '/session', { body: { username: user.value.trim(), password: pass.value }, quiet401: true });
      await start(data);
    } catch (e) {
      button.disabled = false;
      button.textContent = 'Logga in';
      pass.value = '';
      const parts = [e.message];
      if (e.code === 'locked' && e.details && e.details.retry_after_seconds) {
        const minutes = Math.max(1, Math.ceil(e.details.retry_after_seconds / 60));
        parts.push(` Försök igen om ${minutes === 1 ? '1 minut' : minutes + ' minuter'}.`);
      }
      status.append(notice('error', ...parts));
      pass.focus();
    }
  });
  main.append(h('section', { class: 'login-card', 'aria-labelledby': 'login-heading' },
    h('h1', { id: 'login-heading', tabindex: '-1' }, 'Logga in'),
    h('p', { class: 'lead' }, 'Kansli – uppföljning av motioner och remisser.'),
    status, form));
  user.focus();
}

async function logout() {
  try {
    await request('DELETE', '/session', { quiet401: true });
  } catch (e) {
    // signed out either way
  }
  setCsrfToken(null);
  resetContext();
  history.replaceState(null, '', '/');
  renderLogin('Du är utloggad.');
}

// ---- the signed-in frame

function renderHeader() {
  clear(header);
  header.classList.remove('site-header-plain');
  const me = ctx.me;
  const links = NAV.filter((n) => !n.when || n.when()).map((n) =>
    h('li', {}, h('a', { href: n.path, 'data-section': n.section }, n.label)));
  header.append(h('div', { class: 'header-inner' },
    h('a', { class: 'brand', href: '/' }, 'Kansli'),
    h('div', { class: 'user' },
      h('span', { class: 'user-name' }, me.display_name || me.name),
      h('span', { class: 'user-role' }, ROLE_LABELS[me.role] || me.role),
      h('button', { type: 'button', class: 'logout', on: { click: logout } }, 'Logga ut'))),
  h('nav', { class: 'main-nav', 'aria-label': 'Huvudmeny' }, h('ul', {}, links)));
}

function markNav(section) {
  for (const a of header.querySelectorAll('.main-nav a')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function render() {
  if (!ctx.me) return;
  const mine = ++renderCount;
  const path = location.pathname;
  let route = null;
  let params = [];
  for (const r of ROUTES) {
    const m = r.re.exec(path);
    if (m) {
      route = r;
      params = m.slice(1);
      break;
    }
  }
  markNav(route ? route.section : null);
  clear(main);
  const message = flash;
  flash = null;
  if (!route) {
    setTitle('Sidan finns inte');
    main.append(h('h1', { tabindex: '-1' }, 'Sidan finns inte'),
      h('p', {}, 'Adressen leder inte till någon sida i Kansli. ', h('a', { href: '/' }, 'Till översikten')));
    focusHeading();
    return;
  }
  main.append(loading());
  const page = h('div', { class: 'page page-' + route.section });
  const context = {
    params,
    query: new URLSearchParams(location.search),
    agenda: Boolean(route.agenda),
    current: () => mine === renderCount,
    navigate,
    setTitle,
    setFlash,
  };
  try {
    await route.page.render(page, context);
  } catch (e) {
    if (mine !== renderCount) return;
    if (e.status === 401) return; // the sign-in page is shown
    clear(page);
    page.append(h('h1', { tabindex: '-1' }, 'Något gick fel'), errorNotice(e));
  }
  if (mine !== renderCount) return;
  clear(main);
  if (message) main.append(notice(message.kind, message.text));
  main.append(page);
  focusHeading();
}

function focusHeading() {
  const heading = main.querySelector('h1');
  if (heading) {
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
  window.scrollTo(0, 0);
}

async function start(me) {
  ctx.me = me;
  setCsrfToken(me.csrf_token);
  await loadOrgans();
  renderHeader();
  await render();
}

// Links inside the app are followed without a page load.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = ev.target.closest('a');
  if (!a || !a.href || a.target || a.hasAttribute('download') || a.dataset.external !== undefined) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  ev.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => render());

setUnauthorizedHandler(() => {
  setCsrfToken(null);
  resetContext();
  renderLogin('Din inloggning har gått ut. Logga in igen.');
});

async function boot() {
  clear(main);
  main.append(loading('Startar …'));
  try {
    const { data } = await request('GET', '/me', { quiet401: true });
    await start(data);
  } catch (e) {
    if (e.status === 401) {
      renderLogin();
      return;
    }
    clear(main);
    main.append(h('h1', { tabindex: '-1' }, 'Kansli kunde inte starta'), errorNotice(e),
      h('button', { type: 'button', on: { click: boot } }, 'Försök igen'));
  }
}

boot();
