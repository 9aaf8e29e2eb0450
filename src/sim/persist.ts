/**
 * Keeps the simulated cluster's objects in a directory, so an interrupted demo resumes after a
 * restart (SIMULATOR.md §5). One file, `objects.json`, rewritten atomically (temporary file +
 * rename) shortly after changes, several changes coalesced into one write.
 * The file holds Secrets as the cluster holds them: the directory is created mode 0700, the file 0600.
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { rename, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { KindRegistry, ObjectStore } from './types.js';
import type { SavedObject, SimObjectStore } from './store.js';

/** Milliseconds between a change and the write that saves it (changes in between share the write). */
export const PERSIST_DELAY_MS = 50;

const FILE = 'objects.json';
const FORMAT = 1;

interface SavedState {
  format: number;
  resourceVersion: number;
  objects: SavedObject[];
}

function isSimStore(store: ObjectStore): store is SimObjectStore {
  return typeof (store as Partial<SimObjectStore>).restore === 'function' && typeof (store as Partial<SimObjectStore>).dump === 'function';
}

/**
 * Loads the objects saved in `dir` (if any) into `store` verbatim, then saves the store to `dir`
 * after every change. The store must come from `createObjectStore` (it needs `restore`/`dump`).
 * Throws when the saved file exists but cannot be parsed (a corrupt state is not silently dropped).
 * `flush()` writes pending changes now; `close()` flushes and stops saving.
 */
export function persistStore(store: ObjectStore, _kinds: KindRegistry, dir: string): { flush(): Promise<void>; close(): Promise<void> } {
  if (!isSimStore(store)) throw new Error('persistStore needs a store made by createObjectStore (restore/dump)');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, FILE);
  if (existsSync(file)) {
    const state = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
    if (state.format !== FORMAT || !Array.isArray(state.objects)) throw new Error(`${file}: unknown state format`);
    store.restore(state.objects);
  }

  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let dirty = true;
  let sequence = 0;

  const write = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return writing;
    dirty = false;
    const state: SavedState = { format: FORMAT, resourceVersion: store.currentVersion(), objects: store.dump() };
    const text = JSON.stringify(state);
    writing = writing.then(async () => {
      sequence += 1;
      const temp = path.join(dir, `.${FILE}.${process.pid}.${sequence}.tmp`);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, file);
    });
    return writing;
  };

  const unsubscribe = store.subscribe(() => {
    dirty = true;
    timer ??= setTimeout(() => void write().catch(() => undefined), PERSIST_DELAY_MS);
  });
  void write().catch(() => undefined);

  return {
    flush: () => write(),
    async close() {
      unsubscribe();
      await write();
    },
  };
}
