// What the pages share: who is signed in, the organisation, and the server's "today".
import { get } from './api.js';
import { addDays, localToday } from './dom.js';

export const ctx = {
  me: null, // {name, display_name, role, csrf_token}
  organs: [], // [{code, name, kind, parent, presidium}]
  organByCode: new Map(),
  today: null,
};

export function resetContext() {
  ctx.me = null;
  ctx.organs = [];
  ctx.organByCode = new Map();
  ctx.today = null;
}

export async function loadOrgans() {
  const data = await get('/organs');
  ctx.organs = data.items || [];
  ctx.organByCode = new Map(ctx.organs.map((o) => [o.code, o]));
}

export function organName(code) {
  if (!code) return '';
  const o = ctx.organByCode.get(code);
  return o ? o.name : code;
}

// Organs that can be responsible for a case: nämnder and the styrelse.
export function boards() {
  return ctx.organs.filter((o) => o.kind === 'nämnd' || o.kind === 'styrelse');
}

// Organs whose views can be gathered (nämnder, styrelse, utskott, delegationer).
export function consultable() {
  return ctx.organs.filter((o) => ['nämnd', 'styrelse', 'utskott', 'delegation'].includes(o.kind));
}

// Who may do what (docs/api.md, the role table).
const WRITERS = ['admin', 'registrar', 'secretary'];
export const may = {
  register: () => ['admin', 'registrar'].includes(ctx.me?.role),
  distribute: () => [...WRITERS, 'presidium'].includes(ctx.me?.role),
  write: () => ctx.me && ctx.me.role !== 'reader',
  administer: () => ctx.me?.role === 'admin',
  notifications: () => ctx.me && ctx.me.role !== 'reader',
};

// The server's date, which may differ from this computer's (a server can run on a
// fixed clock). Read from /me when the server says it, else from an open deadline
// (due − days_left), else this computer's date.
export async function serverToday() {
  if (ctx.today) return ctx.today;
  if (ctx.me && /^\d{4}-\d{2}-\d{2}$/.test(ctx.me.today || '')) {
    ctx.today = ctx.me.today;
    return ctx.today;
  }
  try {
    const open = await get('/deadlines?overdue=false&limit=1');
    const d = open.items && open.items[0];
    if (d && typeof d.days_left === 'number') ctx.today = addDays(d.due, -d.days_left);
    if (!ctx.today) {
      const late = await get('/deadlines?overdue=true&limit=1');
      const o = late.items && late.items[0];
      if (o && typeof o.days_overdue === 'number') ctx.today = addDays(o.due, o.days_overdue);
    }
  } catch (e) {
    // fall through to this computer's date
  }
  if (!ctx.today) ctx.today = localToday();
  return ctx.today;
}
