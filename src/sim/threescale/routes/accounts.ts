/**
 * Developer accounts, users, service subscriptions and applications (3scale AM API "Signup Express",
 * "Account *", "Service Subscription *", "Application *", "Application Key *"). Passwords given to
 * Signup Express are accepted and dropped: the simulation keeps no secrets it does not need.
 */
import { ApiError, assignStrings, int, invalid, str } from '../http.js';
import { createAccount, createApplication, find, remove, subscribe } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import type { Rec } from '../state.js';
import { created, deleted, list, ok, one, route, touch } from './common.js';

const appView = (a: Rec): Rec => ({ ...a, user_account_id: a.account_id });
const contractView = (c: Rec): Rec => ({ ...c, user_account_id: c.account_id, type: 'ServiceContract' });

function accountRoutes(): Route[] {
  const accountOf = (ctx: RouteContext, key = 'id'): Rec => find(ctx.tenant.accounts, ctx.path[key]);
  return [
    route('POST', '/admin/api/signup.xml', ['org_name', 'username', 'email', 'password'], (ctx) => {
      const { account } = createAccount(ctx.tenant, ctx.now, {
        org_name: str(ctx.params, 'org_name') ?? '',
        username: str(ctx.params, 'username') ?? '',
        email: str(ctx.params, 'email') ?? '',
      });
      const servicePlanId = int(ctx.params, 'service_plan_id');
      for (const plan of ctx.tenant.plans) {
        if (plan.type !== 'service_plan') continue;
        if (servicePlanId !== undefined ? plan.id === servicePlanId : plan.default === true) subscribe(ctx.tenant, ctx.now, account.id, plan);
      }
      const appPlanId = int(ctx.params, 'application_plan_id');
      if (appPlanId !== undefined) {
        const plan = find(ctx.tenant.plans, appPlanId, (p) => p.type === 'application_plan');
        createApplication(ctx.tenant, ctx.now, account, plan, { name: `${String(account.org_name)}'s App` });
      }
      return created(one('account', account));
    }),
    route('GET', '/admin/api/accounts.xml', [], (ctx) => ok(list('accounts', 'account', ctx.tenant.accounts, ctx.params))),
    route('GET', '/admin/api/accounts/find.xml', [], (ctx) => {
      const username = str(ctx.params, 'username');
      const email = str(ctx.params, 'email');
      const userId = int(ctx.params, 'user_id');
      const user = ctx.tenant.users.find(
        (u) => (username !== undefined && u.username === username) || (email !== undefined && u.email === email) || (userId !== undefined && u.id === userId),
      );
      const account = user && ctx.tenant.accounts.find((a) => a.id === user.account_id);
      if (!account) throw new ApiError(404, { status: 'Not found' });
      return ok(one('account', account));
    }),
    route('GET', '/admin/api/accounts/{id}.xml', [], (ctx) => ok(one('account', accountOf(ctx)))),
    route('PUT', '/admin/api/accounts/{id}.xml', [], (ctx) => {
      const account = accountOf(ctx);
      assignStrings(account, ctx.params, ['org_name']);
      touch(account, ctx.now);
      return ok(one('account', account));
    }),
    route('DELETE', '/admin/api/accounts/{id}.xml', [], (ctx) => {
      const account = accountOf(ctx);
      remove(ctx.tenant.accounts, account);
      const t = ctx.tenant;
      t.users = t.users.filter((u) => u.account_id !== account.id);
      t.applications = t.applications.filter((a) => a.account_id !== account.id);
      t.serviceContracts = t.serviceContracts.filter((c) => c.account_id !== account.id);
      return deleted();
    }),
    route('PUT', '/admin/api/accounts/{id}/approve.xml', [], (ctx) => {
      const account = accountOf(ctx);
      account.state = 'approved';
      touch(account, ctx.now);
      return ok(one('account', account));
    }),
    route('GET', '/admin/api/accounts/{account_id}/users.xml', [], (ctx) => {
      const account = accountOf(ctx, 'account_id');
      return ok(list('users', 'user', ctx.tenant.users.filter((u) => u.account_id === account.id), ctx.params));
    }),
    route('GET', '/admin/api/accounts/{account_id}/service_contracts.xml', [], (ctx) => {
      const account = accountOf(ctx, 'account_id');
      const mine = ctx.tenant.serviceContracts.filter((c) => c.account_id === account.id).map(contractView);
      return ok(list('service_contracts', 'service_contract', mine, ctx.params));
    }),
    route('DELETE', '/admin/api/accounts/{account_id}/service_contracts/{id}.xml', [], (ctx) => {
      const account = accountOf(ctx, 'account_id');
      remove(ctx.tenant.serviceContracts, find(ctx.tenant.serviceContracts, ctx.path.id, (c) => c.account_id === account.id));
      return deleted();
    }),
    route('GET', '/admin/api/accounts/{account_id}/service_subscriptions.json', [], (ctx) => {
      const account = accountOf(ctx, 'account_id');
      const mine = ctx.tenant.serviceContracts.filter((c) => c.account_id === account.id).map(contractView);
      return ok(list('service_subscriptions', 'service_subscription', mine, ctx.params));
    }),
    route('POST', '/admin/api/accounts/{account_id}/service_subscriptions.json', ['plan_id'], (ctx) => {
      const account = accountOf(ctx, 'account_id');
      const plan = find(ctx.tenant.plans, int(ctx.params, 'plan_id'), (p) => p.type === 'service_plan');
      if (ctx.tenant.serviceContracts.some((c) => c.account_id === account.id && c.service_id === plan.service_id)) {
        throw invalid({ base: ['already subscribed to this service'] });
      }
      subscribe(ctx.tenant, ctx.now, account.id, plan);
      const contract = ctx.tenant.serviceContracts[ctx.tenant.serviceContracts.length - 1] as Rec;
      return created(one('service_subscription', contractView(contract)));
    }),
  ];
}

