import { customAlphabet } from 'nanoid';

const suffix = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 4);
const two = (n: number) => String(n).padStart(2, '0');

/**
 * A run id that sorts by start time and reads as one, `20261129-041203-ab12` (UTC date and time,
 * then a random suffix so that two runs started in the same second never share a folder).
 */
export function newRunId(now: Date = new Date(), random: () => string = suffix): string {
  const date = `${now.getUTCFullYear()}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}`;
  const time = `${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
  return `${date}-${time}-${random()}`;
}
