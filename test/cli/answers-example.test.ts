/**
 * `maas-wizard answers --schema` and `--example` (issue #9 item 7): the schema accepts what the
 * answers loader accepts and refuses what it refuses; the example file is accepted by the loader,
 * documents every input, and as written resolves every step's inputs exactly as no answers file
 * would, on a simulated cluster whose facts and outputs the defaults read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import type { z } from 'zod';
import { parse } from 'yaml';
import { parseAnswers } from '../../src/cli/answers.js';
import type { Answers } from '../../src/cli/answers.js';
import { collectPlans } from '../../src/cli/export/collect.js';
import type { Collected } from '../../src/cli/export/collect.js';
import { createServices } from '../../src/cluster/services.js';
import type { Services } from '../../src/cluster/services.js';
import { resolveInputs } from '../../src/engine/inputs.js';
import { defaultBackends } from '../../src/sim/backends.js';
import { DEMO_HF_TOKEN } from '../../src/sim/hub/auth.js';
import { startSimulation } from '../../src/sim/index.js';
import type { RunningSimulation } from '../../src/sim/index.js';
import { allSteps } from '../../steps/index.js';
import { runCli, tempDir } from './helpers.js';

const steps = allSteps();

async function cli(...args: string[]): Promise<string> {
  const r = await runCli(['answers', ...args]);
  expect(r.code, r.stderr.text).toBe(0);
  return r.stdout.text;
}

describe('maas-wizard answers --schema', () => {
  it('prints a JSON Schema that accepts a good answers file and refuses what the loader refuses', async () => {
    const schema = JSON.parse(await cli('--schema')) as { properties: Record<string, { title?: string; properties: Record<string, { description?: string }> }> };
    expect(Object.keys(schema.properties)).toEqual(steps.map((s) => s.id));
    expect(schema.properties['project']?.properties['namespace']?.description).toMatch(/Where the bucket claim/);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

    const good = 'project:\n  namespace: models-prod\nimport:\n  method: local\nthreescale.apimanager:\n  tenantName: acme\n';
    expect(validate(parse(good)), JSON.stringify(validate.errors)).toBe(true);
    expect(() => parseAnswers(good, 'good.yaml', steps)).not.toThrow();

    const bad = [
      'project:\n  namespaces: x\n', // unknown key
      'projekt:\n  namespace: x\n', // unknown step
      'import:\n  method: ftp\n', // not a choice
      'storage:\n  bindTimeoutSeconds: soon\n', // wrong type
    ];
    for (const text of bad) {
      expect(validate(parse(text)), text).toBe(false);
      expect(() => parseAnswers(text, 'bad.yaml', steps), text).toThrow();
    }
    // Rules written as zod refinements (an RFC 1123 name) are the loader's alone: JSON Schema cannot say them.
    expect(() => parseAnswers('project:\n  namespace: Not_A_Label\n', 'bad.yaml', steps)).toThrow(/RFC 1123/);
  });

  it('refuses being called without --example or --schema, or with both (exit 2)', async () => {
    for (const args of [[], ['--example', '--schema']]) {
      const r = await runCli(['answers', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.text).toContain('answers takes one of --example or --schema');
    }
  });
});

describe('maas-wizard answers --example', () => {
  let sim: RunningSimulation;
  let services: Services;
  let collected: Collected;
  let example: string;
  beforeAll(async () => {
    example = await cli('--example');
    sim = await startSimulation({ backends: defaultBackends(), timing: 'instant' });
    const home = tempDir('maas-answers-');
    services = await createServices({ inlineKubeconfig: sim.kubeconfig(), ingressAddress: sim.ingressAddress, env: { HOME: home, PATH: process.env['PATH'] ?? '' } });
    collected = await collectPlans({ steps, services, forward: true, env: { HF_TOKEN: DEMO_HF_TOKEN } });
  }, 240_000);
  afterAll(async () => {
    await services?.close?.();
    await sim?.stop();
  });

  it('documents every input of every step: key, meaning, default; secrets only by where they come from', () => {
    for (const step of steps) {
      if (step.fields.length === 0) continue;
      expect(example).toContain(`# ── ${step.id}: ${step.title}`);
      for (const f of step.fields) {
        if (f.kind === 'secret') {
          expect(example).toMatch(new RegExp(`# ${escape(f.label)}\\..*\\n?.*Secret: never in this file`));
          continue;
        }
        expect(example, `${step.id}.${f.key}`).toMatch(new RegExp(`^(#   |  # |  )${escape(f.key)}:`, 'm'));
      }
    }
    expect(example).toContain('Default: "llm-hosting".');
    expect(example).toMatch(/# Wildcard domain\.[^:]*(\n {2}# [^:]*)*Default: from preflight/);
  });

  it('is accepted by the answers loader and, as written, resolves every step exactly like no answers file', async () => {
    const answers: Answers = parseAnswers(example, 'example.yaml', steps);
    expect(answers['project']).toEqual({ namespace: 'llm-hosting' });
    expect(answers['threescale.apimanager']?.['wildcardDomain']).toBeUndefined(); // from preflight: left commented
    expect(collected.unplanned).toEqual([]);
    const ctx = { outputs: (id: string) => collected.outputs[id] };
    for (const step of steps) {
      const base = { step, defaultsContext: ctx, env: {}, askWhenValid: false };
      const withExample = await resolveInputs({ ...base, answers: answers[step.id] });
      const without = await resolveInputs(base);
      expect(withExample.inputs, step.id).toEqual(without.inputs);
      // And what the steps ran with on the cluster.
      expect(without.inputs, step.id).toEqual(collected.inputs[step.id]);
    }
  });

  it('every commented-out input with a default, once uncommented, is accepted with the value shown', () => {
    let step: (typeof steps)[number] | undefined;
    let changed = 0;
    const uncommented = example
      .split('\n')
      .map((line) => {
        const head = /^([\w.-]+):$/.exec(line);
        if (head) step = steps.find((s) => s.id === head[1]);
        const m = /^ {2}# ([A-Za-z][\w-]*)(: .*)$/.exec(line);
        const field = m && step ? (step.inputs as z.ZodObject).shape[m[1] ?? ''] : undefined;
        const hasDefault = field?.safeParse(undefined).data !== undefined;
        if (!m || !hasDefault) return line;
        changed++;
        return `  ${m[1]}${m[2]}`;
      })
      .join('\n');
    expect(changed).toBeGreaterThan(3);
    expect(() => parseAnswers(uncommented, 'uncommented.yaml', steps)).not.toThrow();
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
