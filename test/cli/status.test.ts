import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';
import { sampleProgress, writeProgress } from './progress-fixture.js';

describe('maas-wizard status', () => {
  it('--output json reports every step: state, timings, outputs, attempts, last error', async () => {
    const home = tempDir();
    writeProgress(home, 'lab', sampleProgress());
    const r = await runCli(['status', '--profile', 'lab', '--output', 'json'], { home });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.text) as { profile: { name: string }; steps: Record<string, unknown>[] };
    expect(out.profile.name).toBe('lab');
    const byId = Object.fromEntries(out.steps.map((s) => [s['step'], s]));
    expect(byId['preflight']).toMatchObject({ state: 'done', tookMs: 4500, outputs: { domain: 'apps.lab.example.com' }, startedAt: '2026-01-05T10:00:00.000Z' });
    expect(byId['project']).toMatchObject({
      state: 'failed',
      tookMs: 3000,
      lastError: { code: 'rbac.denied', message: 'still cannot create projectrequests', phase: 'apply' },
    });
    expect((byId['project'] as { attempts: unknown[] }).attempts).toHaveLength(2);
  });

  it('the table shows state, start, duration, outputs, last error and what to do next', async () => {
    const home = tempDir();
    writeProgress(home, 'lab', sampleProgress());
    const r = await runCli(['status', '--profile', 'lab'], { home });
    expect(r.code).toBe(0);
    const lines = r.stdout.lines();
    expect(lines[1]).toMatch(/^STEP\s+STAGE\s+STATE\s+STARTED\s+TOOK\s+OUTPUTS\s+LAST ERROR$/);
    const preflight = lines.find((l) => l.startsWith('preflight'));
    expect(preflight).toMatch(/done\s+2026-01-05 10:00:00\s+5 s\s+domain=apps\.lab\.example\.com/);
    const project = lines.find((l) => l.startsWith('project'));
    expect(project).toMatch(/failed\s+2026-01-05 10:02:00\s+3 s\s+-\s+still cannot create projectrequests/);
    expect(r.stdout.text).toContain('next: fix the error of project, then `maas-wizard retry project`');
  });

  it('the global --output flag works before the command too, and --demo reads the demo profile', async () => {
    const home = tempDir();
    writeProgress(home, 'demo', sampleProgress('demo'));
    const r = await runCli(['--demo', '--output', 'json', 'status'], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.text).profile.name).toBe('demo');
  });

  it('finds the profile from the kubeconfig server when neither --profile nor --demo is given', async () => {
    const home = tempDir();
    const kubeconfig = join(home, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\ncurrent-context: lab\nclusters:\n- name: lab\n  cluster:\n    server: https://api.lab.example.com:6443\ncontexts:\n- name: lab\n  context:\n    cluster: lab\n    user: me\nusers:\n- name: me\n  user:\n    token: t\n',
    );
    writeProgress(home, 'https___api.lab.example.com_6443', sampleProgress());
    const r = await runCli(['status', '--kubeconfig', kubeconfig, '--output', 'json'], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.text).steps.length).toBeGreaterThanOrEqual(2);
  });

  it('says so when there is no progress yet', async () => {
    const r = await runCli(['status', '--profile', 'empty']);
    expect(r.code).toBe(0);
    expect(r.stdout.text).toContain('no progress yet');
  });

  it('a corrupt progress file is exit 2 with a fix, and is left as it was', async () => {
    const home = tempDir();
    const file = writeProgress(home, 'lab', {});
    writeFileSync(file, '{"schemaVersion": 1, "steps": ');
    const r = await runCli(['status', '--profile', 'lab'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr.text).toMatch(/error: .*lab\.json cannot be read: not valid JSON/);
    expect(r.stderr.text).toContain('fix: ');
    expect(readFileSync(file, 'utf8')).toBe('{"schemaVersion": 1, "steps": ');
  });

  it('a missing kubeconfig is exit 2 naming it, without a stack trace', async () => {
    const r = await runCli(['status', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain('/nonexistent/kubeconfig');
    expect(r.stderr.text).not.toMatch(/\n\s+at /);
  });
});

describe('maas-wizard status: drift, diagnosis and the graph', () => {
  /** sampleProgress with preflight found drifted on a later run (its repair not done yet) and a diagnosis on project. */
  function driftedProgress(): object {
    const data = sampleProgress() as { steps: Record<string, Record<string, unknown>> };
    data.steps['preflight'] = { ...data.steps['preflight'], state: 'cancelled', drift: { at: '2026-01-06T09:00:00.000Z', reason: 'Namespace llm-hosting not found' } };
    data.steps['project'] = {
      ...data.steps['project'],
      diagnosis: { summary: 'the user may not create projects', fix: 'ask for self-provisioner', suggestedInputs: { namespace: 'team-x' } },
    };
    return data;
  }

  it('a step found drifted and not repaired shows as drifted, with the reason and the repair path', async () => {
    const home = tempDir();
    writeProgress(home, 'lab', driftedProgress());
    const json = await runCli(['status', '--profile', 'lab', '--output', 'json'], { home });
    const steps = (JSON.parse(json.stdout.text) as { steps: Record<string, unknown>[] }).steps;
    const byId = Object.fromEntries(steps.map((s) => [s['step'], s]));
    expect(byId['preflight']).toMatchObject({ state: 'drifted', drift: { reason: 'Namespace llm-hosting not found' } });
    expect(byId['project']).toMatchObject({ state: 'failed', diagnosis: { suggestedInputs: { namespace: 'team-x' } } });

    const table = await runCli(['status', '--profile', 'lab'], { home });
    expect(table.stdout.lines().find((l) => l.startsWith('preflight'))).toMatch(/drifted .*drifted: Namespace llm-hosting not/);
    expect(table.stdout.text).toContain('drifted: preflight — their objects are gone or changed; `maas-wizard plan` shows the repair');
    expect(table.stdout.text).toContain('`maas-wizard retry project --accept-suggestion`');
    expect(table.stdout.text).toContain('diagnosis of project: the user may not create projects\nfix: ask for self-provisioner\nsuggested inputs: namespace="team-x"');
  });

  it('--graph draws the stages in dependency layers with their state, within 80 columns', async () => {
    const home = tempDir();
    writeProgress(home, 'lab', sampleProgress());
    const r = await runCli(['status', '--profile', 'lab', '--graph'], { home });
    expect(r.code).toBe(0);
    const text = r.stdout.text;
    expect(text).toContain('Stages by dependency layer');
    expect(text).toMatch(/^ 1 {2}✔ Preflight$/m);
    expect(text).toMatch(/^ 2 .*✖ Project/m);
    expect(text).toContain('Project ← Preflight');
    for (const l of text.slice(text.indexOf('Stages by dependency layer')).split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);
  });
});
