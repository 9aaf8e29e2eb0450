/**
 * The Hugging Face Hub adapter: `@huggingface/hub` (model info, tree listing, downloads) with its
 * `fetch` option bound to the ONE HTTP layer (http.ts) and to the caller's AbortSignal.
 *
 * Facts encoded here (Hub HTTP API, as huggingface_hub surfaces it; huggingface/huggingface_hub#2844):
 * - 401: no token where one is needed, or a wrong/expired/revoked token
 *   (`Invalid credentials in Authorization header`);
 * - 403 on a gated repo: the account has not accepted the licence ("not in the authorized list");
 * - 403 on a gated repo with a fine-grained token lacking "Read access to contents of all public
 *   gated repos you can access" ("... enable access to public gated repositories in your
 *   fine-grained token settings ...").
 * Auth errors are never retried: the library does not retry, and nothing here does.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { downloadFile, fileDownloadInfo, listFiles, modelInfo } from '@huggingface/hub';
import { UserError, isAbort, messageOf } from '../engine/errors.js';
import type { HttpLayer } from './http.js';

/** The public Hub. */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

/** One file of a repo: path in the repo, size in bytes (LFS size for LFS files). */
export interface HubFile {
  path: string;
  size: number;
}

/** What the wizard reads of a model's info (`GET /api/models/{id}`). */
export interface HubModelInfo {
  id: string;
  /** `false`, `"auto"` or `"manual"` (the Hub's `gated` field). */
  gated: false | 'auto' | 'manual';
  /** `pipeline_tag`, e.g. `text-generation`, `sentence-similarity`. */
  task?: string;
}

/** Options of HubClient. `token` is kept in memory only. */
export interface HubClientOptions {
  /** Hub base URL without trailing slash (default `https://huggingface.co`). */
  hubUrl?: string;
  token?: string;
  http: HttpLayer;
  signal?: AbortSignal;
}

/** A Hub client bound to one endpoint, token and HTTP layer. Every method throws via `mapHubError`. */
export class HubClient {
  readonly hubUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  /** @param options Hub URL, token (memory only), the HTTP layer, and the signal that aborts every request. */
  constructor(options: HubClientOptions) {
    this.hubUrl = (options.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
    this.#token = options.token || undefined;
    const { http, signal } = options;
    this.#fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      http.fetch(input, { ...init, ...(signal ? { signal } : {}) })) as typeof fetch;
  }

  #common(): { hubUrl: string; fetch: typeof fetch; accessToken?: string } {
    return { hubUrl: this.hubUrl, fetch: this.#fetch, ...(this.#token ? { accessToken: this.#token } : {}) };
  }

  /** Model info. @throws UserError (see mapHubError). */
  async modelInfo(repoId: string): Promise<HubModelInfo> {
    try {
      const m = await modelInfo({ name: repoId, ...this.#common() } as Parameters<typeof modelInfo>[0]);
      const gated = m.gated === 'auto' || m.gated === 'manual' ? m.gated : false;
      return { id: m.name, gated, ...(m.task ? { task: String(m.task) } : {}) };
    } catch (err) {
      throw mapHubError(err, repoId, this);
    }
  }

  /** Every file of the repo (recursive tree listing, every page). @throws UserError (see mapHubError). */
  async listFiles(repoId: string): Promise<HubFile[]> {
    const out: HubFile[] = [];
    try {
      for await (const e of listFiles({ repo: repoId, recursive: true, ...this.#common() } as Parameters<typeof listFiles>[0])) {
        if (e.type === 'file') out.push({ path: e.path, size: e.lfs?.size ?? e.size });
      }
    } catch (err) {
      throw mapHubError(err, repoId, this);
    }
    return out;
  }

  /**
   * The one small download of the access check: `GET resolve/main/<path>` with `Range: bytes=0-0`
   * (what huggingface_hub's file-info call sends). Resolves when the file may be downloaded.
   * @throws UserError `hf.token-invalid`, `hf.token-missing`, `hf.gated`, `hf.fine-grained`, `hf.not-found`.
   */
  async checkDownload(repoId: string, path: string): Promise<void> {
    try {
      const info = await fileDownloadInfo({ repo: repoId, path, ...this.#common() } as Parameters<typeof fileDownloadInfo>[0]);
      if (!info) throw Object.assign(new Error(`${path} does not exist`), { statusCode: 404 });
    } catch (err) {
      throw mapHubError(err, repoId, this);
    }
  }

  /**
   * A file's content as a Node stream, fetched as it is read (never held whole).
   * @throws UserError (see mapHubError) when the download is refused.
   */
  async open(repoId: string, path: string): Promise<{ stream: Readable; size: number }> {
    try {
      const blob = await downloadFile({ repo: repoId, path, ...this.#common() } as Parameters<typeof downloadFile>[0]);
      if (!blob) throw Object.assign(new Error(`${path} does not exist`), { statusCode: 404 });
      return { stream: Readable.fromWeb(blob.stream() as unknown as NodeReadableStream<Uint8Array>), size: blob.size };
    } catch (err) {
      throw mapHubError(err, repoId, this);
    }
  }
}

/** The model page on the Hub, where the licence is accepted. */
export function modelPage(hubUrl: string, repoId: string): string {
  return `${hubUrl.replace(/\/+$/, '')}/${repoId}`;
}

/**
 * Turns a Hub failure into a UserError with one of the C4 messages. Aborts and unknown shapes
 * pass through unchanged; a network failure becomes `hf.unreachable`.
 */
export function mapHubError(err: unknown, repoId: string, client: { hubUrl: string }): unknown {
  if (isAbort(err) || err instanceof UserError) return err;
  const status = (err as { statusCode?: number }).statusCode;
  const message = messageOf(err);
  const page = modelPage(client.hubUrl, repoId);
  const tokens = `${client.hubUrl.replace(/\/+$/, '')}/settings/tokens`;
  if (status === 401) {
    if (/invalid credentials|invalid.*token|expired/i.test(message)) {
      return new UserError('hf.token-invalid', `the Hugging Face Hub refused the token (401): it is wrong, expired or revoked`, {
        fix: `create a read token at ${tokens} and pass it again (HF_TOKEN or the token field)`,
        cause: err,
      });
    }
    return new UserError('hf.token-missing', `${repoId} needs a Hugging Face token (401): the repo is gated or private`, {
      fix: `create a read token at ${tokens}, accept the licence at ${page}, and pass the token (HF_TOKEN or the token field)`,
      cause: err,
    });
  }
  if (status === 403) {
    if (/fine-grained/i.test(message)) {
      return new UserError('hf.fine-grained', `your fine-grained Hugging Face token may not read gated repos, so ${repoId} is refused (403)`, {
        fix: `edit the token at ${tokens} and enable "Read access to contents of all public gated repos you can access", or use a classic read token`,
        cause: err,
      });
    }
    return new UserError('hf.gated', `${repoId} is gated and the account of this token has not accepted its licence (403)`, {
      fix: `open ${page}, accept the licence with the same Hugging Face account, wait for the approval if the repo asks for one, then run again`,
      cause: err,
    });
  }
  if (status === 404) {
    return new UserError('hf.not-found', `${repoId} was not found on ${client.hubUrl} (404)`, { fix: 'check the repo id (owner/name, case matters)', cause: err });
  }
  if (status === undefined && (err as { cause?: unknown }).cause !== undefined) {
    return new UserError('hf.unreachable', `cannot reach the Hugging Face Hub at ${client.hubUrl}: ${message}`, {
      fix: 'check the network, the proxy variables (HTTPS_PROXY) and the Hub endpoint',
      cause: err,
    });
  }
  return err;
}
