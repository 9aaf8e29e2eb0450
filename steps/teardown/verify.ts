/**
 * Teardown of the end-to-end check (STAGES.md §10): the throwaway developer account
 * `maas-wizard-check` and its applications. The verify step has its own `destroy`, which the
 * runner calls; this only describes and reports it, and deletes the account itself should the
 * step ever lose its `destroy`.
 */
import { CHECK_ACCOUNT, deleteCheckAccount } from '../verify/account.js';
import { threescaleClient } from './products.js';
import type { Teardown } from './types.js';

const WHAT = `developer account ${CHECK_ACCOUNT.orgName} and its applications (3scale)`;

/** `verify`. */
export const verifyTeardown: Teardown = {
  describe: () => [{ key: 'account', what: WHAT }],
  async run(ctx, report) {
    const api = await threescaleClient(ctx);
    report({ what: WHAT, result: api && (await deleteCheckAccount(api)) ? 'deleted' : 'gone' });
  },
  afterOwn(_ctx, report) {
    report({ what: WHAT, result: 'deleted', why: 'by the step\'s own destroy (nothing when it was already gone)' });
    return Promise.resolve();
  },
};
