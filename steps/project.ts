/**
 * Stage 1, project (STAGES.md §1): the namespace the models live in, created through a
 * `project.openshift.io/v1` ProjectRequest on OpenShift (the user becomes its admin) or as a
 * plain Namespace elsewhere, labelled `modelmesh-enabled: "false"` (single-model serving,
 * KServe) and `opendatahub.io/dashboard: "true"` (shown in the OpenShift AI dashboard). An
 * existing namespace is adopted: labels added with a merge patch, never deleted.
 */
import { z } from 'zod';
import { KubeApiError } from '../src/cluster/errors.js';
import type { Services } from '../src/cluster/services.js';
import { UserError, userErrorOf } from '../src/engine/errors.js';
import type { Change, Diagnosis, FieldDiff, KubeObject, Step, StepContext } from '../src/engine/types.js';
import { preflightFacts } from './preflight-facts.js';

/** The labels every model namespace carries (STAGES.md §1). */
export const PROJECT_LABELS: Readonly<Record<string, string>> = {
  'modelmesh-enabled': 'false',
  'opendatahub.io/dashboard': 'true',
};

/** RFC 1123 label: what Kubernetes accepts as a Namespace name. */
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Inputs: the namespace name (default `llm-hosting`), an RFC 1123 label. */
export const projectInputs = z.object({
  namespace: z
    .string()
    .default('llm-hosting')
    .refine((v) => v.length <= 63 && RFC1123_LABEL.test(v), {
      message: 'must be a lowercase RFC 1123 label: at most 63 characters, lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. llm-hosting)',
    }),
});
type Inputs = z.infer<typeof projectInputs>;

/** Outputs: the namespace later stages write into. */
export interface ProjectOutputs {
  namespace: string;
}

/** True on OpenShift (preflight's fact, else the `project.openshift.io` API group). */
async function onOpenShift(ctx: StepContext<Inputs, Services>): Promise<boolean> {
  const facts = preflightFacts(ctx);
  if (facts) return facts.isOpenShift;
  return ctx.services.kube.hasApiGroup('project.openshift.io');
}

/** The labels that differ from PROJECT_LABELS, as field diffs. */
function labelDiff(current: Record<string, string> | undefined): FieldDiff[] {
  return Object.entries(PROJECT_LABELS)
    .filter(([k, v]) => current?.[k] !== v)
    .map(([k, v]) => ({ path: `metadata.labels.${k}`, from: current?.[k], to: v }));
}

function labelPatch(name: string, diff: FieldDiff[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: Object.fromEntries(diff.map((d) => [d.path.slice('metadata.labels.'.length), String(d.to)])) } };
}

