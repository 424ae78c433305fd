import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

// Codes the person fixes by changing the command, the config, a plan or their setup: exit code 2.
defineError('needs_approval', z.unknown(), { retryable: false, exit: 'usage' });
defineError('editor_failed', z.unknown(), { retryable: false, exit: 'usage' });

/** The plan needs a person's approval and there is no terminal to ask in. */
export class ApprovalError extends CoordinateError {
  constructor() {
    super(
      'needs_approval',
      'The plan needs approval, but there is no terminal to ask in.\n' +
        'Run again with --yes to approve it as it is, or save it with `coordinate plan "task" -o plan.md`, ' +
        'review it, and run `coordinate run plan.md`.',
    );
  }
}

/** The editor command could not be started or ended with an error. */
export class EditorError extends CoordinateError {
  constructor(command: string, reason: string) {
    super('editor_failed', `the editor "${command}" ${reason}; set $VISUAL or $EDITOR to an editor that waits until the file is closed (e.g. "code --wait")`, {
      command,
    });
  }
}
