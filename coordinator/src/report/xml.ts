import { stripVTControlCharacters } from 'node:util';

/**
 * Text made safe for an XML 1.0 document: terminal color codes removed, markup characters
 * escaped, and characters XML cannot hold at all (other control characters, lone surrogates)
 * replaced by U+FFFD.
 */
export function escapeXml(text: string): string {
  return stripVTControlCharacters(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

export const attributes = (values: Record<string, string | number | undefined>) =>
  Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v)).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')}"`)
    .join('');
