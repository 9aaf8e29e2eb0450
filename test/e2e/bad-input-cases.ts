/**
 * The rows of bad-input-table.test.ts: one bad input each, with what the refusal must name.
 * `field` must match the message naming the flag, file or `<step>.<key>`; `fix` (when given) what
 * to do. Answers files are written under the run's home (its cwd) by `files`.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Where the bad value comes from. */
export type InputSource = 'flag' | 'answers' | 'step-input' | 'kubeconfig';

/** One row: argv (or argv built from the home), files to write first, what stderr must say. */
export interface BadInputCase {
  name: string;
  source: InputSource;
  argv: string[] | ((home: string) => string[]);
  /** File name (relative to home) → content, written before the run. */
  files?: (home: string) => Record<string, string | Buffer>;
  env?: (home: string) => NodeJS.ProcessEnv;
  /** Names the field: the flag, the file (and line) or `<step>.<key>`. */
  field: RegExp;
  /** Says what to do (in the `fix:` line or the message). */
  fix?: RegExp;
  /** Values that must not be printed (tokens in kubeconfigs). */
  secrets?: string[];
}

/** An unattended demo on instant timing (nothing of it runs: every row is refused first). */
const DEMO = ['--demo', '--yes', '--demo-timing', 'instant'];

/** A row whose answers file holds `answers` (as YAML), named after the row. */
function answers(name: string, source: InputSource, data: unknown, field: RegExp, fix?: RegExp): BadInputCase {
  const file = `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.yaml`;
  return { name, source, argv: [...DEMO, '--answers', file], files: () => ({ [file]: typeof data === 'string' ? data : stringify(data) }), field, ...(fix ? { fix } : {}) };
}

/** A row whose answers file is given as raw text. */
function answersText(name: string, text: string, field: RegExp, fix?: RegExp): BadInputCase {
  return answers(name, 'answers', text, field, fix);
}

const GRANITE = 'granite-8b-code-instruct';
const TOKEN = 'sha256~never-print-this-token';

/** A kubeconfig (YAML) with one cluster `lab` and the given user. */
function kubeconfig(user: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'lab', cluster: { server: 'https://127.0.0.1:9' } }],
    users: [{ name: 'dev', user }],
    contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'dev' } }],
    'current-context': 'lab',
  });
}

/** A progress file written by a wizard whose schema is newer than this one's (version 99). */
export const NEWER_PROGRESS = { schemaVersion: 99, wizardVersion: '9.0.0', profile: { name: 'newer', server: 'https://api.future.example.com:6443' }, inputs: {}, steps: {} };

