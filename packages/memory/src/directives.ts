/** The person's standing orders read as "always …", "never …", "do not …", "must …". */
const DIRECTIVE_OPENING = /^\s*(always|never|do not|don't|dont|must( not)?|you must|only ever|under no circumstances)\b/i;

export const isDirectiveText = (text: string): boolean =>
  text.split(/(?<=[.!?])\s+|\n/).some((sentence) => DIRECTIVE_OPENING.test(sentence));

export interface CompiledDirective {
  id: string;
  text: string;
  /** Globs, relative to the repository root, that must not be edited. */
  paths?: string[];
  /** Command patterns (a trailing `*` matches any arguments) that must not run. */
  commands?: string[];
}

const FORBID = String.raw`(?:never|do not|don't|dont|must not|mustn't|should not|shouldn't|no one may|nobody may)`;
const EDIT_VERBS = String.raw`(?:edit|modify|touch|change|write(?: to)?|overwrite|delete|remove|rename|hand-edit|update)`;
const RUN_VERBS = String.raw`(?:run|execute|invoke|call|use)`;

const EDIT_RULE = new RegExp(String.raw`${FORBID}\s+(?:ever\s+)?${EDIT_VERBS}\s+(?:anything\s+(?:in|under)\s+|files?\s+(?:in|under)\s+|the\s+)?(.+)`, 'i');
const RUN_RULE = new RegExp(String.raw`${FORBID}\s+(?:ever\s+)?(${RUN_VERBS})\s+(.+)`, 'i');
const KNOWN_TOOL = /^(npm|npx|pnpm|yarn|git|rm|docker|kubectl|make|curl|wget|node|terraform|helm|cargo|pip|python|sudo|chmod|\.{0,2}\/)/;

function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.trim()).filter(Boolean);
}

const looksLikePath = (token: string) => /[/*]/.test(token) || /^[\w.-]+\.[A-Za-z0-9]{1,8}$/.test(token);

function toGlob(token: string): string[] {
  const clean = token.replace(/^\.\//, '').replace(/[,;:)]+$/, '');
  if (clean.endsWith('/')) return [`${clean}**`];
  if (/[*?{[]/.test(clean) || /\.[A-Za-z0-9]{1,8}$/.test(clean)) return [clean];
  return [clean, `${clean}/**`];
}

function pathsOf(rest: string): string[] {
  const clause = rest.split(/;|\s+(?:unless|except|because|—|-)\s+/)[0] ?? '';
  const words = clause.replace(/`[^`]*`/g, ' ').split(/\s+|,\s*/).map((word) => word.replace(/[.,;:]+$/, ''));
  return [...codeSpans(clause), ...words].filter(looksLikePath).flatMap(toGlob);
}

const asPattern = (command: string) => (command.endsWith('*') ? command : `${command}*`);

/** "run `x`" names a command whatever x is; "use `any`" only when x is a known tool. */
function commandsOf(verb: string, rest: string): string[] {
  const explicit = /^(run|execute)$/i.test(verb);
  const spans = codeSpans(rest).filter((span) => explicit || KNOWN_TOOL.test(span));
  if (spans.length > 0) return spans.map(asPattern);
  const command = rest.split(/[.;,]|\s+(?:in|on|from|before|after|unless|because|when|without)\s+/i)[0]?.trim() ?? '';
  // A bare phrase ("never run anything slow") is advice, not a pattern: only tool-like words compile.
  return /^[\w./-]+(\s+[-\w./:=@]+){0,4}$/.test(command) && KNOWN_TOOL.test(command) ? [asPattern(command)] : [];
}

/**
 * Turns "never edit src/generated/**" into a path glob and "never run `npm publish`" into a command
 * pattern, so the coordinator can refuse the tool call instead of hoping the model read the rule.
 */
export function compileDirective(id: string, text: string): CompiledDirective | undefined {
  const paths = new Set<string>();
  const commands = new Set<string>();
  for (const sentence of text.split(/(?<=[.!?])\s+|\n/)) {
    const edit = sentence.match(EDIT_RULE);
    if (edit?.[1]) for (const glob of pathsOf(edit[1])) paths.add(glob);
    const run = sentence.match(RUN_RULE);
    if (run?.[1] && run[2] && !edit) for (const pattern of commandsOf(run[1], run[2])) commands.add(pattern);
  }
  if (paths.size === 0 && commands.size === 0) return undefined;
  return {
    id,
    text,
    ...(paths.size > 0 ? { paths: [...paths] } : {}),
    ...(commands.size > 0 ? { commands: [...commands] } : {}),
  };
}
