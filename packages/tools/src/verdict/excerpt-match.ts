// Terminal colour and cursor codes: a model quoting coloured test output copies the text, not the codes.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Text as a person may see it on a terminal: colour and cursor codes and other control characters removed, lines kept. */
export function withoutTerminalCodes(text: string): string {
  return text.replace(ANSI, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Text as compared: without terminal codes, every run of whitespace one space. */
export function normalizeText(text: string): string {
  return withoutTerminalCodes(text).replace(/\s+/g, ' ').trim();
}

/** A command as compared: spacing and a copied shell prompt (`$ `) do not make it another command. */
export function normalizeCommand(command: string): string {
  return normalizeText(command).replace(/^\$ /, '');
}

// Where a quote left something out: "...", "…", "[...]", "[truncated]", "[… 40 lines …]".
const ELISION = /\[[^\]\n]*(?:\.\.\.|…|truncated|omitted)[^\]\n]*\]|\.\.\.|…/gi;

const quotedParts = (excerpt: string) => excerpt.split(ELISION).map(normalizeText).filter((part) => part !== '');

/** An excerpt that is empty or nothing but elisions: it quotes nothing, so it proves nothing. */
export const quotesNothing = (excerpt: string): boolean => quotedParts(excerpt).length === 0;

/**
 * Whether a quoted excerpt comes from `shown`, the tool result the model received: each part between
 * elisions must appear in it, in order, spacing and terminal codes aside. An excerpt that quotes
 * nothing never matches.
 */
export function excerptAppearsIn(excerpt: string, shown: string): boolean {
  const parts = quotedParts(excerpt);
  if (parts.length === 0) return false;
  const haystack = normalizeText(shown);
  let from = 0;
  for (const part of parts) {
    const at = haystack.indexOf(part, from);
    if (at === -1) return false;
    from = at + part.length;
  }
  return true;
}
