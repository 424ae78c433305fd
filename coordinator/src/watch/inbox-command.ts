import type { Command } from 'commander';
import { ExitCode } from '@coordinate/protocol';
import type { CliContext } from '../cli/context.js';
import { defineFlags, flag } from '../cli/flags.js';
import { cwdFlag } from '../commands/options.js';
import { resolveRepoRoot } from '../commands/repo-root.js';
import { clearInbox, inboxHeadings, readInbox } from './inbox.js';
import { watchPaths } from './paths.js';

const InboxFlags = defineFlags({
  clear: flag('--clear', 'remove every entry once you have read them'),
  digest: flag('--digest', 'show the digest instead: findings that did not need you at once'),
  cwd: cwdFlag,
});

/** `coordinate inbox [--clear] [--digest]`: the watcher's notices and proposals for the person. */
export function registerInboxCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  InboxFlags.declare(
    program.command('inbox').description("list the watcher's notices and proposals (.coordinate/inbox.md); --clear empties it"),
  ).action(async (raw: unknown) => {
    const flags = InboxFlags.read(raw);
    const paths = watchPaths(await resolveRepoRoot(flags.cwd, context.cwd));
    if (flags.clear) {
      const count = await clearInbox(paths.inbox);
      context.stdout.write(count === 0 ? 'The inbox was already empty.\n' : `Cleared ${count} entr${count === 1 ? 'y' : 'ies'} from the inbox.\n`);
    } else {
      const file = flags.digest ? paths.digest : paths.inbox;
      const text = await readInbox(file);
      const count = (await inboxHeadings(file)).length;
      context.stdout.write(count === 0 ? `The ${flags.digest ? 'digest' : 'inbox'} is empty.\n` : text.endsWith('\n') ? text : `${text}\n`);
    }
    done(ExitCode.ok);
  });
}
