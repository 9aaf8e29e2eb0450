/**
 * Token checks of the Hub stand-in, with the Hub's own answers (C4: three different causes):
 * - an unknown token → 401 `Invalid credentials in Authorization header` (any endpoint);
 * - a gated repo without a token → 401, `X-Error-Code: GatedRepo`, "... Please log in.";
 * - a token whose account has not accepted the licence → 403 GatedRepo, "... not in the authorized list ...";
 * - a fine-grained token without "Read access to contents of all public gated repos you can
 *   access" → 403 GatedRepo, "... Please enable access to public gated repositories in your
 *   fine-grained token settings ..." (huggingface/huggingface_hub#2844).
 * Messages follow what huggingface_hub surfaces from the Hub's `X-Error-Message` / `error` body.
 */
import type { HubModel } from './catalog.js';

/** What a token stands for. `acceptedLicences`: repo ids whose licence the account accepted (`'*'`: all). */
export interface HubTokenInfo {
  name: string;
  acceptedLicences: string[];
  /** Present for fine-grained tokens; `gatedRead` is the "public gated repos" permission. */
  fineGrained?: { gatedRead: boolean };
}

/** Token → account table. */
export type HubTokenTable = Record<string, HubTokenInfo>;

/** The stand-in's token that may read every model (`--demo` offers it as HF_TOKEN when none is set). */
export const DEMO_HF_TOKEN = 'hf_demo_valid';

/** Default tokens: one that may read everything, one without licences, one fine-grained without gated read. */
export const DEFAULT_TOKENS: HubTokenTable = {
  [DEMO_HF_TOKEN]: { name: 'demo', acceptedLicences: ['*'] },
  hf_demo_no_licence: { name: 'demo-no-licence', acceptedLicences: [] },
  hf_demo_fine_grained: { name: 'demo-fine-grained', acceptedLicences: ['*'], fineGrained: { gatedRead: false } },
  hf_demo_fine_grained_gated: { name: 'demo-fine-grained-gated', acceptedLicences: ['*'], fineGrained: { gatedRead: true } },
};

/** A refusal: HTTP status, the `X-Error-Code` header when the Hub sends one, and the message. */
export interface HubRefusal {
  status: 401 | 403 | 404;
  code?: 'GatedRepo' | 'RepoNotFound' | 'EntryNotFound' | 'RevisionNotFound';
  message: string;
}

/** Who is asking: no token, an unknown token, or a known one. */
export type Caller = { kind: 'anonymous' } | { kind: 'invalid' } | { kind: 'token'; info: HubTokenInfo };

/** Reads `Authorization: Bearer hf_…` against the table. */
export function callerOf(authorization: string | undefined, tokens: HubTokenTable): Caller {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'anonymous' };
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  const info = m?.[1] === undefined ? undefined : tokens[m[1]];
  return info ? { kind: 'token', info } : { kind: 'invalid' };
}

/** 401 for an unknown token, checked before anything else, as the Hub does. */
export const INVALID_TOKEN: HubRefusal = { status: 401, message: 'Invalid credentials in Authorization header' };

/** Whether `caller` may download files of `model`; undefined when allowed. */
export function fileAccess(model: HubModel, caller: Caller): HubRefusal | undefined {
  if (caller.kind === 'invalid') return INVALID_TOKEN;
  if (model.gated === false) return undefined;
  const id = model.id;
  if (caller.kind === 'anonymous') {
    return { status: 401, code: 'GatedRepo', message: `Access to model ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.` };
  }
  if (caller.info.fineGrained && !caller.info.fineGrained.gatedRead) {
    return { status: 403, code: 'GatedRepo', message: `Access to model ${id} is restricted. Please enable access to public gated repositories in your fine-grained token settings to view this repository.` };
  }
  const accepted = caller.info.acceptedLicences;
  if (!accepted.includes('*') && !accepted.includes(id)) {
    return { status: 403, code: 'GatedRepo', message: `Access to model ${id} is restricted and you are not in the authorized list. Visit https://huggingface.co/${id} to ask for access.` };
  }
  return undefined;
}
