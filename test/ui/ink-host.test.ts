/**
 * startInkHost on fake TTY streams: the Host it returns, Ctrl-C, unmounting, the resume choice.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import stripAnsi from 'strip-ansi';
import { isAbort } from '../../src/engine/errors.js';
import { startInkHost } from '../../src/ui/ink-host.js';
import { KEYS, fakeEngine } from './helpers.js';

/** A terminal-like output stream, 80×24, keeping what was written. */
class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  readonly chunks: string[] = [];
  write(chunk: string | Uint8Array, cb?: unknown): boolean {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    if (typeof cb === 'function') (cb as () => void)();
    return true;
  }
  text(): string {
    return stripAnsi(this.chunks.join(''));
  }
}

/** A terminal-like input stream in the way Ink reads it ('readable' + read()). */
class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

const STEPS = [
  { id: 'project', stage: 'project', title: 'Project', needs: [] },
  { id: 'storage', stage: 'storage', title: 'Bucket', needs: ['project'] },
];

function start(extra: Partial<Parameters<typeof startInkHost>[0]> = {}) {
  const engine = fakeEngine();
  const stdin = new FakeStdin();
  const stdout = new FakeStdout();
  const handle = startInkHost({
    engine,
    steps: STEPS,
    header: { cluster: 'https://api.c1.example.com:6443', user: 'kube:admin', profile: 'c1' },
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    frozen: true,
    ...extra,
  });
  /** Resolves once Ink listens to stdin, so keys written next are not lost (C15). */
  const listening = () => vi.waitFor(() => expect(stdin.listenerCount('readable')).toBeGreaterThan(0));
  return { engine, stdin, stdout, handle, listening };
}

describe('startInkHost', () => {
  it('mounts, subscribes to the engine, and offers an interactive Host', async () => {
    const { engine, stdout, handle } = start();
    await handle.ready;
    expect(handle.host.interactive).toBe(true);
    expect(engine.listenerCount).toBe(1);
    engine.emit({ type: 'state', at: 1, step: 'project', state: 'applying' });
    // Yield once so React commits the update; Ink writes the last frame at unmount even when it
    // does not count as interactive (CI=true).
    await new Promise((resolve) => setImmediate(resolve));
    handle.unmount();
    await handle.done;
    expect(engine.listenerCount).toBe(0);
    expect(stdout.text()).toContain('https://api.c1.example.com:6443');
    expect(stdout.text()).toContain('Project · applying');
    expect(handle.resumeChoice).toBeUndefined();
  });

  it('Ctrl-C calls onInterrupt and leaves the screen to the CLI', async () => {
    const onInterrupt = vi.fn();
    const { stdin, handle, listening } = start({ onInterrupt });
    await handle.ready;
    await listening();
    stdin.write(KEYS.ctrlC);
    await vi.waitFor(() => expect(onInterrupt).toHaveBeenCalledTimes(1));
    handle.unmount();
    await handle.done;
  });

  it('without onInterrupt, Ctrl-C unmounts and questions still waiting end with an AbortError', async () => {
    const { engine, stdin, handle, listening } = start();
    await handle.ready;
    const pending = handle.host.confirmPlan({ id: 'project', title: 'Project' }, [{ action: 'create', target: 'Namespace x' }]);
    await listening();
    stdin.write(KEYS.ctrlC);
    await handle.done;
    const err = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAbort(err)).toBe(true);
    expect(engine.listenerCount).toBe(0);
    handle.unmount(); // idempotent
  });

  it('unmount rejects a waiting form with an AbortError', async () => {
    const { handle } = start();
    await handle.ready;
    const form = handle.host.askInputs(
      { id: 'project', title: 'Project', explain: { what: 'w', why: 'y', commands: [] } },
      [{ key: 'namespace', label: 'Namespace', kind: 'text' }],
      { namespace: 'llm-hosting' },
      {},
    );
    handle.unmount();
    await expect(form).rejects.toSatisfy(isAbort);
  });

  it('shows the resume screen first and resolves the choice', async () => {
    const { stdin, handle, listening } = start({
      resume: { failed: { step: 'storage', error: 'ObjectBucketClaim models stayed Pending', at: '2026-11-29T10:00:00Z', attempts: 1 } },
    });
    expect(handle.resumeChoice).toBeDefined();
    await handle.ready;
    await listening();
    // Retry, Edit inputs, Skip, Start over: three down.
    stdin.write(KEYS.down);
    stdin.write(KEYS.down);
    stdin.write(KEYS.down);
    stdin.write(KEYS.enter);
    await expect(handle.resumeChoice).resolves.toBe('start-over');
    await expect(handle.resumeDecision).resolves.toBe('start-over');
    handle.unmount();
    await handle.done;
  });
});
