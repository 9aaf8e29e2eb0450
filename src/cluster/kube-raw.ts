/**
 * Raw requests to the API server for the paths `KubernetesObjectApi` does not cover (discovery,
 * `users/~`, access reviews, service proxy, pod logs), with the KubeConfig's own authentication
 * (token, exec plugin, client certificate) and TLS dispatcher, through undici as client-node does.
 */
import { ApiException, HttpMethod, RequestContext } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { fetch as undiciFetch } from 'undici';

/**
 * Opens `method path` on the current cluster; the caller reads (and must consume) the answer.
 * `body` is sent as JSON. Throws what client-node's authentication or undici throw (unmapped).
 */
export async function openRequest(kc: KubeConfig, method: 'GET' | 'POST', path: string, signal?: AbortSignal, body?: unknown): Promise<Response> {
  const server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
  const url = server + path;
  const rc = new RequestContext(url, method === 'GET' ? HttpMethod.GET : HttpMethod.POST);
  await kc.applySecurityAuthentication(rc);
  const headers: Record<string, string> = { ...rc.getHeaders(), Accept: 'application/json, */*' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const dispatcher = rc.getDispatcher();
  return (await undiciFetch(url, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(dispatcher ? { dispatcher } : {}),
    ...(signal ? { signal } : {}),
  })) as unknown as Response;
}

/** An ApiException (as client-node throws them) from a non-2xx answer, with a JSON `Status` body parsed. */
export async function apiException(res: Response): Promise<ApiException<unknown>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return new ApiException(res.status, 'Unsuccessful HTTP Request', body, {});
}

/**
 * Reads a streamed text answer line by line (`\n`, an `\r` before it dropped), joining lines split
 * across chunks; the last unterminated line is delivered at the end. An abort through `signal`
 * ends reading quietly.
 */
export async function readLines(res: Response, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
  const decoder = new TextDecoder();
  let rest = '';
  try {
    for await (const chunk of res.body ?? []) {
      rest += decoder.decode(chunk as Uint8Array, { stream: true });
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line.replace(/\r$/, ''));
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
  rest += decoder.decode();
  if (rest && !signal.aborted) onLine(rest);
}
