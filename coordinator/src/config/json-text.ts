/** JSON.parse with an error that says where: "line 3, column 14: Unexpected token ..." */
export function parseJsonText(text: string): { value: unknown } | { error: string } {
  const source = text.replace(/^\uFEFF/, '');
  try {
    return { value: JSON.parse(source) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : source.length;
    const before = source.slice(0, offset).split('\n');
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    return { error: `invalid JSON at line ${before.length}, column ${before[before.length - 1]!.length + 1}: ${reason}` };
  }
}
