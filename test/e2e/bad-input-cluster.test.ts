/**
 * Bad input only a live service can find (issue #10 item 2): a Hugging Face repo id that does not
 * exist, a wrong Hugging Face token (C4), a namespace that exists but belongs to someone else.
 * The wizard cannot know these from the input alone, so they are step failures with the
 * documented exit code 1 (ARCHITECTURE.md "Commands": 1 a step failed; 2 is for what is refused
 * before anything runs): the failing step names the value and the fix, it fails in its `plan`
 * (before it writes anything), nothing that needs it runs, and no secret is printed.
 * Each case runs `retry STEP` (the step and what it needs only) on a fresh simulated cluster.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEMO_HF_TOKEN } from '../../src/sim/hub/auth.js';
import { runCli } from '../cli/helpers.js';
import type { RunOutcome } from '../cli/helpers.js';
import { readStatus, startControlledCluster, tail } from './helpers.js';
import type { ControlledCluster, StatusStep } from './helpers.js';

let cluster: ControlledCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** `maas-wizard retry STEP --kubeconfig FILE --profile e2e --yes ...extra` with `env` (HF_TOKEN: the demo's unless given). */
function retry(c: ControlledCluster, step: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunOutcome> {
  return runCli(['retry', step, '--kubeconfig', c.kubeconfig, '--profile', 'e2e', '--yes', ...extra], { home: c.home, input: '', env: { HF_TOKEN: DEMO_HF_TOKEN, ...env } });
}

/** A step's state, last error and diagnosis as `status --output json` reports them. */
async function stepStatus(c: ControlledCluster, step: string): Promise<{ state: string; error?: { code: string; message: string; fix?: string; phase?: string }; diagnosis?: { summary: string; fix: string } }> {
  const status = await readStatus(c.home, ['--kubeconfig', c.kubeconfig, '--profile', 'e2e']);
  const s = status.steps.find((x) => x.step === step) as (StatusStep & { diagnosis?: { summary: string; fix: string } }) | undefined;
  return { state: s?.state ?? 'absent', ...(s?.lastError ? { error: s.lastError } : {}), ...(s?.diagnosis ? { diagnosis: s.diagnosis } : {}) };
}

describe('bad input found by the services: exit 1, the step names the value and the fix, nothing after it runs', () => {
  it('a Hugging Face repo id that does not exist', async () => {
    cluster = await startControlledCluster();
    writeFileSync(join(cluster.home, 'answers.yaml'), stringify({ import: { method: 'local', models: ['nobody-here/no-such-model'] } }));
    const r = await retry(cluster, 'import', ['--answers', 'answers.yaml']);
    expect(r.code, tail(r)).toBe(1);
    expect(r.stdout.text + r.stderr.text).toMatch(/nobody-here\/no-such-model/);
    const s = await stepStatus(cluster, 'import');
    expect(s.state).toBe('failed');
    expect(s.error?.phase).toBe('plan');
    expect(s.error?.message).toMatch(/nobody-here\/no-such-model.*(not found|does not exist|404)/i);
    expect(s.error?.fix).toMatch(/repo id|huggingface\.co|spelling|models/i);
    expect(cluster.sim.store.list(cluster.sim.kinds.byKind('InferenceService'), 'llm-hosting')).toEqual([]);
  });

  it('a wrong Hugging Face token (C4): 401 named, fix names HF_TOKEN, the token never printed', async () => {
    cluster = await startControlledCluster();
    writeFileSync(join(cluster.home, 'answers.yaml'), stringify({ import: { method: 'local', models: ['mistralai/Mistral-7B-Instruct-v0.3'] } }));
    const wrong = 'hf_ThisIsNotAValidTokenAtAll0123456789';
    const r = await retry(cluster, 'import', ['--answers', 'answers.yaml'], { HF_TOKEN: wrong });
    expect(r.code, tail(r)).toBe(1);
    const s = await stepStatus(cluster, 'import');
    expect(s.state).toBe('failed');
    expect(s.error?.message).toMatch(/401|token/i);
    expect(`${s.error?.message ?? ''} ${s.error?.fix ?? ''}`).toMatch(/HF_TOKEN|--hf-token|huggingface\.co\/settings\/tokens/);
    expect(r.stdout.text + r.stderr.text).not.toContain(wrong);
  });

  it('a namespace that exists with other owners: project fails in plan, naming project.namespace and the fix', async () => {
    cluster = await startControlledCluster();
    const { sim } = cluster;
    sim.store.create(sim.kinds.byKind('Namespace'), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', annotations: { 'openshift.io/requester': 'alice' } },
      status: { phase: 'Active' },
    });
    // What RBAC answers a user who is not a member: that namespace cannot be read, nor changed.
    sim.access.deny({ verb: 'get', group: '', resource: 'namespaces' });
    sim.access.deny({ verb: 'patch', group: '', resource: 'namespaces' });
    writeFileSync(join(cluster.home, 'answers.yaml'), stringify({ project: { namespace: 'team-a' } }));
    const r = await retry(cluster, 'project', ['--answers', 'answers.yaml']);
    expect(r.code, tail(r)).toBe(1);
    const s = await stepStatus(cluster, 'project');
    expect(s.state).toBe('failed');
    expect(s.error?.message).toMatch(/team-a/);
    expect(s.error?.phase).toBe('plan');
    // The diagnosis says what it means for this input, not only which permission is missing.
    expect(s.diagnosis?.summary).toMatch(/namespace team-a cannot be read by developer: it exists and belongs to someone else/);
    expect(s.diagnosis?.fix).toMatch(/choose another name \(project\.namespace in the answers file.*oc adm policy add-role-to-user admin developer -n team-a/);
    const labels = sim.store.get(sim.kinds.byKind('Namespace'), undefined, 'team-a')?.metadata.labels ?? {};
    expect(labels['opendatahub.io/dashboard']).toBeUndefined();
  });
});
