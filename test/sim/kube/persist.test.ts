import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createKindRegistry } from '../../../src/sim/kinds.js';
import { createObjectStore } from '../../../src/sim/store.js';
import { persistStore } from '../../../src/sim/persist.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('persistence', () => {
  it('writes the state to a directory and a new store reloads it with its metadata', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'simstate-'));
    const kinds = createKindRegistry();
    const store = createObjectStore(kinds);
    const p = persistStore(store, kinds, dir);
    const ns = store.create(kinds.byKind('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-hosting' } });
    const obc = store.create(kinds.byKind('ObjectBucketClaim'), {
      apiVersion: 'objectbucket.io/v1alpha1', kind: 'ObjectBucketClaim', metadata: { name: 'models', namespace: 'llm-hosting' }, spec: { storageClassName: 'sc' },
    });
    await p.close();
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const again = createObjectStore(kinds);
    const p2 = persistStore(again, kinds, dir);
    expect(again.get(kinds.byKind('Namespace'), undefined, 'llm-hosting')).toEqual(ns);
    expect(again.get(kinds.byKind('ObjectBucketClaim'), 'llm-hosting', 'models')).toEqual(obc);
    const later = again.create(kinds.byKind('Secret'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'llm-hosting' } });
    expect(Number(later.metadata.resourceVersion)).toBeGreaterThan(Number(obc.metadata.resourceVersion));
    // A watch from before the restart cannot be replayed.
    expect(again.eventsSince(1)).toMatchObject({ expired: true });
    await p2.close();
  });

  it('coalesces changes and saves them without an explicit flush', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'simstate-'));
    const kinds = createKindRegistry();
    const store = createObjectStore(kinds);
    const p = persistStore(store, kinds, dir);
    const nsKind = kinds.byKind('Namespace');
    for (let i = 0; i < 20; i++) store.create(nsKind, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `n${i}` } });
    await p.flush();
    const reloaded = createObjectStore(kinds);
    const p2 = persistStore(reloaded, kinds, dir);
    expect(reloaded.list(nsKind)).toHaveLength(20);
    await p2.close();
    await p.close();
  });

  it('refuses a corrupt state file instead of starting empty', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'simstate-'));
    await writeFile(path.join(dir, 'objects.json'), '{"format": 1, "objects": [');
    const kinds = createKindRegistry();
    expect(() => persistStore(createObjectStore(kinds), kinds, dir as string)).toThrow();
  });
});
