/**
 * The simulated model servers a predictor pod runs: an OpenAI-compatible server shaped like vLLM's
 * (routes and error bodies as in ../shared/reference/models/vllm-openai-routes.md, vLLM 0.6.x):
 * `GET /health`, `GET /version`, `GET /v1/models`, `POST /v1/chat/completions` (SSE with
 * `stream: true`), `POST /v1/completions`, `POST /v1/embeddings`. Answers are deterministic.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostHandler, ModelServerFactory, ModelServerOptions } from '../types.js';
import { answerWords, countTokens, embeddingOf, seedOf } from './generate.js';
import { readBody, sendJson } from './http.js';
import { parseChatRequest, parseCompletionRequest, parseEmbeddingRequest, RequestInvalid } from './requests.js';

/** Dimension of the embedding vectors (nomic-embed-text-v1.5 returns 768 floats). */
export const EMBEDDING_DIMENSION = 768;
/** `max_model_len` reported in `/v1/models`: chat 4096 (what the catalog's 7–8B models are served with), embedding 8192 (nomic). */
export const MAX_MODEL_LEN = { chat: 4096, embedding: 8192 } as const;
/** The vLLM version `/version` reports (the route table was read from 0.6.1). */
export const VLLM_VERSION = '0.6.1';

/** vLLM's `ErrorResponse` body: `{object: "error", message, type, param, code}`. */
function vllmError(res: ServerResponse, code: number, type: string, message: string): void {
  sendJson(res, code, { object: 'error', message, type, param: null, code });
}

/**
 * Makes the server one predictor runs. `servedModelName` is the only model id it accepts (vLLM
 * `--served-model-name`); `kind: 'embedding'` answers the chat and completion routes with 404
 * (an embedding server has no such API), `kind: 'chat'` refuses embeddings with 400 as vLLM 0.6
 * does for a model not in embedding mode. Never throws: every failure is an HTTP answer.
 */
export const createModelServer: ModelServerFactory = (options: ModelServerOptions): HostHandler => {
  return async (req, res) => {
    try {
      await route(options, req, res);
    } catch (err) {
      if (err instanceof RequestInvalid) vllmError(res, 400, 'BadRequestError', err.message);
      else vllmError(res, 500, 'InternalServerError', String(err));
    }
  };
};

