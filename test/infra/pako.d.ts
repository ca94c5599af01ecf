// pako ships no types; the calls isomorphic-git makes, which test/infra/bundling-shims.test.ts compares.
declare module 'pako' {
  export function deflate(data: Uint8Array): Uint8Array;
  export function inflate(data: Uint8Array): Uint8Array;
  export class Inflate {
    result: Uint8Array | undefined;
    err: number;
    msg: string;
    strm: { avail_in: number };
    push(chunk: Uint8Array, mode?: boolean | number): boolean;
  }
  const pako: { deflate: typeof deflate; inflate: typeof inflate; Inflate: typeof Inflate };
  export default pako;
}
