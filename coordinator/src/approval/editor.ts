import { spawn } from 'node:child_process';
import { EditorError } from './errors.js';

/**
 * Splits an editor setting the way a shell would split a simple command line, so
 * `code --wait` and `"/Applications/My Editor" -w` both work. Quotes and backslashes are honoured;
 * nothing is expanded.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === '\\' && i + 1 < line.length && (quote === undefined || /["\\$`]/.test(line[i + 1]!))) {
      word = (word ?? '') + line[++i];
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** $VISUAL, then $EDITOR, then the editor every system has. */
export function editorFromEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const chosen = env.VISUAL?.trim() || env.EDITOR?.trim();
  return chosen || (platform === 'win32' ? 'notepad' : 'vi');
}

/** Opens `file` in the editor on the person's terminal and waits until they close it. */
export function openEditor(editor: string, file: string): Promise<void> {
  const [command, ...args] = splitCommandLine(editor);
  if (command === undefined) return Promise.reject(new EditorError(editor, 'is empty'));
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, file], { stdio: 'inherit' });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new EditorError(editor, error.code === 'ENOENT' ? 'was not found' : `could not start (${error.message})`)),
    );
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new EditorError(editor, signal ? `was stopped by ${signal}` : `exited with code ${code}`));
    });
  });
}
