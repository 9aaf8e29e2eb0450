import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { clusterExtension, loadKubeConfig } from '../../src/cluster/kubeconfig.js';
import { UserError } from '../../src/engine/errors.js';

let dir: string;

/** Writes a kubeconfig with one cluster/user/context per name; `current` sets current-context. */
function writeConfig(file: string, names: { ctx: string; server: string; cluster?: string }[], current?: string, extra: Record<string, unknown> = {}): string {
  const full = path.join(dir, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(
    full,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: names.map((n) => ({ name: n.cluster ?? n.ctx, cluster: { server: n.server, ...extra } })),
      users: names.map((n) => ({ name: `${n.ctx}-user`, user: { token: 'not-a-real-token' } })),
      contexts: names.map((n) => ({ name: n.ctx, context: { cluster: n.cluster ?? n.ctx, user: `${n.ctx}-user` } })),
      ...(current ? { 'current-context': current } : {}),
    }),
  );
  return full;
}

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadKubeConfig precedence', () => {
  it('takes --kubeconfig over KUBECONFIG', () => {
    const flag = writeConfig('flag.yaml', [{ ctx: 'flagctx', server: 'https://flag.example:6443' }], 'flagctx');
    const env = writeConfig('env.yaml', [{ ctx: 'envctx', server: 'https://env.example:6443' }], 'envctx');
    const kc = loadKubeConfig({ kubeconfig: flag, env: { KUBECONFIG: env, HOME: dir } });
    expect(kc.getCurrentContext()).toBe('flagctx');
    expect(kc.getCurrentCluster()?.server).toBe('https://flag.example:6443');
  });

  it('merges a KUBECONFIG list as kubectl does: the first file to set a value wins', () => {
    const a = writeConfig('a.yaml', [{ ctx: 'shared', server: 'https://a.example:6443' }], 'shared');
    const b = writeConfig('b.yaml', [{ ctx: 'shared', server: 'https://b.example:6443' }, { ctx: 'only-b', server: 'https://only-b.example:6443' }], 'only-b');
    const missing = path.join(dir, 'does-not-exist.yaml');
    const kc = loadKubeConfig({ env: { KUBECONFIG: [missing, a, b].join(path.delimiter), HOME: dir } });
    expect(kc.getCurrentContext()).toBe('shared');
    expect(kc.getCurrentCluster()?.server).toBe('https://a.example:6443');
    expect(kc.getContexts().map((c) => c.name).sort()).toEqual(['only-b', 'shared']);
  });

  it('selects --context from the merged list', () => {
    const a = writeConfig('a2.yaml', [{ ctx: 'first', server: 'https://first.example:6443' }], 'first');
    const b = writeConfig('b2.yaml', [{ ctx: 'second', server: 'https://second.example:6443' }]);
    const kc = loadKubeConfig({ context: 'second', env: { KUBECONFIG: `${a}${path.delimiter}${b}` } });
    expect(kc.getCurrentContext()).toBe('second');
    expect(kc.getCurrentCluster()?.server).toBe('https://second.example:6443');
  });

  it('falls back to ~/.kube/config from HOME', () => {
    const home = path.join(dir, 'home');
    writeConfig('home/.kube/config', [{ ctx: 'homectx', server: 'https://home.example:6443' }], 'homectx');
    const kc = loadKubeConfig({ env: { HOME: home } });
    expect(kc.getCurrentContext()).toBe('homectx');
  });

  it('refuses an unknown --context, naming the file and the available contexts', () => {
    const f = writeConfig('ctx.yaml', [{ ctx: 'alpha', server: 'https://a:6443' }, { ctx: 'beta', server: 'https://b:6443' }], 'alpha');
    const err = thrown(() => loadKubeConfig({ kubeconfig: f, context: 'gamma' }));
    expect(err.usage).toBe(true);
    expect(err.code).toBe('kubeconfig.context');
    expect(err.message).toContain('"gamma"');
    expect(err.message).toContain(f);
    expect(err.message).toContain('alpha, beta');
  });

  it('refuses a config without current-context, listing the contexts', () => {
    const f = writeConfig('nocurrent.yaml', [{ ctx: 'alpha', server: 'https://a:6443' }]);
    const err = thrown(() => loadKubeConfig({ kubeconfig: f }));
    expect(err.message).toMatch(/no current context/);
    expect(err.message).toContain('alpha');
    expect(err.fix).toContain('--context alpha');
  });

  it('refuses a missing --kubeconfig file, naming it', () => {
    const f = path.join(dir, 'nope.yaml');
    const err = thrown(() => loadKubeConfig({ kubeconfig: f }));
    expect(err.code).toBe('kubeconfig.missing');
    expect(err.usage).toBe(true);
    expect(err.message).toContain(f);
  });

  it('refuses when no kubeconfig exists at all', () => {
    const err = thrown(() => loadKubeConfig({ env: { HOME: path.join(dir, 'empty-home') } }));
    expect(err.code).toBe('kubeconfig.missing');
    expect(err.message).toContain(path.join(dir, 'empty-home', '.kube', 'config'));
  });

  it('reports broken YAML as a usage error, not a stack trace', () => {
    const f = path.join(dir, 'broken.yaml');
    writeFileSync(f, 'clusters: [\n  - name: x\n  cluster: {');
    const err = thrown(() => loadKubeConfig({ kubeconfig: f }));
    expect(err.code).toBe('kubeconfig.invalid');
    expect(err.message).toContain(f);
  });

  it('resolves relative certificate paths against the file that names them', () => {
    const f = writeConfig('sub/rel.yaml', [{ ctx: 'rel', server: 'https://rel:6443' }], 'rel', { 'certificate-authority': 'ca.crt' });
    const kc = loadKubeConfig({ kubeconfig: f });
    expect(kc.getCurrentCluster()?.caFile).toBe(path.join(dir, 'sub', 'ca.crt'));
  });

  it('loads an inline kubeconfig and exposes cluster extensions', () => {
    const kc = loadKubeConfig({
      inline: {
        clusters: [{ name: 'sim', cluster: { server: 'http://127.0.0.1:1', extensions: [{ name: 'maas-wizard.io/sim', extension: { ingressAddress: '127.0.0.1:2', domain: 'apps.sim.test' } }] } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'maas-sim', context: { cluster: 'sim', user: 'u' } }],
        'current-context': 'maas-sim',
      },
    });
    expect(clusterExtension(kc, 'maas-wizard.io/sim')).toEqual({ ingressAddress: '127.0.0.1:2', domain: 'apps.sim.test' });
    expect(clusterExtension(kc, 'other')).toBeUndefined();
  });
});
