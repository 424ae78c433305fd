/** What a shell line does, as far as permission checks need to know. */
export interface CommandLine {
  /** The simple commands the line runs, split at `;`, `&&`, `||`, `|`, `&` and newlines. */
  segments: string[];
  /** Commands inside `$(…)`, backticks or `<(…)`/`>(…)`, which the shell runs too. */
  substituted: string[];
  /** Files the line writes through `>`, `>>` or `&>` (`/dev/null` and `>&2` style copies excluded). */
  redirectTargets: string[];
}

/**
 * Splits a shell line the way `/bin/sh` would see its structure, honouring quotes and escapes,
 * without expanding anything. It errs towards finding more commands, never fewer.
 */
export function parseCommandLine(line: string): CommandLine {
  const result: CommandLine = { segments: [], substituted: [], redirectTargets: [] };
  let current = '';
  let quote: "'" | '"' | undefined;
  const flush = () => {
    const segment = current.trim();
    if (segment !== '') result.segments.push(segment);
    current = '';
  };

  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    const next = line[i + 1];
    if (quote === "'") {
      current += ch;
      if (ch === "'") quote = undefined;
      continue;
    }
    if (ch === '\\') {
      current += ch + (next ?? '');
      i++;
      continue;
    }
    if ((ch === '$' && next === '(') || (quote === undefined && (ch === '<' || ch === '>') && next === '(')) {
      const end = closingParen(line, i + 2);
      addSubstituted(result, line.slice(i + 2, end));
      current += line.slice(i, end + 1);
      i = end;
      continue;
    }
    if (ch === '`') {
      const end = line.indexOf('`', i + 1);
      const stop = end === -1 ? line.length : end;
      addSubstituted(result, line.slice(i + 1, stop));
      current += line.slice(i, stop + 1);
      i = stop;
      continue;
    }
    if (quote === '"') {
      current += ch;
      if (ch === '"') quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
      continue;
    }
    if (ch === '>' || (ch === '&' && next === '>')) {
      const { target, end } = redirectTarget(line, i);
      if (target !== undefined) result.redirectTargets.push(target);
      current += line.slice(i, end);
      i = end - 1;
      continue;
    }
    if (ch === ';' || ch === '\n' || ch === '|' || ch === '&') {
      flush();
      if ((ch === '|' || ch === '&') && (next === ch || (ch === '|' && next === '&'))) i++;
      continue;
    }
    current += ch;
  }
  flush();
  return result;
}

function addSubstituted(result: CommandLine, inner: string) {
  const nested = parseCommandLine(inner);
  result.substituted.push(...nested.segments, ...nested.substituted);
  result.redirectTargets.push(...nested.redirectTargets);
}

/** The index of the `)` that closes a `(` opened just before `start`, or the line's end. */
function closingParen(line: string, start: number): number {
  let depth = 1;
  let quote: string | undefined;
  for (let i = start; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') i++;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\') i++;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return line.length;
}

/**
 * Reads a redirection starting at `start` (`>`, `>>`, `>|`, `&>`, `&>>`, `>&N`). Copies onto
 * another descriptor and `/dev/null` write no file, so they have no target.
 */
function redirectTarget(line: string, start: number): { target?: string; end: number } {
  let i = start;
  if (line[i] === '&') i++;
  i++;
  if (line[i] === '>' || line[i] === '|') i++;
  if (line[i] === '&') {
    i++;
    while (i < line.length && /[0-9-]/.test(line[i]!)) i++;
    return { end: i };
  }
  while (line[i] === ' ' || line[i] === '\t') i++;
  let target = '';
  let quote: string | undefined;
  for (; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else target += ch;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (/[\s;&|<>()]/.test(ch)) break;
    else target += ch;
  }
  return target === '/dev/null' ? { end: i } : { target, end: i };
}
