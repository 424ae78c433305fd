import * as chrono from 'chrono-node';

/** A span of time in ms since the epoch, `to` exclusive. */
export interface TimeSpan {
  from: number;
  to: number;
}

const DAY_MS = 86_400_000;
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
/** A cheap test for what chrono could read: a month next to a number or "in", a weekday, a relative word, a numeric date. */
const MAY_NAME_TIME = new RegExp(
  String.raw`\b(?:yesterday|today|tonight|tomorrow|ago|(?:last|next|this) (?:week|weekend|month|year|${MONTH}|mon|tue|wed|thu|fri|sat|sun)\w*|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b|\b(?:in|since|until|of) ${MONTH}\b|\b${MONTH} \d{1,2}\b|\b\d{1,2} ${MONTH}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b`,
  'i',
);

/** How wide a date said without a day is: "in May" is the month, "in 2023" the year. */
function spanOf(result: chrono.ParsedResult): TimeSpan {
  const start = result.start;
  const from = start.date().getTime();
  if (result.end) return { from: Math.min(from, result.end.date().getTime()), to: Math.max(from, result.end.date().getTime()) + DAY_MS };
  if (!start.isCertain('month') && !start.isCertain('day') && start.isCertain('year')) {
    const year = start.get('year')!;
    return { from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1) };
  }
  if (!start.isCertain('day') && start.isCertain('month')) {
    const year = start.get('year')!;
    const month = start.get('month')! - 1;
    return { from: Date.UTC(year, month, 1), to: Date.UTC(year, month + 1, 1) };
  }
  // "last week", "a few days ago": chrono fixes a day, but people mean about then.
  const fuzzy = /week|weekend/i.test(result.text) ? 7 * DAY_MS : DAY_MS;
  const day = Math.floor(from / DAY_MS) * DAY_MS;
  return { from: day - (fuzzy > DAY_MS ? fuzzy / 2 : 0), to: day + fuzzy };
}

/**
 * The times a text speaks of, read relative to `reference` (ms since the epoch, the entry's own
 * date): "yesterday", "last week", "in May", "on 8 May 2023". Times of day are ignored; an empty
 * list means the text names no time.
 */
export function timesIn(text: string, reference: number): TimeSpan[] {
  // Parsing costs milliseconds; most texts name no time at all.
  if (!MAY_NAME_TIME.test(text)) return [];
  const results = chrono.en.parse(text, { instant: new Date(reference), timezone: 0 }, { forwardDate: false });
  return results.filter((r) => r.start.isCertain('day') || r.start.isCertain('month') || r.start.isCertain('year') || r.start.isCertain('weekday') || /ago|last|yesterday|today|week/i.test(r.text)).map(spanOf);
}

/** One span covering every time a text names, or undefined when it names none. */
export function eventSpan(text: string, reference: number): TimeSpan | undefined {
  const spans = timesIn(text, reference);
  if (spans.length === 0) return undefined;
  return { from: Math.min(...spans.map((s) => s.from)), to: Math.max(...spans.map((s) => s.to)) };
}

export const overlaps = (a: TimeSpan, b: TimeSpan): boolean => a.from < b.to && b.from < a.to;
