import { formatZodError } from '@coordinate/protocol';
import { JournalError } from './errors.js';
import { JOURNAL_VERSION, JournalEvent } from './events.js';

export interface ParsedJournal {
  events: JournalEvent[];
  /** True when the last line was torn (no newline) or invalid, and so was left out. */
  tornTail: boolean;
  /** Bytes up to the end of the last good line: what a repair keeps. */
  goodBytes: number;
}

type LineCheck = { ok: true; event: JournalEvent } | { ok: false; problem: string };

/** A journal from a newer coordinate may hold events this one does not know: it is refused by its version, before any line is guessed at. */
function checkVersion(value: unknown, file: string): void {
  const version = (value as { type?: unknown; journalVersion?: unknown } | null)?.journalVersion;
  if ((value as { type?: unknown } | null)?.type !== 'run.started' || typeof version !== 'number' || version <= JOURNAL_VERSION) return;
  throw new JournalError(
    'unsupported_journal_version',
    `journal ${file} has format version ${version}, but this coordinate reads versions 1 to ${JOURNAL_VERSION}; upgrade coordinate to continue this run`,
    { file, version, supported: JOURNAL_VERSION },
  );
}

function checkLine(line: string, file: string): LineCheck {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  checkVersion(value, file);
  const parsed = JournalEvent.safeParse(value);
  if (parsed.success) return { ok: true, event: parsed.data };
  return { ok: false, problem: `is not a journal event (${formatZodError(parsed.error)})` };
}

/**
 * Parses a journal's bytes. Only the last line may be bad: a crash can tear the line being
 * appended, but every earlier line was fsync'd whole, so a bad one there means the file was
 * damaged or edited, and resuming from it would be guessing.
 */
export function parseJournal(bytes: Buffer, file: string): ParsedJournal {
  // Decoded once and cut by string index: a Buffer slice and decode per line cost as much as the JSON.parse.
  const text = bytes.toString('utf8');
  const events: JournalEvent[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    lineNumber++;
    const newline = text.indexOf('\n', start);
    const check = newline === -1 ? undefined : checkLine(text.slice(start, newline), file);
    if (check?.ok) {
      events.push(check.event);
      start = newline + 1;
      continue;
    }
    if (newline === -1 || newline === text.length - 1) return { events, tornTail: true, goodBytes: lastLineStart(bytes) };
    throw new JournalError('corrupt_journal', `journal ${file} is damaged: line ${lineNumber} ${check?.problem ?? 'is incomplete'}`, {
      file,
      line: lineNumber,
    });
  }
  return { events, tornTail: false, goodBytes: bytes.length };
}

/** The byte offset where the file's last line begins (its own newline, if it has one, excluded): counted in bytes, since a torn line may end mid-character. */
function lastLineStart(bytes: Buffer): number {
  const end = bytes.at(-1) === 0x0a ? bytes.length - 2 : bytes.length - 1;
  return end < 0 ? 0 : bytes.lastIndexOf(0x0a, end) + 1;
}
