import { z } from 'zod';

/**
 * A zod error as one line for a person: every issue with the path it is at (`✖ msg → at a.b`), built
 * on z.prettifyError and joined with "; ". `max` issues are shown (default 5), then how many more.
 */
export function formatZodError(error: z.ZodError, max = 5): string {
  const shown = z.prettifyError(new z.ZodError(error.issues.slice(0, max)));
  const lines = shown.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const more = error.issues.length - max;
  return `${lines.join(' ')}${more > 0 ? `; and ${more} more` : ''}`;
}
