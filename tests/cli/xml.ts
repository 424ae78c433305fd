/**
 * Checks that `text` is well-formed XML (one root, balanced and properly nested tags, quoted
 * attributes, no bare "&" or "<" in text) and returns the element names in document order.
 */
export function wellFormedElements(text: string): string[] {
  const body = text.replace(/^\uFEFF?<\?xml[^?]*\?>\s*/, '');
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\/([A-Za-z_][\w.:-]*)\s*>|<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  const open: string[] = [];
  const names: string[] = [];
  let roots = 0;
  for (const m of body.matchAll(token)) {
    const [, close, name, , selfClosing, chars, stray] = m;
    if (stray) throw new Error(`a "<" that starts no tag at offset ${m.index}`);
    if (chars !== undefined) {
      if (open.length === 0 && chars.trim() !== '') throw new Error('text outside the root element');
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(chars)) throw new Error(`a bare "&" at offset ${m.index}`);
    } else if (close) {
      if (open.pop() !== close) throw new Error(`</${close}> closes the wrong element at offset ${m.index}`);
    } else if (name) {
      if (open.length === 0 && ++roots > 1) throw new Error('more than one root element');
      names.push(name);
      if (!selfClosing) open.push(name);
    }
  }
  if (open.length > 0) throw new Error(`unclosed <${open.at(-1)}>`);
  if (roots !== 1) throw new Error('no root element');
  return names;
}
