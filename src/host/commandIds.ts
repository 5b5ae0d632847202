// Every command Baton registers, by id. package.json contributes the same ids (a unit test holds the
// two together) and src/host/commands/commandTable.ts has one handler for each (its type does). Code
// that runs, shows or sends a command uses these names, never the bare string. This file sits above
// commands/, sidebar/ and review/ because all three name commands and commands/ depends on the others.

export const COMMANDS = {
  // Context and tasks
  showContextPlan: 'baton.showContextPlan',
  newTask: 'baton.newTask',
  decompose: 'baton.decompose',
  editTask: 'baton.editTask',
  setBudget: 'baton.setBudget',
  setSplitPolicy: 'baton.setSplitPolicy',
  keepForMe: 'baton.keepForMe',
  delegate: 'baton.delegate',
  pinFile: 'baton.pinFile',
  excludeFile: 'baton.excludeFile',
  // Runs
  runSubtask: 'baton.runSubtask',
  runNextSubtask: 'baton.runNextSubtask',
  retrySubtask: 'baton.retrySubtask',
  stopRun: 'baton.stopRun',
  // The diff review
  reviewPendingChanges: 'baton.reviewPendingChanges',
  acceptHunk: 'baton.review.acceptHunk',
  rejectHunk: 'baton.review.rejectHunk',
  acceptFile: 'baton.review.acceptFile',
  rejectFile: 'baton.review.rejectFile',
  acceptAll: 'baton.review.acceptAll',
  rejectAll: 'baton.review.rejectAll',
  showReviewFile: 'baton.review.showFile',
  applyReview: 'baton.review.apply',
  // Checkpoints and the journal
  createCheckpoint: 'baton.createCheckpoint',
  restoreCheckpoint: 'baton.restoreCheckpoint',
  showJournal: 'baton.showJournal',
  // The sidebar
  revealNode: 'baton.sidebar.revealNode',
  refreshSidebar: 'baton.sidebar.refresh',
  // Models, settings and help
  selectModelForRole: 'baton.selectModelForRole',
  setApiKey: 'baton.setApiKey',
  openSettings: 'baton.openSettings',
  showLog: 'baton.showLog',
  openWalkthrough: 'baton.openWalkthrough',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** The sidebar's webview view; VS Code adds `<view id>.focus` for it, which shows and focuses it. */
export const SIDEBAR_VIEW_ID = 'baton.sidebar';
export const FOCUS_SIDEBAR = `${SIDEBAR_VIEW_ID}.focus`;
