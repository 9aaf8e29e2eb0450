/**
 * `maas-wizard export --out DIR` (issue #9 item 3): a dry run plans every step on a throw-away
 * simulated cluster; its manifests apply with kubectl to a fresh simulated cluster, validate
 * against the CRD schemas of ../shared/reference/crds/, and no secret value of the planning
 * cluster reaches DIR. On a cluster (`--demo`), only what can be planned there is exported and
 * the rest is listed with the reason; nothing is written to the cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { runExport } from '../../src/cli/commands/export.js';
import { defaultBackends } from '../../src/sim/backends.js';
import { DEMO_HF_TOKEN } from '../../src/sim/hub/auth.js';
import { startSimulation } from '../../src/sim/index.js';
import type { RunningSimulation } from '../../src/sim/index.js';
import type { KubeObject } from '../../src/engine/types.js';
import type { Simulation, SimulationOptions } from '../../src/sim/types.js';
import { REFERENCE_DIR, cleanSchema, hasReference } from '../support/reference.js';
import { makeIo, runCli, tempDir } from './helpers.js';

const run = promisify(execFile);
const hasTool = (cmd: string, arg: string): boolean => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const hasKubectl = hasTool('kubectl', 'version') || hasTool('kubectl', '--help');
const hasOpenssl = hasTool('openssl', 'version');
if (!hasKubectl) console.warn('skipped: kubectl not on PATH');
if (!hasOpenssl) console.warn('skipped: openssl not on PATH (kubectl needs the HTTPS listener)');

/** Every value of every Secret of a simulation (decoded), keys that hold credentials or URLs with them. */
function secretValues(sim: Simulation): string[] {
  const kind = sim.kinds.byKind('Secret');
  const values: string[] = [];
  for (const s of sim.store.list(kind)) {
    const data = (s['data'] ?? {}) as Record<string, string>;
    const stringData = (s['stringData'] ?? {}) as Record<string, string>;
    const all: [string, string][] = [...Object.entries(data).map(([k, v]): [string, string] => [k, Buffer.from(v, 'base64').toString('utf8')]), ...Object.entries(stringData)];
    for (const [k, v] of all) if (/secret|password|token|access_key|key_id|url/i.test(k) && v.length >= 8) values.push(v);
  }
  return values;
}

/** Every file under `dir` (relative paths), recursively. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(dir, join(prefix, d.name)) : [join(prefix, d.name)]));
}

function manifestFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^\d+-.*\.yaml$/.test(f)).sort();
}

/**
 * The part of a JSON Schema that can judge `value`: subschemas of properties `value` does not have
 * are dropped (they cannot fail; `required` stays). Validating against it gives the same answer as
 * against the whole schema, and compiles in a fraction of the time (the InferenceService and
 * APIManager schemas are large).
 */
function prune(schema: unknown, value: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const s = { ...(schema as Record<string, unknown>) };
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[k])) s[k] = (s[k] as unknown[]).map((sub) => prune(sub, value));
  if (s['properties'] && value && typeof value === 'object' && !Array.isArray(value)) {
    const props = s['properties'] as Record<string, unknown>;
    const v = value as Record<string, unknown>;
    s['properties'] = Object.fromEntries(Object.entries(props).filter(([k]) => k in v).map(([k, sub]) => [k, prune(sub, v[k])]));
  }
  if (s['items'] && Array.isArray(value)) s['items'] = prune(s['items'], value.reduce<unknown>((acc, item) => union(acc, item), undefined));
  return s;
}

/** Every key of `a` and `b`, deeply (arrays: their items united into one), for pruning against several values at once. */
function union(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [[...a, ...b].reduce<unknown>((acc, i) => union(acc, i), undefined)];
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? union(out[k], v) : v;
    return out;
  }
  return b ?? a;
}

let dir: string;
let code: number;
let stdout: string;
let planningSim: Simulation | undefined;
let secrets: string[] = [];

beforeAll(async () => {
  const home = tempDir('maas-export-');
  dir = join(home, 'out');
  const { io, stdout: out } = makeIo({ home });
  const keep = async (o: SimulationOptions): Promise<Simulation> => {
    const sim = await startSimulation({ backends: defaultBackends(), ...o });
    planningSim = sim;
    return sim;
  };
  code = await runExport({ out: 'out', dryRun: true }, {}, io, { startSimulation: keep });
  stdout = out.text;
  if (/not exported: import\.[\w.-]+: .*socket hang up/.test(stdout)) {
    // Known bug outside this area (test/e2e/helpers.ts importJobHungUp): the simulated import Job
    // loses its connection now and then under load. Export again, once, into the same directory.
    console.warn('known bug outside src/cli/export: the simulated import Job hung up; exporting again');
    const again = makeIo({ home });
    code = await runExport({ out: 'out', dryRun: true }, {}, again.io, { startSimulation: keep });
    stdout = again.stdout.text;
  }
  if (planningSim) secrets = secretValues(planningSim);
}, 240_000);

