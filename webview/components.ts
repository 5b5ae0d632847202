// The only module that touches the component library, @vscode-elements/elements (the maintained
// successor of the deprecated @vscode/webview-ui-toolkit): the rest of the webview calls these
// functions, so moving to another library means changing this file alone. Importing a component
// registers its custom element; each is a Lit element whose styles are adopted stylesheets, themed
// by VS Code's --vscode-* variables. No component used here shows a codicon, so no icon font ships.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

export function button(
  label: string,
  onClick: () => void,
  options: { secondary?: boolean; ariaLabel?: string; data?: Record<string, string> } = {},
): HTMLElement {
  const el = document.createElement('vscode-button');
  el.textContent = label;
  el.secondary = !!options.secondary;
  if (options.ariaLabel) el.setAttribute('aria-label', options.ariaLabel);
  for (const [key, value] of Object.entries(options.data ?? {})) el.dataset[key] = value;
  el.addEventListener('click', onClick); // Enter and Space on the button click it too
  // As on a native button, Space only presses it: it does not also scroll the sidebar.
  el.addEventListener('keydown', (event) => {
    if (event.key === ' ') event.preventDefault();
  });
  return el;
}

export function progressRing(label: string): HTMLElement {
  const el = document.createElement('vscode-progress-ring');
  el.ariaLabel = label;
  // A progress bar, not the library's default assertive alert: the text beside the ring is what
  // the page's polite live region reads out.
  el.role = 'progressbar';
  el.ariaLive = 'off';
  return el;
}

/** A labelled number field; Enter hands its value to `onEnter`. */
export function numberField(id: string, label: string, value: number, onEnter: (value: string) => void): HTMLElement {
  const text = document.createElement('span');
  text.className = 'normal'; // the library's label is bold (as in the Settings editor) without it
  text.textContent = label;
  const caption = document.createElement('vscode-label');
  caption.htmlFor = id; // names the field's input for assistive technology; a click focuses it
  caption.append(text);
  const field = document.createElement('vscode-textfield');
  field.id = id;
  field.type = 'number';
  field.value = String(value);
  field.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    onEnter(field.value);
  });
  const wrapper = document.createElement('div');
  wrapper.append(caption, field);
  return wrapper;
}
