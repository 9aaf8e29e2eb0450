/**
 * Small steps for CLI tests that need no cluster: a `project` step with a validated namespace,
 * a `models` step that needs it and has a secret field, and a `report` step that needs both.
 */
import { z } from 'zod';
import type { AnyStep } from '../../src/engine/types.js';

const label = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 label (a-z, 0-9, "-")');

/** Builds the three fake steps; `apply` of models throws when `failModels` is set. */
export function fakeSteps(
  options: { failModels?: boolean; blockModels?: boolean; onApply?: (id: string) => void } = {},
): AnyStep<unknown>[] {
  const base = {
    explain: { what: 'does a thing', why: 'tests', commands: [] },
    async plan() {
      return [{ action: 'create' as const, target: 'Namespace demo' }];
    },
  };
  return [
    {
      ...base,
      id: 'project',
      stage: 'project',
      title: 'Create the project',
      needs: [],
      inputs: z.object({ namespace: label.default('llm-hosting'), displayName: z.string().optional() }),
      fields: [{ key: 'namespace', label: 'Namespace', kind: 'text' }],
      async apply() {
        options.onApply?.('project');
      },
      async verify(ctx) {
        return { namespace: (ctx.inputs as { namespace: string }).namespace };
      },
    },
    {
      ...base,
      id: 'models',
      stage: 'import',
      title: 'Import the models',
      needs: ['project'],
      inputs: z.object({ replicas: z.number().int().min(1).default(1) }),
      secrets: z.object({ hfToken: z.string().min(1) }),
      fields: [
        { key: 'replicas', label: 'Replicas', kind: 'number' },
        { key: 'hfToken', label: 'Hugging Face token', kind: 'secret', env: 'HF_TOKEN', flag: '--hf-token' },
      ],
      async apply(ctx) {
        options.onApply?.('models');
        if (options.failModels) throw new Error('the bucket refused the upload');
        if (options.blockModels) {
          ctx.log('copying (blocks until interrupted)');
          await new Promise<void>((_, reject) => {
            const abort = (): void => reject(new DOMException('interrupted', 'AbortError'));
            if (ctx.signal.aborted) abort();
            else ctx.signal.addEventListener('abort', abort, { once: true });
          });
        }
      },
      async verify() {
        return { copied: 3 };
      },
    },
    {
      ...base,
      id: 'report',
      stage: 'verify',
      title: 'Write the report',
      needs: ['project', 'models'],
      inputs: z.object({}),
      fields: [],
      async apply() {
        options.onApply?.('report');
      },
      async verify() {
        return {};
      },
    },
  ];
}