describe('maas-wizard export --dry-run --out DIR', () => {
  it('plans every step on a throw-away simulated cluster and writes manifests, calls, kustomization and README in apply order', () => {
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/^wrote \d+ files to .*: \d+ manifests, \d+ API calls, \d+ Secrets to create by hand/);
    expect(stdout).not.toMatch(/not exported/);
    const files = manifestFiles(dir);
    const kinds = files.map((f) => (parse(readFileSync(join(dir, f), 'utf8')) as KubeObject).kind);
    for (const k of ['Namespace', 'ObjectBucketClaim', 'ServingRuntime', 'InferenceService', 'Subscription', 'Keycloak', 'KeycloakRealm', 'APIManager']) expect(kinds).toContain(k);
    // Apply order: the project's Namespace first, each Subscription before the kinds its operator brings.
    expect(files[0]).toMatch(/^0+1-namespace-llm-hosting\.yaml$/);
    expect(kinds.indexOf('Subscription')).toBeLessThan(kinds.indexOf('Keycloak'));
    expect(kinds.lastIndexOf('Subscription')).toBeLessThan(kinds.indexOf('APIManager'));
    const kustomization = parse(readFileSync(join(dir, 'Kustomization'), 'utf8')) as { kind: string; resources: string[] };
    expect(kustomization.kind).toBe('Kustomization');
    expect(kustomization.resources).toEqual(files);
    if (hasKubectl) {
      const built = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      expect(parseAllDocuments(built.stdout)).toHaveLength(files.length);
    }
    const calls = readdirSync(join(dir, 'calls'));
    expect(calls.some((f) => /^\d+-keycloak-post-realms-maas-clients\.json$/.test(f))).toBe(true);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toMatch(/\*\*Dry run\*\*.*throw-away \*\*simulated\*\* cluster/);
    expect(readme).toContain('curl -sS -X POST "$KEYCLOAK_URL/auth/admin/realms/maas/clients"');
    expect(readme).toContain('oc create secret generic aws-connection-models -n llm-hosting');
    // Every numbered file is named in the README's order table.
    for (const f of [...files, ...calls.map((c) => `calls/${c}`)]) expect(readme).toContain(f);
  });

  it('writes no secret value of the planning cluster, and no Secret manifest', () => {
    expect(secrets.length).toBeGreaterThan(5);
    const texts = filesUnder(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);
    for (const [f, text] of texts) {
      expect(text, f).not.toContain(DEMO_HF_TOKEN);
      for (const s of secrets) expect(text.includes(s), `${f} holds a secret value`).toBe(false);
    }
    for (const f of manifestFiles(dir)) expect((parse(readFileSync(join(dir, f), 'utf8')) as KubeObject).kind, f).not.toBe('Secret');
  });

  it.skipIf(!hasReference())('every manifest of a kind with a CRD in ../shared/reference/crds validates against its schema', () => {
    const crds = new Map<string, unknown>();
    const crdDir = join(REFERENCE_DIR, 'crds');
    for (const file of readdirSync(crdDir)) {
      for (const doc of parseAllDocuments(readFileSync(join(crdDir, file), 'utf8'))) {
        const crd = doc.toJSON() as { spec?: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema?: unknown } }[] } } | null;
        for (const v of crd?.spec?.versions ?? []) if (v.schema?.openAPIV3Schema) crds.set(`${crd?.spec?.group}/${v.name}/${crd?.spec?.names.kind}`, v.schema.openAPIV3Schema);
      }
    }
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const checked: string[] = [];
    for (const f of manifestFiles(dir)) {
      const m = parse(readFileSync(join(dir, f), 'utf8')) as KubeObject;
      const schema = crds.get(`${m.apiVersion}/${m.kind}`);
      if (!schema) continue;
      const validate = ajv.compile(prune(cleanSchema(schema), m) as object);
      expect(validate(m), `${f}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      checked.push(m.kind);
    }
    for (const k of ['ObjectBucketClaim', 'ServingRuntime', 'InferenceService', 'OperatorGroup', 'Subscription', 'Keycloak', 'KeycloakRealm', 'APIManager']) expect(checked).toContain(k);
  });
});

describe.skipIf(!hasKubectl || !hasOpenssl)('kubectl apply -f DIR on a fresh simulated cluster', () => {
  let fresh: RunningSimulation;
  let env: NodeJS.ProcessEnv;
  let kdir: string;
  beforeAll(async () => {
    fresh = await startSimulation({ timing: 'instant', tls: true });
    kdir = tempDir('maas-export-kubectl-');
    writeFileSync(join(kdir, 'config'), stringify(fresh.kubeconfig()), { mode: 0o600 });
    env = { PATH: process.env['PATH'], HOME: kdir, KUBECONFIG: join(kdir, 'config') };
  }, 60_000);
  afterAll(async () => {
    await fresh?.stop();
  });

  const apply = async (cache: string): Promise<{ ok: boolean; out: string }> => {
    try {
      const r = await run('kubectl', ['apply', '-f', dir, '--cache-dir', join(kdir, cache)], { env, timeout: 60_000 });
      return { ok: true, out: r.stdout };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return { ok: false, out: `${e.stdout ?? ''}\n${e.stderr ?? ''}` };
    }
  };

  it('creates every object; the operator kinds once their operators are installed (as the README says)', async () => {
    const first = await apply('cache-1');
    // The only refusals of the first apply: kinds whose operator the same apply subscribes to.
    const operatorFiles = manifestFiles(dir).filter((f) => /keycloak\.org|3scale\.net/.test(readFileSync(join(dir, f), 'utf8').match(/^apiVersion: (.*)$/m)?.[1] ?? ''));
    expect(operatorFiles.length).toBeGreaterThan(0);
    const refused = first.out.split('\n').filter((l) => /error|unable|no matches/i.test(l));
    for (const l of refused) expect(operatorFiles.some((f) => l.includes(f)), `${l}\n--- whole output:\n${first.out}`).toBe(true);
    const served = (kind: string): boolean => {
      const k = fresh.kinds.find(kind);
      return k !== undefined && fresh.kinds.isServed(k);
    };
    await new Promise<void>((resolve) => {
      const check = (): boolean => served('Keycloak') && served('APIManager');
      if (check()) return resolve();
      const off = fresh.store.subscribe(() => {
        if (check()) {
          off();
          resolve();
        }
      });
    });
    const second = await apply('cache-2');
    expect(second.ok, second.out).toBe(true);
    for (const f of manifestFiles(dir)) {
      const m = parse(readFileSync(join(dir, f), 'utf8')) as KubeObject;
      const kind = fresh.kinds.byKind(m.kind);
      expect(fresh.store.get(kind, kind.namespaced ? m.metadata.namespace : undefined, m.metadata.name ?? ''), f).toBeDefined();
    }
  }, 120_000);
});

describe('maas-wizard export on a cluster (--demo)', () => {
  it('exports what can be planned there, lists the rest with the reason, and changes nothing on the cluster', async () => {
    const home = tempDir('maas-export-demo-');
    const first = await runCli(['--demo', '--demo-timing', 'instant', 'export', '--out', 'out'], { home });
    expect(first.code, first.stderr.text).toBe(0);
    const readme = readFileSync(join(home, 'out', 'README.md'), 'utf8');
    expect(readme).toMatch(/Planned on \*\*http:\/\/127\.0\.0\.1:\d+\*\*/);
    expect(readme).toMatch(/- \*\*storage\*\* .*needs the outputs of project \(has changes still to apply\)/);
    expect(readme).toMatch(/- \*\*sso\.keycloak\*\* .*needs the outputs of sso\.operator/);
    expect(existsSync(join(home, 'out', '01-namespace-llm-hosting.yaml'))).toBe(true);
    expect(first.stdout.text).toMatch(/not exported: storage: needs the outputs of project/);
    // Plan mode wrote nothing: a second export still has the namespace to create; the same DIR is replaced.
    const second = await runCli(['--demo', '--demo-timing', 'instant', 'export', '--out', 'out'], { home });
    expect(second.code, second.stderr.text).toBe(0);
    expect(readFileSync(join(home, 'out', '01-namespace-llm-hosting.yaml'), 'utf8')).toContain('kind: Namespace');
  }, 120_000);

  it('refuses --dry-run with a cluster flag, and an --out directory holding files no export wrote', async () => {
    const home = tempDir('maas-export-usage-');
    const both = await runCli(['--demo', 'export', '--dry-run', '--out', 'out'], { home });
    expect(both.code).toBe(2);
    expect(both.stderr.text).toContain('--dry-run plans on its own simulated cluster; --demo does not apply');
    writeFileSync(join(home, 'notes.txt'), 'mine');
    const taken = await runCli(['--demo', '--demo-timing', 'instant', 'export', '--out', '.'], { home });
    expect(taken.code).toBe(2);
    expect(taken.stderr.text).toContain('already holds files that no export wrote');
    expect(readFileSync(join(home, 'notes.txt'), 'utf8')).toBe('mine');
  }, 60_000);
});
