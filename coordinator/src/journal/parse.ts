import { formatZodError } from '@coordinate/protocol';
import { JournalError } from './errors.js';
import { JOURNAL_VERSION, type JournalEvent } from './events.js';
import { EventValidator } from './repeated-payloads.js';

export interface ParsedJournal {
  events: JournalEvent[];
  /** True when the last line was torn (no newline) or invalid, and so was left out. */
  tornTail: boolean;
  /** Bytes up to the end of the last good line: what a repair keeps. */
  goodBytes: number;
}

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

/** The line's event, or what is wrong with it (a string): no wrapper object per line, of which a journal has thousands. */
function checkLine(line: string, file: string, validator: EventValidator): JournalEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'is not valid JSON';
  }
  checkVersion(value, file);
  const parsed = validator.check(value);
  return parsed.success ? parsed.data : `is not a journal event (${formatZodError(parsed.error)})`;
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
  const validator = new EventValidator();
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    lineNumber++;
    const newline = text.indexOf('\n', start);
    const check = newline === -1 ? 'is incomplete' : checkLine(text.slice(start, newline), file, validator);
    if (typeof check !== 'string') {
      events.push(check);
      start = newline + 1;
      continue;
    }
    if (newline === -1 || newline === text.length - 1) return { events, tornTail: true, goodBytes: lastLineStart(bytes) };
    throw new JournalError('corrupt_journal', `journal ${file} is damaged: line ${lineNumber} ${check}`, {
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
