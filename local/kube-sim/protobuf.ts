/**
 * Kubernetes protobuf request bodies (what kubectl's typed commands send: `create namespace|deployment|
 * secret|configmap|job`, `run`, `auth can-i`), decoded with the API's own `generated.proto` files read
 * in place from a folder laid out by import path (`k8s.io/api/core/v1/generated.proto`, …), and
 * converted to the JSON form the rest of the simulator stores. The definitions of a group-version are
 * parsed the first time one of its bodies arrives, so a simulator that only sees JSON never pays for it.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import protobuf from 'protobufjs';
import { ApiError, badRequest } from './errors.ts';
import type { Obj } from './store.ts';
import { toJsonForm } from './protobuf-json.ts';

/** The 4 bytes every Kubernetes protobuf body starts with. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const META = 'k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto';
const RUNTIME = 'k8s.io/apimachinery/pkg/runtime/generated.proto';

const roots = new Map<string, protobuf.Root>();

function unsupported(message: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', message);
}

/** One protobufjs root per folder, resolving `import` lines against the folder. */
function rootFor(protoDir: string): protobuf.Root {
  let root = roots.get(protoDir);
  if (!root) {
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(protoDir, target));
    roots.set(protoDir, root);
  }
  return root;
}

/** Loads (once) the file that defines a group-version's kinds; undefined when the folder has none. */
function load(root: protobuf.Root, protoDir: string, file: string): boolean {
  const path = join(protoDir, file);
  if (!existsSync(path)) return false;
  if (!root.files.includes(path)) root.loadSync(path, { keepCase: true, alternateCommentMode: true });
  return true;
}

/** `k8s.io/api/<dir>/<version>`: the Go package (and proto package) of a group's types. */
function packageOf(apiVersion: string): { dir: string; version: string } {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { dir: group ? group.split('.')[0] : 'core', version };
}

/**
 * Decodes a body `k8s\0` + runtime.Unknown{typeMeta, raw} into the object's JSON form (apiVersion and
 * kind from the envelope). `protoDir` undefined or missing: 415 saying what is missing.
 */
export function decodeProtobufBody(body: Buffer, protoDir: string | undefined): Obj {
  if (!protoDir || !existsSync(join(protoDir, META))) {
    throw unsupported(`the simulator cannot decode protobuf bodies: no Kubernetes proto definitions found${protoDir ? ` in ${protoDir} (expected ${META})` : ''}; set GITWAVE_PROTO to the folder of the API's generated.proto files (e.g. shared/k8s-proto/v1.32), or send JSON (kubectl apply -f, kubectl create -f)`);
  }
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest('the protobuf body does not start with the Kubernetes magic prefix "k8s\\0"');
  }
  const root = rootFor(protoDir);
  load(root, protoDir, RUNTIME);
  let envelope: Obj;
  try {
    envelope = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown').decode(body.subarray(MAGIC.length)) as Obj;
  } catch (error) {
    throw badRequest(`the protobuf envelope (runtime.Unknown) could not be decoded: ${(error as Error).message}`);
  }
  const apiVersion = String(envelope.typeMeta?.apiVersion ?? '');
  const kind = String(envelope.typeMeta?.kind ?? '');
  if (!apiVersion || !kind) throw badRequest('the protobuf envelope names no apiVersion and kind (runtime.Unknown.typeMeta)');
  const { dir, version } = packageOf(apiVersion);
  const typeName = `k8s.io.api.${dir}.${version}.${kind}`;
  const file = `k8s.io/api/${dir}/${version}/generated.proto`;
  const type = load(root, protoDir, file) ? root.lookup(typeName) : null;
  if (!(type instanceof protobuf.Type)) throw unsupported(`the simulator has no protobuf definition of ${kind} (${apiVersion}): ${typeName} is not in ${join(protoDir, file)}; send it as JSON`);
  let message: protobuf.Message;
  try {
    message = type.decode(envelope.raw ?? new Uint8Array());
  } catch (error) {
    throw badRequest(`the protobuf body of ${kind} (${apiVersion}) could not be decoded: ${(error as Error).message}`);
  }
  return { apiVersion, kind, ...(toJsonForm(type, message) ?? {}) };
}
