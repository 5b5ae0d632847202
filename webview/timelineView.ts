// The checkpoint timeline, newest first: when, which node, which files, tokens and cost; Restore
// (the host asks for confirmation) and, per file, Compare with now.
import type { CheckpointView } from '../src/protocol';
import { el, formatCost, pathText } from './dom';
import { button } from './components';

export interface TimelineCallbacks {
  restore(checkpointId: string): void;
  compare(checkpointId: string, path: string): void;
}

export function renderTimeline(checkpoints: CheckpointView[], error: string | null, callbacks: TimelineCallbacks): HTMLElement {
  const section = el('section', 'timeline');
  section.setAttribute('aria-label', 'Checkpoints');
  section.append(el('h2', '', `Checkpoints (${checkpoints.length})`));
  if (error) section.append(el('p', 'notice error', error));
  if (!checkpoints.length) {
    section.append(el('p', 'muted', 'No checkpoints yet: one is saved before every change Baton applies.'));
    return section;
  }
  const list = el('ol', 'checkpoints');
  for (const cp of checkpoints) {
    const li = el('li', `checkpoint${cp.undone ? ' undone' : ''}${cp.foreign ? ' foreign' : ''}`);
    li.dataset.checkpointId = cp.id;
    const when = new Date(cp.time).toLocaleString();
    li.append(
      el('div', 'cp-head', `${when} · ${cp.nodeTitle ?? cp.nodeId}`),
      el('div', 'cp-label', `${cp.label}${cp.undone ? ' (taken back)' : ''}${cp.complete ? '' : ' (incomplete)'}`),
    );
    if (cp.foreign) {
      // Not Baton's own (e.g. shipped in the repository): what it claims, and no way to restore it.
      li.append(el('div', 'notice error', `Foreign checkpoint: ${cp.foreign}`));
      const files = el('ul', 'cp-files');
      for (const file of cp.files) {
        const row = el('li');
        row.append(pathText(file.path), el('span', 'muted', ` ${file.change}`));
        files.append(row);
      }
      li.append(files);
      list.append(li);
      continue;
    }
    const files = el('ul', 'cp-files');
    for (const file of cp.files) {
      const row = el('li', '');
      row.append(pathText(file.path), el('span', 'muted', ` ${file.change} `));
      row.append(
        button('Compare with now', () => callbacks.compare(cp.id, file.path), {
          secondary: true,
          ariaLabel: `Compare ${file.path} before this checkpoint with now`,
          data: { action: 'compare', path: file.path },
        }),
      );
      files.append(row);
    }
    li.append(files, el('div', 'muted', `${cp.tokens} tokens · ${formatCost(cp.cost)}`));
    li.append(button('Restore', () => callbacks.restore(cp.id), { ariaLabel: `Restore the files to before ${cp.label}`, data: { action: 'restore' } }));
    list.append(li);
  }
  section.append(list);
  return section;
}
