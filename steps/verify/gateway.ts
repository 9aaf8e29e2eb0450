/**
 * The checks through one product's production APIcast gateway (STAGES.md §8 "How APIcast
 * answers" and §10): no key → 403; `Authorization: Bearer <key>` → `GET /v1/models` 200 listing
 * the served model name (vLLM only: TEI serves no `/v1/models`, ../shared/reference/models/
 * nomic-embed-text-v1.5.json); one small real request (chat completion, completion or embedding,
 * OpenAI-compatible bodies); a CORS preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) → 2xx with Access-Control-Allow-Origin (C11); with a rate limit,
 * a short sequential burst → 429 (once more when a UTC minute began during it: 3scale resets
 * per-minute counters at the minute boundary).
 */
import type { CheckLog } from './checks.js';
import type { PlanLimit, ServedProduct } from './types.js';

/** Milliseconds one gateway request may take (LLM answers are slow; the real request asks for a few tokens only). */
export const GATEWAY_TIMEOUT_MS = 120_000;
/** Most requests a burst sends (the 429 check is skipped when the plan's smallest limit needs more). */
export const MAX_BURST = 100;
/** Origin the CORS preflight claims to come from. */
export const CHECK_ORIGIN = 'https://maas-wizard-check.example.com';

/** What the gateway checks need for one product. */
export interface GatewayTarget {
  product: ServedProduct;
  /** The check application's `user_key` (kept in memory only). */
  key: string;
  /** Runtime of the model (`tei` has no `/v1/models`). */
  runtime: 'vllm' | 'tei';
  limits: PlanLimit[];
  /** Requests of the 429 burst; undefined: the smallest limit's value + 5. */
  burst?: number;
  /** Clock in milliseconds since the epoch (tests inject one); default `Date.now`. */
  now?: () => number;
}

/** Milliseconds of a UTC minute: 3scale resets per-minute limits at each minute boundary (and hour, day, … boundaries are minute boundaries too). */
const MINUTE_MS = 60_000;

/** An answer of the gateway: status, body text, headers. */
interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

/** The path and body of the model's one small real request (OpenAI-compatible API). */
export function realRequest(product: ServedProduct, maxTokens = 8): { path: string; body: Record<string, unknown> } {
  if (product.api === 'chat') {
    return { path: '/v1/chat/completions', body: { model: product.servedModelName, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: maxTokens } };
  }
  if (product.api === 'completions') return { path: '/v1/completions', body: { model: product.servedModelName, prompt: 'def hello():', max_tokens: maxTokens } };
  return { path: '/v1/embeddings', body: { model: product.servedModelName, input: 'hello' } };
}

/** Judges a real request's answer body: a short description when sane, undefined otherwise. */
export function saneBody(api: ServedProduct['api'], text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const b = body as { choices?: { message?: { content?: unknown }; text?: unknown }[]; data?: { embedding?: unknown }[] };
  if (api === 'embeddings') {
    const e = b.data?.[0]?.embedding;
    return Array.isArray(e) && e.length > 0 && e.every((x) => typeof x === 'number') ? `an embedding of ${e.length} numbers` : undefined;
  }
  const first = b.choices?.[0];
  const content = api === 'chat' ? first?.message?.content : first?.text;
  return typeof content === 'string' ? `an answer "${content.slice(0, 40)}"` : undefined;
}

/** The size of the burst: the input, else the smallest limit + 5; undefined (skip) without limits or above MAX_BURST. */
export function burstSize(limits: PlanLimit[], input?: number): number | undefined {
  if (limits.length === 0) return undefined;
  if (input !== undefined) return input;
  const smallest = Math.min(...limits.map((l) => l.value));
  const n = smallest + 5;
  return n <= MAX_BURST ? n : undefined;
}

const short = (a: Answer): string => {
  const text = a.text.replace(/\s+/g, ' ').trim();
  return `${a.status}${text ? ` ${text.slice(0, 60)}` : ''}`;
};

/**
 * Runs the gateway checks of one product, recording each in `log`.
 * @returns how many requests the gateway let through (authorised, so counted in analytics).
 * @throws only aborts (`signal`); network failures become failed checks.
 */
