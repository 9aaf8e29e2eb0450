/**
 * The pure parts of the end-to-end check: Keycloak redirect URI matching, finding the SSO link in
 * portal HTML, the burst size, judging model answers, masking keys, reading earlier outputs, the
 * failure's message and fix, and the CLI's saved-outputs wrapper.
 */
import { describe, expect, it } from 'vitest';
import { notDone, withSavedOutputs } from '../../../src/cli/commands/verify.js';
import { UserError } from '../../../src/engine/errors.js';
import type { StepRecord } from '../../../src/engine/progress.js';
import { VerifyFailedError, clean, maskKey } from '../../../steps/verify/checks.js';
import { MAX_BURST, burstSize, saneBody } from '../../../steps/verify/gateway.js';
import { redirectAllowed, ssoLinkOf } from '../../../steps/verify/portal.js';
import { limitsOf, productOf } from '../../../steps/verify/types.js';
import { doneStep } from './fixture.js';

const ISSUER = 'https://keycloak-rh-sso.apps.example.com/auth/realms/maas';

describe('redirect URIs (Keycloak rules)', () => {
  const cb = 'https://maas.apps.example.com/auth/keycloak_1/callback';
  it('accepts *, a matching prefix with a trailing *, or the same URI', () => {
    expect(redirectAllowed(['*'], cb)).toBe(true);
    expect(redirectAllowed(['https://maas.apps.example.com/*'], cb)).toBe(true);
    expect(redirectAllowed([cb], `${cb}?code=1`)).toBe(true);
  });
  it('refuses another host, another path, or nothing', () => {
    expect(redirectAllowed(['https://elsewhere.example.com/*'], cb)).toBe(false);
    expect(redirectAllowed(['https://maas.apps.example.com/other'], cb)).toBe(false);
    expect(redirectAllowed([], cb)).toBe(false);
  });
});

describe('SSO link in the portal HTML', () => {
  it('finds an entity-escaped link to the realm and reads its client_id and redirect_uri', () => {
    const html = `<a href="/docs">docs</a><a class="sso" href="${ISSUER}/protocol/openid-connect/auth?client_id=3scale&#38;redirect_uri=https%3A%2F%2Fmaas.apps.example.com%2Fauth%2Fk%2Fcallback&amp;response_type=code">Sign in</a>`;
    const link = ssoLinkOf(html, ISSUER);
    expect(link?.searchParams.get('client_id')).toBe('3scale');
    expect(link?.searchParams.get('redirect_uri')).toBe('https://maas.apps.example.com/auth/k/callback');
  });
  it('ignores links to another realm and pages without a link', () => {
    expect(ssoLinkOf(`<a href="https://keycloak-rh-sso.apps.example.com/auth/realms/other/protocol/openid-connect/auth?client_id=3scale">x</a>`, ISSUER)).toBeUndefined();
    expect(ssoLinkOf('<h1>Welcome</h1>', ISSUER)).toBeUndefined();
  });
});

describe('burst size', () => {
  it('is the smallest limit + 5, the input when given, and none without limits or above the bound', () => {
    expect(burstSize([])).toBeUndefined();
    expect(burstSize([{ period: 'minute', value: 20 }, { period: 'hour', value: 3 }])).toBe(8);
    expect(burstSize([{ period: 'minute', value: 20 }], 7)).toBe(7);
    expect(burstSize([{ period: 'day', value: MAX_BURST }])).toBeUndefined();
  });
});

describe('model answers', () => {
  it('accepts choices for chat and completions and a numeric embedding', () => {
    expect(saneBody('chat', JSON.stringify({ choices: [{ message: { content: 'Hello' } }] }))).toBe('an answer "Hello"');
    expect(saneBody('completions', JSON.stringify({ choices: [{ text: ' pass' }] }))).toBe('an answer " pass"');
    expect(saneBody('embeddings', JSON.stringify({ data: [{ embedding: [0.1, 0.2] }] }))).toBe('an embedding of 2 numbers');
  });
  it('refuses other bodies', () => {
    expect(saneBody('chat', 'not json')).toBeUndefined();
    expect(saneBody('chat', JSON.stringify({ choices: [] }))).toBeUndefined();
    expect(saneBody('embeddings', JSON.stringify({ data: [{ embedding: [] }] }))).toBeUndefined();
    expect(saneBody('completions', JSON.stringify({ object: 'error', message: 'bad' }))).toBeUndefined();
  });
});

describe('keys', () => {
  it('shows at most the first four characters', () => {
    expect(maskKey('abcdef0123456789')).toBe('abcd…');
    expect(clean('403 key abcdef0123456789 refused', ['abcdef0123456789'])).toBe('403 key abcd… refused');
  });
});

describe('outputs of earlier steps', () => {
  const ctx = (outputs: Record<string, Record<string, unknown>>) => ({ outputs: (id: string) => outputs[id] });
  it('skips a model that is not served and names the step whose outputs are missing', () => {
    expect(productOf(ctx({ 'threescale.product.m': { served: false, modelId: 'a/m' } }), 'm')).toBeUndefined();
    const err = (() => {
      try {
        productOf(ctx({}), 'm');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('verify.outputs');
    expect((err as UserError).fix).toContain('maas-wizard retry threescale.product.m');
    expect(() => limitsOf(ctx({}), 'm')).toThrow(/policies\.m/);
    expect(limitsOf(ctx({ 'policies.m': { served: true, chain: [], limits: [{ period: 'minute', value: 3 }] } }), 'm')).toEqual([{ period: 'minute', value: 3 }]);
  });
});

describe('the failure', () => {
  it('lists the failed checks and names each owning step once', () => {
    const owner = { step: 'policies.m', advice: 'fix the chain' };
    const err = new VerifyFailedError([
      { what: 'a', expected: '1', got: '1', ok: true },
      { what: 'b', expected: '2', got: '3', ok: false, model: 'm', owner },
      { what: 'c', expected: '4', got: '5', ok: false, owner },
    ]);
    expect(err.code).toBe('verify.failed');
    expect(err.message).toBe('2 of 3 end-to-end checks failed:\n- [m] b: expected 2, got 3\n- c: expected 4, got 5');
    expect(err.fix).toBe('fix the chain (`maas-wizard retry policies.m`)');
    expect(err.checks).toHaveLength(3);
    expect(err.checks[1]).not.toHaveProperty('owner');
  });
});

describe('maas-wizard verify: saved outputs', () => {
  const records: Record<string, StepRecord> = {
    'policies.m': { state: 'done', outputs: { served: false }, attempts: [], updatedAt: '' },
    'portal.content': { state: 'failed', outputs: { pages: ['/'] }, attempts: [], updatedAt: '' },
  };
  const progress = { stepRecord: (id: string) => records[id] };
  it('lists the needs not recorded done', () => {
    expect(notDone(['policies.m', 'portal.content', 'threescale.base'], progress)).toEqual(['portal.content', 'threescale.base']);
  });
  it('runs the step alone, reading outputs of done steps from the progress file', async () => {
    let seen: unknown;
    const inner = { ...doneStep('verify', {}), needs: ['policies.m'], verify: async (c: { outputs(id: string): unknown }) => ((seen = [c.outputs('policies.m'), c.outputs('portal.content')]), {}) };
    const wrapped = withSavedOutputs(inner, progress);
    expect(wrapped.needs).toEqual([]);
    await wrapped.verify({ outputs: () => undefined } as never);
    expect(seen).toEqual([{ served: false }, undefined]);
  });
});
