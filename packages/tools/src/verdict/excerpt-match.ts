// Terminal colour and cursor codes: a model quoting coloured test output copies the text, not the codes.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Text as compared: without terminal codes, every run of whitespace one space. */
export function normalizeText(text: string): string {
  return text.replace(ANSI, '').replace(/\s+/g, ' ').trim();
}

/** A command as compared: spacing and a copied shell prompt (`$ `) do not make it another command. */
export function normalizeCommand(command: string): string {
  return normalizeText(command).replace(/^\$ /, '');
}

// Where a quote left something out: "...", "…", "[...]", "[truncated]", "[… 40 lines …]".
const ELISION = /\[[^\]\n]*(?:\.\.\.|…|truncated|omitted)[^\]\n]*\]|\.\.\.|…/gi;

/**
 * Whether a quoted excerpt comes from `output`: each part between elisions must appear in it, in order,
 * spacing aside. An excerpt with nothing but elisions quotes nothing and matches any output.
 */
export function excerptAppearsIn(excerpt: string, output: string): boolean {
  const haystack = normalizeText(output);
  let from = 0;
  for (const part of excerpt.split(ELISION).map(normalizeText)) {
    if (part === '') continue;
    const at = haystack.indexOf(part, from);
    if (at === -1) return false;
    from = at + part.length;
  }
  return true;
}
