/**
 * Text from the model, the repository or the GitHub API as it may be shown on a terminal or
 * written to the inbox: control characters (escape sequences that could rewrite the screen)
 * are removed; newlines and tabs stay.
 */
export function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
