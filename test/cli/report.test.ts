import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport, curlExample, defaultReportPath } from '../../src/cli/report.js';
import { renderMarkdown, reportLines, writeReport } from '../../src/cli/report-markdown.js';
import type { ProgressData } from '../../src/engine/progress-file.js';
import { MODELS, PLANTED, STAGES, doneProgress, failedProgress, graph, servedFalseProgress } from './report-fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'report-'));
  dirs.push(d);
  return d;
}

/** Compares `text` with snapshots/<name> (written when missing or UPDATE_SNAPSHOTS=1). */
function expectFileSnapshot(name: string, text: string): void {
  const file = path.join(ROOT, 'snapshots', name);
  if (!existsSync(file) || process.env['UPDATE_SNAPSHOTS'] === '1') {
    writeFileSync(file, text);
    console.warn(`snapshot written: snapshots/${name}`);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const build = (progress: ProgressData, reportPath?: string) => buildReport({ progress, stages: STAGES, steps: graph(), ...(reportPath ? { reportPath } : {}) });

describe('buildReport: a finished run with three models', () => {
  const report = build(doneProgress(), '/home/u/.config/maas-wizard/profiles/lab/report.md');

  it('is done, lists the portals, the Keycloak console and the realm', () => {
    expect(report.result).toBe('done');
    expect(report.steps).toEqual({ done: 25, total: 25 });
    expect(report.urls).toEqual([
      { label: '3scale admin portal', url: 'https://maas-admin.apps.lab.example.com' },
      { label: 'Developer portal', url: 'https://maas.apps.lab.example.com' },
      { label: 'Keycloak admin console', url: 'https://keycloak-rh-sso.apps.lab.example.com/auth/admin/maas/console/' },
      { label: 'Realm (OpenID issuer)', url: 'https://keycloak-rh-sso.apps.lab.example.com/auth/realms/maas' },
    ]);
  });

  it('gives every model its gateway and a curl example for its API', () => {
    expect(report.models.map((m) => m.short)).toEqual(MODELS.map((m) => m.short));
    const [granite, mistral, nomic] = report.models;
    expect(mistral?.productionUrl).toBe('https://mistral-7b-instruct-maas-apicast-production.apps.lab.example.com');
    expect(mistral?.curl?.join('\n')).toContain('curl -sS "$GW/v1/chat/completions"');
    expect(mistral?.curl?.join('\n')).toContain('"messages"');
    expect(granite?.curl?.join('\n')).toContain('"$GW/v1/completions"');
    expect(nomic?.curl?.join('\n')).toContain('"$GW/v1/embeddings"');
    expect(nomic?.curl?.join('\n')).toContain('"model": "nomic-embed-text"');
    for (const m of report.models) expect(m.curl).toContain('  -H "Authorization: Bearer $API_KEY" \\');
    expect(mistral?.policyChain).toEqual(['cors', 'upstream_connection', 'apicast']);
    expect(mistral?.limits).toEqual([{ period: 'minute', value: 60 }, { period: 'day', value: 5000 }]);
  });

  it('says where each credential lives by Secret name and keys', () => {
    const by = (what: string) => report.credentials.find((c) => c.what.startsWith(what));
    expect(by('3scale admin')).toMatchObject({ where: 'Secret 3scale/system-seed', keys: ['ADMIN_USER', 'ADMIN_PASSWORD', 'ADMIN_ACCESS_TOKEN'] });
    expect(by('Keycloak admin')).toMatchObject({ where: 'Secret rh-sso/credential-rh-sso', keys: ['ADMIN_USERNAME', 'ADMIN_PASSWORD'] });
    expect(by('S3 keys of')).toMatchObject({ where: 'Secret llm-hosting/models', keys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] });
    expect(by('Hugging Face')).toMatchObject({ where: 'Secret llm-hosting/hf-token', keys: ['HF_TOKEN'], command: 'oc extract secret/hf-token -n llm-hosting --keys=HF_TOKEN --to=-' });
    expect(by('client secret')?.where).toBe('Keycloak admin console → realm maas → Clients → 3scale → Credentials');
    expect(by('3scale database connection (system-database)')?.keys).toEqual(['URL', 'DB_USER', 'DB_PASSWORD']);
  });

  it('counts the checks and times each stage once even when its steps overlapped', () => {
    expect(report.checks).toMatchObject({ passed: 13, total: 13 });
    const stage = (id: string) => report.stages.find((s) => s.id === id);
    expect(stage('preflight')).toMatchObject({ state: 'done', elapsedMs: 4000, attempts: 1 });
    // serving: three steps from 1276 s, ending at 1516, 1546 and 1576 s: 300 s, not 810 s.
    expect(stage('serving')).toMatchObject({ state: 'done', elapsedMs: 300_000, attempts: 3 });
    expect(report.asOf).toBe('2026-01-05T10:34:05.000Z');
  });
});

describe('buildReport: partial and odd progress', () => {
  it('a failed run gives a partial report with the problem and the stages not started', () => {
    const report = build(failedProgress());
    expect(report.result).toBe('failed');
    expect(report.problems).toEqual([
      expect.objectContaining({ step: 'threescale.apimanager', message: expect.stringContaining('(again)') as string, fix: expect.stringContaining('retry threescale.apimanager') as string, at: '2026-01-05T11:01:00.000Z' }),
    ]);
    expect(report.urls.map((u) => u.label)).toEqual(['Keycloak admin console', 'Realm (OpenID issuer)']);
    expect(report.models.every((m) => m.curl === undefined && m.productionUrl === undefined)).toBe(true);
    expect(report.checks).toBeUndefined();
    const stage = (id: string) => report.stages.find((s) => s.id === id);
    expect(stage('3scale')).toMatchObject({ state: 'failed', attempts: 4 });
    expect(stage('import')?.state).toBe('cancelled');
    expect(stage('serving')).toEqual({ id: 'serving', title: 'Serving', state: 'not started', attempts: 0 });
    expect(report.credentials.some((c) => c.what.startsWith('3scale admin'))).toBe(false);
    const md = renderMarkdown(report);
    expect(md).toContain('# maas-wizard report: The setup stopped at a failed step');
    expect(md).toContain('## Problems');
  });

  it('a model not imported has no gateway and no curl; the others keep theirs', () => {
    const report = build(servedFalseProgress());
    const nomic = report.models.find((m) => m.short === 'nomic-embed-text');
    expect(nomic).toEqual({ short: 'nomic-embed-text', modelId: 'nomic-ai/nomic-embed-text-v1.5', served: false });
    expect(report.models.filter((m) => m.curl).length).toBe(2);
    expect(renderMarkdown(report)).toContain('Not imported, so not served and not published (no gateway).');
    expect(reportLines(report)).toContain('  nomic-embed-text: not imported, not served');
  });

  it('an empty progress, junk outputs and no step graph never crash', () => {
    const empty: ProgressData = { schemaVersion: 1, wizardVersion: '0', profile: { name: 'x' }, inputs: {}, steps: {} };
    const r = buildReport({ progress: empty, stages: STAGES });
    expect(r.result).toBe('incomplete');
    expect(r.stages.every((s) => s.state === 'not started')).toBe(true);
    expect(renderMarkdown(r)).toContain('## Time per stage');
    const junk = doneProgress();
    for (const rec of Object.values(junk.steps)) rec.outputs = { checks: 'x', chain: 5, limits: [null, { period: 3 }], served: 'yes', adminUrl: 42 } as Record<string, unknown>;
    junk.steps['verify']!.attempts = [{ startedAt: 'garbage', state: 'done' }];
    const j = buildReport({ progress: junk, stages: STAGES });
    expect(j.urls).toEqual([]);
    expect(j.checks).toBeUndefined();
    expect(j.models.length).toBe(3);
    expect(j.stages.find((s) => s.id === 'serving')?.state).toBe('done');
    expect(() => renderMarkdown(j)).not.toThrow();
  });
});

describe('renderings', () => {
  it('report.md matches snapshots/report.md', () => {
    expectFileSnapshot('report.md', renderMarkdown(build(doneProgress())));
  });

  it('a failed check is marked FAILED in report.md and counted', () => {
    const p = doneProgress();
    const checks = (p.steps['verify']?.outputs?.['checks'] ?? []) as { ok: boolean; got: string }[];
    if (checks[0]) Object.assign(checks[0], { ok: false, got: '200' });
    const md = renderMarkdown(build(p));
    expect(md).toContain('- End-to-end check: 12 of 13 passed');
    expect(md).toContain('| FAILED | no key → 403 | granite-8b-code-instruct | 403 | 200 |');
  });

  it('report-failed.md matches snapshots/report-failed.md', () => {
    expectFileSnapshot('report-failed.md', renderMarkdown(build(failedProgress())));
  });

  it('no secret value planted in outputs or inputs reaches any rendering', () => {
    for (const p of [doneProgress(), servedFalseProgress(), failedProgress()]) {
      const report = build(p, '/tmp/r.md');
      const texts = [JSON.stringify(report), renderMarkdown(report), reportLines(report).join('\n'), reportLines(report, { color: true }).join('\n')];
      for (const t of texts) for (const s of PLANTED) expect(t).not.toContain(s);
    }
    // The planted values are really there to be picked up.
    expect(JSON.stringify(doneProgress())).toContain(PLANTED[0]);
  });

  it('line mode: plain unless color is asked for, ends with the report file', () => {
    const report = build(doneProgress(), '/home/u/.config/maas-wizard/profiles/lab/report.md');
    const plain = reportLines(report);
    expect(plain.join('\n')).not.toContain('\u001b[');
    expect(plain).toContain('  3scale admin portal     https://maas-admin.apps.lab.example.com');
    expect(plain).toContain('checks: 13 of 13 passed');
    expect(plain.at(-1)).toBe('report: /home/u/.config/maas-wizard/profiles/lab/report.md');
    expect(plain.find((l) => l.startsWith('time per stage:'))).toContain('Preflight 4 s · Project 2 s');
    expect(reportLines(report, { color: true }).join('\n')).toContain('\u001b[1mURLs:');
  });

  it('curl examples keep the gateway in GW and end with a closed JSON body', () => {
    const lines = curlExample('https://g.example.com/', 'm', 'chat');
    expect(lines[0]).toBe('GW=https://g.example.com');
    expect(lines.slice(1, -1).every((l) => l.endsWith('\\') || l.startsWith('  -d'))).toBe(true);
    expect(lines.at(-1)).toMatch(/}'$/);
    const body = lines.slice(4).join('\n').replace(/^\s*-d '/, '').replace(/'$/, '');
    expect(JSON.parse(body)).toEqual({ model: 'm', messages: [{ role: 'user', content: 'Say hello' }] });
  });
});

describe('writeReport and defaultReportPath', () => {
  it('the default is report.md in the profile directory next to the progress file', () => {
    expect(defaultReportPath('/h/profiles/lab.json')).toBe(path.join('/h/profiles/lab', 'report.md'));
  });

  it('creates the directory, writes atomically and replaces an older report', async () => {
    const home = tmp();
    const file = defaultReportPath(path.join(home, 'profiles', 'lab.json'));
    await writeReport(build(failedProgress()), file);
    expect(readFileSync(file, 'utf8')).toContain('The setup stopped at a failed step');
    await writeReport(build(doneProgress()), file);
    expect(readFileSync(file, 'utf8')).toBe(renderMarkdown(build(doneProgress())));
    expect(readdirSync(path.dirname(file))).toEqual(['report.md']);
  });

  it('a directory that cannot be written fails with the error and leaves no temporary file', async () => {
    const home = tmp();
    mkdirSync(path.join(home, 'report.md'));
    await expect(writeReport(build(doneProgress()), path.join(home, 'report.md'))).rejects.toThrow();
    expect(readdirSync(home)).toEqual(['report.md']);
  });
});
