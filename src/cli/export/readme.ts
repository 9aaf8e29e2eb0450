/**
 * The README.md of an export: where the plans come from, the apply order, the Secrets to create
 * by hand (placeholders, never values), the API calls as curl lines, and the steps that could not
 * be planned and why.
 */
import { stringify } from 'yaml';
import type { UnplannedStep } from './collect.js';
import { CURL_VARIABLES, curlLine } from './curl.js';
import type { ExportEntry } from './entries.js';
import { secretCommands } from './secrets.js';

/**
 * API groups whose kinds exist only once an operator this setup subscribes to is installed
 * (STAGES.md §6 and §7; SIMULATOR.md §1 `installedBy`): group → OLM package.
 */
export const OPERATOR_GROUPS: Readonly<Record<string, string>> = {
  'keycloak.org': 'rhsso-operator',
  'apps.3scale.net': '3scale-operator',
  'capabilities.3scale.net': '3scale-operator',
};

/** Where the plans of an export come from, for the README header. */
export interface ExportSource {
  /** `cluster`: plan mode on a real or `--demo` cluster; `dry-run`: a throw-away simulated cluster. */
  kind: 'cluster' | 'dry-run';
  /** API server URL (cluster) or the simulation's wildcard domain (dry-run). */
  server: string;
  domain?: string;
  /** ISO-8601 time of the export. */
  at: string;
  answersFile?: string;
}

/**
 * The README text. `inputs`: the non-secret inputs the steps were planned with, by step (shown
 * as an answers file, so the export can be made again with the same values).
 */
export function readmeText(
  entries: readonly ExportEntry[],
  unplanned: readonly UnplannedStep[],
  source: ExportSource,
  inputs: Readonly<Record<string, Record<string, unknown>>> = {},
): string {
  const out: string[] = ['# maas-wizard export', ''];
  out.push(...header(source), '');
  out.push('## Apply order', '', '| # | step | what | how |', '|---|---|---|---|');
  for (const e of entries) out.push(`| ${e.n} | ${e.step} | ${cell([`${e.action} ${e.target}`, ...e.notes].join(' — '))} | ${cell(how(e))} |`);
  if (entries.length === 0) out.push('| – | – | nothing to change | – |');
  out.push('');

  const manifests = entries.filter((e) => e.kind === 'manifest');
  if (manifests.length > 0) {
    out.push('## Manifests', '', 'One object per file, numbered in apply order; the kustomization (file `Kustomization`, a name kustomize reads and `kubectl apply -f` skips) lists them in the same order.', '', '```sh', 'kubectl apply -f DIR     # or: kubectl apply -k DIR', '```', '');
    const waiting = [...new Set(manifests.map((e) => OPERATOR_GROUPS[e.manifest.apiVersion.split('/')[0] ?? '']).filter((p): p is string => Boolean(p)))];
    if (waiting.length > 0) {
      const kinds = [...new Set(manifests.filter((e) => OPERATOR_GROUPS[e.manifest.apiVersion.split('/')[0] ?? '']).map((e) => e.manifest.kind))];
      out.push(
        `${kinds.join(', ')} exist only once ${waiting.join(' and ')} ${waiting.length > 1 ? 'are' : 'is'} installed: the first apply creates the Subscriptions and reports those kinds as unknown.`,
        'Wait for the operators, then apply again (applying twice changes nothing that is already there):',
        '',
        '```sh',
        ...waiting.map((p) => `oc get csv -A | grep ${p}     # wait for PHASE Succeeded`),
        'kubectl apply -f DIR',
        '```',
        '',
      );
    }
  }

  const secrets = entries.filter((e) => e.kind === 'secret');
  if (secrets.length > 0) {
    out.push('## Secrets to create by hand', '', 'Secret values are never exported. Create each Secret when its turn comes in the order above, replacing the `<KEY>` placeholders:', '', '```sh');
    for (const e of secrets) out.push(`# ${e.n}: ${e.target}`, ...secretCommands(e.manifest), '');
    out.push('```', '');
  }

  const deletes = entries.filter((e) => e.kind === 'delete');
  if (deletes.length > 0) {
    out.push('## Objects to delete', '', '```sh');
    for (const e of deletes) out.push(`kubectl delete ${e.manifest.kind.toLowerCase()} ${e.manifest.metadata.name ?? ''}${e.manifest.metadata.namespace ? ` -n ${e.manifest.metadata.namespace}` : ''}   # ${e.n}`);
    out.push('```', '');
  }

  const calls = entries.filter((e) => e.kind === 'call');
  if (calls.length > 0) {
    const services = new Set(calls.map((e) => e.call.service));
    out.push('## API calls to make by hand', '', 'In order, each after the manifests numbered before it. Payloads are in `calls/`. Set the variables first:', '', '```sh');
    for (const v of CURL_VARIABLES) if (services.has(v.service)) out.push(`export ${v.name}=${v.how}`);
    out.push('');
    for (const e of calls) out.push(`# ${e.n}: ${e.target}`, curlLine(e.call, e.file));
    out.push('```', '');
    out.push(
      'Ids in paths (numbers in 3scale paths, ids of Keycloak clients and mappers) are those the planning cluster had; a placeholder such as `<id of client 3scale>` is an object created by an earlier call: use the id your server returned for it.',
      '',
    );
  }

  if (unplanned.length > 0) {
    out.push('## Not in this export', '');
    for (const u of unplanned) out.push(`- **${u.step}** (${u.title}): ${u.reason}`);
    out.push('');
    if (source.kind === 'cluster') out.push('Run `maas-wizard` up to those steps and export again, or use `maas-wizard export --dry-run` to plan every step on a throw-away simulated cluster.', '');
  }

  const used = Object.entries(inputs).filter(([, v]) => Object.keys(v).length > 0);
  if (used.length > 0) {
    out.push('## Inputs used', '', 'As an answers file (`maas-wizard --answers FILE`); secrets are not listed:', '', '```yaml', stringify(Object.fromEntries(used), { lineWidth: 0 }).trimEnd(), '```', '');
  }
  return out.join('\n');
}

function header(s: ExportSource): string[] {
  const answers = s.answersFile ? ` with the answers in \`${s.answersFile}\`` : ' with the default inputs';
  if (s.kind === 'dry-run') {
    return [
      `**Dry run** (${s.at}): planned${answers} on a throw-away **simulated** cluster (wildcard domain \`${s.domain ?? '?'}\`), not on your cluster.`,
      'The simulated cluster was set up step by step so that every step could be planned as it would be on a fresh cluster.',
      'What a cluster decides (wildcard domain, storage classes, operator channels, GPU nodes, bucket names, ids) comes from the simulation: check those values, or give them in the answers file, before applying.',
    ];
  }
  return [
    `Planned on **${s.server}** (${s.at})${answers}: the changes that cluster still needs, in apply order. Nothing was changed on it.`,
    'Objects already in place are not listed; steps that need the outputs of steps not done there yet are listed at the end.',
  ];
}

function how(e: ExportEntry): string {
  switch (e.kind) {
    case 'manifest':
      return `\`kubectl apply -f ${e.file}\``;
    case 'secret':
      return 'create by hand (see Secrets)';
    case 'delete':
      return 'kubectl delete (see Objects to delete)';
    case 'call':
      return `${e.call.service} API: ${e.call.method} ${e.call.path}${e.file ? ` with \`${e.file}\`` : ''}`;
  }
}

/** Text safe in a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
