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

/**
 * The person's workspace files, addressed by workspace-relative paths with '/' separators. Every
 * read, write and delete goes through the path policy (security/pathPolicy.ts): nothing outside the
 * workspace folder, nothing through a link the person did not approve.
 */
export interface WorkspaceFiles {
  read(path: string): Promise<Uint8Array | undefined>; // undefined: no such file
  write(path: string, bytes: Uint8Array): Promise<void>; // creates folders as needed
  delete(path: string): Promise<void>;
  /** True when the editor holds unsaved changes to the file (never true outside an editor). */
  hasUnsavedChanges(path: string): boolean;
  /**
   * Where each path really leads, for a batch about to be written or deleted: asks the person once
   * about the links on the way, and throws PathRefusedError naming every refused path before
   * anything is written. Confirmations name the real paths it returns.
   */
  prepare(paths: readonly string[], action: 'write' | 'delete'): Promise<ResolvedPath[]>;
}

/** A workspace path and where it really leads (security/pathPolicy.ts). */
export interface ResolvedPath {
  /** As asked: workspace-relative, '/' separators. */
  path: string;
  /** Where it leads inside the workspace once every link is followed; equal to `path` without links. */
  realPath: string;
  /** The links on the way, each of which the person approved before any write. */
  links: PathLink[];
}

export type PathLink =
  | { kind: 'symbolic'; path: string; /** workspace-relative real path it leads to */ leadsTo: string }
  | { kind: 'hard'; path: string; /** how many names the file has */ names: number };

/** One entry on disk as lstat sees it: a final symbolic link is reported, not followed. */
export type DiskEntry =
  | { kind: 'absent' }
  | { kind: 'file'; /** hard links: more than 1 means other names share these bytes */ names: number }
  | { kind: 'folder' }
  | { kind: 'link' }
  | { kind: 'other' }; // a pipe, socket or device

/**
 * What the path policy needs to know about the disk under one folder. Paths in are relative to it
 * with '/' separators ('' is the folder itself); real paths out are absolute with '/' separators.
 */
export interface PathInspector {
  /** True where the file system treats "A" and "a" as one name (macOS and Windows by default). */
  caseInsensitive(): Promise<boolean>;
  /** The folder's own real path. */
  realRoot(): Promise<string>;
  entry(path: string): Promise<DiskEntry>;
  /** Where an existing path leads with every link followed; undefined when a link dangles or loops. */
  realPath(path: string): Promise<string | undefined>;
}

/** Baton's own state in the workspace (`.baton/`): tree, checkpoints, journal. Atomic writes. */
export interface StateStore {
  read(path: string): Promise<Uint8Array | undefined>;
  write(path: string, bytes: Uint8Array): Promise<void>; // all-or-nothing (write then rename)
  delete(path: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /**
   * Takes the lock called `name` (`.baton/<name>.lock`), held against every other holder: this
   * process, a second window, the command line. Waits up to `waitMs` (default 0) for another
   * holder, then throws StateLockedError naming the lock. A holder that died without releasing
   * leaves a lock that goes stale within seconds and is then taken over. Resolves with the release.
   */
  lock(name: string, options?: { waitMs?: number }): Promise<ReleaseLock>;
}

export type ReleaseLock = () => Promise<void>;

/**
 * Baton's cache of what it learnt about one workspace (index, definition extents, token counts),
 * kept outside the workspace: a per-user folder for the CLI, the editor's storage for the
 * extension. Files by fixed name; a write replaces a file whole (write, then rename). What is read
 * is checked before any of it is used (context/cacheBlob.ts).
 */
export interface IndexCacheStore {
  read(name: string): Promise<Uint8Array | undefined>; // undefined: no such file
  write(name: string, bytes: Uint8Array): Promise<void>;
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

/**
 * Progress and cancel for opening a workspace (scan and index), which runs on the caller's thread
 * in slices that give the event loop a turn every few milliseconds: the editor never stalls.
 */
export interface IndexingControl {
  /** Aborting stops the work at its next slice with an IndexingCancelledError; nothing is kept. */
  signal?: AbortSignal;
  /** Called between slices (a few times a second at most per stage) and at the end of each stage. */
  onProgress?(progress: IndexingProgress): void;
}

export interface IndexingProgress {
  /** walk: folders listed; read: files read of those found; index: files indexed of those read. */
  stage: 'walk' | 'read' | 'index';
  done: number;
  /** Known once the walk is over. */
  total?: number;
}
