/**
 * The operator catalog of the simulated cluster: what `redhat-operators` offers, as
 * PackageManifests (`packages.operators.coreos.com/v1`, served by OLM's package server in
 * `openshift-marketplace`), plus what OLM installs for each package (the operator Deployment and
 * the CRDs it owns).
 *
 * Facts: `rhsso-operator` has channel `stable` and supports only the OwnNamespace and
 * SingleNamespace install modes (STAGES.md §6); `3scale-operator` has channels
 * `threescale-2.13` … `threescale-2.16` (the simulation offers 2.15 and 2.16, default 2.16) and
 * is installed with an OperatorGroup targeting only its namespace (STAGES.md §7). CSV names
 * follow the published bundles (`rhsso-operator.7.6.11-opr-003`; 3scale 2.15 = operator 0.12,
 * 2.16 = operator 0.13).
 */
import type { KubeObject } from '../../engine/types.js';

/** One channel of a package. */
export interface CatalogChannel {
  name: string;
  currentCSV: string;
  version: string;
}

/** One package of the catalog. */
export interface CatalogPackage {
  name: string;
  displayName: string;
  provider: string;
  defaultChannel: string;
  channels: CatalogChannel[];
  /** Install modes the CSV declares (OLM `spec.installModes`). */
  installModes: { OwnNamespace: boolean; SingleNamespace: boolean; MultiNamespace: boolean; AllNamespaces: boolean };
  /** Name of the Deployment the CSV's install strategy creates. */
  deployment: string;
  /** CRDs the CSV owns (`spec.customresourcedefinitions.owned`). */
  owned: { name: string; kind: string; version: string }[];
}

/** The catalog source every package comes from. */
export const CATALOG_SOURCE = { name: 'redhat-operators', namespace: 'openshift-marketplace', displayName: 'Red Hat Operators', publisher: 'Red Hat' };

/** Packages the simulated `redhat-operators` catalog offers. */
export const CATALOG: CatalogPackage[] = [
  {
    name: 'rhsso-operator',
    displayName: 'Red Hat Single Sign-On Operator',
    provider: 'Red Hat',
    defaultChannel: 'stable',
    channels: [{ name: 'stable', currentCSV: 'rhsso-operator.7.6.11-opr-003', version: '7.6.11-opr-003' }],
    installModes: { OwnNamespace: true, SingleNamespace: true, MultiNamespace: false, AllNamespaces: false },
    deployment: 'rhsso-operator',
    owned: [
      { name: 'keycloaks.keycloak.org', kind: 'Keycloak', version: 'v1alpha1' },
      { name: 'keycloakrealms.keycloak.org', kind: 'KeycloakRealm', version: 'v1alpha1' },
      { name: 'keycloakclients.keycloak.org', kind: 'KeycloakClient', version: 'v1alpha1' },
      { name: 'keycloakusers.keycloak.org', kind: 'KeycloakUser', version: 'v1alpha1' },
      { name: 'keycloakbackups.keycloak.org', kind: 'KeycloakBackup', version: 'v1alpha1' },
    ],
  },
  {
    name: '3scale-operator',
    displayName: 'Red Hat Integration - 3scale',
    provider: 'Red Hat',
    defaultChannel: 'threescale-2.16',
    channels: [
      { name: 'threescale-2.15', currentCSV: '3scale-operator.v0.12.3', version: '0.12.3' },
      { name: 'threescale-2.16', currentCSV: '3scale-operator.v0.13.1', version: '0.13.1' },
    ],
    installModes: { OwnNamespace: true, SingleNamespace: true, MultiNamespace: false, AllNamespaces: false },
    deployment: 'threescale-operator-controller-manager-v2',
    owned: [
      { name: 'apimanagers.apps.3scale.net', kind: 'APIManager', version: 'v1alpha1' },
      { name: 'custompolicydefinitions.capabilities.3scale.net', kind: 'CustomPolicyDefinition', version: 'v1beta1' },
    ],
  },
];

/** The package of that name, or undefined. */
export function catalogPackage(name: string): CatalogPackage | undefined {
  return CATALOG.find((p) => p.name === name);
}

/** `spec.installModes` of a CSV, as OLM lists them. */
export function installModesOf(pkg: Pick<CatalogPackage, 'installModes'>): { type: string; supported: boolean }[] {
  return (['OwnNamespace', 'SingleNamespace', 'MultiNamespace', 'AllNamespaces'] as const).map((type) => ({ type, supported: pkg.installModes[type] }));
}

/** The PackageManifest the package server shows for `pkg` (status holds everything; spec is empty). */
export function packageManifest(pkg: CatalogPackage): KubeObject {
  return {
    apiVersion: 'packages.operators.coreos.com/v1',
    kind: 'PackageManifest',
    metadata: {
      name: pkg.name,
      namespace: CATALOG_SOURCE.namespace,
      labels: {
        catalog: CATALOG_SOURCE.name,
        'catalog-namespace': CATALOG_SOURCE.namespace,
        provider: pkg.provider,
        'provider-url': '',
        'operatorframework.io/arch.amd64': 'supported',
        'operatorframework.io/os.linux': 'supported',
      },
    },
    spec: {},
    status: {
      catalogSource: CATALOG_SOURCE.name,
      catalogSourceDisplayName: CATALOG_SOURCE.displayName,
      catalogSourceNamespace: CATALOG_SOURCE.namespace,
      catalogSourcePublisher: CATALOG_SOURCE.publisher,
      packageName: pkg.name,
      provider: { name: pkg.provider },
      defaultChannel: pkg.defaultChannel,
      channels: pkg.channels.map((c) => ({
        name: c.name,
        currentCSV: c.currentCSV,
        currentCSVDesc: {
          displayName: pkg.displayName,
          version: c.version,
          provider: { name: pkg.provider },
          installModes: installModesOf(pkg),
          customresourcedefinitions: { owned: pkg.owned.map((o) => ({ ...o, displayName: o.kind })) },
        },
      })),
    },
  };
}
