/**
 * Container logs of simulated pods, served by `GET /api/v1/namespaces/{ns}/pods/{name}/log`
 * (PodLogs in ../types.ts). Operators append lines; `follow=true` readers get new lines as they come.
 */
import type { PodLogs } from '../types.js';

interface LogState {
  lines: string[];
  ended: boolean;
  followers: Set<{ onLine: (line: string) => void; onEnd: () => void }>;
}

/** Creates an empty log store. Lines are kept whole (without their trailing newline). */
export function createPodLogs(): PodLogs {
  const logs = new Map<string, LogState>();
  const state = (namespace: string, pod: string): LogState => {
    const key = `${namespace}/${pod}`;
    let s = logs.get(key);
    if (!s) {
      s = { lines: [], ended: false, followers: new Set() };
      logs.set(key, s);
    }
    return s;
  };
  return {
    append(namespace, pod, line) {
      const s = state(namespace, pod);
      // A restarted container writes again: the log is open once more.
      s.ended = false;
      s.lines.push(line);
      for (const f of [...s.followers]) f.onLine(line);
    },
    end(namespace, pod) {
      const s = state(namespace, pod);
      s.ended = true;
      const followers = [...s.followers];
      s.followers.clear();
      for (const f of followers) f.onEnd();
    },
    read: (namespace, pod) => [...(logs.get(`${namespace}/${pod}`)?.lines ?? [])],
    follow(namespace, pod, onLine, onEnd) {
      const s = state(namespace, pod);
      if (s.ended) {
        queueMicrotask(onEnd);
        return () => undefined;
      }
      const follower = { onLine, onEnd };
      s.followers.add(follower);
      return () => s.followers.delete(follower);
    },
  };
}

