import { errorKind } from '../core/batonError';
import { EXIT } from './cliNodeRun';
import { UsageError } from './usage';

/**
 * Runs a command's work. A failure the person can act on (a bad setting, an unreadable state file, a
 * refused path, a model that would not answer: any of Baton's own errors) is printed as it is worded
 * (through `say`) and exits 1; a cancel exits 130, as an interrupted command does. A usage error goes
 * on to be printed with the usage, and anything else is a bug that keeps its stack.
 */
export async function exitOnKnownFailure(say: (text: string) => void, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (err) {
    const kind = errorKind(err);
    if (kind === 'bug' || err instanceof UsageError) throw err;
    say(`baton: ${(err as Error).message}`);
    return kind === 'cancelled' ? EXIT.cancelled : EXIT.failed;
  }
}
