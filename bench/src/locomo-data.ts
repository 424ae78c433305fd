import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { z } from 'zod';
import { formatZodError } from '@coordinate/protocol';

/**
 * Reads the LoCoMo benchmark (snap-research/locomo) from a checkout: `data/locomo10.json` when
 * present, else each conversation file inside `data/locomo10.zip`. The data is not ours to ship,
 * so the bench reads it from wherever the person cloned it.
 */

const Turn = z.object({
  speaker: z.string(),
  dia_id: z.string().regex(/^D\d+:\d+$/),
  text: z.string(),
  blip_caption: z.string().optional(),
});

const Question = z.object({
  question: z.string(),
  evidence: z.array(z.string()).default([]),
  category: z.number().int().min(1).max(5),
});

/** One conversation as the files hold it: `session_N` turn lists beside `session_N_date_time`. */
const RawConversation = z.looseObject({ speaker_a: z.string(), speaker_b: z.string(), qa: z.array(Question) });

export interface LocomoTurn {
  /** "D3:1": session 3, turn 1, the id the questions' evidence uses. */
  diaId: string;
  speaker: string;
  text: string;
  caption?: string;
}

export interface LocomoSession {
  index: number;
  /** When the session took place, ms since the epoch (UTC). */
  at: number;
  turns: LocomoTurn[];
}

export interface LocomoConversation {
  id: string;
  sessions: LocomoSession[];
  questions: z.infer<typeof Question>[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "1:56 pm on 8 May, 2023" → ms since the epoch. */
export function parseSessionTime(text: string): number {
  const match = /(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})/i.exec(text);
  const month = match ? MONTHS.indexOf(match[5]!.toLowerCase()) : -1;
  if (!match || month < 0) throw new Error(`LoCoMo: cannot read the session time "${text}"`);
  const hour = (Number(match[1]) % 12) + (match[3]!.toLowerCase() === 'pm' ? 12 : 0);
  return Date.UTC(Number(match[6]), month, Number(match[4]), hour, Number(match[2]));
}

function normalize(id: string, raw: unknown): LocomoConversation {
  const parsed = RawConversation.safeParse(raw);
  if (!parsed.success) throw new Error(`LoCoMo conversation ${id}: ${formatZodError(parsed.error, { max: 1 })}`);
  const fields = parsed.data as Record<string, unknown>;
  const sessions: LocomoSession[] = [];
  for (const key of Object.keys(fields)) {
    const index = /^session_(\d+)$/.exec(key)?.[1];
    if (!index) continue;
    const turns = z.array(Turn).parse(fields[key]);
    const at = parseSessionTime(z.string().parse(fields[`session_${index}_date_time`]));
    sessions.push({
      index: Number(index),
      at,
      turns: turns.map((t) => ({ diaId: t.dia_id, speaker: t.speaker, text: t.text, ...(t.blip_caption ? { caption: t.blip_caption } : {}) })),
    });
  }
  sessions.sort((a, b) => a.index - b.index);
  return { id, sessions, questions: parsed.data.qa };
}

export function readLocomo(folder: string): LocomoConversation[] {
  const json = join(folder, 'data', 'locomo10.json');
  if (existsSync(json)) {
    const samples = z.array(z.looseObject({ sample_id: z.string(), conversation: z.record(z.string(), z.unknown()), qa: z.array(z.unknown()) })).parse(JSON.parse(readFileSync(json, 'utf8')));
    return samples.map((s) => normalize(s.sample_id.replace(/^conv-/, ''), { ...s.conversation, qa: s.qa }));
  }
  const zip = join(folder, 'data', 'locomo10.zip');
  if (!existsSync(zip)) throw new Error(`no LoCoMo data in ${folder}: expected data/locomo10.json or data/locomo10.zip (clone snap-research/locomo)`);
  const files = unzipSync(readFileSync(zip), { filter: (file) => /\/\d+\.json$/.test(file.name) });
  return Object.entries(files)
    .map(([name, bytes]) => normalize(/(\d+)\.json$/.exec(name)![1]!, JSON.parse(strFromU8(bytes))))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** The kinds LoCoMo's `category` numbers stand for. */
export const QUESTION_KINDS: Record<number, string> = { 1: 'multi-hop', 2: 'temporal', 3: 'open-domain', 4: 'single-hop', 5: 'adversarial' };
