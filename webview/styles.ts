// The sidebar's look, from VS Code's theme variables so it follows every colour theme. Injected as
// a <style> element (the CSP allows inline styles; the toolkit needs them too).
const CSS = `
body { padding: 0 12px 12px; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
h2 { font-size: 1em; font-weight: 600; margin: 14px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--vscode-sideBarSectionHeader-foreground, var(--vscode-foreground)); }
.muted { color: var(--vscode-descriptionForeground); }
.task { margin: 4px 0 8px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 7.5em; overflow: auto; }
.planning { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
.planning vscode-progress-ring { width: 16px; height: 16px; flex: none; }
.figure { display: flex; justify-content: space-between; gap: 8px; margin: 8px 0 4px; }
.figure strong { font-size: 1.15em; font-variant-numeric: tabular-nums; }
.bar { display: flex; height: 8px; border-radius: 2px; overflow: hidden; background: var(--vscode-input-background, rgba(128,128,128,.15)); border: 1px solid var(--vscode-widget-border, transparent); }
.bar span { display: block; height: 100%; }
.bar .context, .legend .context { background: var(--vscode-progressBar-background, #0e70c0); }
.bar .reserved, .legend .reserved { background: var(--vscode-charts-purple, #b180d7); }
.bar .answer, .legend .answer { background: var(--vscode-charts-yellow, #cca700); opacity: .6; }
.legend { margin: 4px 0 0; font-size: .9em; }
.legend .entry { display: inline-block; margin-right: 8px; white-space: nowrap; }
.legend i { display: inline-block; width: 8px; height: 8px; margin-right: 3px; border-radius: 1px; }
.items { list-style: none; margin: 0; padding: 0; }
.item { display: block; width: 100%; text-align: left; padding: 4px 6px; margin: 0; border: 0; border-radius: 3px; background: transparent; color: inherit; font: inherit; cursor: pointer; }
.item:hover { background: var(--vscode-list-hoverBackground); }
.item:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.row { display: flex; gap: 6px; align-items: baseline; }
.tier { flex: none; min-width: 4.5em; font-size: .85em; text-transform: uppercase; color: var(--vscode-descriptionForeground); }
.tier.whole { color: var(--vscode-charts-green, inherit); }
.tier.snippet { color: var(--vscode-charts-blue, inherit); }
.path { flex: 1; min-width: 0; overflow-wrap: anywhere; color: var(--vscode-textLink-foreground); }
.ranges { color: var(--vscode-descriptionForeground); }
.tokens { flex: none; font-variant-numeric: tabular-nums; color: var(--vscode-descriptionForeground); }
.why { margin: 1px 0 0 calc(4.5em + 6px); font-size: .9em; color: var(--vscode-descriptionForeground); overflow-wrap: anywhere; }
.left-out ul { margin: 4px 0; padding-left: 16px; }
.left-out li { overflow-wrap: anywhere; }
.timings { margin-top: 12px; font-size: .85em; }
`;

export function injectStyles(): void {
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.append(style);
}
