/**
 * Watches (`GET <collection>?watch=1`): newline-delimited JSON `{type, object}` events over a
 * chunked response, as kube-apiserver streams them.
 * - `resourceVersion` absent or `0`: an ADDED event for every current object first, then changes.
 * - `resourceVersion=N`: the changes after N from the store's bounded history, then live ones;
 *   N older than the history → one ERROR event carrying a 410 Expired Status, and the stream ends.
 * - `timeoutSeconds` ends the stream after that many seconds. Bookmarks are not sent.
 * - With a label or field selector only matching objects are sent; an object that stops matching
 *   is sent as DELETED and one that starts matching as ADDED, as the real watch cache does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceKind, StoredObject, WatchEventType } from '../types.js';
import type { SimObjectStore } from '../store.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../labels.js';
import { badRequest, expired, statusBody } from './errors.js';

/** What to watch. `view` turns a stored object into the one sent (e.g. a Namespace into a Project). */
export interface WatchRequest {
  kind: ResourceKind;
  namespace?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  labelSelector?: string;
  fieldSelector?: string;
  view?: (object: StoredObject) => StoredObject | undefined;
}

/** Streams a watch until the client goes away, the timeout passes, or the server closes the socket. */
export function serveWatch(req: IncomingMessage, res: ServerResponse, store: SimObjectStore, w: WatchRequest): void {
  const labels = w.labelSelector ? parseLabelSelector(w.labelSelector) : [];
  const fields = w.fieldSelector ? parseFieldSelector(w.fieldSelector) : [];
  const since = w.resourceVersion === undefined || w.resourceVersion === '' ? 0 : Number(w.resourceVersion);
  if (!Number.isInteger(since) || since < 0) throw badRequest(`invalid resource version "${w.resourceVersion}"`);
  const inScope = (kind: ResourceKind, object: StoredObject): boolean =>
    kind === w.kind && (!w.kind.namespaced || w.namespace === undefined || object.metadata.namespace === w.namespace);
  const selected = (object: StoredObject): boolean => matchesLabels(labels, object.metadata.labels) && matchesFields(fields, object);
  /**
   * Whether each object seen so far was last sent as matching, by namespace/name: turns "stopped
   * matching" into DELETED and "started matching" into ADDED. An object first seen in a replay
   * keeps its event type when it matches (the client listed it) and is skipped when it does not.
   */
  const shown = new Map<string, boolean>();
  const keyOf = (o: StoredObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
  res.flushHeaders();
  let open = true;
  const send = (type: WatchEventType | 'ERROR', object: unknown): void => {
    if (open) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const sendObject = (type: WatchEventType, kind: ResourceKind, object: StoredObject): void => {
    if (!inScope(kind, object)) return;
    const key = keyOf(object);
    const was = shown.get(key);
    const is = selected(object);
    let sent: WatchEventType | undefined;
    if (was === undefined) sent = is ? type : undefined;
    else if (type === 'DELETED') sent = was ? 'DELETED' : undefined;
    else if (is) sent = was ? type : 'ADDED';
    else sent = was ? 'DELETED' : undefined;
    if (type === 'DELETED') shown.delete(key);
    else shown.set(key, is);
    if (sent === undefined) return;
    const out = w.view ? w.view(object) : object;
    if (out) send(sent, out);
  };

  let unsubscribe: () => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  const finish = (): void => {
    if (!open) return;
    open = false;
    unsubscribe();
    if (timer) clearTimeout(timer);
    res.end();
  };

  if (since === 0) {
    for (const object of store.list(w.kind, w.namespace)) sendObject('ADDED', w.kind, object);
  } else {
    const replay = store.eventsSince(since);
    if (!Array.isArray(replay)) {
      send('ERROR', statusBody(expired(since, replay.oldest).shape));
      finish();
      return;
    }
    for (const e of replay) sendObject(e.type, e.kind, e.object);
  }
  unsubscribe = store.subscribe((e) => sendObject(e.type, e.kind, e.object));
  if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) timer = setTimeout(finish, w.timeoutSeconds * 1000);
  req.on('close', finish);
  res.on('close', finish);
}