function applicationRoutes(): Route[] {
  const base = '/admin/api/accounts/{account_id}/applications';
  const accountOf = (ctx: RouteContext): Rec => find(ctx.tenant.accounts, ctx.path.account_id);
  const appOf = (ctx: RouteContext, key = 'id'): Rec => {
    const account = accountOf(ctx);
    return find(ctx.tenant.applications, ctx.path[key], (a) => a.account_id === account.id);
  };
  return [
    route('GET', `${base}.xml`, [], (ctx) => {
      const account = accountOf(ctx);
      return ok(list('applications', 'application', ctx.tenant.applications.filter((a) => a.account_id === account.id).map(appView), ctx.params));
    }),
    route('POST', `${base}.xml`, ['plan_id', 'name'], (ctx) => {
      const account = accountOf(ctx);
      const plan = find(ctx.tenant.plans, int(ctx.params, 'plan_id'), (p) => p.type === 'application_plan');
      const userKey = str(ctx.params, 'user_key');
      const description = str(ctx.params, 'description');
      const app = createApplication(ctx.tenant, ctx.now, account, plan, {
        name: str(ctx.params, 'name') ?? '',
        ...(userKey ? { user_key: userKey } : {}),
        ...(description !== undefined ? { description } : {}),
      });
      return created(one('application', appView(app)));
    }),
    route('GET', `${base}/{id}.xml`, [], (ctx) => ok(one('application', appView(appOf(ctx))))),
    route('PUT', `${base}/{id}.xml`, [], (ctx) => {
      const app = appOf(ctx);
      const userKey = str(ctx.params, 'user_key');
      if (userKey && ctx.tenant.applications.some((a) => a !== app && a.user_key === userKey)) throw invalid({ user_key: ['has already been taken'] });
      assignStrings(app, ctx.params, ['name', 'description', 'user_key']);
      touch(app, ctx.now);
      return ok(one('application', appView(app)));
    }),
    route('DELETE', `${base}/{id}.xml`, [], (ctx) => {
      remove(ctx.tenant.applications, appOf(ctx));
      return deleted();
    }),
    route('GET', `${base}/{application_id}/keys.xml`, [], (ctx) => {
      const app = appOf(ctx, 'application_id');
      const keys = (app.keys as string[] | undefined) ?? [];
      return ok({ keys: keys.map((value) => ({ key: { value } })) });
    }),
    route('POST', `${base}/{application_id}/keys.xml`, ['key'], (ctx) => {
      const app = appOf(ctx, 'application_id');
      const keys = ((app.keys as string[] | undefined) ?? []).slice();
      const key = str(ctx.params, 'key') ?? '';
      if (keys.includes(key)) throw invalid({ value: ['has already been taken'] });
      keys.push(key);
      app.keys = keys;
      return created(one('application', appView(app)));
    }),
    route('GET', '/admin/api/applications.xml', [], (ctx) => {
      const serviceId = int(ctx.params, 'service_id');
      const planId = int(ctx.params, 'plan_id');
      const apps = ctx.tenant.applications.filter(
        (a) => (serviceId === undefined || a.service_id === serviceId) && (planId === undefined || a.plan_id === planId),
      );
      return ok(list('applications', 'application', apps.map(appView), ctx.params));
    }),
    route('GET', '/admin/api/applications/find.xml', [], (ctx) => {
      const id = int(ctx.params, 'application_id');
      const userKey = str(ctx.params, 'user_key');
      const serviceId = int(ctx.params, 'service_id');
      const app = ctx.tenant.applications.find(
        (a) =>
          ((id !== undefined && a.id === id) || (userKey !== undefined && a.user_key === userKey)) &&
          (serviceId === undefined || a.service_id === serviceId),
      );
      if (!app) throw new ApiError(404, { status: 'Not found' });
      return ok(one('application', appView(app)));
    }),
  ];
}

/** Account, user, subscription and application routes. */
export function accountAndApplicationRoutes(): Route[] {
  return [...accountRoutes(), ...applicationRoutes()];
}

