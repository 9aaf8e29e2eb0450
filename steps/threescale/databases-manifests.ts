/**
 * Manifests of the databases the wizard creates for 3scale 2.16+ (STAGES.md §7 "Databases"): one
 * Redis (Red Hat `rhel9/redis-7` image: `REDIS_PASSWORD`, data in `/var/lib/redis/data`) serving
 * backend storage (db 0), backend queues (db 1) and system (db 2), and one PostgreSQL (Red Hat
 * `rhel9/postgresql-13` image: `POSTGRESQL_USER`, `POSTGRESQL_PASSWORD`, `POSTGRESQL_DATABASE`,
 * data in `/var/lib/pgsql/data`), each a Deployment (Recreate: a ReadWriteOnce volume) + Service +
 * PersistentVolumeClaim; passwords live only in Secret `maas-3scale-databases`. The Secrets the
 * 3scale operator reads: `backend-redis` (`REDIS_STORAGE_URL`, `REDIS_QUEUES_URL`), `system-redis`
 * (`URL`), `system-database` (`URL`, `DB_USER`, `DB_PASSWORD`).
 */
import type { KubeObject } from '../../src/engine/types.js';
import { KINDS, secretManifest } from './shared.js';

/** Names of what this module makes. */
export const DB = {
  redis: 'maas-redis',
  postgresql: 'maas-postgresql',
  /** Secret with the generated passwords (REDIS_PASSWORD, POSTGRESQL_PASSWORD). */
  credentials: 'maas-3scale-databases',
  databaseUser: 'system',
  databaseName: 'system',
} as const;

/** The three Secrets the APIManager reads for external databases, with their keys (3scale-operator docs). */
export const OPERATOR_SECRETS = {
  'backend-redis': ['REDIS_STORAGE_URL', 'REDIS_QUEUES_URL'],
  'system-redis': ['URL'],
  'system-database': ['URL', 'DB_USER', 'DB_PASSWORD'],
} as const;

const LABELS = { 'app.kubernetes.io/part-of': 'maas-wizard', 'app.kubernetes.io/component': '3scale-database' };
/** The operator restarts the components that read a Secret only when it carries this label (3scale-operator "watched-by"). */
const WATCHED = { ...LABELS, 'apimanager.apps.3scale.net/watched-by': 'apimanager' };

/** A PersistentVolumeClaim (ReadWriteOnce) of `size` (Kubernetes quantity, e.g. `1Gi`); no class = the cluster default. */
export function pvc(namespace: string, name: string, size: string, storageClass?: string): KubeObject {
  return {
    ...KINDS.pvc,
    metadata: { name, namespace, labels: { ...LABELS, app: name } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...(storageClass ? { storageClassName: storageClass } : {}) },
  };
}

/** A ClusterIP Service on `port` for the Deployment `name`. */
export function service(namespace: string, name: string, port: number): KubeObject {
  return { ...KINDS.service, metadata: { name, namespace, labels: { ...LABELS, app: name } }, spec: { selector: { app: name }, ports: [{ name: 'tcp', port, targetPort: port, protocol: 'TCP' }] } };
}

function deployment(namespace: string, name: string, image: string, port: number, mountPath: string, env: Record<string, unknown>[]): KubeObject {
  return {
    ...KINDS.deployment,
    metadata: { name, namespace, labels: { ...LABELS, app: name } },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { ...LABELS, app: name } },
        spec: {
          containers: [{
            name,
            image,
            ports: [{ containerPort: port, protocol: 'TCP' }],
            env,
            readinessProbe: { tcpSocket: { port }, initialDelaySeconds: 5, periodSeconds: 10 },
            volumeMounts: [{ name: 'data', mountPath }],
          }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: name } }],
        },
      },
    },
  };
}

const fromCredentials = (name: string, key: string): Record<string, unknown> => ({ name, valueFrom: { secretKeyRef: { name: DB.credentials, key } } });

/** The Redis Deployment (password from Secret maas-3scale-databases). */
export function redisDeployment(namespace: string, image: string): KubeObject {
  return deployment(namespace, DB.redis, image, 6379, '/var/lib/redis/data', [fromCredentials('REDIS_PASSWORD', 'REDIS_PASSWORD')]);
}

/** The PostgreSQL Deployment (user and database `system`, password from Secret maas-3scale-databases). */
export function postgresqlDeployment(namespace: string, image: string): KubeObject {
  return deployment(namespace, DB.postgresql, image, 5432, '/var/lib/pgsql/data', [
    { name: 'POSTGRESQL_USER', value: DB.databaseUser },
    { name: 'POSTGRESQL_DATABASE', value: DB.databaseName },
    fromCredentials('POSTGRESQL_PASSWORD', 'POSTGRESQL_PASSWORD'),
  ]);
}

/** In-cluster URL of a Service: `<scheme>://[user][:password@]<name>.<ns>.svc.cluster.local:<port>/<path>`. */
function url(scheme: string, namespace: string, name: string, port: number, path: string, user: string, password: string): string {
  const auth = password ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}@` : '';
  return `${scheme}://${auth}${name}.${namespace}.svc.cluster.local:${port}/${path}`;
}

/** Connection values of the wizard-made databases, with the passwords. */
export function createdConnections(namespace: string, redisPassword: string, dbPassword: string): ConnectionValues {
  return {
    backendRedisStorageUrl: url('redis', namespace, DB.redis, 6379, '0', '', redisPassword),
    backendRedisQueuesUrl: url('redis', namespace, DB.redis, 6379, '1', '', redisPassword),
    systemRedisUrl: url('redis', namespace, DB.redis, 6379, '2', '', redisPassword),
    systemDatabaseUrl: url('postgresql', namespace, DB.postgresql, 5432, DB.databaseName, DB.databaseUser, dbPassword),
    databaseUser: DB.databaseUser,
    databasePassword: dbPassword,
  };
}

/** What the three operator Secrets hold. */
export interface ConnectionValues {
  backendRedisStorageUrl: string;
  backendRedisQueuesUrl: string;
  systemRedisUrl: string;
  systemDatabaseUrl: string;
  databaseUser: string;
  databasePassword: string;
}

/** A URL with its password set (existing servers: the password comes from a secret input). */
export function withPassword(raw: string, password: string | undefined, user?: string): string {
  if (!password) return raw;
  const u = new URL(raw);
  if (user !== undefined && !u.username) u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** The three operator Secrets with their values. */
export function operatorSecrets(namespace: string, v: ConnectionValues): KubeObject[] {
  return [
    secretManifest(namespace, 'backend-redis', { REDIS_STORAGE_URL: v.backendRedisStorageUrl, REDIS_QUEUES_URL: v.backendRedisQueuesUrl }, WATCHED),
    secretManifest(namespace, 'system-redis', { URL: v.systemRedisUrl }, WATCHED),
    secretManifest(namespace, 'system-database', { URL: v.systemDatabaseUrl, DB_USER: v.databaseUser, DB_PASSWORD: v.databasePassword }, WATCHED),
  ];
}
