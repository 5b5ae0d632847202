// The only module that touches @vscode/webview-ui-toolkit (sunset by Microsoft in 2025):
// moving to a successor library means changing this file alone.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing, vsCodeTextField } from '@vscode/webview-ui-toolkit';

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing(), vsCodeTextField());
}

export function button(label: string, onClick: () => void, options: { secondary?: boolean; ariaLabel?: string; data?: Record<string, string> } = {}): HTMLElement {
  const el = document.createElement('vscode-button');
  el.textContent = label;
  if (options.secondary) el.setAttribute('appearance', 'secondary');
  if (options.ariaLabel) el.setAttribute('aria-label', options.ariaLabel);
  for (const [key, value] of Object.entries(options.data ?? {})) el.dataset[key] = value;
  el.addEventListener('click', onClick);
  return el;
}

export function progressRing(label: string): HTMLElement {
  const el = document.createElement('vscode-progress-ring');
  el.setAttribute('aria-label', label);
  return el;
}

/** A number field; Enter hands its value to `onEnter`. */
export function numberField(id: string, label: string, value: number, onEnter: (value: string) => void): HTMLElement {
  const el = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  el.id = id;
  el.setAttribute('type', 'number');
  el.setAttribute('value', String(value));
  el.setAttribute('aria-label', label);
  el.textContent = label;
  el.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key !== 'Enter') return;
    event.preventDefault();
    onEnter(el.value);
  });
  return el;
}
