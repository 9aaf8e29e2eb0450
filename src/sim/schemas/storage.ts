/**
 * Schema of ObjectBucketClaim (objectbucket.io/v1alpha1), read from the NooBaa/ODF CRD:
 * `spec.storageClassName` required; bucketName, generateBucketName, objectBucketName strings;
 * `additionalConfig` a string map.
 */
import { kindSchema, obj, str, stringMap } from './common.js';
import type { JsonSchema } from './common.js';

/** ObjectBucketClaim (objectbucket.io/v1alpha1): `spec.storageClassName` required. */
export const objectBucketClaim: JsonSchema = kindSchema(
  obj({ storageClassName: str, bucketName: str, generateBucketName: str, objectBucketName: str, additionalConfig: stringMap }, ['storageClassName']),
);
