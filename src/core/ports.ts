// What the engine needs from the world outside it. The CLI implements these with Node, the
// extension host with VS Code (SecretStorage, workspace.fs, dirty documents). src/core never
// imports `vscode`: it reaches the editor only through these interfaces.

/** Keys and tokens. In the extension: VS Code's SecretStorage, never settings or files. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * A secret only this machine holds, one per workspace folder (the extension keeps it in
 * SecretStorage), made on first use. Baton signs its own checkpoints with it, so checkpoint files
 * that came from elsewhere (a repository's committed `.baton/`) are told apart and never restored.
 */
export interface SigningKey {
  get(): Promise<Uint8Array>;
}

/** The person's workspace files, addressed by workspace-relative paths with '/' separators. */
export interface WorkspaceFiles {
  read(path: string): Promise<Uint8Array | undefined>; // undefined: no such file
  write(path: string, bytes: Uint8Array): Promise<void>; // creates folders as needed
  delete(path: string): Promise<void>;
  /** True when the editor holds unsaved changes to the file (never true outside an editor). */
  hasUnsavedChanges(path: string): boolean;
}

/** Baton's own state in the workspace (`.baton/`): tree, checkpoints, journal. Atomic writes. */
export interface StateStore {
  read(path: string): Promise<Uint8Array | undefined>;
  write(path: string, bytes: Uint8Array): Promise<void>; // all-or-nothing (write then rename)
  delete(path: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

export interface Clock {
  now(): number; // ms since the epoch
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A command run in the workspace (the project's tests). Only ever after the person approved it. */
export interface Exec {
  run(command: string, options: ExecOptions): Promise<ExecResult>;
}

export interface ExecOptions {
  cwd: string;
  /** Cancelling kills the command and every process it started, within a second. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Output as it arrives (stdout and stderr interleaved). */
  onOutput?(text: string): void;
}

export interface ExecResult {
  exitCode: number | null; // null when killed
  /** The last part of the output (capped), stdout and stderr interleaved. */
  output: string;
  outcome: 'exited' | 'cancelled' | 'timed-out' | 'failed-to-start';
  durationMs: number;
}
