// Which provider and model serve each role, with a button to choose one.
import type { RoleView } from '../src/protocol';
import { el } from './dom';
import { button } from './components';

export function renderRoles(roles: RoleView[], choose: (role: RoleView['role']) => void): HTMLElement {
  const section = el('section', 'roles');
  section.setAttribute('aria-label', 'Roles');
  section.append(el('h2', '', 'Roles'));
  const list = el('ul', 'role-list');
  for (const r of roles) {
    const li = el('li', 'role');
    li.dataset.role = r.role;
    const value = r.provider && r.model ? `${r.provider} / ${r.model}` : 'not set';
    li.append(el('span', 'role-name', r.role), el('span', r.provider ? 'role-model' : 'role-model muted', value));
    li.append(button('Choose…', () => choose(r.role), { secondary: true, ariaLabel: `Choose the model for the ${r.role} role`, data: { action: 'select-model', role: r.role } }));
    list.append(li);
  }
  section.append(list);
  return section;
}
