// What test command detection reads and what it finds.
/** What detection reads: workspace-relative paths with '/' separators. */
export interface TestCommandFiles {
  exists(path: string): Promise<boolean>;
  readText(path: string): Promise<string | undefined>; // undefined: no such file
  /** Names in a folder (files and folders). Optional: without it, a bare tests/ folder is not looked into. */
  list?(folder: string): Promise<string[] | undefined>;
}

export interface DetectedTestCommand {
  command: string;
  /** What was found, for the confirmation prompt: "pytest.ini found", "package.json has a test script". */
  reason: string;
}
