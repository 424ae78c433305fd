import { z } from 'zod';

const ContentBlockParam = z.looseObject({ type: z.string() });

export const MessageParam = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(ContentBlockParam)]),
});
export type MessageParam = z.infer<typeof MessageParam>;

const SystemParam = z.union([z.string(), z.array(z.looseObject({ type: z.literal('text'), text: z.string() }))]);

/** The parts of a Messages API request the scripted server reads; the rest passes unchecked. */
export const CountTokensRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(MessageParam).min(1),
  system: SystemParam.optional(),
  tools: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
});
export type CountTokensRequest = z.infer<typeof CountTokensRequest>;

export const MessagesRequest = CountTokensRequest.extend({
  max_tokens: z.number().int().positive(),
  stream: z.boolean().optional(),
});
export type MessagesRequest = z.infer<typeof MessagesRequest>;

/** The texts of a system prompt, whichever of its two shapes it has. */
export function systemTexts(system: CountTokensRequest['system']): string[] {
  if (system === undefined) return [];
  return typeof system === 'string' ? [system] : system.map((block) => block.text);
}

/** The texts of a message, whichever of its two shapes it has. */
export function messageTexts(message: MessageParam | undefined): string[] {
  if (!message) return [];
  if (typeof message.content === 'string') return [message.content];
  return message.content.flatMap((block) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : []));
}
