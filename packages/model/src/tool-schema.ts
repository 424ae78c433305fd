import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';

/** A zod schema as a tool's `input_schema`: what the schema accepts, without the `$schema` header. */
export function toolInputSchema(schema: z.ZodType): Anthropic.Tool.InputSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return { ...json, type: 'object' };
}
