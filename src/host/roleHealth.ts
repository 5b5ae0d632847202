import * as vscode from 'vscode';
import type { Role } from '../core/providers/providerSettings';

export interface RoleHealthMark {
  state: 'ok' | 'failing';
  /** "12 models listed", "could not reach http://127.0.0.1:1234/v1: connection refused" */
  reason: string;
  /** Provider, model and address the mark was earned with: a changed role shows no stale mark. */
  binding: string;
}

/** How each role's last model call or connection test went, this session (not saved). */
export class RoleHealth {
  private readonly marks = new Map<Role, RoleHealthMark>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  mark(role: Role, mark: RoleHealthMark): void {
    this.marks.set(role, mark);
    this.changed.fire();
  }

  /** The mark for `role` while it is still bound to `binding`. */
  current(role: Role, binding: string): Omit<RoleHealthMark, 'binding'> | null {
    const mark = this.marks.get(role);
    return mark && mark.binding === binding ? { state: mark.state, reason: mark.reason } : null;
  }
}

/** One per extension host: the router, the select flow and the sidebar share it. */
export const roleHealth = new RoleHealth();

/** The key a health mark is filed under: a role's provider, model and effective address. */
export function bindingKey(provider: string, model: string, baseURL: string | null): string {
  return `${provider}\n${model}\n${baseURL ?? ''}`;
}
