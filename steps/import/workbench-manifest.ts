/**
 * The ODH-TEC workbench of import method `workbench` (STAGES.md §4 c, as in the guide): a
 * Notebook (`kubeflow.org/v1`, the CRD of OpenShift AI workbenches, opendatahub-io/kubeflow
 * `kubeflow.org_notebooks.yaml`) running `quay.io/rh-aiservices-bu/odh-tec:latest`, with the data
 * connection's keys as environment (`envFrom` its Secret: `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_S3_ENDPOINT`, `AWS_S3_BUCKET`, `AWS_DEFAULT_REGION`) and the
 * Hugging Face token from Secret `hf-token` (`HF_TOKEN`, optional), labelled and annotated as the
 * OpenShift AI dashboard labels the workbenches it creates (`opendatahub.io/dashboard: "true"`,
 * `notebooks.opendatahub.io/inject-oauth: "true"`: the odh-notebook-controller puts an OAuth proxy
 * and a Route named after the Notebook in front of it).
 */
import type { Change, KubeObject } from '../../src/engine/types.js';
import { HF_TOKEN_KEY } from './token.js';

/** The image of the guide's workbench. */
export const ODH_TEC_IMAGE = 'quay.io/rh-aiservices-bu/odh-tec:latest';

/** Port the workbench container listens on (Jupyter's, which the notebook controller's Service targets). */
export const WORKBENCH_PORT = 8888;

/** What the Notebook needs. */
export interface WorkbenchOptions {
  namespace: string;
  name: string;
  image: string;
  /** The data connection Secret (`aws-connection-<name>`). */
  connection: string;
  /** The Secret holding `HF_TOKEN`. */
  tokenSecret: string;
}

/** The path the workbench is served under: `NB_PREFIX` = `/notebook/<namespace>/<name>` (set by the dashboard too). */
export function workbenchPrefix(namespace: string, name: string): string {
  return `/notebook/${namespace}/${name}`;
}

/** The Notebook manifest. */
export function workbenchNotebook(o: WorkbenchOptions): KubeObject {
  return {
    apiVersion: 'kubeflow.org/v1', kind: 'Notebook',
    metadata: {
      name: o.name, namespace: o.namespace,
      labels: { app: o.name, 'opendatahub.io/dashboard': 'true', 'opendatahub.io/odh-managed': 'true', 'app.kubernetes.io/managed-by': 'maas-wizard' },
      annotations: {
        'openshift.io/display-name': 'ODH-TEC (model import)',
        'openshift.io/description': 'Import models from Hugging Face into the bucket of the data connection (maas-wizard, method workbench).',
        'notebooks.opendatahub.io/inject-oauth': 'true',
        'opendatahub.io/image-display-name': 'ODH-TEC',
      },
    },
    spec: {
      template: {
        spec: {
          enableServiceLinks: false,
          containers: [{
            name: o.name, image: o.image, imagePullPolicy: 'Always', workingDir: '/opt/app-root/src',
            env: [
              { name: 'NB_PREFIX', value: workbenchPrefix(o.namespace, o.name) },
              { name: HF_TOKEN_KEY, valueFrom: { secretKeyRef: { name: o.tokenSecret, key: HF_TOKEN_KEY, optional: true } } },
            ],
            envFrom: [{ secretRef: { name: o.connection } }],
            ports: [{ name: 'notebook-port', containerPort: WORKBENCH_PORT, protocol: 'TCP' }],
            resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
          }],
        },
      },
    },
  };
}

/** The container of a Notebook (first), as far as this module sets it. */
function containerOf(nb: KubeObject | undefined): { image?: string; envFrom?: { secretRef?: { name?: string } }[] } | undefined {
  return (nb?.['spec'] as { template?: { spec?: { containers?: { image?: string; envFrom?: { secretRef?: { name?: string } }[] }[] } } } | undefined)?.template?.spec?.containers?.[0];
}

/**
 * The change for the workbench: create when absent; nothing when it runs the image with the data
 * connection; else update (image and connection).
 */
export function workbenchChange(current: KubeObject | undefined, wanted: KubeObject): Change {
  const target = `Notebook ${wanted.metadata.namespace ?? ''}/${wanted.metadata.name ?? ''}`;
  if (!current) return { action: 'create', target, manifest: wanted, note: 'the ODH-TEC workbench, with the data connection; you import the models in it by hand' };
  const have = containerOf(current);
  const want = containerOf(wanted);
  const diff = [];
  if (have?.image !== want?.image) diff.push({ path: 'spec.template.spec.containers[0].image', from: have?.image, to: want?.image });
  const conn = (c: typeof have): string | undefined => c?.envFrom?.find((e) => e.secretRef)?.secretRef?.name;
  if (conn(have) !== conn(want)) diff.push({ path: 'spec.template.spec.containers[0].envFrom', from: conn(have), to: conn(want) });
  return diff.length === 0 ? { action: 'none', target, note: 'runs ODH-TEC with the data connection' } : { action: 'update', target, manifest: wanted, diff };
}