/** Every row. */
export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  // ── flags
  { name: '--concurrency 0', source: 'flag', argv: [...DEMO, '--concurrency', '0'], field: /--concurrency takes a whole number of at least 1/, fix: /--concurrency 4/ },
  { name: '--concurrency two', source: 'flag', argv: [...DEMO, '--concurrency', 'two'], field: /--concurrency takes a whole number/, fix: /--concurrency 4/ },
  { name: '--concurrency 1.5', source: 'flag', argv: [...DEMO, '--concurrency', '1.5'], field: /--concurrency takes a whole number/ },
  { name: '--demo-speed fast', source: 'flag', argv: [...DEMO, '--demo-speed', 'fast'], field: /--demo-speed takes a number greater than 0/, fix: /--demo-speed 60/ },
  { name: '--demo-speed -5', source: 'flag', argv: [...DEMO, '--demo-speed=-5'], field: /--demo-speed takes a number greater than 0/ },
  { name: '--demo-speed 0', source: 'flag', argv: [...DEMO, '--demo-speed', '0'], field: /--demo-speed takes a number greater than 0/ },
  { name: '--output xml', source: 'flag', argv: [...DEMO, '--output', 'xml'], field: /--output.*xml.*(text|json)/s, fix: /--help/ },
  { name: '--demo-timing slow', source: 'flag', argv: ['--demo', '--yes', '--demo-timing', 'slow'], field: /--demo-timing.*slow.*instant/s },
  { name: '--scenario no-such-scenario', source: 'flag', argv: [...DEMO, '--scenario', 'no-such-scenario'], field: /--scenario.*no-such-scenario/, fix: /list-scenarios|expired-token/ },
  { name: '--demo-speed without --demo', source: 'flag', argv: ['--yes', '--demo-speed', '60', '--profile', 'demo'], field: /--demo-speed only applies to the simulated cluster/, fix: /add --demo/ },
  { name: '--ingress-address without a port', source: 'flag', argv: [...DEMO, '--ingress-address', '10.0.0.5'], field: /--ingress-address takes HOST:PORT/ },
  { name: '--answers names a directory', source: 'answers', argv: [...DEMO, '--answers', '.'], field: /--answers .*cannot read the answers file \(EISDIR\)/, fix: /check the path given to --answers/ },
  { name: 'an unknown flag', source: 'flag', argv: [...DEMO, '--frobnicate'], field: /unknown option '--frobnicate'/, fix: /maas-wizard --help/ },
  { name: 'retry of a step that does not exist', source: 'flag', argv: ['retry', 'no-such-step', ...DEMO], field: /no step "no-such-step"/, fix: /project/ },
  { name: '--answers file missing', source: 'answers', argv: [...DEMO, '--answers', 'nowhere.yaml'], field: /--answers .*nowhere\.yaml: cannot read the answers file \(ENOENT\)/, fix: /check the path given to --answers/ },

  // ── the answers file itself
  answers('answers: unknown step', 'answers', { projekt: { namespace: 'llm-hosting' } }, /:1 projekt: unknown step "projekt"; the steps are: preflight, project/, /correct or remove/),
  answers('answers: unknown key', 'answers', { project: { name: 'llm-hosting' } }, /:2 project\.name: unknown key "name"; project takes: namespace/),
  answers('answers: wrong type (number for a name)', 'answers', { project: { namespace: 42 } }, /project\.namespace: invalid value 42/),
  answers('answers: wrong type (string for a boolean)', 'answers', { verify: { keepTestAccount: 'yes please' } }, /verify\.keepTestAccount: invalid value "yes please"/),
  answersText('answers: YAML syntax error', 'project:\n  namespace: [llm-hosting\n', /\.yaml:\d+ \(yaml\)/, /fix the YAML syntax at that line/),
  answersText('answers: duplicate key', 'project:\n  namespace: a\n  namespace: b\n', /\.yaml:\d+ \(yaml\).*[Mm]ap keys must be unique/),
  answersText('answers: a list, not a mapping', '- project\n- storage\n', /\(top level\).*(expected object|object)/),
  answersText('answers: a step that is not a mapping', 'project: llm-hosting\n', /:1 project: invalid value "llm-hosting"/),
  answers('answers: bad enum (storage.mode)', 'answers', { storage: { mode: 's3' } }, /storage\.mode: invalid value "s3".*"obc"/s),
  answers('answers: a secret in the file (import.hfToken)', 'answers', { import: { hfToken: 'hf_secret' } }, /import\.hfToken: is a secret.*--hf-token or the environment variable HF_TOKEN/),
  answersText('answers: binary file', '\u0000\u0001\u0002PK\u0003\u0004', /\.yaml(:\d+)? /),

  // ── each stage's inputs
  answers('project.namespace not RFC 1123', 'step-input', { project: { namespace: 'LLM_Hosting' } }, /project\.namespace: invalid value "LLM_Hosting".*RFC 1123/, /correct or remove/),
  answers('project.namespace longer than 63', 'step-input', { project: { namespace: 'a'.repeat(64) } }, /project\.namespace: invalid value "a{64}".*at most 63/),
  answers('storage.endpoint without scheme', 'step-input', { storage: { mode: 'existing-s3', endpoint: 's3.example.com', bucket: 'models' } }, /storage\.endpoint: invalid value "s3\.example\.com".*with its scheme/),
  answers('storage.externalEndpoint without scheme', 'step-input', { storage: { externalEndpoint: 's3-openshift-storage.apps.example.com' } }, /storage\.externalEndpoint: invalid value.*with its scheme/),
  answers('storage.bucket not an S3 name', 'step-input', { storage: { mode: 'existing-s3', endpoint: 'https://s3.example.com', bucket: 'My_Models' } }, /storage\.bucket: invalid value "My_Models".*S3 bucket name/),
  answers('storage.claimName not RFC 1123', 'step-input', { storage: { claimName: 'Models!' } }, /storage\.claimName: invalid value "Models!".*RFC 1123/),
  answers('storage.bindTimeoutSeconds negative', 'step-input', { storage: { bindTimeoutSeconds: -5 } }, /storage\.bindTimeoutSeconds: invalid value -5/),
  answers('storage.bindTimeoutSeconds "soon"', 'step-input', { storage: { bindTimeoutSeconds: 'soon' } }, /storage\.bindTimeoutSeconds: invalid value "soon".*number/),
  answers('data-connection.name not RFC 1123', 'step-input', { 'data-connection': { name: 'AWS Connection' } }, /data-connection\.name: invalid value "AWS Connection"/),
  answers('import.models not owner/name', 'step-input', { import: { models: ['granite'] } }, /import\.models\.0: invalid value "granite"/),
  answers('import.models empty', 'step-input', { import: { models: [] } }, /import\.models: invalid value \[\].*at least one model/),
  answers('import.models with the same model twice', 'step-input', { import: { models: ['mistralai/Mistral-7B-Instruct-v0.3', 'mistralai/Mistral-7B-Instruct-v0.3'] } }, /import\.models: invalid value .*mistralai\/Mistral-7B-Instruct-v0\.3 is chosen twice; list each model once/),
  answers('import.models whose short names collide', 'step-input', { import: { models: ['org-a/tiny-llm', 'org-b/tiny-llm'] } }, /import\.models: invalid value .*org-a\/tiny-llm and org-b\/tiny-llm have the same short name "tiny-llm".*choose one of them/),
  answers('import.hubUrl without scheme', 'step-input', { import: { hubUrl: 'huggingface.co' } }, /import\.hubUrl: invalid value "huggingface\.co".*with its scheme/),
  answers('import.partSizeMiB below the S3 minimum of 5', 'step-input', { import: { partSizeMiB: 4 } }, /import\.partSizeMiB: invalid value 4.*(>=|at least|5)/),
  answers('import.method unknown', 'step-input', { import: { method: 'rsync' } }, /import\.method: invalid value "rsync".*"local"/s),
  answers('import.concurrency 0', 'step-input', { import: { concurrency: 0 } }, /import\.concurrency: invalid value 0/),
  answers('serving maxModelLen not a number', 'step-input', { [`serving.${GRANITE}`]: { maxModelLen: 'long' } }, new RegExp(`serving\\.${GRANITE}\\.maxModelLen: invalid value "long"`)),
  answers('serving maxModelLen above the model context', 'step-input', { [`serving.${GRANITE}`]: { maxModelLen: 1_000_000 } }, new RegExp(`serving\\.${GRANITE}\\.maxModelLen: invalid value 1000000.*context length \\(131072\\)`)),
  answers('serving gpus empty string', 'step-input', { [`serving.${GRANITE}`]: { gpus: '' } }, new RegExp(`serving\\.${GRANITE}\\.gpus: invalid value ""`)),
  answers('serving gpus negative', 'step-input', { [`serving.${GRANITE}`]: { gpus: -1 } }, new RegExp(`serving\\.${GRANITE}\\.gpus: invalid value -1`)),
  answers('serving name not RFC 1123', 'step-input', { [`serving.${GRANITE}`]: { name: 'Granite.8B' } }, new RegExp(`serving\\.${GRANITE}\\.name: invalid value "Granite\\.8B".*RFC 1123`)),
  answers('sso.keycloak realm with a space', 'step-input', { 'sso.keycloak': { realm: 'my realm' } }, /sso\.keycloak\.realm: invalid value "my realm"/),
  answers('sso.identity-provider unknown provider', 'step-input', { 'sso.identity-provider': { provider: 'facebook' } }, /sso\.identity-provider\.provider: invalid value "facebook".*"google"/s),
  answers('sso.identity-provider without client id', 'step-input', { 'sso.identity-provider': { provider: 'google' } }, /sso\.identity-provider\.clientId/, /client id/),
  answers('sso.identity-provider issuer without scheme', 'step-input', { 'sso.identity-provider': { provider: 'oidc', clientId: 'maas', issuer: 'sso.example.com/realms/x' } }, /sso\.identity-provider\.issuer/, /https:\/\//),
  answers('threescale.apimanager tenantName invalid', 'step-input', { 'threescale.apimanager': { tenantName: 'My Tenant' } }, /threescale\.apimanager\.tenantName: invalid value "My Tenant"/),
  answers('threescale.databases mode unknown', 'step-input', { 'threescale.databases': { mode: 'external' } }, /threescale\.databases\.mode: invalid value "external"/),
  answers('3scale product systemName invalid', 'step-input', { [`threescale.product.${GRANITE}`]: { systemName: 'Granite 8B!' } }, new RegExp(`threescale\\.product\\.${GRANITE}\\.systemName: invalid value "Granite 8B!"`)),
  answers('3scale product specFile missing', 'step-input', { [`threescale.product.${GRANITE}`]: { specFile: '/nonexistent/openapi.yaml' } }, new RegExp(`threescale\\.product\\.${GRANITE}\\.specFile: invalid value "/nonexistent/openapi\\.yaml"`), /openapi\.yaml|OpenAPI/),
  {
    ...answers('3scale product specFile not OpenAPI', 'step-input', {}, new RegExp(`threescale\\.product\\.${GRANITE}\\.specFile: invalid value .*not-openapi\\.yaml`), /OpenAPI/),
    files: (home) => ({
      'not-openapi.yaml': stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      '3scale-product-specfile-not-openapi.yaml': stringify({ [`threescale.product.${GRANITE}`]: { specFile: join(home, 'not-openapi.yaml') } }),
    }),
  },
  answers('policies rateLimitPerMinute "fast"', 'step-input', { [`policies.${GRANITE}`]: { rateLimitPerMinute: 'fast' } }, new RegExp(`policies\\.${GRANITE}\\.rateLimitPerMinute: invalid value "fast".*number`)),
  answers('policies rateLimitPerMinute negative', 'step-input', { [`policies.${GRANITE}`]: { rateLimitPerMinute: -10 } }, new RegExp(`policies\\.${GRANITE}\\.rateLimitPerMinute: invalid value -10`)),
  answers('policies readTimeoutSeconds 0', 'step-input', { [`policies.${GRANITE}`]: { readTimeoutSeconds: 0 } }, new RegExp(`policies\\.${GRANITE}\\.readTimeoutSeconds: invalid value 0`)),
  answers('policies monthlyQuota 1.5', 'step-input', { [`policies.${GRANITE}`]: { monthlyQuota: 1.5 } }, new RegExp(`policies\\.${GRANITE}\\.monthlyQuota: invalid value 1\\.5`)),
  answers('verify burst 0', 'step-input', { verify: { burst: 0 } }, /verify\.burst: invalid value 0/),
  answers('verify burst "many"', 'step-input', { verify: { burst: 'many' } }, /verify\.burst: invalid value "many"/),
  answers('portal.settings autoApprove "maybe"', 'step-input', { 'portal.settings': { autoApprove: 'maybe' } }, /portal\.settings\.autoApprove: invalid value "maybe"/),

  // ── kubeconfig
  {
    name: 'kubeconfig file missing',
    source: 'kubeconfig',
    argv: (home) => ['--kubeconfig', join(home, 'missing-kubeconfig'), '--profile', 'demo', '--yes'],
    field: /missing-kubeconfig/,
    fix: /--kubeconfig|KUBECONFIG|oc login/,
  },
  {
    name: 'KUBECONFIG names a missing file',
    source: 'kubeconfig',
    argv: ['--profile', 'demo', '--yes'],
    env: (home) => ({ KUBECONFIG: join(home, 'gone.kubeconfig') }),
    field: /gone\.kubeconfig|KUBECONFIG|kubeconfig/,
    fix: /KUBECONFIG|--kubeconfig|oc login/,
  },
  {
    name: 'kubeconfig without the --context',
    source: 'kubeconfig',
    argv: (home) => ['--kubeconfig', join(home, 'lab.kubeconfig'), '--context', 'staging', '--profile', 'demo', '--yes'],
    files: () => ({ 'lab.kubeconfig': kubeconfig({ token: TOKEN }) }),
    field: /context "staging" is not in .*lab\.kubeconfig; available contexts: lab/,
    fix: /--context .*lab/,
    secrets: [TOKEN],
  },
  {
    name: 'kubeconfig that is not YAML',
    source: 'kubeconfig',
    argv: (home) => ['--kubeconfig', join(home, 'garbage.kubeconfig'), '--profile', 'demo', '--yes'],
    files: () => ({ 'garbage.kubeconfig': 'clusters: [unclosed\n  users: {\n' }),
    field: /garbage\.kubeconfig/,
  },
  {
    name: 'kubeconfig exec plugin missing from PATH',
    source: 'kubeconfig',
    argv: (home) => ['--kubeconfig', join(home, 'exec.kubeconfig'), '--profile', 'demo', '--yes'],
    files: () => ({ 'exec.kubeconfig': kubeconfig({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'no-such-credential-plugin', args: ['token'], interactiveMode: 'Never' } }) }),
    field: /no-such-credential-plugin/,
    fix: /PATH|install|oc login/,
  },
];
