import { isIP } from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost']);

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(host) || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * A warning when `url` sends the token and every task in clear text across a network (ws:// to a
 * host other than this machine), or undefined.
 */
export function warnIfCleartext(url: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.protocol !== 'ws:' || isLoopback(parsed.hostname)) return undefined;
  return `${parsed.host} is reached over ws://, so the token and every task travel unencrypted; use wss:// (with --ca for a private CA) outside a trusted network`;
}
