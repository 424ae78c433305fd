/**
 * Collects a stream's bytes keeping only its start and its end, so a command that prints
 * megabytes costs a bounded amount of memory and the model still sees both the first lines
 * and the final summary (where test runners put theirs).
 */
export class OutputLimit {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const headRoom = Math.ceil(this.maxBytes / 2) - this.headBytes;
    if (headRoom > 0) {
      this.head.push(chunk.subarray(0, headRoom));
      this.headBytes += Math.min(headRoom, chunk.length);
      chunk = chunk.subarray(headRoom);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    const tailMax = Math.floor(this.maxBytes / 2);
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.length >= tailMax) this.tailBytes -= this.tail.shift()!.length;
  }

  /** The text kept; when bytes were cut, a line in the middle says how many. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail);
    if (this.total <= this.maxBytes) return head + tail.toString('utf8');
    const keptTail = tail.subarray(Math.max(0, tail.length - Math.floor(this.maxBytes / 2)));
    const cut = this.total - this.headBytes - keptTail.length;
    return `${head}\n[… output truncated: ${cut} of ${this.total} bytes cut from the middle …]\n${keptTail.toString('utf8')}`;
  }
}

/** Room kept for the note, which is never longer than this. */
const NOTE_ROOM = 64;

/** `text` cut to at most `maxChars` characters, keeping its start and end with a note between. */
export function clipMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const keep = Math.max(0, maxChars - NOTE_ROOM);
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return `${text.slice(0, head)}\n[… ${text.length - keep} characters cut …]\n${text.slice(text.length - tail)}`;
}
