/**
 * The served-model check (STAGES.md §5 "Verify"): `GET /v1/models` through the API server's
 * service proxy (`/api/v1/namespaces/{ns}/services/{name}-predictor:80/proxy/v1/models`; the
 * predictor Service listens on 80 and forwards to the container's 8080) must list the served model
 * name in `data[].id` (OpenAI list format, as vLLM answers it). For TEI, whose server may not have
 * `/v1/models`, a 404 there is followed by `GET /info` (TEI's model info route), which must answer 200.
 */
import type { Services } from '../../src/cluster/services.js';
import type { StepContext } from '../../src/engine/types.js';

/** What to check. `timeoutMs` in milliseconds. */
export interface ModelsCheck {
  service: string;
  servedModelName: string;
  tei: boolean;
  timeoutMs: number;
}

/**
 * Waits (polling, the Service may need a moment for its endpoints) until the predictor lists the
 * served model name.
 * @throws WaitFailedError when the server answers a list without the name (it serves another
 *   model); WaitTimeoutError while it does not answer 200; AbortError.
 */
export async function verifyModels(ctx: StepContext<{ namespace: string }, Services>, check: ModelsCheck): Promise<void> {
  const ns = ctx.inputs.namespace;
  const { kube } = ctx.services;
  await ctx.waitFor(async () => {
    const res = await kube.proxyGet(ns, check.service, 80, '/v1/models');
    if (res.status === 404 && check.tei) {
      const info = await kube.proxyGet(ns, check.service, 80, '/info');
      return info.status === 200 ? { state: 'done', value: undefined } : { state: 'pending', currently: `GET /info answers ${info.status}` };
    }
    if (res.status !== 200) return { state: 'pending', currently: `GET /v1/models answers ${res.status}` };
    let ids: string[];
    try {
      ids = ((JSON.parse(res.body) as { data?: { id?: string }[] }).data ?? []).map((m) => String(m.id));
    } catch {
      return { state: 'failed', reason: 'GET /v1/models did not answer JSON', fix: `oc logs -n ${ns} -l serving.kserve.io/inferenceservice=${check.servedModelName}` };
    }
    if (ids.includes(check.servedModelName)) return { state: 'done', value: undefined };
    return { state: 'failed', reason: `the predictor serves ${ids.join(', ') || 'no model'}, not ${check.servedModelName}`, fix: 'the ServingRuntime must pass --served-model-name={{.Name}}: run this step again to update it' };
  }, { what: `GET /v1/models of ${ns}/${check.service} lists ${check.servedModelName}`, timeoutMs: check.timeoutMs, intervalMs: 500, maxIntervalMs: 5000 });
}
