/**
 * Fake terminal streams for driving the full-screen (Ink) wizard in-process: an 80×24 output that
 * keeps every frame Ink writes, and an input that delivers keys the way Ink reads them.
 */
import { EventEmitter } from 'node:events';
import stripAnsi from 'strip-ansi';

/**
 * A terminal-like output stream (isTTY, 80 columns, 24 rows). Ink writes one whole frame per
 * `write` (erase sequence + frame text), so the latest write with visible text is the frame on
 * screen. Emits `frame` after each such write.
 */
export class FakeTerminalOut extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 80;
  readonly rows = 24;
  /** Every chunk written, ANSI included. */
  readonly chunks: string[] = [];
  /** Frames (ANSI stripped), in the order written. */
  readonly frames: string[] = [];

  /** Takes a chunk (string or bytes); calls `cb` at once, as a terminal that never blocks. */
  write(chunk: string | Uint8Array, encoding?: unknown, cb?: unknown): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.chunks.push(text);
    const visible = stripAnsi(text);
    if (visible.trim() !== '') {
      this.frames.push(visible);
      this.emit('frame', visible);
    }
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') (done as () => void)();
    return true;
  }

  /** The frame on screen now (ANSI stripped), '' before the first. */
  frame(): string {
    return this.frames.at(-1) ?? '';
  }

  /** Everything written, ANSI stripped. */
  text(): string {
    return stripAnsi(this.chunks.join(''));
  }
}

/** A terminal-like input stream as Ink reads it (`readable` + `read()`), with raw mode accepted. */
export class FakeTerminalIn extends EventEmitter {
  readonly isTTY = true;
  private queue: string[] = [];
  /** Delivers `data` as one read (one key, or one paste). */
  write(data: string): void {
    this.queue.push(data);
    this.emit('readable');
  }
  read(): string | null {
    return this.queue.shift() ?? null;
  }
  setEncoding(): this {
    return this;
  }
  setRawMode(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}
