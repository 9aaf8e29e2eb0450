import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelServer, EMBEDDING_DIMENSION } from '../../../src/sim/models/index.js';
import { serve, type Served } from './serve.js';

let chat: Served;
let embed: Served;
beforeAll(async () => {
  chat = await serve(createModelServer({ servedModelName: 'mistral-7b-instruct', kind: 'chat' }));
  embed = await serve(createModelServer({ servedModelName: 'nomic-embed-text-v1-5', kind: 'embedding' }));
});
afterAll(async () => {
  await chat.close();
  await embed.close();
});

const post = (base: string, path: string, body: unknown): Promise<Response> =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('simulated vLLM model server', () => {
  it('lists the served model the way vLLM does', async () => {
    const r = await fetch(`${chat.url}/v1/models`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { object: string; data: { id: string; object: string; owned_by: string; max_model_len: number }[] };
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ id: 'mistral-7b-instruct', object: 'model', owned_by: 'vllm' });
    expect(body.data[0]?.max_model_len).toBeGreaterThan(0);
  });

  it('answers a chat completion deterministically, differently for different input', async () => {
    const ask = async (content: string): Promise<{ choices: { message: { role: string; content: string }; finish_reason: string }[]; usage: { completion_tokens: number } }> => {
      const r = await post(chat.url, '/v1/chat/completions', { model: 'mistral-7b-instruct', messages: [{ role: 'user', content }] });
      expect(r.status).toBe(200);
      return (await r.json()) as never;
    };
    const a1 = await ask('What is 3scale?');
    const a2 = await ask('What is 3scale?');
    const b = await ask('Tell me about Keycloak');
    expect(a1.choices[0]?.message.role).toBe('assistant');
    expect(a1.choices[0]?.message.content).toBe(a2.choices[0]?.message.content);
    expect(a1.choices[0]?.message.content).not.toBe(b.choices[0]?.message.content);
    expect(a1.usage.completion_tokens).toBe(a1.choices[0]?.message.content.split(' ').length);
  });

  it('honours max_tokens with finish_reason "length"', async () => {
    const r = await post(chat.url, '/v1/completions', { model: 'mistral-7b-instruct', prompt: 'Once upon a time', max_tokens: 2 });
    const body = (await r.json()) as { object: string; choices: { text: string; finish_reason: string }[] };
    expect(body.object).toBe('text_completion');
    expect(body.choices[0]?.text.split(' ')).toHaveLength(2);
    expect(body.choices[0]?.finish_reason).toBe('length');
  });

  it('streams server-sent events ending with [DONE], whose pieces add up to the non-streamed answer', async () => {
    const messages = [{ role: 'user', content: 'stream please' }];
    const whole = (await (await post(chat.url, '/v1/chat/completions', { model: 'mistral-7b-instruct', messages })).json()) as {
      choices: { message: { content: string } }[];
    };
    const r = await post(chat.url, '/v1/chat/completions', { model: 'mistral-7b-instruct', messages, stream: true });
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await r.text()).split('\n\n').filter((e) => e.length > 0);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as { object: string; choices: { delta: { content?: string }; finish_reason: string | null }[] });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(whole.choices[0]?.message.content);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('answers a wrong model with 404 in vLLM error shape', async () => {
    const r = await post(chat.url, '/v1/chat/completions', { model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ object: 'error', message: 'The model `gpt-4` does not exist.', type: 'NotFoundError', param: null, code: 404 });
  });

  it('answers malformed JSON and a wrong body shape with 400', async () => {
    const bad = await post(chat.url, '/v1/chat/completions', '{"model": "mistral-7b-instruct", ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { type: string }).type).toBe('BadRequestError');
    const shape = await post(chat.url, '/v1/chat/completions', { model: 'mistral-7b-instruct', messages: 'hi' });
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as { message: string }).message).toMatch(/messages/);
  });

  it('serves unit embedding vectors of a fixed dimension, equal for equal input', async () => {
    const r = await post(embed.url, '/v1/embeddings', { model: 'nomic-embed-text-v1-5', input: ['alpha', 'beta', 'alpha'] });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { object: string; data: { index: number; embedding: number[] }[] };
    expect(body.object).toBe('list');
    expect(body.data.map((d) => d.index)).toEqual([0, 1, 2]);
    for (const d of body.data) {
      expect(d.embedding).toHaveLength(EMBEDDING_DIMENSION);
      expect(Math.sqrt(d.embedding.reduce((s, x) => s + x * x, 0))).toBeCloseTo(1, 6);
    }
    expect(body.data[0]?.embedding).toEqual(body.data[2]?.embedding);
    expect(body.data[0]?.embedding).not.toEqual(body.data[1]?.embedding);
  });

  it('refuses chat on an embedding server with 404 and embeddings on a chat server with 400', async () => {
    const c = await post(embed.url, '/v1/chat/completions', { model: 'nomic-embed-text-v1-5', messages: [{ role: 'user', content: 'hi' }] });
    expect(c.status).toBe(404);
    const e = await post(chat.url, '/v1/embeddings', { model: 'mistral-7b-instruct', input: 'hi' });
    expect(e.status).toBe(400);
  });

  it('answers unknown paths 404 and wrong methods 405', async () => {
    expect((await fetch(`${chat.url}/v2/nothing`)).status).toBe(404);
    expect((await fetch(`${chat.url}/v1/chat/completions`)).status).toBe(405);
    expect((await fetch(`${chat.url}/health`)).status).toBe(200);
  });
});
