import { execa } from 'execa';
import type { Redactor } from '@coordinate/logging';
import type { Finding } from './findings.js';
import { appendEntry, inboxHeadings, type InboxEntry } from './inbox.js';
import type { WatchPaths } from './paths.js';
import { plainText } from './plain-text.js';
import { dayOf, type WatchState } from './state.js';

export interface NoticeOptions {
  paths: Pick<WatchPaths, 'inbox' | 'digest'>;
  maxInterruptsPerDay: number;
  /** Where the watcher's plain lines go (the terminal, or output.log when detached). */
  print: (line: string) => void;
  redact: Redactor;
  /** Desktop notifications; off in tests that must not pop anything up. */
  desktop: boolean;
  now: number;
}

const DIGEST_HEADER = '# coordinate watch digest\n\nFindings that did not need you at once, gathered for the day.\n';

/**
 * Delivers one finding at its level. `now`: printed with the terminal bell, sent to the desktop
 * where `notify-send` or `osascript` exists, and appended to the inbox, until the day's
 * interrupts are spent, after which it goes to the digest like a `digest` finding. `silent`
 * findings are only in the receipt. Returns the level it was delivered at.
 */
export async function deliver(finding: Finding, state: WatchState, options: NoticeOptions): Promise<Finding['level']> {
  const entry = (label: string): InboxEntry => ({
    at: options.now,
    label,
    title: options.redact(plainText(finding.title)),
    detail: options.redact(plainText(finding.detail)),
  });
  if (finding.level === 'silent') return 'silent';
  const day = dayOf(options.now);
  if (state.interrupts?.day !== day) state.interrupts = { day, count: 0 };
  if (finding.level === 'now' && state.interrupts.count < options.maxInterruptsPerDay) {
    state.interrupts.count++;
    const shown = entry('now');
    options.print(`\x07[now] ${shown.title}`);
    await appendEntry(options.paths.inbox, shown);
    if (options.desktop) await notifyDesktop(shown.title);
    return 'now';
  }
  await appendEntry(options.paths.digest, entry(`digest ${day}`), DIGEST_HEADER);
  options.print(`[digest] ${entry('digest').title}`);
  return 'digest';
}

/** A desktop notification where the system has a way to show one; a missing tool is not an error. */
async function notifyDesktop(title: string): Promise<void> {
  const command =
    process.platform === 'darwin'
      ? { file: 'osascript', args: ['-e', `display notification ${JSON.stringify(title)} with title "coordinate watch"`] }
      : { file: 'notify-send', args: ['coordinate watch', title] };
  await execa(command.file, command.args, { reject: false, timeout: 5000, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
}

/**
 * The daily digest: on the first tick of a day, the previous day's digest entries are announced
 * with one inbox entry (without ringing), so nothing filed there goes unseen.
 */
export async function announceDigest(state: WatchState, paths: Pick<WatchPaths, 'inbox' | 'digest'>, now: number): Promise<void> {
  const today = dayOf(now);
  const last = state.digestDay;
  state.digestDay = today;
  if (last === undefined || last === today) return;
  const count = (await inboxHeadings(paths.digest)).filter((heading) => heading.includes(` · digest ${last} · `)).length;
  if (count === 0) return;
  await appendEntry(paths.inbox, {
    at: now,
    label: 'digest',
    title: `${count} finding${count === 1 ? '' : 's'} in the digest of ${last}`,
    detail: 'Read them with: coordinate inbox --digest',
  });
}