async function route(options: ModelServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://model').pathname;
  const method = req.method ?? 'GET';
  const routes: Record<string, string> = {
    '/health': 'GET', '/version': 'GET', '/v1/models': 'GET',
    '/v1/chat/completions': 'POST', '/v1/completions': 'POST', '/v1/embeddings': 'POST',
  };
  const allowed = routes[path];
  if (allowed === undefined) return sendJson(res, 404, { detail: 'Not Found' });
  if (allowed !== method) return sendJson(res, 405, { detail: 'Method Not Allowed' });
  if (path === '/health') {
    res.writeHead(200, { 'content-length': 0 });
    return void res.end();
  }
  if (path === '/version') return sendJson(res, 200, { version: VLLM_VERSION });
  if (path === '/v1/models') return sendJson(res, 200, modelList(options));
  const raw = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return vllmError(res, 400, 'BadRequestError', `Invalid JSON body: ${(err as Error).message}`);
  }
  if (path === '/v1/embeddings') {
    if (options.kind !== 'embedding') {
      return vllmError(res, 400, 'BadRequestError', 'embedding_mode is False. Embedding API will not work.');
    }
    const r = parseEmbeddingRequest(body);
    if (r.model !== options.servedModelName) return modelNotFound(res, r.model);
    const vectors = r.inputs.map((text, index) => ({
      index,
      object: 'embedding',
      embedding: r.base64 ? toBase64(embeddingOf(text, EMBEDDING_DIMENSION)) : embeddingOf(text, EMBEDDING_DIMENSION),
    }));
    const promptTokens = r.inputs.reduce((n, t) => n + countTokens(t), 0);
    return sendJson(res, 200, {
      id: `embd-${randomUUID().replaceAll('-', '')}`, object: 'list', created: nowSeconds(), model: r.model,
      data: vectors, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens, completion_tokens: 0 },
    });
  }
  if (options.kind !== 'chat') {
    const api = path === '/v1/chat/completions' ? 'Chat Completions' : 'Completions';
    return vllmError(res, 404, 'NotFoundError', `The model does not support ${api} API`);
  }
  const chat = path === '/v1/chat/completions';
  const r = chat ? parseChatRequest(body) : parseCompletionRequest(body);
  if (r.model !== options.servedModelName) return modelNotFound(res, r.model);
  const natural = 8 + (seedOf(r.prompt) % 17);
  const words = answerWords(r.prompt, Math.min(natural, r.maxTokens ?? natural));
  const finish = r.maxTokens !== undefined && r.maxTokens < natural ? 'length' : 'stop';
  const usage = { prompt_tokens: countTokens(r.prompt), total_tokens: countTokens(r.prompt) + words.length, completion_tokens: words.length };
  const id = `${chat ? 'chat' : 'cmpl'}-${randomUUID().replaceAll('-', '')}`;
  const created = nowSeconds();
  if (r.stream) return streamAnswer(res, { id, created, model: r.model, chat, words, finish, usage: r.includeUsage ? usage : undefined });
  const text = words.join(' ');
  const choice = chat
    ? { index: 0, message: { role: 'assistant', content: text, tool_calls: [] }, logprobs: null, finish_reason: finish, stop_reason: null }
    : { index: 0, text, logprobs: null, finish_reason: finish, stop_reason: null, prompt_logprobs: null };
  return sendJson(res, 200, {
    id, object: chat ? 'chat.completion' : 'text_completion', created, model: r.model, choices: [choice], usage,
    prompt_logprobs: null,
  });
}

/** `/v1/models` as vLLM lists its one served model. */
function modelList(options: ModelServerOptions): unknown {
  const created = nowSeconds();
  return {
    object: 'list',
    data: [{
      id: options.servedModelName, object: 'model', created, owned_by: 'vllm', root: '/mnt/models', parent: null,
      max_model_len: MAX_MODEL_LEN[options.kind],
      permission: [{
        id: `modelperm-${seedOf(options.servedModelName).toString(16)}`, object: 'model_permission', created,
        allow_create_engine: false, allow_sampling: true, allow_logprobs: true, allow_search_indices: false,
        allow_view: true, allow_fine_tuning: false, organization: '*', group: null, is_blocking: false,
      }],
    }],
  };
}

function modelNotFound(res: ServerResponse, model: string): void {
  vllmError(res, 404, 'NotFoundError', `The model \`${model}\` does not exist.`);
}

/** Server-sent events: a role chunk, one chunk per word, a final chunk with finish_reason, `[DONE]`. */
function streamAnswer(
  res: ServerResponse,
  a: { id: string; created: number; model: string; chat: boolean; words: string[]; finish: string; usage: unknown },
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const object = a.chat ? 'chat.completion.chunk' : 'text_completion';
  const send = (choice: Record<string, unknown>): void => {
    res.write(`data: ${JSON.stringify({ id: a.id, object, created: a.created, model: a.model, choices: [choice] })}\n\n`);
  };
  const piece = (content: string, finish: string | null): Record<string, unknown> =>
    a.chat
      ? { index: 0, delta: finish === null ? { content } : {}, logprobs: null, finish_reason: finish, stop_reason: null }
      : { index: 0, text: content, logprobs: null, finish_reason: finish, stop_reason: null };
  if (a.chat) send({ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null });
  a.words.forEach((w, i) => send(piece(i === 0 ? w : ` ${w}`, null)));
  send(piece('', a.finish));
  if (a.usage !== undefined) {
    res.write(`data: ${JSON.stringify({ id: a.id, object, created: a.created, model: a.model, choices: [], usage: a.usage })}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

function toBase64(v: number[]): string {
  return Buffer.from(new Float32Array(v).buffer).toString('base64');
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
