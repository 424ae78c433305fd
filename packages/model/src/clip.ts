/** `text` cut to at most `max` characters, saying so when it was cut. */
export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, Math.max(0, max - 13))}… (truncated)`);
