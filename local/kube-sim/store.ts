/**
 * The object store: every stored object by resource (all versions of a resource share one bucket),
 * namespace and name; the cluster-wide resourceVersion counter; and the event history that watches
 * resume from. Writers hand in finished objects; the store only stamps `resourceVersion` and tells
 * the listeners (watches, controllers).
 */

/** A Kubernetes object as JSON. */
export type Obj = Record<string, any>;

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  /** Storage key of the resource (`apps/deployments`). */
  resource: string;
  object: Obj;
  /** The object before this event (MODIFIED and DELETED). */
  previous?: Obj;
  rv: number;
}

type Listener = (event: StoreEvent) => void;

/** How many past events a watch can resume from before it gets 410 Expired. */
const HISTORY_LIMIT = 20_000;

export class Store {
  constructor(private readonly historyLimit = HISTORY_LIMIT) {}

  private counter = 1;
  private readonly buckets = new Map<string, Map<string, Obj>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<Listener>();

  /** The latest resourceVersion handed out (what a list reports). */
  get resourceVersion(): number {
    return this.counter;
  }

  /** The oldest resourceVersion a watch may start from without missing events. */
  get oldestResumable(): number {
    return this.history.length ? this.history[0].rv - 1 : this.counter;
  }

  get(resource: string, namespace: string, name: string): Obj | undefined {
    return this.buckets.get(resource)?.get(slot(namespace, name));
  }

  /** Objects of a resource, in one namespace or ('' for) all, sorted by namespace then name. */
  list(resource: string, namespace = ''): Obj[] {
    const bucket = this.buckets.get(resource);
    if (!bucket) return [];
    const out: Obj[] = [];
    for (const obj of bucket.values()) {
      if (!namespace || (obj.metadata.namespace ?? '') === namespace) out.push(obj);
    }
    return out.sort((a, b) => slot(a.metadata.namespace, a.metadata.name).localeCompare(slot(b.metadata.namespace, b.metadata.name)));
  }

  /** Objects of a resource in a namespace that pass a test, unsorted (the controllers' hot path). */
  filter(resource: string, namespace: string, test: (obj: Obj) => boolean): Obj[] {
    const out: Obj[] = [];
    for (const obj of this.buckets.get(resource)?.values() ?? []) {
      if ((obj.metadata.namespace ?? '') === namespace && test(obj)) out.push(obj);
    }
    return out;
  }

  /** Every resource bucket that holds objects (for the garbage collector and namespace deletion). */
  resources(): string[] {
    return [...this.buckets.keys()];
  }

  /** Stores a new or changed object, stamping the next resourceVersion, and emits ADDED or MODIFIED. */
  put(resource: string, obj: Obj): Obj {
    const bucket = this.buckets.get(resource) ?? new Map<string, Obj>();
    this.buckets.set(resource, bucket);
    const key = slot(obj.metadata.namespace, obj.metadata.name);
    const previous = bucket.get(key);
    const rv = ++this.counter;
    obj.metadata.resourceVersion = String(rv);
    bucket.set(key, obj);
    this.emit({ type: previous ? 'MODIFIED' : 'ADDED', resource, object: obj, previous, rv });
    return obj;
  }

  /**
   * Removes an object and emits DELETED (with a fresh resourceVersion, as Kubernetes does), carrying
   * `final` when given (the version whose last finalizer was just removed).
   */
  remove(resource: string, obj: Obj, final?: Obj): Obj | undefined {
    const bucket = this.buckets.get(resource);
    const key = slot(obj.metadata.namespace, obj.metadata.name);
    const previous = bucket?.get(key);
    if (!bucket || !previous) return undefined;
    bucket.delete(key);
    const rv = ++this.counter;
    const last = final ?? previous;
    const gone = { ...last, metadata: { ...last.metadata, resourceVersion: String(rv) } };
    this.emit({ type: 'DELETED', resource, object: gone, previous, rv });
    return gone;
  }

  /** Events after a resourceVersion, or undefined when that version is older than the history kept. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.oldestResumable) return undefined;
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    for (const listener of [...this.listeners]) listener(event);
  }
}

function slot(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
