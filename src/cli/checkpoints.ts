import { parseArgs } from 'node:util';
import { CheckpointError } from '../core/checkpoints/checkpointError';
import { FOREIGN_CHECKPOINT, type HistoryEntry } from '../core/checkpoints/history';
import { terminalText } from '../core/security/untrustedText';
import { revertFollowingTree } from '../core/tasks/treeAfterRevert';
import { allowSensitiveFlags } from './allowSensitive';
import { EXIT } from './cliNodeRun';
import { openWorkspace } from './cliWorkspace';
import { exitOnKnownFailure } from './knownFailures';
import { UsageError } from './usage';

const VERBS = { create: 'create', write: 'rewrite', delete: 'delete' } as const;

/**
 * `baton checkpoints [list]` and `baton checkpoints restore ID`: Baton's own checkpoints of the
 * repository, newest first, then the foreign ones (not signed with this user's key for this folder,
 * e.g. a `.baton/` that came with the repository), which are never restored.
 */
export async function runCheckpoints(
  args: string[],
  out: (text: string) => void,
  warn: (text: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values: opt, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { repo: { type: 'string' }, force: { type: 'boolean' }, 'allow-sensitive': { type: 'string', multiple: true } },
  });
  const [action = 'list', id, ...extra] = positionals;
  if (extra.length > 0 || (action === 'list' && id !== undefined)) throw new UsageError(`Unexpected "${[id, ...extra].filter(Boolean).join(' ')}".`);
  if (action !== 'list' && action !== 'restore') throw new UsageError(`baton checkpoints takes "list" or "restore ID", not "${action}".`);
  if (action === 'restore' && !id) throw new UsageError('baton checkpoints restore needs the checkpoint id (see baton checkpoints list).');
  const ws = openWorkspace(opt.repo, env, warn);
  const say = (text: string): void => out(terminalText(text));

  return exitOnKnownFailure(say, async () => {
    if (action === 'list') {
      const history = await ws.checkpoints.history();
      if (history.length === 0) say('No checkpoints yet (.baton/checkpoints/).');
      for (const entry of history) say(describeCheckpoint(entry));
      return EXIT.done;
    }
    try {
      const result = await revertFollowingTree(ws.store, (treeState) =>
        ws.checkpoints.restore(id!, {
          treeState,
          force: opt.force === true,
          // Naming the checkpoint on the command line is the person's yes; this says what it does.
          confirm: async (steps) => {
            for (const step of steps)
              say(`  ${VERBS[step.action]} ${step.path}${step.realPath === step.path ? '' : ` (really ${step.realPath}, through a link)`}`);
            return true;
          },
          sensitiveChanges: allowSensitiveFlags(opt['allow-sensitive'], say),
        }),
      );
      say(
        `Restored ${result.written.length + result.deleted.length} file(s) to before checkpoint ${id}; the restore is itself checkpoint ${result.undoCheckpointId}, so it can be undone.`,
      );
      return EXIT.done;
    } catch (err) {
      if (!(err instanceof CheckpointError) || err.code !== 'changed-since' || opt.force) throw err;
      say(`baton: restore refused: ${err.message} Add --force to overwrite them.`);
      return EXIT.failed;
    }
  });
}

function describeCheckpoint(entry: HistoryEntry): string {
  const files = entry.files.map((f) => `${f.path} (${f.change}${f.renamedFrom ? ` from ${f.renamedFrom}` : ''})`).join(', ') || 'no files';
  const state = entry.foreign
    ? `FOREIGN (${FOREIGN_CHECKPOINT}: ${entry.foreign})`
    : `${entry.kind === 'step' ? `node ${entry.nodeId}` : entry.kind}${entry.undone ? ', taken back' : ''}${entry.complete ? '' : ', incomplete'}`;
  return `${entry.id}  ${new Date(entry.time).toISOString()}  ${entry.label}  [${state}]\n    ${files}; ${entry.tokens} tokens, $${entry.cost.toFixed(4)}`;
}
