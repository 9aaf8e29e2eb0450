import { describe, expect, it } from 'vitest';
import { mapHubError } from '../../../src/cluster/huggingface.js';
import { UserError } from '../../../src/engine/errors.js';

/** A HubApiError-shaped failure as @huggingface/hub throws it (status + the Hub's message). */
const hubError = (statusCode: number, message: string) => Object.assign(new Error(`${message}. URL: https://huggingface.co/x`), { statusCode });
const hub = { hubUrl: 'https://hub.example.com/' };

describe('Hub error mapping (C4)', () => {
  it('tells the causes apart from the Hub\'s own answers', () => {
    const code = (e: unknown) => (e instanceof UserError ? e.code : 'passed-through');
    expect(code(mapHubError(hubError(401, 'Invalid credentials in Authorization header'), 'a/b', hub))).toBe('hf.token-invalid');
    expect(code(mapHubError(hubError(401, 'Access to model a/b is restricted. You must have access to it and be authenticated to access it. Please log in.'), 'a/b', hub))).toBe('hf.token-missing');
    expect(code(mapHubError(hubError(403, 'Access to model a/b is restricted and you are not in the authorized list. Visit https://huggingface.co/a/b to ask for access.'), 'a/b', hub))).toBe('hf.gated');
    expect(code(mapHubError(hubError(403, 'Access to model a/b is restricted. Please enable access to public gated repositories in your fine-grained token settings to view this repository.'), 'a/b', hub))).toBe('hf.fine-grained');
    expect(code(mapHubError(hubError(404, 'Repository not found'), 'a/b', hub))).toBe('hf.not-found');
    expect(code(mapHubError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'a/b', hub))).toBe('hf.unreachable');
  });

  it('points at the model page and the token settings of the Hub in use', () => {
    const gated = mapHubError(hubError(403, 'not in the authorized list'), 'meta-llama/Llama-3.1-8B-Instruct', hub) as UserError;
    expect(gated.fix).toContain('https://hub.example.com/meta-llama/Llama-3.1-8B-Instruct');
    const bad = mapHubError(hubError(401, 'Invalid credentials in Authorization header'), 'a/b', hub) as UserError;
    expect(bad.fix).toContain('https://hub.example.com/settings/tokens');
  });

  it('passes aborts and unknown failures through unchanged', () => {
    const abort = new DOMException('stop', 'AbortError');
    expect(mapHubError(abort, 'a/b', hub)).toBe(abort);
    const server = hubError(500, 'Internal Error');
    expect(mapHubError(server, 'a/b', hub)).toBe(server);
  });
});
