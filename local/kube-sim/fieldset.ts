/**
 * Field sets as server-side apply records them in `managedFields` (FieldsV1): a tree of path elements
 * `f:<field>`, `k:<keys as JSON>` (map-list item), `v:<value as JSON>` (set item), `i:<index>`;
 * a node that is itself owned and has children is written with a `.` entry.
 */

export class FieldSet {
  member = false;
  readonly children = new Map<string, FieldSet>();

  static fromFieldsV1(value: unknown): FieldSet {
    const set = new FieldSet();
    if (!value || typeof value !== 'object') return set;
    for (const [key, child] of Object.entries(value)) {
      if (key === '.') {
        set.member = true;
        continue;
      }
      const node = FieldSet.fromFieldsV1(child);
      if (!child || Object.keys(child).length === 0) node.member = true;
      set.children.set(key, node);
    }
    return set;
  }

  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = [...this.children.keys()].sort();
    if (this.member && keys.length) out['.'] = {};
    for (const key of keys) out[key] = this.children.get(key)!.toFieldsV1();
    return out;
  }

  insert(path: string[]): void {
    path.reduce<FieldSet>((node, element) => node.child(element), this).member = true;
  }

  /** The child under a path element, created when missing. */
  private child(element: string): FieldSet {
    let next = this.children.get(element);
    if (!next) {
      next = new FieldSet();
      this.children.set(element, next);
    }
    return next;
  }

  /** The node at a path, if any member lies at or under it. */
  at(path: string[]): FieldSet | undefined {
    return path.reduce<FieldSet | undefined>((node, element) => node?.children.get(element), this);
  }

  has(path: string[]): boolean {
    return this.at(path)?.member ?? false;
  }

  isEmpty(): boolean {
    return !this.member && this.children.size === 0;
  }

  /** Every owned path, parents before children. */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = this.member && prefix.length ? [prefix] : [];
    for (const [key, child] of this.children) out.push(...child.paths([...prefix, key]));
    return out;
  }

  clone(): FieldSet {
    const copy = new FieldSet();
    copy.member = this.member;
    for (const [key, child] of this.children) copy.children.set(key, child.clone());
    return copy;
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    for (const path of other.paths()) out.insert(path);
    return out;
  }

  /**
   * Removes exactly the paths of another set (their owners keep descendants they own separately).
   * Returns this very set when nothing is removed, so unchanged managers keep their entries.
   */
  minus(other: FieldSet): FieldSet {
    const hits = other.paths().filter((path) => this.has(path));
    if (!hits.length) return this;
    const out = this.clone();
    for (const path of hits) out.unset(path);
    return out;
  }

  /** Removes each path of another set together with everything under it (this set when nothing goes). */
  minusTrees(other: FieldSet): FieldSet {
    const hits = other.paths().filter((path) => this.at(path));
    if (!hits.length) return this;
    const out = this.clone();
    for (const path of hits) out.removeTree(path);
    return out;
  }

  /** Paths of `other` that clash with this set: the same path, a path under it, or under one of its leaves. */
  clashes(other: FieldSet): string[][] {
    const out: string[][] = [];
    for (const path of other.paths()) {
      const node = this.at(path);
      if (node && !node.isEmpty()) out.push(path);
      else if (this.ownsLeafAbove(path)) out.push(path);
    }
    return out;
  }

  /** Whether a childless member (an atomic value) lies strictly above the path. */
  private ownsLeafAbove(path: string[]): boolean {
    if (path.length < 2) return false;
    const next = this.children.get(path[0]);
    if (!next) return false;
    if (next.member && next.children.size === 0) return true;
    return next.ownsLeafAbove(path.slice(1));
  }

  private unset(path: string[]): void {
    const node = this.at(path);
    if (!node) return;
    node.member = false;
    this.prune(path);
  }

  removeTree(path: string[]): void {
    if (!path.length) {
      this.member = false;
      this.children.clear();
      return;
    }
    const parent = this.at(path.slice(0, -1));
    if (!parent?.children.delete(path[path.length - 1])) return;
    this.prune(path.slice(0, -1));
  }

  /** Drops empty nodes left along a path. */
  private prune(path: string[]): void {
    for (let depth = path.length; depth > 0; depth--) {
      const parent = this.at(path.slice(0, depth - 1));
      const node = parent?.children.get(path[depth - 1]);
      if (parent && node && node.isEmpty()) parent.children.delete(path[depth - 1]);
      else break;
    }
  }
}

/** `.spec.template.spec.containers[name="web"].image`: a path as Kubernetes prints it in conflicts. */
export function printPath(path: string[]): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      if (element.startsWith('f:')) return `.${body}`;
      if (element.startsWith('k:')) {
        const keys = JSON.parse(body) as Record<string, unknown>;
        return `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      }
      if (element.startsWith('v:')) return `[=${body}]`;
      return `[${body}]`;
    })
    .join('');
}
