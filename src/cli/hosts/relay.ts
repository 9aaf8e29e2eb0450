/**
 * An event stream handed to a host before the engine exists (the Ink host needs the stream at
 * mount, the engine needs the host at construction); `source(engine)` connects it.
 */
import type { EngineEvent } from '../../engine/types.js';

/** The relay: `on` and `snapshot` as the engine has them, plus `source` to connect the engine. */
export interface EventRelay {
  on(listener: (e: EngineEvent) => void): () => void;
  snapshot(): unknown;
  source(engine: { on(listener: (e: EngineEvent) => void): () => void; snapshot(): unknown }): void;
}

/** An event stream that can be handed to hosts before the engine exists (`source()` connects it). */
export function createRelay(): EventRelay {
  const listeners = new Set<(e: EngineEvent) => void>();
  let engine: Parameters<EventRelay['source']>[0] | undefined;
  return {
    on(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    snapshot: () => engine?.snapshot(),
    source(e) {
      engine = e;
      e.on((ev) => {
        for (const l of listeners) l(ev);
      });
    },
  };
}
