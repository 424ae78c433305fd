import stripAnsi from 'strip-ansi';

/**
 * Text from the model, the repository or the GitHub API as it may be shown on a terminal or
 * written to the inbox: escape sequences (which could rewrite the screen or set the window
 * title) are removed whole, then any other control character; newlines and tabs stay.
 */
export function plainText(text: string): string {
  return stripAnsi(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
