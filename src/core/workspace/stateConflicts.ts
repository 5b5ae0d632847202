// What a person is told when another Baton (a second window, the command line) holds part of a
// folder's state: what happened, and what to do. Nothing was changed when either is thrown.
import { BatonError } from '../batonError';

export class StateLockedError extends BatonError {
  constructor(
    /** The lock's name: `.baton/<lock>.lock` on disk. */
    readonly lock: string,
    waitedMs: number,
  ) {
    super(
      'conflict',
      `.baton/${lock} is being changed by another Baton (a second window or the baton command line), which held it for more than ${Math.round(waitedMs / 1000)} s. ` +
        `Nothing was changed: try again once it is done. If no other Baton is running on this folder, delete .baton/${lock}.lock.`,
    );
  }
}

export class RunInProgressError extends BatonError {
  constructor(
    /** The node being run, as the tree labels it ("t3 Parse units"), when it is known. */
    readonly running: string | undefined,
    where: 'here' | 'elsewhere',
  ) {
    const on = running === undefined ? '' : ` on ${running}`;
    const by = where === 'here' ? 'in this window' : 'in another window or by the baton command line';
    super('conflict', `Another run is in progress${on} (${by}): runs on one folder go one at a time. Wait for it to finish, or stop it, then run again.`);
  }
}
