// The only module that touches @vscode/webview-ui-toolkit (sunset by Microsoft in 2025):
// moving to a successor library means changing this file alone.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());
}

export function button(label: string, onClick: () => void): HTMLElement {
  const el = document.createElement('vscode-button');
  el.textContent = label;
  el.addEventListener('click', onClick);
  return el;
}

export function progressRing(label: string): HTMLElement {
  const el = document.createElement('vscode-progress-ring');
  el.setAttribute('aria-label', label);
  return el;
}
