/**
 * Step `threescale.databases` (STAGES.md §7 "Databases"): from 3scale 2.16 the operator refuses
 * (condition `Preflights`) an APIManager whose backend Redis, system Redis and system database are
 * not external. This step creates Redis and PostgreSQL in the 3scale namespace (mode `create`) or
 * takes the URLs of existing servers (mode `existing`; passwords as secret inputs), and writes the
 * Secrets `backend-redis`, `system-redis` and `system-database`. With 2.15 and older it plans
 * nothing: the operator's internal databases remain possible.
 * Passwords are generated in apply and kept only in Secrets; plans show placeholders.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Services } from '../../src/cluster/services.js';
import { InputError, UserError } from '../../src/engine/errors.js';
import type { Change, KubeObject, ProbeResult, Step, StepContext } from '../../src/engine/types.js';
import { DB, OPERATOR_SECRETS, createdConnections, operatorSecrets, postgresqlDeployment, pvc, redisDeployment, service, withPassword } from './databases-manifests.js';
import type { ConnectionValues } from './databases-manifests.js';
import { KINDS, manifestChange, operatorOf, redactedSecret, secretManifest, secretValue, writeManifest } from './shared.js';
import type { ThreescaleDatabasesOutputs } from './shared.js';

/** Inputs (non-secret). Images default to Red Hat's (registry.redhat.io). Sizes are Kubernetes quantities. */
export const databasesInputs = z.object({
  mode: z.enum(['create', 'existing']).default('create'),
  redisImage: z.string().min(1).default('registry.redhat.io/rhel9/redis-7:latest'),
  postgresqlImage: z.string().min(1).default('registry.redhat.io/rhel9/postgresql-13:latest'),
  storageClass: z.string().default(''),
  redisStorage: z.string().regex(/^\d+(Mi|Gi|Ti)$/).default('1Gi'),
  postgresqlStorage: z.string().regex(/^\d+(Mi|Gi|Ti)$/).default('5Gi'),
  backendRedisStorageUrl: z.string().default(''),
  backendRedisQueuesUrl: z.string().default(''),
  systemRedisUrl: z.string().default(''),
  systemDatabaseUrl: z.string().default(''),
  databaseUser: z.string().default(''),
});
type Inputs = z.infer<typeof databasesInputs>;

/** Secret inputs (mode `existing`): the Redis password (optional) and the database password. */
export const databasesSecrets = z.object({ redisPassword: z.string().optional(), databasePassword: z.string().optional() }) as unknown as z.ZodType<Record<string, string>>;

/** Milliseconds to wait for the Redis and PostgreSQL Deployments (image pulls take a while). */
export const DATABASES_TIMEOUT_MS = 10 * 60_000;

/** True when the installed 3scale needs external databases (channel threescale-2.16 or newer, or unknown). */
export function needsExternal(minor: number | undefined): boolean {
  return (minor ?? 16) >= 16;
}

