/**
 * Realistic progress files (schema version 1) for the end-of-run report: a finished run with the
 * guide's three models, a run that failed at the 3scale APIManager, and a run where one model was
 * not imported. Timestamps are fixed (from T0), so the rendered times are deterministic.
 * Every fixture also plants secret values where a careless report could pick them up.
 */
import type { ProgressData, StepRecord } from '../../src/engine/progress-file.js';
import type { StageId, StepState } from '../../src/engine/types.js';
import type { ReportStage } from '../../src/cli/report.js';

/** The stage list of steps/index.ts (copied shape; the report takes it as input). */
export const STAGES: ReportStage[] = [
  { id: 'preflight', title: 'Preflight', order: 0 },
  { id: 'project', title: 'Project', order: 1 },
  { id: 'storage', title: 'Object storage', order: 2 },
  { id: 'data-connection', title: 'Data connection', order: 3 },
  { id: 'import', title: 'Model import', order: 4 },
  { id: 'serving', title: 'Serving', order: 5 },
  { id: 'sso', title: 'Single sign-on', order: 6 },
  { id: '3scale', title: '3scale', order: 7 },
  { id: 'policies', title: 'Policies', order: 8 },
  { id: 'portal', title: 'Developer portal', order: 9 },
  { id: 'verify', title: 'End-to-end check', order: 10 },
];

/** Secret values planted in outputs and inputs; none may appear in any rendering. */
export const PLANTED = ['hf_PlantedToken123', 'S3SecretKeyPlanted/xyz', 'AdminPwPlanted!', 'ClientSecretPlanted42', 'AccessTokenPlanted0f'];

