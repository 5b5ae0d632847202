// Which provider, model and address serve each role, how its last call or test went, and buttons to
// choose another and to test the connection.
import type { RoleView } from '../src/protocol';
import { el } from './dom';
import { button } from './components';

export function renderRoles(roles: RoleView[], on: { choose(role: RoleView['role']): void; test(role: RoleView['role']): void }): HTMLElement {
  const section = el('section', 'roles');
  section.setAttribute('aria-label', 'Roles');
  section.append(el('h2', '', 'Roles'));
  const list = el('ul', 'role-list');
  for (const r of roles) {
    const li = el('li', 'role');
    li.dataset.role = r.role;
    const value = r.provider && r.model ? `${r.provider} / ${r.model}` : 'not set';
    const binding = el('span', 'role-binding');
    binding.append(el('span', r.provider ? 'role-model' : 'role-model muted', value));
    // The address as text, never a link: it comes from the workspace's settings.
    if (r.provider && r.baseURL) binding.append(el('span', 'role-url muted', r.baseURL));
    if (r.health) binding.append(healthMark(r.health));
    li.append(el('span', 'role-name', r.role), binding);
    const actions = el('span', 'role-actions');
    actions.append(
      button('Choose…', () => on.choose(r.role), {
        secondary: true,
        ariaLabel: `Choose the model for the ${r.role} role`,
        data: { action: 'select-model', role: r.role },
      }),
    );
    // Only a role with an address has a connection to test (VS Code's own models have none).
    if (r.provider && r.model && r.baseURL)
      actions.append(
        button('Test', () => on.test(r.role), {
          secondary: true,
          ariaLabel: `Test the connection of the ${r.role} role: list the models at ${r.baseURL}`,
          data: { action: 'test-connection', role: r.role },
        }),
      );
    li.append(actions);
    list.append(li);
  }
  section.append(list);
  return section;
}

function healthMark(health: NonNullable<RoleView['health']>): HTMLElement {
  const ok = health.state === 'ok';
  const mark = el('span', `role-health ${ok ? 'ok' : 'failing'}`, `${ok ? '✓ ok' : '✗ failing'}: ${health.reason}`);
  mark.dataset.health = health.state;
  return mark;
}
