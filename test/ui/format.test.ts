import { describe, expect, it } from 'vitest';
import { FROZEN_ELAPSED, formatBytes, formatDuration, formatElapsed, planLines, progressBar, redactBody } from '../../src/ui/format.js';

describe('format', () => {
  it('formats durations in m:ss and h:mm:ss', () => {
    expect(formatDuration(5_400)).toBe('0:05');
    expect(formatDuration(754_000)).toBe('12:34');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5)).toBe('0:00');
  });

  it('never reads the clock for a running time without `now`', () => {
    expect(formatElapsed(1_000, undefined, undefined)).toBe(FROZEN_ELAPSED);
    expect(formatElapsed(1_000, undefined, 61_000)).toBe('1:00');
    expect(formatElapsed(1_000, 3_000, undefined)).toBe('0:02');
    expect(formatElapsed(undefined, undefined, 5)).toBe('');
  });

  it('formats sizes with decimal units and bars of a fixed width', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(4_900_000_000)).toBe('4.9 GB');
    expect(formatBytes(16_100_000_000)).toBe('16.1 GB');
    expect(formatBytes(547_000_000)).toBe('547 MB');
    expect(formatBytes(50_000_000)).toBe('50 MB');
    expect(progressBar(0.5, 12)).toBe('[█████░░░░░]');
    expect(progressBar(2, 6)).toBe('[████]');
    expect(progressBar(Number.NaN, 6)).toBe('[░░░░]');
  });
});

describe('planLines', () => {
  it('shows manifests as YAML, API calls as METHOD path + body, diffs and notes', () => {
    const text = planLines([
      {
        action: 'create',
        target: 'ObjectBucketClaim llm-hosting/models',
        manifest: {
          apiVersion: 'objectbucket.io/v1alpha1',
          kind: 'ObjectBucketClaim',
          metadata: { name: 'models', namespace: 'llm-hosting' },
          spec: { generateBucketName: 'models', storageClassName: 'ocs-storagecluster-ceph-rgw' },
        },
      },
      {
        action: 'update',
        target: 'client 3scale in realm maas',
        call: { service: 'keycloak', method: 'PUT', path: '/admin/realms/maas/clients/1', body: { publicClient: false } },
        diff: [{ path: 'publicClient', from: true, to: false }],
        note: 'read back after writing',
      },
      { action: 'none', target: 'Namespace llm-hosting' },
    ])
      .map((l) => l.text)
      .join('\n');
    expect(text).toContain('+ create ObjectBucketClaim llm-hosting/models');
    expect(text).toContain('  kind: ObjectBucketClaim');
    expect(text).toContain('    storageClassName: ocs-storagecluster-ceph-rgw');
    expect(text).toContain('  PUT /admin/realms/maas/clients/1  (keycloak)');
    expect(text).toContain('    publicClient: false');
    expect(text).toContain('  ~ publicClient: true → false');
    expect(text).toContain('read back after writing');
    expect(text).toContain('= unchanged Namespace llm-hosting');
  });

  it('never shows a secret value: Secret data and secret-named body keys are hidden unless references', () => {
    const text = planLines([
      {
        action: 'create',
        target: 'Secret llm-hosting/aws-connection-models',
        manifest: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'aws-connection-models' },
          stringData: { AWS_ACCESS_KEY_ID: '<from Secret models>', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-real' },
        },
      },
      {
        action: 'create',
        target: 'authentication provider keycloak',
        call: { service: '3scale', method: 'POST', path: '/admin/api/authentication_providers.json', body: { client_id: '3scale', client_secret: 's3cr3t-value' } },
      },
    ])
      .map((l) => l.text)
      .join('\n');
    expect(text).not.toContain('wJalrXUtnFEMI-real');
    expect(text).not.toContain('s3cr3t-value');
    expect(text).toContain("AWS_ACCESS_KEY_ID: <from Secret models>");
    expect(text).toContain('client_id: 3scale');
    expect(redactBody([{ password: 'x', nested: { access_token: 'y' } }])).toEqual([{ password: '<hidden>', nested: { access_token: '<hidden>' } }]);
  });
});
