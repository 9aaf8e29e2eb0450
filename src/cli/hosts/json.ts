/**
 * The JSON host (`--output json`): one JSON object per engine event per line on stdout, for
 * scripts and CI. Events never carry secret values (engine contract), so they are written as
 * they are. Never prompts: it is an UnattendedHost.
 */
import type { EngineEvent } from '../../engine/types.js';
import type { CliOutput } from '../io.js';
import { UnattendedHost } from './unattended.js';

/** Anything with the engine's event stream (`Engine.on`). */
export interface EventSource {
  on(listener: (e: EngineEvent) => void): () => void;
}

/** A non-interactive host that writes every event of `source` as a JSON line to `out`. */
export class JsonHost extends UnattendedHost {
  readonly #out: CliOutput;

  constructor(out: CliOutput) {
    super('--output json was given');
    this.#out = out;
  }

  /** Subscribes to the event stream; returns the unsubscribe function. */
  attach(source: EventSource): () => void {
    return source.on((e) => this.write(e));
  }

  /** Writes one object as a line (used for events and for the final `error` object of a failed start). */
  write(obj: object): void {
    this.#out.write(`${JSON.stringify(obj)}\n`);
  }
}
