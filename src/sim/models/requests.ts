/**
 * Request bodies of the OpenAI-compatible routes, checked with zod the way vLLM's pydantic models
 * check them (a wrong shape is a 400 `BadRequestError`, vLLM's handler for validation errors).
 */
import { z } from 'zod';

/** A request body that does not have the expected shape; its message names the field. */
export class RequestInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestInvalid';
  }
}

const contentPart = z.object({ type: z.string(), text: z.string().optional() });
const chatSchema = z.object({
  model: z.string(),
  messages: z.array(z.object({ role: z.string(), content: z.union([z.string(), z.array(contentPart), z.null()]) })).min(1),
  max_tokens: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
});
const completionSchema = z.object({
  model: z.string(),
  prompt: z.union([z.string(), z.array(z.string()).min(1)]),
  max_tokens: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
});
const embeddingSchema = z.object({
  model: z.string(),
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.number()), z.array(z.array(z.number())).min(1)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
});

/** What a generation request asks for: the prompt text the answer is derived from. */
export interface GenerationRequest {
  model: string;
  prompt: string;
  /** Upper bound of the answer's length, in tokens (words here). */
  maxTokens: number | undefined;
  stream: boolean;
  includeUsage: boolean;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new RequestInvalid(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Parses a `/v1/chat/completions` body; throws RequestInvalid. The prompt is the messages' text joined. */
export function parseChatRequest(body: unknown): GenerationRequest {
  const b = parse(chatSchema, body);
  const prompt = b.messages
    .map((m) => `${m.role}: ${typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text ?? '').join(' ')}`)
    .join('\n');
  return { model: b.model, prompt, maxTokens: b.max_tokens, stream: b.stream ?? false, includeUsage: b.stream_options?.include_usage ?? false };
}

/** Parses a `/v1/completions` body; throws RequestInvalid. */
export function parseCompletionRequest(body: unknown): GenerationRequest {
  const b = parse(completionSchema, body);
  const prompt = typeof b.prompt === 'string' ? b.prompt : b.prompt.join('\n');
  return { model: b.model, prompt, maxTokens: b.max_tokens, stream: b.stream ?? false, includeUsage: b.stream_options?.include_usage ?? false };
}

/** Parses a `/v1/embeddings` body into one text per vector (token-id inputs become their decimal text). */
export function parseEmbeddingRequest(body: unknown): { model: string; inputs: string[]; base64: boolean } {
  const b = parse(embeddingSchema, body);
  const input = b.input;
  let inputs: string[];
  if (typeof input === 'string') inputs = [input];
  else if (input.every((x) => typeof x === 'string')) inputs = input as string[];
  else if (input.every((x) => typeof x === 'number')) inputs = [(input as number[]).join(' ')];
  else inputs = (input as number[][]).map((ids) => ids.join(' '));
  return { model: b.model, inputs, base64: b.encoding_format === 'base64' };
}
