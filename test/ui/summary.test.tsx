import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { buildReport } from '../../src/cli/report.js';
import type { RunReport } from '../../src/cli/report.js';
import { SummaryScreen, summaryScreenLines, wrapText } from '../../src/ui/components/SummaryScreen.js';
import type { ProgressData } from '../../src/engine/progress-file.js';
import { PLANTED, STAGES, doneProgress, failedProgress, graph, servedFalseProgress } from '../cli/report-fixtures.js';
import { KEYS, mount, snapshotFile, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

const REPORT_PATH = '/home/dev/.config/maas-wizard/profiles/lab/report.md';
const report = (p: ProgressData): RunReport => buildReport({ progress: p, stages: STAGES, steps: graph(), reportPath: REPORT_PATH });

/** Asserts the frame equals snapshots/<name>.txt and fits 80×24. */
function expectSnapshot(name: string, frame: string) {
  const s = snapshotFile(name, frame);
  if (s.wrote) console.warn(s.wrote);
  expect(s.actual).toBe(s.expected);
  const lines = s.actual.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(24);
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
}

function mountSummary(r: RunReport, onClose?: () => void) {
  return mount(<SummaryScreen report={r} columns={80} rows={24} {...(onClose ? { onClose } : {})} />);
}

describe('summary screen at 80×24', () => {
  it('a finished run: result, report file and URLs first, the rest below', async () => {
    const inst = mountSummary(report(doneProgress()));
    const frame = await waitForFrame(inst, (f) => /↓ \d+ more/.test(f));
    expect(frame).toContain('✔ Models-as-a-Service is set up · 25/25 steps · checks 13/13 passed');
    expect(frame).toContain(`report: ${REPORT_PATH}`);
    expect(frame).toContain('  3scale admin portal     https://maas-admin.apps.lab.example.com');
    // Too long for one line: the label, then the URL below it.
    expect(frame).toContain('    https://keycloak-rh-sso.apps.lab.example.com/auth/admin/maas/console/');
    expect(frame).toContain('q/Enter close');
    expectSnapshot('summary', frame);
  });

  it('scrolls to the curl examples, the credentials and the time per stage; no planted secret in any frame', async () => {
    const inst = mountSummary(report(doneProgress()));
    await waitForFrame(inst, (f) => /↓ \d+ more/.test(f));
    inst.stdin.write(KEYS.pageDown);
    const page2 = await waitForFrame(inst, (f) => /↑ \d+ more/.test(f));
    expect(page2).toContain('curl -sS "$GW/v1/');
    expect(page2).toContain('-H "Authorization: Bearer $API_KEY"');
    inst.stdin.write('\u001B[F'); // End
    const end = await waitForFrame(inst, (f) => !/↓ \d+ more/.test(f) && f.includes('Time per stage'));
    expect(end).toMatch(/✔ Model import\s+20:00/);
    expect(end).toMatch(/✔ 3scale\s+15:29/);
    expectSnapshot('summary-end', end);
    // Every page was rendered on the way: none shows a secret planted in the progress.
    for (const f of inst.frames) for (const s of PLANTED) expect(f).not.toContain(s);
  });

  it('a failed run shows the failed step and its fix at the top', async () => {
    const inst = mountSummary(report(failedProgress()));
    const frame = await waitForFrame(inst, 'threescale.apimanager');
    expect(frame).toContain('✖ The setup stopped at a failed step · 10/25 steps');
    expect(frame).toContain('✖ threescale.apimanager: APIManager apimanager refused');
    expect(frame).toContain('fix: choose "create" for the databases');
    expect(frame).not.toContain('checks');
    expectSnapshot('summary-failed', frame);
  });

  it('q and Enter close it', async () => {
    let closed = 0;
    const inst = mountSummary(report(doneProgress()), () => closed++);
    await waitForFrame(inst, 'URLs');
    inst.stdin.write('q');
    await expect.poll(() => closed).toBe(1);
    inst.stdin.write(KEYS.enter);
    await expect.poll(() => closed).toBe(2);
  });

});

describe('summaryScreenLines', () => {
  it('every line fits the width, at 80 and at 50 columns', () => {
    for (const w of [80, 50]) {
      const lines = summaryScreenLines(report(doneProgress()), w);
      expect(lines.length).toBeGreaterThan(40);
      for (const l of lines) expect([...l.text].length).toBeLessThanOrEqual(w);
    }
  });

  it('a model not imported is listed without a gateway or curl', () => {
    const text = summaryScreenLines(report(servedFalseProgress()), 80).map((l) => l.text);
    expect(text).toContain('  nomic-embed-text: not imported, not served');
    expect(text.filter((t) => t.includes('curl -sS')).length).toBe(2);
  });

  it('failed checks are listed with what was expected and what came', () => {
    const p = doneProgress();
    const verify = p.steps['verify'];
    const checks = (verify?.outputs?.['checks'] ?? []) as { ok: boolean; got: string }[];
    if (checks[1]) Object.assign(checks[1], { ok: false, got: '401' });
    const lines = summaryScreenLines(report(p), 80);
    expect(lines).toContainEqual({ text: 'End-to-end check: 12 of 13 passed', tone: 'bad' });
    expect(lines.map((l) => l.text)).toContain('  ✖ granite-8b-code-instruct: Bearer key → completion: expected 200, got 401');
  });

  it('wrapText breaks after spaces, slashes or dots, indents continuations, and hard-breaks a long word', () => {
    expect(wrapText('alpha beta gamma delta', 12, 2)).toEqual(['alpha beta', '  gamma', '  delta']);
    expect(wrapText('https://host.example.com/a/very/long/path', 20, 2)).toEqual(['https://host.', '  example.com/a/', '  very/long/path']);
    expect(wrapText('x'.repeat(25), 10, 0)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(wrapText('short', 80)).toEqual(['short']);
  });
});