/** The project step. */
export const projectStep: Step<Inputs, ProjectOutputs, Services> = {
  id: 'project',
  stage: 'project',
  title: 'Create the project',
  needs: ['preflight'],
  inputs: projectInputs,
  fields: [
    {
      key: 'namespace',
      label: 'Project (namespace)',
      help: 'Where the bucket claim, data connection and models live. An existing project is adopted: labels are added, nothing is deleted.',
      kind: 'text',
    },
  ],
  async plan(ctx) {
    const name = ctx.inputs.namespace;
    const ns = await ctx.services.kube.get('v1', 'Namespace', name);
    if (ns) {
      const phase = (ns['status'] as { phase?: string } | undefined)?.phase;
      if (phase === 'Terminating') {
        throw new UserError('project.terminating', `namespace ${name} is being deleted (phase Terminating)`, {
          fix: `wait until \`oc get namespace ${name}\` says NotFound, or choose another name`,
        });
      }
      const diff = labelDiff(ns.metadata.labels);
      if (diff.length === 0) return [{ action: 'none', target: `Namespace ${name}`, note: 'exists with the labels' }];
      return [{ action: 'update', target: `Namespace ${name}`, manifest: labelPatch(name, diff), diff, note: 'existing namespace adopted: labels added' }];
    }
    const diff = labelDiff(undefined);
    if (await onOpenShift(ctx)) {
      const request: KubeObject = { apiVersion: 'project.openshift.io/v1', kind: 'ProjectRequest', metadata: { name }, displayName: name };
      return [
        { action: 'create', target: `Project ${name}`, manifest: request, note: 'through a ProjectRequest, so you become its admin' },
        { action: 'update', target: `Namespace ${name}`, manifest: labelPatch(name, diff), diff },
      ];
    }
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...PROJECT_LABELS } } };
    return [{ action: 'create', target: `Namespace ${name}`, manifest: namespace }];
  },
  async apply(ctx, plan: Change[]) {
    const { kube } = ctx.services;
    const name = ctx.inputs.namespace;
    for (const change of plan) {
      if (change.action === 'none' || !change.manifest) continue;
      if (change.action === 'create') {
        try {
          await kube.create(change.manifest);
        } catch (err) {
          // Created meanwhile (another wizard, a person): adopt it; the label change follows.
          if (!(err instanceof KubeApiError && err.status === 409)) throw err;
        }
        if (change.manifest.kind === 'ProjectRequest') {
          await kube.waitForObject(ctx.waitFor, { apiVersion: 'v1', kind: 'Namespace', name }, (o) => (o ? { state: 'done', value: o } : { state: 'pending', currently: 'not created yet' }), {
            what: `namespace ${name}`,
            timeoutMs: 60_000,
            intervalMs: 250,
          });
        }
      } else if (change.action === 'update') {
        const labels = change.manifest.metadata.labels ?? {};
        await kube.mergePatch({ apiVersion: 'v1', kind: 'Namespace', name }, { metadata: { labels } });
      }
    }
  },
  async verify(ctx) {
    const name = ctx.inputs.namespace;
    const ns = await ctx.services.kube.get('v1', 'Namespace', name);
    if (!ns) throw new UserError('project.missing', `namespace ${name} does not exist`, { fix: 'run the project step again' });
    const phase = (ns['status'] as { phase?: string } | undefined)?.phase;
    if (phase !== 'Active') throw new UserError('project.not-active', `namespace ${name} is ${phase ?? 'without a phase'}, not Active`, { fix: `check \`oc get namespace ${name} -o yaml\`` });
    const missing = labelDiff(ns.metadata.labels);
    if (missing.length > 0) {
      throw new UserError('project.labels', `namespace ${name} lacks the labels ${missing.map((d) => `${d.path.slice(16)}=${String(d.to)}`).join(', ')}`, {
        fix: `oc label namespace ${name} ${missing.map((d) => `${d.path.slice(16)}=${String(d.to)}`).join(' ')} --overwrite`,
      });
    }
    return { namespace: name };
  },
  async diagnose(ctx, error): Promise<Diagnosis | undefined> {
    const user = userErrorOf(error);
    if (user?.code !== 'rbac.denied') return undefined;
    const who = preflightFacts(ctx)?.user ?? '<you>';
    const name = ctx.inputs.namespace;
    const projectDenied = /projectrequests|may not request a new project/i.test(user.message);
    // OpenShift answers 403 to reading a project one is not a member of: it exists with other owners
    // (or this user may read no namespace at all); either way this name cannot be used as it is.
    const readDenied = /cannot (get|list|watch) resource "namespaces"/i.test(user.message) || new RegExp(`\\bget Namespace ${name}\\b`).test(user.message);
    if (readDenied) {
      return {
        summary: `namespace ${name} cannot be read by ${who}: it exists and belongs to someone else, or you may not read namespaces (${user.message})`,
        fix: `choose another name (project.namespace in the answers file, or the Project field), or ask its admin to add you: \`oc adm policy add-role-to-user admin ${who} -n ${name}\``,
      };
    }
    return projectDenied
      ? {
          summary: `you may not create projects on this cluster (self-provisioning is off or denied): ${user.message}`,
          fix: `ask a cluster admin to create project ${name} for you (\`oc new-project ${name}\` then \`oc adm policy add-role-to-user admin ${who} -n ${name}\`), or to grant self-provisioner; then run again: the existing project is adopted`,
        }
      : {
          summary: `the cluster refused a change to namespace ${name}: ${user.message}`,
          fix: user.fix ?? `ask a cluster admin to label it: oc label namespace ${name} modelmesh-enabled=false opendatahub.io/dashboard=true --overwrite`,
        };
  },
  explain: {
    what: 'Creates the project the models live in (or adopts an existing one) and labels it for single-model serving (KServe) and the OpenShift AI dashboard.',
    why: 'OpenShift AI shows only labelled projects in its dashboard, and `modelmesh-enabled: "false"` selects KServe single-model serving.',
    commands: [
      'oc new-project llm-hosting',
      'oc label namespace llm-hosting modelmesh-enabled=false opendatahub.io/dashboard=true --overwrite',
      'oc get namespace llm-hosting -o jsonpath="{.status.phase}"',
    ],
  },
};