const DOMAIN = 'apps.lab.example.com';
const T0 = Date.parse('2026-01-05T10:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

/** The guide's three models: short name, repo id, API. */
export const MODELS = [
  { short: 'granite-8b-code-instruct', id: 'ibm-granite/granite-8b-code-instruct-128k', api: 'completions' as const, kind: 'chat' },
  { short: 'mistral-7b-instruct', id: 'mistralai/Mistral-7B-Instruct-v0.3', api: 'chat' as const, kind: 'chat' },
  { short: 'nomic-embed-text', id: 'nomic-ai/nomic-embed-text-v1.5', api: 'embeddings' as const, kind: 'embedding' },
];

/** The run's step graph (id and stage), as steps/index.ts builds it with the three models. */
export function graph(): { id: string; stage: StageId }[] {
  const per = (prefix: string, stage: StageId) => MODELS.map((m) => ({ id: `${prefix}.${m.short}`, stage }));
  return [
    { id: 'preflight', stage: 'preflight' }, { id: 'project', stage: 'project' }, { id: 'storage', stage: 'storage' },
    { id: 'data-connection', stage: 'data-connection' }, { id: 'import', stage: 'import' }, ...per('serving', 'serving'),
    { id: 'sso.operator', stage: 'sso' }, { id: 'sso.keycloak', stage: 'sso' }, { id: 'sso.client', stage: 'sso' }, { id: 'sso.identity-provider', stage: 'sso' },
    { id: 'threescale.operator', stage: '3scale' }, { id: 'threescale.databases', stage: '3scale' }, { id: 'threescale.apimanager', stage: '3scale' },
    { id: 'threescale.base', stage: '3scale' }, ...per('threescale.product', '3scale'), ...per('policies', 'policies'),
    { id: 'portal.settings', stage: 'portal' }, { id: 'portal.content', stage: 'portal' }, { id: 'verify', stage: 'verify' },
  ];
}

function rec(state: StepState, start: number, end: number, outputs?: Record<string, unknown>, error?: { code: string; message: string; fix?: string }): StepRecord {
  return {
    state,
    attempts: [{ startedAt: at(start), endedAt: at(end), state, ...(error ? { error } : {}) }],
    updatedAt: at(end),
    ...(outputs ? { outputs } : {}),
  };
}

function modelSteps(served: (short: string) => boolean, base: number): Record<string, StepRecord> {
  const steps: Record<string, StepRecord> = {};
  MODELS.forEach((m, i) => {
    const on = served(m.short);
    steps[`serving.${m.short}`] = rec('done', base, base + 240 + i * 30, on
      ? { served: true, modelId: m.id, name: m.short, namespace: 'llm-hosting', url: `http://${m.short}-predictor.llm-hosting.svc.cluster.local`, servedModelName: m.short, runtime: m.kind === 'chat' ? 'vllm' : 'tei', kind: m.kind, hfToken: PLANTED[0] }
      : { served: false, modelId: m.id });
    steps[`threescale.product.${m.short}`] = rec('done', base + 600 + i * 10, base + 610 + i * 10, on
      ? {
          served: true, modelId: m.id, model: m.short, servedModelName: m.short, api: m.api, serviceId: 10 + i, systemName: m.short, backendId: 20 + i,
          applicationPlan: 'Standard', applicationPlanId: 30 + i, productionUrl: `https://${m.short}-maas-apicast-production.${DOMAIN}`,
          stagingUrl: `https://${m.short}-maas-apicast-staging.${DOMAIN}`, bearerMode: 'authorization', accessToken: PLANTED[4],
        }
      : { served: false, modelId: m.id });
    steps[`policies.${m.short}`] = rec('done', base + 640 + i * 5, base + 645 + i * 5, on
      ? { served: true, chain: ['cors', 'upstream_connection', 'apicast'], limits: [{ period: 'minute', value: 60 }, { period: 'day', value: 5000 }], productionVersion: 2 }
      : { served: false });
  });
  return steps;
}

function baseSteps(): Record<string, StepRecord> {
  return {
    preflight: rec('done', 0, 4, { domain: DOMAIN, isOpenShift: true }),
    project: rec('done', 5, 7, { namespace: 'llm-hosting' }),
    storage: rec('done', 8, 70, { mode: 'obc', namespace: 'llm-hosting', bucket: 'models-1a2b', endpoint: 'http://s3.openshift-storage.svc', externalEndpoint: `https://s3-openshift-storage.${DOMAIN}`, region: 'us-east-1', secretName: 'models', AWS_SECRET_ACCESS_KEY: PLANTED[1] }),
    'data-connection': rec('done', 71, 74, { name: 'aws-connection-models', namespace: 'llm-hosting', bucket: 'models-1a2b', endpoint: 'http://s3.openshift-storage.svc' }),
    import: rec('done', 75, 1275, { bucket: 'models-1a2b', models: MODELS.map((m) => ({ id: m.id })) }),
    // SSO and 3scale ran alongside the import.
    'sso.operator': rec('done', 8, 98, { namespace: 'rh-sso' }),
    'sso.keycloak': rec('done', 99, 339, {
      namespace: 'rh-sso', keycloak: 'rh-sso', url: 'https://keycloak-rh-sso.apps.lab.example.com', credentialSecret: 'credential-rh-sso', realm: 'maas',
      issuer: `https://keycloak-rh-sso.${DOMAIN}/auth/realms/maas`, adminConsole: `https://keycloak-rh-sso.${DOMAIN}/auth/admin/maas/console/`, ADMIN_PASSWORD: PLANTED[2],
    }),
    'sso.client': rec('done', 340, 345, { realm: 'maas', clientId: '3scale', redirectUris: [`https://maas.${DOMAIN}/*`], mappers: ['email verified', 'org_name'], issuer: `https://keycloak-rh-sso.${DOMAIN}/auth/realms/maas`, secret: PLANTED[3] }),
    'sso.identity-provider': rec('done', 346, 348, { alias: 'none' }),
    'threescale.operator': rec('done', 8, 120, { namespace: '3scale', csv: '3scale-operator.v0.13.1', channel: 'threescale-2.16', source: 'redhat-operators', minor: 16 }),
    'threescale.databases': rec('done', 121, 241, { namespace: '3scale', external: true, mode: 'created', secrets: ['backend-redis', 'system-redis', 'system-database'] }),
    'threescale.apimanager': rec('done', 242, 902, {
      namespace: '3scale', apiManager: 'apimanager', tenantName: 'maas', domain: DOMAIN, adminUrl: `https://maas-admin.${DOMAIN}`, developerUrl: `https://maas.${DOMAIN}`,
      credentialsSecret: 'system-seed', fileStorage: 'pvc', bearerMode: 'authorization', ADMIN_ACCESS_TOKEN: PLANTED[4],
    }),
    'threescale.base': rec('done', 903, 910, { sampleProduct: 'hidden', sampleAccountRemoved: true, adminUrl: `https://maas-admin.${DOMAIN}` }),
  };
}

function progress(steps: Record<string, StepRecord>): ProgressData {
  return {
    schemaVersion: 1,
    wizardVersion: '0.1.0',
    profile: { name: 'lab', server: 'https://api.lab.example.com:6443' },
    inputs: { project: { namespace: 'llm-hosting' }, import: { models: MODELS.map((m) => m.id), tokenSecret: 'hf-token', hfToken: PLANTED[0] }, 'sso.identity-provider': { clientSecret: PLANTED[3] } },
    steps,
  };
}

function checks(served: (short: string) => boolean) {
  return MODELS.filter((m) => served(m.short)).flatMap((m) => [
    { what: 'no key → 403', expected: '403', got: '403', ok: true, model: m.short },
    { what: `Bearer key → ${m.api === 'embeddings' ? 'embedding' : 'completion'}`, expected: '200', got: '200', ok: true, model: m.short },
    { what: 'CORS preflight', expected: '2xx with Access-Control-Allow-Origin', got: '204, Access-Control-Allow-Origin: *', ok: true, model: m.short },
    { what: 'burst over the limit → 429', expected: '429', got: '429', ok: true, model: m.short },
  ]);
}

function tail(served: (short: string) => boolean, base: number): Record<string, StepRecord> {
  return {
    'portal.settings': rec('done', base, base + 6, { developerUrl: `https://maas.${DOMAIN}`, ssoIntegrationId: 7, realmUrl: `https://keycloak-rh-sso.${DOMAIN}/auth/realms/maas`, autoApprove: true, clientSecret: PLANTED[3] }),
    'portal.content': rec('done', base + 7, base + 19, { pages: ['/', '/models', '/examples'] }),
    verify: rec('done', base + 20, base + 95, { checks: [...checks(served), { what: 'hits in usage statistics', expected: '≥ 3', got: '12', ok: true }] }),
  };
}

/** A finished run with the three models (took 35 min 10 s wall clock). */
export function doneProgress(): ProgressData {
  const all = (): boolean => true;
  return progress({ ...baseSteps(), ...modelSteps(all, 1276), ...tail(all, 1950) });
}

/** A finished run where nomic-embed-text was not ticked in the model picker. */
export function servedFalseProgress(): ProgressData {
  const served = (s: string): boolean => s !== 'nomic-embed-text';
  return progress({ ...baseSteps(), ...modelSteps(served, 1276), ...tail(served, 1950) });
}

/**
 * A run that failed at the APIManager (2.16 refuses internal databases) while the import was
 * still running, retried once and failed again; serving and later stages never started.
 */
export function failedProgress(): ProgressData {
  const steps = baseSteps();
  delete steps['threescale.base'];
  steps['import'] = { state: 'cancelled', attempts: [{ startedAt: at(75), endedAt: at(700), state: 'cancelled' }], updatedAt: at(700) };
  const error = { code: 'threescale.preflights', message: 'APIManager apimanager refused: Preflights: backend redis, system redis and system database must be external with 3scale 2.16', fix: 'choose "create" for the databases, then `maas-wizard retry threescale.apimanager`' };
  steps['threescale.apimanager'] = {
    state: 'failed',
    attempts: [
      { startedAt: at(242), endedAt: at(542), state: 'failed', error },
      { startedAt: at(3600), endedAt: at(3660), state: 'failed', error: { ...error, message: `${error.message} (again)` } },
    ],
    updatedAt: at(3660),
  };
  return progress(steps);
}
