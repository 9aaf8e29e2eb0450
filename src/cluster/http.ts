/**
 * The ONE HTTP layer of every non-Kubernetes adapter (Keycloak admin client, 3scale, S3, Hub,
 * model checks): an undici dispatcher with
 * - the trusted CAs: the system roots plus `--ca-file` and/or the kubeconfig's CA;
 * - the proxy from `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (undici's EnvHttpProxyAgent);
 * - routing of the cluster's route hosts (`<domain>` and `*.<domain>`) to a fixed ingress
 *   address (`--ingress-address HOST:PORT`, or the simulation's ingress) without DNS,
 *   /etc/hosts or environment changes: the TCP connection goes to the ingress address while the
 *   Host header and TLS SNI stay those of the URL, as a router expects.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, buildConnector, fetch as undiciFetch } from 'undici';
import type { Dispatcher } from 'undici';
import { UserError } from '../engine/errors.js';

/** Options of `createHttpLayer`. */
export interface HttpLayerOptions {
  /** `HOST:PORT` where every route host is served (an OpenShift router, or the simulation's ingress). */
  ingressAddress?: string;
  /** Wildcard domain of the routes (`apps.example.com`); hosts equal to it or under it go to `ingressAddress`. */
  domain?: string;
  /** More host names (exact) sent to `ingressAddress`, e.g. `huggingface.co` for the simulation's Hub stand-in. */
  extraHosts?: string[];
  /** PEM file of extra CA certificates (`--ca-file`). */
  caFile?: string;
  /** Extra CA certificates as PEM text (e.g. the kubeconfig's `certificate-authority-data`, decoded). */
  caPem?: string;
  /** Accept any server certificate (kubeconfig `insecure-skip-tls-verify`). */
  insecureSkipVerify?: boolean;
  /**
   * The ingress speaks plain HTTP even for `https://` URLs (the simulation's ingress does; a
   * real router never does). Only applies to routed hosts.
   */
  ingressPlainHttp?: boolean;
  /** Environment for the proxy variables (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** What `createHttpLayer` returns. */
export interface HttpLayer {
  /** The dispatcher to hand to clients that take one (undici `request`, `fetch`'s `dispatcher`). */
  dispatcher: Dispatcher;
  /** `fetch` bound to the dispatcher (undici's fetch, typed as the global one). */
  fetch: typeof fetch;
  /** True when requests to `host` go to the ingress address. */
  routes(host: string): boolean;
  /** Closes every connection. */
  close(): Promise<void>;
}

/** Splits `HOST:PORT` (IPv6 in brackets: `[::1]:8443`). Throws UserError `input.invalid` (usage) when malformed. */
export function parseHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new UserError('input.invalid', `--ingress-address: "${address}" is not HOST:PORT`, { usage: true, fix: 'pass e.g. --ingress-address 10.0.0.5:443' });
  }
  return { host: (m[1] ?? m[2]) as string, port };
}

/**
 * Builds the HTTP layer. Throws UserError `input.invalid` (usage) for an unreadable `caFile` or
 * a malformed `ingressAddress`.
 */
export function createHttpLayer(options: HttpLayerOptions = {}): HttpLayer {
  const env = options.env ?? process.env;
  const extraCa: string[] = [];
  if (options.caFile) {
    try {
      extraCa.push(readFileSync(options.caFile, 'utf8'));
    } catch (err) {
      throw new UserError('input.invalid', `--ca-file: cannot read ${options.caFile}: ${(err as Error).message}`, { usage: true, fix: 'pass a readable PEM file' });
    }
  }
  if (options.caPem) extraCa.push(options.caPem);
  const tlsOptions = {
    ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}),
    ...(options.insecureSkipVerify ? { rejectUnauthorized: false } : {}),
  };
  const domain = options.domain?.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  const ingress = options.ingressAddress ? parseHostPort(options.ingressAddress) : undefined;
  const extra = new Set((options.extraHosts ?? []).map((h) => h.toLowerCase()));
  const routes = (host: string): boolean => {
    if (!ingress) return false;
    const h = host.toLowerCase().replace(/\.$/, '');
    if (extra.has(h)) return true;
    return domain !== undefined && domain !== '' && (h === domain || h.endsWith(`.${domain}`));
  };

  const direct = new EnvHttpProxyAgent({
    connect: tlsOptions,
    ...proxyOptions(env),
  });
  let routedAgent: Agent | undefined;
  if (ingress) {
    const connector = buildConnector(tlsOptions);
    routedAgent = new Agent({
      connect: (opts, callback) => {
        // `host` keeps the URL's name, so TLS SNI (and the Host header) stay those of the route.
        connector(
          {
            ...opts,
            hostname: ingress.host,
            port: String(ingress.port),
            ...(options.ingressPlainHttp ? { protocol: 'http:' } : {}),
          },
          callback,
        );
      },
    });
  }
  const routed = routedAgent;
  const dispatcher: Dispatcher = routed
    ? direct.compose((dispatch) => (opts, handler) => {
        const origin = typeof opts.origin === 'string' ? opts.origin : opts.origin?.toString();
        if (origin && routes(new URL(origin).hostname)) return routed.dispatch(opts, handler);
        return dispatch(opts, handler);
      })
    : direct;

  const boundFetch = ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;

  return {
    dispatcher,
    fetch: boundFetch,
    routes,
    async close() {
      await Promise.all([direct.close(), routed?.close()]);
    },
  };
}

/** Proxy settings from an environment, as curl reads them (lower case first). */
function proxyOptions(env: NodeJS.ProcessEnv): { httpProxy?: string; httpsProxy?: string; noProxy?: string } {
  const pick = (name: string): string | undefined => env[name.toLowerCase()] ?? env[name.toUpperCase()];
  const httpProxy = pick('http_proxy');
  const httpsProxy = pick('https_proxy') ?? httpProxy;
  const noProxy = pick('no_proxy');
  // Explicit empty strings keep EnvHttpProxyAgent from reading process.env behind our back.
  return { httpProxy: httpProxy ?? '', httpsProxy: httpsProxy ?? '', noProxy: noProxy ?? '' };
}
