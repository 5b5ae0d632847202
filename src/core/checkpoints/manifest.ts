import * as z from 'zod';
import { workspacePathProblem } from '../security/workspacePath';
import { isValidSignature, manifestSignature } from './manifestSignature';

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

/** The manifest as stored: its JSON with a `signature` field over the rest (see manifestSignature). */
export function encodeManifest(manifest: CheckpointManifest, key: Uint8Array): Uint8Array {
  const signature = manifestSignature(JSON.stringify(manifest), key);
  return new TextEncoder().encode(`${JSON.stringify({ ...manifest, signature }, null, 1)}\n`);
}

export interface DecodedManifest {
  /** True when Baton wrote it on this machine for this folder (its signature verifies). */
  signed: boolean;
  /** Absent when the file does not hold a manifest this Baton reads. */
  manifest?: CheckpointManifest;
  /** What is wrong with it: unreadable, or not signed by this machine's key. */
  problem?: string;
}

export function decodeManifest(bytes: Uint8Array, key: Uint8Array): DecodedManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return { signed: false, problem: `it is not JSON (${(err as Error).message})` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { signed: false, problem: 'it is not a JSON object' };
  const { signature, ...body } = raw as Record<string, unknown>;
  // JSON.stringify of parsed JSON gives back exactly the text the writer signed.
  const signed = isValidSignature(JSON.stringify(body), signature, key);
  const unsigned = signature === undefined ? 'it has no signature' : 'its signature does not match';
  const version = body.version;
  if (typeof version === 'number' && version > MANIFEST_VERSION) {
    return { signed, problem: `it was written by a newer Baton (manifest version ${version}, this one reads ${MANIFEST_VERSION})` };
  }
  const parsed = checkpointManifestSchema.safeParse(body);
  if (!parsed.success) return { signed, problem: z.prettifyError(parsed.error) };
  return signed ? { signed, manifest: parsed.data } : { signed, manifest: parsed.data, problem: unsigned };
}

export function sameImage(a: FileImage, b: FileImage): boolean {
  if (a.kind === 'absent' || b.kind === 'absent') return a.kind === b.kind;
  return a.sha256 === b.sha256;
}
