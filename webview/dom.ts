// Small DOM helpers for the sidebar. Workspace text only ever goes in as textContent or attributes.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A path that wraps only after its slashes in a narrow sidebar: a <wbr> after each '/', the parts as
 * text nodes (a path is workspace text, never markup), the whole path in its tooltip.
 */
export function pathText(path: string, className = 'path'): HTMLElement {
  const span = el('span', className);
  span.title = path;
  path.split('/').forEach((part, i, parts) => {
    span.append(document.createTextNode(i < parts.length - 1 ? `${part}/` : part));
    if (i < parts.length - 1) span.append(document.createElement('wbr'));
  });
  return span;
}

/** A horizontal meter of `used` against `allocated`, with its figures for assistive technology. */
export function budgetMeter(used: number, allocated: number, label: string): HTMLElement {
  const meter = el('span', 'meter');
  meter.setAttribute('role', 'meter');
  meter.setAttribute('aria-label', label);
  meter.setAttribute('aria-valuemin', '0');
  meter.setAttribute('aria-valuemax', String(Math.max(allocated, used)));
  meter.setAttribute('aria-valuenow', String(used));
  const fill = el('span', used > allocated ? 'fill over' : 'fill');
  fill.style.width = `${allocated > 0 ? Math.min(100, (100 * used) / allocated) : used > 0 ? 100 : 0}%`;
  meter.append(fill);
  return meter;
}

export function formatCost(cost: number): string {
  return `$${cost.toFixed(cost > 0 && cost < 0.01 ? 4 : 2)}`;
}

export function formatRanges(ranges: readonly (readonly [number, number])[]): string {
  return ranges.map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(', ');
}
