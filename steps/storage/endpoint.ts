/**
 * Where the bucket is reached from: inside the cluster (the OBC ConfigMap's `BUCKET_HOST` /
 * `BUCKET_PORT`, a `*.svc` Service host) and from this machine (the object store's Route).
 *
 * Facts (OpenShift Data Foundation): NooBaa's S3 Service `s3` in `openshift-storage` is exposed by
 * Route `s3` (host `s3-openshift-storage.<domain>`); Ceph RGW's Service
 * `rook-ceph-rgw-ocs-storagecluster-cephobjectstore` by Route `ocs-storagecluster-cephobjectstore`
 * (host `ocs-storagecluster-cephobjectstore-openshift-storage.<domain>`). A Route without
 * `spec.host` gets `<route>-<namespace>.<domain>` (OpenShift router default).
 */
import type { KubeClient } from '../../src/cluster/kube.js';
import type { KubeObject } from '../../src/engine/types.js';

/** Default Route names of ODF's S3 Services, by Service name. */
export const ODF_S3_ROUTES: Readonly<Record<string, string>> = {
  s3: 's3',
  'rook-ceph-rgw-ocs-storagecluster-cephobjectstore': 'ocs-storagecluster-cephobjectstore',
};

/** The in-cluster endpoint URL from a bucket ConfigMap's data: `https` when the port is 443, else `http`. */
export function inClusterEndpoint(data: Record<string, string>): string {
  const host = data['BUCKET_HOST'] ?? '';
  const port = data['BUCKET_PORT'] ?? '';
  const scheme = port === '443' ? 'https' : 'http';
  return `${scheme}://${host}${port ? `:${port}` : ''}`;
}

/** Service name and namespace of an in-cluster host (`name.ns.svc[.cluster.local]`); undefined otherwise. */
export function serviceOfHost(host: string): { name: string; namespace: string } | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?\.?$/i.exec(host);
  return m ? { name: (m[1] ?? '').toLowerCase(), namespace: (m[2] ?? '').toLowerCase() } : undefined;
}

interface RouteShape extends KubeObject {
  spec?: { host?: string; to?: { kind?: string; name?: string }; tls?: unknown };
}

/**
 * The S3 endpoint of a bucket host as seen from outside the cluster:
 * 1. a Route in the Service's namespace whose `spec.to` names the Service (TLS → https), when
 *    the user may list Routes there;
 * 2. else the ODF default Route host under `domain`;
 * 3. else undefined (the person must give it).
 * A host that is not a `*.svc` host is returned as it is (already external).
 */
export async function externalEndpointOf(kube: KubeClient, bucketHost: string, port: string | undefined, domain: string | undefined): Promise<string | undefined> {
  const svc = serviceOfHost(bucketHost);
  if (!svc) return `${port === '443' ? 'https' : 'http'}://${bucketHost}${port && port !== '443' && port !== '80' ? `:${port}` : ''}`;
  let routes: RouteShape[] = [];
  try {
    routes = await kube.list<RouteShape>('route.openshift.io/v1', 'Route', svc.namespace);
  } catch {
    // A project admin usually may not list Routes in openshift-storage: use the default host.
  }
  const matching = routes.filter((r) => (r.spec?.to?.kind ?? 'Service') === 'Service' && r.spec?.to?.name === svc.name && r.spec.host);
  const best = matching.find((r) => r.spec?.tls) ?? matching[0];
  if (best?.spec?.host) return `${best.spec.tls ? 'https' : 'http'}://${best.spec.host}`;
  if (!domain) return undefined;
  const routeName = ODF_S3_ROUTES[svc.name] ?? svc.name;
  return `https://${routeName}-${svc.namespace}.${domain}`;
}