export async function checkGateway(log: CheckLog, fetchFn: typeof fetch, target: GatewayTarget, signal: AbortSignal): Promise<{ authorised: number }> {
  const { product, key } = target;
  const model = product.model;
  const base = product.productionUrl.replace(/\/+$/, '');
  const step = { policies: `policies.${model}`, product: `threescale.product.${model}`, serving: `serving.${model}` };
  let authorised = 0;
  const send = async (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> => {
    const init: RequestInit = { method, headers: { accept: 'application/json', ...headers }, signal: AbortSignal.any([signal, AbortSignal.timeout(GATEWAY_TIMEOUT_MS)]) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    try {
      const res = await fetchFn(`${base}${path}`, init);
      const text = await res.text();
      // What passed the apicast policy is counted (a preflight is answered by cors before it).
      if (method !== 'OPTIONS' && ![401, 403, 404, 429, 503].includes(res.status)) authorised += 1;
      return { status: res.status, text, headers: res.headers };
    } catch (err) {
      if (signal.aborted) throw err;
      return { status: 0, text: `no answer (${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)})`, headers: new Headers() };
    }
  };
  const bearer = { authorization: `Bearer ${key}` };
  const real = realRequest(product);
  const probePath = target.runtime === 'tei' ? real.path : '/v1/models';
  const deployed = { step: step.policies, advice: `the production gateway ${base} serves no configuration: deploy to staging and promote to production` };
  const ownerOf = (a: Answer, what: string): { step: string; advice: string } => {
    if (a.status === 0 || (a.status === 503 && a.text.includes('Application is not available'))) return { step: step.policies, advice: `the gateway ${base} did not answer: check its Route and the APIcast pods` };
    if (a.status === 401 || a.status === 403) return { step: step.policies, advice: `the gateway refused \`Authorization: Bearer <key>\`: the proxy's credentials location does not match the Bearer mode ${product.bearerMode} (authorization; or headers + remove-bearer)` };
    if (a.status === 404) return a.text.includes('No Mapping Rule') || a.text.includes('No Mapping') ? { step: step.product, advice: `no mapping rule matches ${what}` } : deployed;
    if (a.status === 429) return { step: step.policies, advice: 'the application plan\'s limits are too low for the check' };
    return { step: step.serving, advice: `the model server behind the backend did not answer ${what} properly` };
  };

  const noKey = await send(target.runtime === 'tei' ? 'POST' : 'GET', probePath, {}, target.runtime === 'tei' ? real.body : undefined);
  log.add({
    model, what: `${model}: ${probePath} without a key`, expected: '403 (credentials missing)', got: short(noKey),
    ok: noKey.status === 403 || noKey.status === 401,
    owner: noKey.status === 404 ? deployed : { step: step.product, advice: 'the gateway let a request without a key through: check the product\'s authentication (API key)' },
  });

  if (target.runtime !== 'tei') {
    const models = await send('GET', '/v1/models', bearer);
    let names: string[];
    try {
      names = ((JSON.parse(models.text) as { data?: { id?: unknown }[] }).data ?? []).map((m) => String(m.id));
    } catch {
      names = [];
    }
    const listed = models.status === 200 && names.includes(product.servedModelName);
    log.add({
      model, what: `${model}: GET /v1/models with Authorization: Bearer <key>`, expected: `200 listing ${product.servedModelName}`,
      got: models.status === 200 ? `200 listing ${names.join(', ') || 'no model'}` : short(models), ok: listed,
      owner: models.status === 200 ? { step: step.serving, advice: `the model server does not serve the name ${product.servedModelName} (vLLM --served-model-name)` } : ownerOf(models, 'GET /v1/models'),
    });
  }

  const answer = await send('POST', real.path, bearer, real.body);
  const sane = answer.status === 200 ? saneBody(product.api, answer.text) : undefined;
  log.add({
    model, what: `${model}: POST ${real.path} with Authorization: Bearer <key>`, expected: product.api === 'embeddings' ? '200 with data[0].embedding' : '200 with choices',
    got: sane ? `200 with ${sane}` : short(answer), ok: sane !== undefined,
    owner: answer.status === 200 ? { step: step.serving, advice: 'the model answered 200 with an unexpected body' } : ownerOf(answer, `POST ${real.path}`),
  });

  const preflight = await send('OPTIONS', real.path, { origin: CHECK_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' });
  const allow = preflight.headers.get('access-control-allow-origin');
  log.add({
    model, what: `${model}: CORS preflight OPTIONS ${real.path}`, expected: '2xx with Access-Control-Allow-Origin',
    got: `${preflight.status}${allow ? ` with Access-Control-Allow-Origin: ${allow}` : ' without Access-Control-Allow-Origin'}`,
    ok: preflight.status >= 200 && preflight.status < 300 && allow !== null,
    owner: { step: step.policies, advice: 'browser preflights are refused: the cors policy must come before apicast in the production policy chain (C11)' },
  });

  const n = burstSize(target.limits, target.burst);
  if (n !== undefined) {
    const small = realRequest(product, 1);
    const now = target.now ?? Date.now;
    /** One burst of at most `n` requests: the request number of the first 429 (0: none) and the last answer. */
    const burst = async (): Promise<{ tripped: number; last: Answer | undefined; newMinute: boolean }> => {
      const startMinute = Math.floor(now() / MINUTE_MS);
      let last: Answer | undefined;
      for (let i = 1; i <= n; i++) {
        last = await send('POST', small.path, bearer, small.body);
        if (last.status === 429) return { tripped: i, last, newMinute: false };
      }
      return { tripped: 0, last, newMinute: Math.floor(now() / MINUTE_MS) !== startMinute };
    };
    // 3scale counts limits per calendar period in UTC: a burst that straddles a minute boundary is
    // split between two counters and may stay under the limit in both. Then burst once more (bounded).
    const first = await burst();
    const second = first.tripped === 0 && first.newMinute ? await burst() : undefined;
    const result = second ?? first;
    const again = second ? ', in a second burst (a new UTC minute began during the first)' : '';
    const limitText = target.limits.map((l) => `${l.value}/${l.period}`).join(', ');
    log.add({
      model, what: `${model}: burst of up to ${n} requests (limits ${limitText})`, expected: `429 within ${n} requests`,
      got: result.tripped > 0
        ? `429 at request ${result.tripped}${again}`
        : `no 429 after ${n} requests (last ${first.last ? first.last.status : 'none'})${second ? `, nor in ${n} more after a new UTC minute began (last ${second.last ? second.last.status : 'none'})` : ''}`,
      ok: result.tripped > 0,
      owner: { step: step.policies, advice: 'the application plan\'s rate limits are not enforced: write the limits again, then deploy and promote' },
    });
  } else if (target.limits.length > 0) {
    log.add({ model, what: `${model}: rate limit`, expected: `a limit of at most ${MAX_BURST - 5} to burst`, got: `skipped (smallest limit ${Math.min(...target.limits.map((l) => l.value))})`, ok: true });
  }
  return { authorised };
}
