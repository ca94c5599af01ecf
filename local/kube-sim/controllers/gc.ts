/**
 * The garbage collector: follows ownerReferences. When an owner is gone, dependents with no other
 * living owner are deleted (background propagation); `foregroundDeletion` owners wait until their
 * dependents are gone; `orphan` owners release their dependents first. Indexes objects by uid and
 * dependents by owner uid as store events arrive.
 */
import { deleteObject, FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../delete.ts';
import type { ResourceType } from '../registry.ts';
import type { Obj, StoreEvent } from '../store.ts';
import type { Runtime } from './runtime.ts';

interface Location {
  resource: string;
  namespace: string;
  name: string;
}

const SEP = '\u0000';

export class GarbageCollector {
  private readonly byUid = new Map<string, Location>();
  private readonly dependents = new Map<string, Set<string>>();

  constructor(private readonly rt: Runtime) {
    for (const resource of rt.cluster.store.resources()) {
      for (const obj of rt.cluster.store.list(resource)) this.index(resource, obj, undefined);
    }
  }

  observe(event: StoreEvent): void {
    const { object, resource } = event;
    const uid = object.metadata.uid;
    if (event.type === 'DELETED') {
      this.byUid.delete(uid);
      this.unlink(resource, event.previous ?? object);
      this.rt.enqueue(`gc-orphans:${uid}`, () => this.collect(uid));
      for (const ref of object.metadata.ownerReferences ?? []) this.rt.enqueue(`gc-owner:${ref.uid}`, () => this.finalize(ref.uid));
      return;
    }
    this.index(resource, object, event.previous);
    const finalizers: string[] = object.metadata.finalizers ?? [];
    if (object.metadata.deletionTimestamp && (finalizers.includes(FOREGROUND_FINALIZER) || finalizers.includes(ORPHAN_FINALIZER))) {
      this.rt.enqueue(`gc-owner:${uid}`, () => this.finalize(uid));
    }
  }

  private index(resource: string, obj: Obj, previous: Obj | undefined): void {
    if (previous) this.unlink(resource, previous);
    this.byUid.set(obj.metadata.uid, { resource, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name });
    const key = [resource, obj.metadata.namespace ?? '', obj.metadata.name].join(SEP);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const set = this.dependents.get(ref.uid) ?? new Set<string>();
      set.add(key);
      this.dependents.set(ref.uid, set);
    }
  }

  private unlink(resource: string, obj: Obj): void {
    const key = [resource, obj.metadata.namespace ?? '', obj.metadata.name].join(SEP);
    for (const ref of obj.metadata.ownerReferences ?? []) this.dependents.get(ref.uid)?.delete(key);
  }

  private fetch(location: Location): Obj | undefined {
    return this.rt.cluster.store.get(location.resource, location.namespace, location.name);
  }

  private dependentsOf(uid: string): Obj[] {
    return [...(this.dependents.get(uid) ?? [])].flatMap((key) => {
      const [resource, namespace, name] = key.split(SEP);
      const obj = this.fetch({ resource, namespace, name });
      return obj && (obj.metadata.ownerReferences ?? []).some((r: Obj) => r.uid === uid) ? [obj] : [];
    });
  }

  private typeOf(obj: Obj): ResourceType | undefined {
    return this.rt.cluster.typeOf(obj);
  }

  /** After an owner is gone: delete dependents left without a living owner, unlink the others. */
  private collect(uid: string): void {
    for (const dep of this.dependentsOf(uid)) {
      const type = this.typeOf(dep);
      if (!type) continue;
      const alive = (dep.metadata.ownerReferences as Obj[]).filter((r) => r.uid !== uid && this.byUid.has(r.uid));
      if (alive.length) this.rt.writeMain(type, dep, withoutOwner(dep, uid));
      else deleteObject(this.rt.cluster, type, dep, 'Background', false);
    }
    if (!this.byUid.has(uid)) this.dependents.delete(uid);
  }

  /** An owner being deleted in the foreground or with orphaning: act, then drop its finalizer. */
  private finalize(uid: string): void {
    const location = this.byUid.get(uid);
    const owner = location && this.fetch(location);
    if (!owner?.metadata.deletionTimestamp) return;
    const finalizers: string[] = owner.metadata.finalizers ?? [];
    const deps = this.dependentsOf(uid);
    if (finalizers.includes(ORPHAN_FINALIZER)) {
      for (const dep of deps) {
        const type = this.typeOf(dep);
        if (type) this.rt.writeMain(type, dep, withoutOwner(dep, uid));
      }
      this.dropFinalizer(owner, ORPHAN_FINALIZER);
      return;
    }
    if (!finalizers.includes(FOREGROUND_FINALIZER)) return;
    for (const dep of deps) {
      const type = this.typeOf(dep);
      if (type && !dep.metadata.deletionTimestamp) deleteObject(this.rt.cluster, type, dep, 'Foreground', false);
    }
    if (!this.dependentsOf(uid).length) this.dropFinalizer(owner, FOREGROUND_FINALIZER);
  }

  private dropFinalizer(owner: Obj, finalizer: string): void {
    const type = this.typeOf(owner);
    const live = type && this.rt.cluster.get(type, owner.metadata.namespace ?? '', owner.metadata.name);
    if (!type || !live) return;
    const finalizers = (live.metadata.finalizers ?? []).filter((f: string) => f !== finalizer);
    this.rt.writeMain(type, live, { ...live, metadata: { ...live.metadata, finalizers } });
  }
}

function withoutOwner(obj: Obj, uid: string): Obj {
  const ownerReferences = (obj.metadata.ownerReferences as Obj[]).filter((r) => r.uid !== uid);
  const metadata = { ...obj.metadata, ownerReferences };
  if (!ownerReferences.length) delete metadata.ownerReferences;
  return { ...obj, metadata };
}
