import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExecCredential } from '../../src/cluster/exec-plugin.js';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.js';
import { createServices } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';

let dir: string;

/** A kubeconfig whose user gets its token from `command args...`. */
function execConfig(command: string, args: string[] = []): object {
  return {
    clusters: [{ name: 'c', cluster: { server: 'https://api.example.test:6443' } }],
    users: [{ name: 'developer/api-example-test:6443', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command, args } } }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'developer/api-example-test:6443' } }],
    'current-context': 'ctx',
  };
}

/** Writes an executable shell script into the temp dir. */
function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

async function rejection(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

const env = (): NodeJS.ProcessEnv => ({ PATH: `${dir}${path.delimiter}/usr/bin${path.delimiter}/bin`, HOME: dir });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'exec-plugin-'));
  script('oc-fails', 'echo "error: You must be logged in to the server (Unauthorized)" >&2\necho "second line" >&2\nexit 1');
  script('oc-ok', 'echo \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"sha256~secret-token-value"}}\'');
  script('oc-expired', 'echo \'{"kind":"ExecCredential","status":{"token":"sha256~secret-token-value","expirationTimestamp":"2001-01-01T00:00:00Z"}}\'');
  script('oc-garbage', 'echo "not json"');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exec credential plugin (C13)', () => {
  it('names the missing command in one sentence', async () => {
    const kc = loadKubeConfig({ inline: execConfig('oc-not-installed') });
    const err = await rejection(checkExecCredential(kc, env()));
    expect(err.code).toBe('kubeconfig.exec-missing');
    expect(err.usage).toBe(true); // a bad kubeconfig: exit code 2
    expect(err.message).toBe(
      'the kubeconfig user developer/api-example-test:6443 runs `oc-not-installed` for credentials, but `oc-not-installed` is not on PATH; install it or run `oc login` again',
    );
  });

  it('gives the command, its exit code and the first line of stderr when the plugin fails', async () => {
    const kc = loadKubeConfig({ inline: execConfig('oc-fails', ['get-token', '--server=x']) });
    const err = await rejection(checkExecCredential(kc, env()));
    expect(err.code).toBe('kubeconfig.exec-failed');
    expect(err.message).toContain('`oc-fails get-token --server=x`');
    expect(err.message).toContain('exited with code 1');
    expect(err.message).toContain('error: You must be logged in to the server (Unauthorized)');
    expect(err.message).not.toContain('second line');
    expect(err.message).not.toContain('\n');
    expect(err.fix).toContain('oc login https://api.example.test:6443');
  });

  it('accepts a plugin that prints an ExecCredential, and never puts the token in an error', async () => {
    const kc = loadKubeConfig({ inline: execConfig('oc-ok') });
    await expect(checkExecCredential(kc, env())).resolves.toBeUndefined();
    const expired = await rejection(checkExecCredential(loadKubeConfig({ inline: execConfig('oc-expired') }), env()));
    expect(expired.code).toBe('auth.expired');
    expect(expired.message).not.toContain('secret-token-value');
  });

  it('refuses a plugin without a command as bad input (exit code 2)', async () => {
    const err = await rejection(checkExecCredential(loadKubeConfig({ inline: execConfig('') }), env()));
    expect(err.code).toBe('kubeconfig.exec-invalid');
    expect(err.usage).toBe(true);
    expect(err.message).toBe('the kubeconfig user developer/api-example-test:6443 has an exec credential plugin without a command');
  });

  it('refuses output that is not an ExecCredential', async () => {
    const err = await rejection(checkExecCredential(loadKubeConfig({ inline: execConfig('oc-garbage') }), env()));
    expect(err.code).toBe('kubeconfig.exec-invalid');
  });

  it('runs the check in createServices, before any request', async () => {
    const err = await rejection(createServices({ inlineKubeconfig: execConfig('oc-not-installed'), env: env() }));
    expect(err.code).toBe('kubeconfig.exec-missing');
  });

  it('does nothing for a token user', async () => {
    const kc = loadKubeConfig({
      inline: { ...execConfig('x'), users: [{ name: 'developer/api-example-test:6443', user: { token: 't' } }] },
    });
    await expect(checkExecCredential(kc, env())).resolves.toBeUndefined();
  });
});
