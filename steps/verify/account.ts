/**
 * The throwaway developer account of the end-to-end check (STAGES.md §10): found by its username
 * (Account Find), created with Signup Express when absent (a random password that is never kept),
 * approved when pending, and one application per served product on the product's application
 * plan (Application Create). Removing the account (Account Delete) removes its applications.
 */
import { randomBytes } from 'node:crypto';
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { Account, Application } from '../../src/cluster/threescale/types.js';
import type { Change } from '../../src/engine/types.js';
import type { ServedProduct } from './types.js';

/** Organisation name, username and email of the check's developer account (fixed, so a second run finds it). */
export const CHECK_ACCOUNT = {
  orgName: 'maas-wizard-check',
  username: 'maas-wizard-check',
  email: 'maas-wizard-check@example.com',
} as const;

/** Name of the check's application on a product. */
export function applicationName(product: ServedProduct): string {
  return `maas-wizard check (${product.model})`;
}

/** The check account, if it exists (Account Find by username). */
export async function findCheckAccount(client: ThreescaleClient): Promise<Account | undefined> {
  return client.accounts.findBy({ username: CHECK_ACCOUNT.username });
}

/** The plan: the account (create or nothing) and one application per product (create or nothing). No secret values. */
export async function planAccount(client: ThreescaleClient, products: ServedProduct[]): Promise<Change[]> {
  const account = await findCheckAccount(client);
  const apps = account ? await client.applications(account.id).list() : [];
  const changes: Change[] = [
    account
      ? { action: 'none', target: `developer account ${CHECK_ACCOUNT.orgName}`, note: 'exists (kept from an earlier check)' }
      : {
          action: 'create',
          target: `developer account ${CHECK_ACCOUNT.orgName}`,
          call: {
            service: '3scale',
            method: 'POST',
            path: '/admin/api/signup.json',
            body: { org_name: CHECK_ACCOUNT.orgName, username: CHECK_ACCOUNT.username, email: CHECK_ACCOUNT.email, password: '<random, never kept>' },
          },
          note: 'throwaway account for the end-to-end check; removed afterwards unless --keep-test-account',
        },
  ];
  for (const p of products) {
    const existing = apps.find((a) => a.service_id === p.serviceId);
    changes.push(
      existing
        ? { action: 'none', target: `application "${applicationName(p)}" on product ${p.systemName}`, note: 'exists; replaced during the check so that its usage starts at zero' }
        : {
            action: 'create',
            target: `application "${applicationName(p)}" on product ${p.systemName}`,
            call: { service: '3scale', method: 'POST', path: `/admin/api/accounts/${account ? account.id : '<id of account>'}/applications.json`, body: { plan_id: p.applicationPlanId, name: applicationName(p) } },
            note: `on application plan ${p.applicationPlan}`,
          },
    );
  }
  return changes;
}

/** The check account and its application per product (service id → application, with its `user_key`). */
export interface CheckAccount {
  account: Account;
  applications: Map<number, Application>;
}

/**
 * Finds or creates the account (approving it when pending) and an application per product.
 * `fresh`: applications of earlier runs are replaced (their usage counters would trip the limits
 * early); applications whose id is in `keep` (made earlier in this same run) are reused.
 */
export async function ensureAccount(client: ThreescaleClient, products: ServedProduct[], options: { fresh: boolean; keep?: ReadonlySet<number> }): Promise<CheckAccount> {
  let account = await findCheckAccount(client);
  account ??= await client.signup({
    org_name: CHECK_ACCOUNT.orgName,
    username: CHECK_ACCOUNT.username,
    email: CHECK_ACCOUNT.email,
    password: randomBytes(18).toString('base64url'),
  });
  if (account.state && account.state !== 'approved') account = await client.accounts.approve(account.id);
  const resource = client.applications(account.id);
  const existing = await resource.list();
  const applications = new Map<number, Application>();
  for (const p of products) {
    let app = existing.find((a) => a.service_id === p.serviceId && a.state !== 'suspended');
    if (app && options.fresh && !options.keep?.has(app.id)) {
      await resource.delete(app.id);
      app = undefined;
    }
    app ??= await resource.create({ plan_id: p.applicationPlanId, name: applicationName(p), description: 'created by maas-wizard for the end-to-end check' });
    applications.set(p.serviceId, app);
  }
  return { account, applications };
}

/** Deletes the check account (and so its applications); false when it was already gone. */
export async function deleteCheckAccount(client: ThreescaleClient): Promise<boolean> {
  const account = await findCheckAccount(client);
  return account ? client.accounts.delete(account.id) : false;
}
