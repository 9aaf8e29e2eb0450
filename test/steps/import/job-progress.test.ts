import { describe, expect, it } from 'vitest';
import type { Progress } from '../../../src/engine/types.js';
import { importerProgress, parseImporterLine } from '../../../steps/import/job.js';

describe('the importer\'s log lines as progress of one model', () => {
  it('counts skipped files as done but not in the rate, so the time left is that of what remains', () => {
    const seen: Progress[] = [];
    let now = 1_000;
    const on = importerProgress('org/model', 1_000_000, (p) => seen.push(p), () => now);
    const lines = [
      'Collecting boto3',
      '{"event": "start", "repo": "org/model", "files": 3, "bytes": 1000000}',
      '{"event": "skip", "file": "a.safetensors", "size": 600000}',
    ];
    for (const l of lines) {
      const e = parseImporterLine(l);
      if (e) on(e);
    }
    now += 2_000;
    on({ event: 'progress', file: 'b.safetensors', bytes: 200_000, size: 300_000 });
    const p = seen.at(-1);
    expect(p).toMatchObject({ item: 'org/model', bytesDone: 800_000, bytesTotal: 1_000_000, bytesPerSecond: 100_000, fraction: 0.8, message: 'copying b.safetensors' });
    // Time left as the UI computes it: 200 000 bytes at 100 000 bytes/s.
    expect(((p?.bytesTotal ?? 0) - (p?.bytesDone ?? 0)) / (p?.bytesPerSecond ?? 1)).toBe(2);
    now += 1_000;
    on({ event: 'file-done', file: 'b.safetensors', size: 300_000 });
    on({ event: 'file-done', file: 'c.json', size: 100_000 });
    expect(seen.at(-1)).toMatchObject({ bytesDone: 1_000_000, fraction: 1, message: 'copied c.json' });
    expect(parseImporterLine('{not json')).toBeUndefined();
    expect(parseImporterLine('{"no": "event"}')).toBeUndefined();
  });
});
