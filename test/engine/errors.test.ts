import { describe, expect, it } from 'vitest';
import { InputError, StepError, UserError, serializeError } from '../../src/engine/errors.js';

describe('errors', () => {
  it('serializes a UserError wrapped in a StepError with its code, fix, step and phase', () => {
    const inner = new UserError('rbac.denied', 'cannot create secrets in llm-hosting', { fix: 'ask a cluster admin' });
    const e = serializeError(new StepError('project', 'apply', inner));
    expect(e).toEqual({
      code: 'rbac.denied',
      message: 'cannot create secrets in llm-hosting',
      fix: 'ask a cluster admin',
      step: 'project',
      phase: 'apply',
    });
  });

  it('names the field in an InputError and marks it as usage', () => {
    const e = new InputError('project.namespace', 'must be a DNS label', 'use lower-case letters, digits and -');
    expect(e.message).toBe('project.namespace: must be a DNS label');
    expect(e.usage).toBe(true);
  });
});