const GENERATED = (k: string): string => `<generated into Secret ${DB.credentials}: ${k}>`;
const FROM_INPUT = (k: string): string => `<from inputs: ${k}>`;
const targetOf = (m: KubeObject): string => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name ?? ''}`;

/** Values for the operator Secrets in mode `existing`. @throws InputError naming the missing URL. */
function existingValues(ctx: StepContext<Inputs, Services>): ConnectionValues {
  const i = ctx.inputs;
  const need: [keyof Inputs, string][] = [['backendRedisStorageUrl', 'redis://redis.example:6379/0'], ['backendRedisQueuesUrl', 'redis://redis.example:6379/1'], ['systemRedisUrl', 'redis://redis.example:6379/2'], ['systemDatabaseUrl', 'postgresql://db.example:5432/system']];
  for (const [key, example] of need) {
    const v = String(i[key]);
    if (!v) throw new InputError(`threescale.databases.${key}`, 'is required with mode "existing"', `give the URL, e.g. ${example}`);
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw new InputError(`threescale.databases.${key}`, 'is not a URL', `give the URL, e.g. ${example}`);
    }
    // Inputs are stored in the progress file: a password belongs in the secret inputs.
    if (url.password) throw new InputError(`threescale.databases.${key}`, 'holds a password', 'give the URL without it and the password as redisPassword / databasePassword (secret inputs)');
  }
  if (!i.databaseUser) throw new InputError('threescale.databases.databaseUser', 'is required with mode "existing"', 'give the database user of the system database');
  const redisPw = ctx.secrets['redisPassword'];
  const dbPw = ctx.secrets['databasePassword'] ?? '';
  return {
    backendRedisStorageUrl: withPassword(i.backendRedisStorageUrl, redisPw),
    backendRedisQueuesUrl: withPassword(i.backendRedisQueuesUrl, redisPw),
    systemRedisUrl: withPassword(i.systemRedisUrl, redisPw),
    systemDatabaseUrl: withPassword(i.systemDatabaseUrl, dbPw || undefined, i.databaseUser),
    databaseUser: i.databaseUser,
    databasePassword: dbPw,
  };
}

/** A change for an operator Secret whose wanted values are known: create / update (keys named, values never) / none. */
function secretChange(current: KubeObject | undefined, wanted: KubeObject): Change {
  const values = (wanted as { stringData?: Record<string, string> }).stringData ?? {};
  const shown = redactedSecret(wanted, FROM_INPUT);
  if (!current) return { action: 'create', target: targetOf(wanted), manifest: shown };
  const differ = Object.keys(values).filter((k) => secretValue(current, k) !== values[k]);
  if (differ.length === 0) return { action: 'none', target: targetOf(wanted) };
  return { action: 'update', target: targetOf(wanted), manifest: shown, diff: differ.map((k) => ({ path: `data.${k}`, from: '<current value>', to: FROM_INPUT(k) })) };
}

/** The created Redis and PostgreSQL Deployments are available. */
async function probeDatabases(ctx: StepContext<Inputs, Services>, ns: string): Promise<ProbeResult<true>> {
  const waiting: string[] = [];
  for (const name of [DB.redis, DB.postgresql]) {
    const d = await ctx.services.kube.get<KubeObject & { status?: { availableReplicas?: number } }>(KINDS.deployment.apiVersion, KINDS.deployment.kind, name, ns);
    if (!d || (d.status?.availableReplicas ?? 0) < 1) waiting.push(name);
  }
  return waiting.length === 0 ? { state: 'done', value: true } : { state: 'pending', currently: `not available yet: ${waiting.join(', ')}` };
}

/** The `threescale.databases` step. */
export const threescaleDatabasesStep: Step<Inputs, ThreescaleDatabasesOutputs, Services> = {
  id: 'threescale.databases',
  stage: '3scale',
  title: 'Databases for 3scale (2.16 and later)',
  needs: ['threescale.operator'],
  inputs: databasesInputs,
  secrets: databasesSecrets,
  fields: [
    { key: 'mode', label: 'Databases', kind: 'select', help: '3scale 2.16 needs external Redis and a database: create them in the 3scale namespace, or give the URLs of existing ones.', choices: () => [{ value: 'create', label: 'Create Redis and PostgreSQL in the 3scale namespace' }, { value: 'existing', label: 'Use existing servers (URLs)' }] },
    { key: 'redisImage', label: 'Redis image', kind: 'text', when: (v) => v['mode'] !== 'existing' },
    { key: 'postgresqlImage', label: 'PostgreSQL image', kind: 'text', when: (v) => v['mode'] !== 'existing' },
    { key: 'storageClass', label: 'StorageClass of the database volumes', kind: 'text', help: 'Empty: the cluster\'s default class.', when: (v) => v['mode'] !== 'existing' },
    { key: 'backendRedisStorageUrl', label: 'Backend Redis storage URL', kind: 'text', help: 'Mode existing: e.g. redis://redis.example:6379/0 (no password: give it below).', when: (v) => v['mode'] === 'existing' },
    { key: 'backendRedisQueuesUrl', label: 'Backend Redis queues URL', kind: 'text', when: (v) => v['mode'] === 'existing' },
    { key: 'systemRedisUrl', label: 'System Redis URL', kind: 'text', when: (v) => v['mode'] === 'existing' },
    { key: 'systemDatabaseUrl', label: 'System database URL', kind: 'text', help: 'e.g. postgresql://db.example:5432/system or mysql2://db.example:3306/system', when: (v) => v['mode'] === 'existing' },
    { key: 'databaseUser', label: 'System database user', kind: 'text', when: (v) => v['mode'] === 'existing' },
    { key: 'redisPassword', label: 'Redis password', kind: 'secret', when: (v) => v['mode'] === 'existing' },
    { key: 'databasePassword', label: 'System database password', kind: 'secret', when: (v) => v['mode'] === 'existing' },
  ],
  async plan(ctx) {
    const op = operatorOf(ctx);
    if (!needsExternal(op.minor)) return [];
    const { kube } = ctx.services;
    const ns = op.namespace;
    const get = (m: KubeObject): Promise<KubeObject | undefined> => kube.get(m.apiVersion, m.kind, m.metadata.name ?? '', ns);
    const changes: Change[] = [];
    if (ctx.inputs.mode === 'existing') {
      for (const s of operatorSecrets(ns, existingValues(ctx))) changes.push(secretChange(await get(s), s));
      return changes;
    }
    const i = ctx.inputs;
    const sc = i.storageClass || undefined;
    const creds = secretManifest(ns, DB.credentials, { REDIS_PASSWORD: '', POSTGRESQL_PASSWORD: '' });
    changes.push(manifestChange(await get(creds), redactedSecret(creds, GENERATED), {}, 'generated passwords'));
    for (const m of [pvc(ns, DB.redis, i.redisStorage, sc), pvc(ns, DB.postgresql, i.postgresqlStorage, sc), service(ns, DB.redis, 6379), service(ns, DB.postgresql, 5432)]) {
      changes.push(manifestChange(await get(m), m, {}));
    }
    for (const m of [redisDeployment(ns, i.redisImage), postgresqlDeployment(ns, i.postgresqlImage)]) {
      const current = (await get(m)) as { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } & KubeObject | undefined;
      const image = m.kind === 'Deployment' && m.metadata.name === DB.redis ? i.redisImage : i.postgresqlImage;
      const now = current?.spec?.template?.spec?.containers?.[0]?.image;
      if (!current) changes.push({ action: 'create', target: targetOf(m), manifest: m });
      else if (now !== image) changes.push({ action: 'update', target: targetOf(m), manifest: m, diff: [{ path: 'spec.template.spec.containers[0].image', from: now, to: image }] });
      else changes.push({ action: 'none', target: targetOf(m) });
    }
    for (const s of operatorSecrets(ns, createdConnections(ns, 'x', 'x'))) {
      const current = await get(s);
      changes.push(current
        ? { action: 'none', target: targetOf(s), note: 'exists; kept as it is' }
        : { action: 'create', target: targetOf(s), manifest: redactedSecret(s, (k) => (k === 'DB_USER' ? DB.databaseUser : `<built from Secret ${DB.credentials}>`)) });
    }
    return changes;
  },
  async apply(ctx, plan) {
    const op = operatorOf(ctx);
    const { kube } = ctx.services;
    const ns = op.namespace;
    let values: ConnectionValues | undefined;
    if (ctx.inputs.mode === 'existing') values = existingValues(ctx);
    else if (plan.length > 0) {
      const credsTarget = `Secret ${ns}/${DB.credentials}`;
      if (plan.some((c) => c.target === credsTarget && c.action === 'create')) {
        const fresh = secretManifest(ns, DB.credentials, { REDIS_PASSWORD: randomBytes(18).toString('base64url'), POSTGRESQL_PASSWORD: randomBytes(18).toString('base64url') });
        await writeManifest(kube, { action: 'create', target: credsTarget }, fresh);
      }
      const creds = await kube.get(KINDS.secret.apiVersion, KINDS.secret.kind, DB.credentials, ns);
      values = createdConnections(ns, secretValue(creds, 'REDIS_PASSWORD') ?? '', secretValue(creds, 'POSTGRESQL_PASSWORD') ?? '');
    }
    const real = new Map((values ? operatorSecrets(ns, values) : []).map((s) => [targetOf(s), s]));
    for (const c of plan) {
      if (c.manifest?.kind === 'Secret') {
        const secret = real.get(c.target);
        if (secret) await writeManifest(kube, c, secret);
      } else await writeManifest(kube, c);
    }
    if (ctx.inputs.mode === 'create' && plan.length > 0) {
      await ctx.waitFor(() => probeDatabases(ctx, ns), {
        what: `Redis and PostgreSQL for 3scale in ${ns}`,
        timeoutMs: DATABASES_TIMEOUT_MS,
        intervalMs: 500,
        maxIntervalMs: 10_000,
        watch: (wake) => kube.watchObjects({ ...KINDS.deployment, namespace: ns }, () => wake()),
      });
    }
  },
  async verify(ctx) {
    const op = operatorOf(ctx);
    const ns = op.namespace;
    if (!needsExternal(op.minor)) return { namespace: ns, external: false, mode: 'internal', secrets: [] };
    for (const [name, keys] of Object.entries(OPERATOR_SECRETS)) {
      const s = await ctx.services.kube.get(KINDS.secret.apiVersion, KINDS.secret.kind, name, ns);
      const missing = keys.filter((k) => !secretValue(s, k));
      if (!s || missing.length > 0) {
        throw new UserError('3scale.database-secret', `Secret ${ns}/${name} ${s ? `lacks ${missing.join(', ')}` : 'does not exist'}`, { fix: 'run this step again (`maas-wizard retry threescale.databases`)' });
      }
    }
    if (ctx.inputs.mode === 'create') {
      const r = await probeDatabases(ctx, ns);
      if (r.state !== 'done') throw new UserError('3scale.database-not-ready', `the databases for 3scale are ${r.state === 'pending' ? r.currently : 'not ready'}`, { fix: `check \`oc get deploy,pvc,pod -n ${ns} -l app.kubernetes.io/part-of=maas-wizard\`` });
    }
    return { namespace: ns, external: true, mode: ctx.inputs.mode === 'create' ? 'created' : 'existing', secrets: Object.keys(OPERATOR_SECRETS) };
  },
  explain: {
    what: 'For 3scale 2.16 and later: creates Redis and PostgreSQL in the 3scale namespace (or takes existing servers) and writes the Secrets backend-redis, system-redis and system-database that the APIManager reads.',
    why: 'From 2.16 the 3scale operator no longer runs its own Redis and database: its Preflights refuse an APIManager without external ones.',
    commands: [
      'oc create secret generic backend-redis -n 3scale --from-literal=REDIS_STORAGE_URL=redis://:PASSWORD@maas-redis.3scale.svc.cluster.local:6379/0 --from-literal=REDIS_QUEUES_URL=redis://:PASSWORD@maas-redis.3scale.svc.cluster.local:6379/1',
      'oc create secret generic system-redis -n 3scale --from-literal=URL=redis://:PASSWORD@maas-redis.3scale.svc.cluster.local:6379/2',
      'oc create secret generic system-database -n 3scale --from-literal=URL=postgresql://system:PASSWORD@maas-postgresql.3scale.svc.cluster.local:5432/system --from-literal=DB_USER=system --from-literal=DB_PASSWORD=PASSWORD',
    ],
  },
};
