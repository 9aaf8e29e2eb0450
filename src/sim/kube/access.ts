/**
 * Identity and RBAC of the simulated user. Every API request is checked against it (403 Forbidden
 * with the real message when denied), `SelfSubjectAccessReview` answers `status.allowed` from the
 * same rules, and an expired token answers 401 Unauthorized to everything.
 */
import { randomBytes } from 'node:crypto';

/** A denial: matches requests whose fields equal the given ones (absent = any). `group` `''` is the core group. */
export interface DenyRule {
  verb?: string;
  group?: string;
  resource: string;
  namespace?: string;
}

/** The simulated user and what it may do. Everything is allowed unless denied. */
export interface AccessPolicy {
  /** User name, as `users/~` and Forbidden messages show it (e.g. `developer`). */
  user: string;
  groups: string[];
  /** The bearer token the API server accepts. Secret: never logged. */
  token: string;
  /** When true every request answers 401 Unauthorized (an expired `oc login` token). */
  tokenExpired: boolean;
  /** Adds a denial; `resource` is the plural (`secrets`), or `pods/log` for a subresource. */
  deny(rule: DenyRule): void;
  /** True when no rule denies `verb` on `resource` of API `group` (in `namespace`, or cluster scope when undefined). */
  allows(verb: string, group: string, resource: string, namespace?: string): boolean;
}

/**
 * Creates the policy of a cluster administrator-like user (`kube:admin`-style: everything allowed),
 * with a random token unless given. Options: `user` (default `developer`), `groups`, `token`.
 */
export function createAccessPolicy(options: { user?: string; groups?: string[]; token?: string } = {}): AccessPolicy {
  const rules: DenyRule[] = [];
  return {
    user: options.user ?? 'developer',
    groups: options.groups ?? ['system:authenticated:oauth', 'system:authenticated'],
    token: options.token ?? `sha256~${randomBytes(24).toString('base64url')}`,
    tokenExpired: false,
    deny(rule) {
      rules.push({ ...rule });
    },
    allows(verb, group, resource, namespace) {
      return !rules.some(
        (r) =>
          r.resource === resource &&
          (r.verb === undefined || r.verb === verb || r.verb === '*') &&
          (r.group === undefined || r.group === group) &&
          (r.namespace === undefined || r.namespace === namespace),
      );
    },
  };
}
