/**
 * Deterministic "model output" for the simulated model servers: the same input always gives the
 * same answer, different inputs give different answers, so tests and demos can tell requests apart
 * without any real model.
 */
import { createHash } from 'node:crypto';

const WORDS = [
  'the', 'model', 'answers', 'from', 'a', 'simulated', 'cluster', 'served', 'by', 'vLLM', 'behind',
  '3scale', 'with', 'keys', 'plans', 'and', 'limits', 'sign-in', 'through', 'Red', 'Hat', 'SSO',
  'tokens', 'flow', 'quickly', 'every', 'request', 'is', 'counted', 'safely', 'here', 'today',
] as const;

/** A 32-bit seed derived (SHA-256) from a string. */
export function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A small deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The answer to `prompt`: `maxTokens` words (default 16), picked from a fixed vocabulary by a PRNG
 * seeded with the prompt. Returned as words so a streaming response can send one per chunk.
 */
export function answerWords(prompt: string, maxTokens = 16): string[] {
  const next = prng(seedOf(prompt));
  const count = Math.max(1, Math.min(maxTokens, 64));
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(WORDS[Math.floor(next() * WORDS.length)] ?? 'the');
  return words;
}

/** Rough token count of a text (whitespace-separated words), as `usage` reports it. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length;
}

/** A deterministic unit vector (Euclidean norm 1) of `dimension` floats, seeded by `text`. */
export function embeddingOf(text: string, dimension: number): number[] {
  const next = prng(seedOf(text));
  const v = Array.from({ length: dimension }, () => next() * 2 - 1);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
