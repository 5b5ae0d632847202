import { z } from 'zod';
import { workspacePathProblem } from '../security/workspacePath';

// A checkpoint's manifest: what the files were before a step (and, once recorded, after it),
// with the task tree's state. It is written after every blob it names, so its (atomic) write is
// the commit point of a checkpoint. Versioned so a later Baton can read or migrate old stores.

export const MANIFEST_VERSION = 1;
const MANIFESTS = 'checkpoints/manifests/';

const jsonSchema = z.json();
export type JsonValue = z.infer<typeof jsonSchema>;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

export const fileImageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('absent') }),
  z.object({ kind: z.literal('file'), sha256: sha256Schema, size: z.number().int().nonnegative() }),
]);
export type FileImage = z.infer<typeof fileImageSchema>;

const fileRecordSchema = z.object({
  path: z.string().refine((path) => workspacePathProblem(path) === undefined, 'not a workspace-relative path'),
  before: fileImageSchema,
  /** Present once the step's result is recorded; absent while the step runs or if it crashed. */
  after: fileImageSchema.optional(),
});
export type FileRecord = z.infer<typeof fileRecordSchema>;

export const checkpointKinds = ['step', 'restore', 'undoNode'] as const;
export type CheckpointKind = (typeof checkpointKinds)[number];

export const checkpointManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  id: z.string().regex(/^[0-9a-z-]+$/),
  /** Position in the journal; orders checkpoints independently of the clock. */
  sequence: z.number().int().nonnegative(),
  kind: z.enum(checkpointKinds),
  nodeId: z.string(),
  label: z.string(),
  createdAt: z.number(),
  completedAt: z.number().optional(),
  treeState: jsonSchema,
  tokens: z.number().nonnegative(),
  cost: z.number().nonnegative(),
  /** Checkpoints whose changes this one took back (restores and node undos). */
  reverts: z.array(z.string()),
  files: z.array(fileRecordSchema),
});
export type CheckpointManifest = z.infer<typeof checkpointManifestSchema>;

export function manifestPath(id: string): string {
  return `${MANIFESTS}${id}.json`;
}

export function manifestIdFromPath(path: string): string | undefined {
  const match = /^checkpoints\/manifests\/([0-9a-z-]+)\.json$/.exec(path);
  return match?.[1];
}

export function manifestPrefix(): string {
  return MANIFESTS;
}

/** Ids start with the zero-padded sequence, so they sort in journal order even when unreadable. */
export function checkpointId(sequence: number, suffix: string): string {
  return `${sequence.toString().padStart(8, '0')}-${suffix}`;
}

export function sequenceOfId(id: string): number | undefined {
  const digits = /^(\d+)-/.exec(id)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

export function encodeManifest(manifest: CheckpointManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`);
}

export function decodeManifest(bytes: Uint8Array): CheckpointManifest {
  const raw: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > MANIFEST_VERSION) {
    throw new Error(`it was written by a newer Baton (manifest version ${version}, this one reads ${MANIFEST_VERSION})`);
  }
  const parsed = checkpointManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return parsed.data;
}

export function sameImage(a: FileImage, b: FileImage): boolean {
  if (a.kind === 'absent' || b.kind === 'absent') return a.kind === b.kind;
  return a.sha256 === b.sha256;
}
