// The sidebar's look, from VS Code's theme variables so it follows every colour theme. Adopted as a
// constructed stylesheet, like the components' own styles, so the CSP needs no 'unsafe-inline'.
// High-contrast themes leave the secondary button colours unset (VS Code's own secondary buttons are
// then transparent, with the contrast border); registered with that default, the components never
// fall back to their built-in dark grey.
const CSS = `
@property --vscode-button-secondaryBackground { syntax: '<color>'; inherits: true; initial-value: transparent; }
@property --vscode-button-secondaryHoverBackground { syntax: '<color>'; inherits: true; initial-value: transparent; }
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
.path { flex: 1; min-width: 0; word-break: normal; overflow-wrap: break-word; color: var(--vscode-textLink-foreground); }
.ranges { color: var(--vscode-descriptionForeground); }
.tokens { flex: none; font-variant-numeric: tabular-nums; color: var(--vscode-descriptionForeground); }
.why { margin: 1px 0 0 calc(4.5em + 6px); font-size: .9em; color: var(--vscode-descriptionForeground); overflow-wrap: anywhere; }
.left-out ul { margin: 4px 0; padding-left: 16px; }
.left-out li { overflow-wrap: break-word; }
.timings { margin-top: 12px; font-size: .85em; }
.header { margin-top: 8px; }
.notice { margin: 6px 0; padding: 4px 6px; border-left: 3px solid var(--vscode-notificationsInfoIcon-foreground, var(--vscode-focusBorder)); overflow-wrap: anywhere; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.running, .decision { margin: 8px 0; padding: 6px 8px; border-left: 3px solid var(--vscode-progressBar-background, var(--vscode-focusBorder)); overflow-wrap: anywhere; }
.decision { border-left-color: var(--vscode-notificationsWarningIcon-foreground, var(--vscode-editorWarning-foreground)); background: var(--vscode-inputValidation-warningBackground, transparent); }
.decision h2 { margin-top: 0; }
.decision-node, .running-title { font-weight: 600; }
.decision-text, .run-step, .run-message { margin: 4px 0; white-space: pre-wrap; }
.decision-text { max-height: 40vh; overflow-y: auto; }
.node-step { display: flex; flex-wrap: wrap; gap: 8px; font-size: .9em; color: var(--vscode-progressBar-background, var(--vscode-foreground)); }
.node-step .waiting { color: var(--vscode-notificationsWarningIcon-foreground, var(--vscode-editorWarning-foreground)); }
.budget-words { margin: 4px 0 8px; padding-left: 1.2em; }
.budget-words li { margin: 1px 0; }
.notices .notice { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 6px; align-items: start; }
.notice-text { grid-column: 1; grid-row: 1; margin: 0; }
.notice [data-action="dismiss-notice"] { grid-column: 2; grid-row: 1; }
.notice [data-action="notice-fix"] { grid-column: 1; grid-row: 2; justify-self: start; }
.back { margin: 10px 0 0; }
.ledger-kind, .split-words { margin: 0 0 6px; }
.notice.error { border-left-color: var(--vscode-errorForeground); color: var(--vscode-errorForeground); }
.task-tree, .task-group { list-style: none; margin: 0; padding: 0; }
.task-item { outline: none; border-radius: 3px; }
.task-item:focus-visible > .node-row, .task-item:focus-visible > .node-budget { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.task-item[aria-selected="true"] > .node-row, .task-item[aria-selected="true"] > .node-budget { background: var(--vscode-list-inactiveSelectionBackground); color: var(--vscode-list-inactiveSelectionForeground, inherit); }
.task-tree:focus-within .task-item[aria-selected="true"] > .node-row, .task-tree:focus-within .task-item[aria-selected="true"] > .node-budget { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground, inherit); }
.node-row { display: flex; gap: 5px; align-items: center; padding: 2px 4px; cursor: pointer; }
.node-row:hover { background: var(--vscode-list-hoverBackground); }
.twisty { width: 10px; flex: none; color: var(--vscode-icon-foreground, inherit); }
.state-icon { flex: none; width: 1.1em; text-align: center; }
.state-done { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.state-failed { color: var(--vscode-testing-iconFailed, var(--vscode-errorForeground)); }
.state-running, .state-review { color: var(--vscode-charts-blue, var(--vscode-focusBorder)); }
.state-kept { color: var(--vscode-charts-yellow, inherit); }
.state-pending, .state-planned, .state-cancelled { color: var(--vscode-descriptionForeground); }
.node-title { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.badge { flex: none; font-size: .8em; padding: 0 5px; border-radius: 8px; border: 1px solid transparent; }
.badge.delegate { background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.badge.keep { background: var(--vscode-inputValidation-warningBackground, var(--vscode-badge-background)); color: var(--vscode-foreground); border-color: var(--vscode-inputValidation-warningBorder, transparent); }
.node-budget { display: flex; gap: 6px; align-items: center; padding: 0 4px 3px; font-size: .9em; color: var(--vscode-descriptionForeground); cursor: pointer; }
.meter { flex: 1; max-width: 120px; height: 5px; border-radius: 2px; overflow: hidden; background: var(--vscode-input-background, rgba(128,128,128,.15)); border: 1px solid var(--vscode-widget-border, transparent); }
.meter .fill { display: block; height: 100%; background: var(--vscode-progressBar-background); }
.meter .fill.over { background: var(--vscode-errorForeground); }
.figures, .cost { font-variant-numeric: tabular-nums; }
.ledger-node { margin: 2px 0 6px; font-weight: 600; overflow-wrap: anywhere; }
.budget-edit { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 4px 0 8px; }
.budget-edit vscode-textfield { width: 9em; }
.ledger-items, .checkpoints, .role-list, .cp-files { list-style: none; margin: 0; padding: 0; }
.ledger-item, .checkpoint { padding: 4px 0; border-bottom: 1px solid var(--vscode-widget-border, transparent); }
.item-actions { display: flex; gap: 6px; margin: 3px 0 0 calc(4.5em + 6px); }
.choices h3 { font-size: .95em; margin: 10px 0 2px; font-weight: 600; }
.choices ul { list-style: none; margin: 0; padding: 0; }
.choices li { display: flex; gap: 6px; align-items: center; justify-content: space-between; overflow-wrap: anywhere; margin: 2px 0; }
.cp-head { font-weight: 600; }
.cp-label { overflow-wrap: anywhere; }
.cp-files li { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; margin: 2px 0; }
.cp-files .path { color: var(--vscode-foreground); }
.checkpoint.undone .cp-label { color: var(--vscode-descriptionForeground); text-decoration: line-through; }
/* The role and its Choose… on one line, what serves it below at the full width: at 300 px a model
   name and an address stay whole instead of breaking into a column a few characters wide. */
.role { display: grid; grid-template-columns: minmax(0, 1fr) auto; grid-template-areas: "name choose" "binding binding"; gap: 0 6px; align-items: center; margin: 4px 0 8px; }
.role-name { grid-area: name; font-weight: 600; }
.role-actions { grid-area: choose; display: flex; gap: 4px; }
.role-binding { grid-area: binding; min-width: 0; display: flex; flex-direction: column; }
.role-model, .role-url, .role-health { overflow-wrap: anywhere; }
.role-health.ok { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.role-health.failing { color: var(--vscode-errorForeground); }
body.vscode-high-contrast .meter, body.vscode-high-contrast .badge, body.vscode-high-contrast .bar, body.vscode-high-contrast .notice { border: 1px solid var(--vscode-contrastBorder); }
body.vscode-high-contrast .task-item[aria-selected="true"] > .node-row { outline: 1px dashed var(--vscode-contrastActiveBorder); outline-offset: -1px; }
body.vscode-high-contrast .task-item:focus-visible > .node-row, body.vscode-high-contrast .item:focus-visible { outline: 1px solid var(--vscode-contrastActiveBorder); }
body.vscode-high-contrast .ledger-item, body.vscode-high-contrast .checkpoint { border-bottom-color: var(--vscode-contrastBorder); }
body.vscode-high-contrast vscode-button:hover { outline: 1px dashed var(--vscode-contrastActiveBorder); }
`;

export function injectStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
