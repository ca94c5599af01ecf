/**
 * Watch: a chunked stream of `{"type": ADDED|MODIFIED|DELETED|ERROR|BOOKMARK, "object": …}` lines.
 * Without a resourceVersion (or "0") it starts with the current objects; with one it replays the events
 * after it from the store's history, or answers 410 Expired when that history is gone. Objects that
 * stop (or start) matching the selectors are seen as DELETED (or ADDED), as in Kubernetes.
 */
import type { ServerResponse } from 'node:http';
import type { Cluster } from './cluster.ts';
import { ApiError } from './errors.ts';
import { storageKey } from './registry.ts';
import type { ApiRequest } from './rest.ts';
import { present } from './rest.ts';
import type { Matcher } from './selectors.ts';
import { fieldSelector, labelSelector } from './selectors.ts';
import type { EventType, Obj, StoreEvent } from './store.ts';

/** Turns an object into what the client asked for (the object itself, or a one-row Table). */
export type Shape = (obj: Obj, first: boolean) => unknown;

const MAX_TIMEOUT_SECONDS = 1800;

export class WatchHub {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly cluster: Cluster) {}

  /** Ends every open watch (on shutdown). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }

  serve(req: ApiRequest, res: ServerResponse, shape: Shape): void {
    const labels = labelSelector(req.query.get('labelSelector'));
    const fields = fieldSelector(req.query.get('fieldSelector'), req.r);
    const matches: Matcher = (o) => (!req.namespace || o.metadata.namespace === req.namespace) && (!req.name || o.metadata.name === req.name) && labels(o) && fields(o);
    const rvParam = req.query.get('resourceVersion') ?? '';
    const backlog = this.backlog(req, rvParam, matches);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    let first = true;
    const send = (type: EventType | 'BOOKMARK', obj: Obj) => {
      res.write(`${JSON.stringify({ type, object: shape(present(obj, req.r), first) })}\n`);
      first = false;
    };
    if (backlog instanceof ApiError) {
      res.end(`${JSON.stringify({ type: 'ERROR', object: backlog.toStatus() })}\n`);
      return;
    }
    for (const [type, obj] of backlog) send(type, obj);
    if (req.query.get('sendInitialEvents') === 'true') {
      send('BOOKMARK', { apiVersion: '', kind: req.r.kind, metadata: { resourceVersion: String(this.cluster.store.resourceVersion), annotations: { 'k8s.io/initial-events-end': 'true' } } });
    }
    this.follow(req, res, matches, send);
  }

  /** Initial events: the current objects, or the history after the given resourceVersion. */
  private backlog(req: ApiRequest, rvParam: string, matches: Matcher): Array<[EventType, Obj]> | ApiError {
    const resource = storageKey(req.r);
    if (rvParam === '' || rvParam === '0' || req.query.get('sendInitialEvents') === 'true') {
      return this.cluster.store.list(resource, req.namespace).filter(matches).map((o) => ['ADDED', o]);
    }
    const rv = Number(rvParam);
    if (!Number.isInteger(rv)) return new ApiError(400, 'BadRequest', `invalid resource version: ${rvParam}`);
    const events = this.cluster.store.eventsSince(rv);
    if (!events) return new ApiError(410, 'Expired', `too old resource version: ${rv} (${this.cluster.store.oldestResumable})`);
    return events.filter((e) => e.resource === resource).flatMap((e) => translate(e, matches));
  }

  private follow(req: ApiRequest, res: ServerResponse, matches: Matcher, send: (type: EventType, obj: Obj) => void): void {
    const resource = storageKey(req.r);
    const unsubscribe = this.cluster.store.subscribe((e) => {
      if (e.resource === resource) for (const [type, obj] of translate(e, matches)) send(type, obj);
    });
    const seconds = Math.min(Number(req.query.get('timeoutSeconds') ?? MAX_TIMEOUT_SECONDS) || MAX_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS);
    const timer = setTimeout(() => res.end(), seconds * 1000);
    this.open.add(res);
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      this.open.delete(res);
    };
    res.on('close', done);
    res.on('finish', done);
  }
}

/** What a watcher with these selectors sees of a store event. */
function translate(e: StoreEvent, matches: Matcher): Array<[EventType, Obj]> {
  if (e.type === 'ADDED') return matches(e.object) ? [['ADDED', e.object]] : [];
  if (e.type === 'DELETED') return matches(e.previous ?? e.object) ? [['DELETED', e.object]] : [];
  const was = e.previous ? matches(e.previous) : false;
  const is = matches(e.object);
  if (was && is) return [['MODIFIED', e.object]];
  if (was) return [['DELETED', e.object]];
  if (is) return [['ADDED', e.object]];
  return [];
}
