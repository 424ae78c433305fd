import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One entry of `.coordinate/inbox.md` or the digest: a heading line and the detail under it. */
export interface InboxEntry {
  at: number;
  /** `now`, `digest` or `proposal`. */
  label: string;
  title: string;
  detail: string;
}

const HEADER = '# coordinate inbox\n\nNotices the watcher raised for you. `coordinate inbox --clear` empties this file.\n';

const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** An entry as Markdown: `## <time> UTC · <label> · <title>` and its detail indented as a quote. */
export function renderEntry(entry: InboxEntry): string {
  const detail = entry.detail.trim() === '' ? '' : `${entry.detail.trimEnd().split('\n').map((line) => `> ${line}`.trimEnd()).join('\n')}\n`;
  return `\n## ${stamp(entry.at)} UTC · ${entry.label} · ${entry.title.split('\n')[0]}\n${detail}`;
}

/** Appends to an inbox-like Markdown file, writing its header first when the file is new. */
export async function appendEntry(file: string, entry: InboxEntry, header = HEADER): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  await appendFile(file, `${existing === undefined ? header : ''}${renderEntry(entry)}`);
}

/** The entries' heading lines, newest last; empty when there is no inbox. */
export async function inboxHeadings(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.startsWith('## '))
    .map((line) => line.slice(3));
}

export async function readInbox(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

export async function clearInbox(file: string): Promise<number> {
  const count = (await inboxHeadings(file)).length;
  await rm(file, { force: true });
  return count;
}
