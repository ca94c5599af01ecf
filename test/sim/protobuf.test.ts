// Protobuf request bodies → the simulator's JSON form: the envelope, Go's empty-field rules, and the
// apimachinery types with their own JSON form. Bodies are encoded with protobufjs from the same
// generated.proto files, writing zero values explicitly as Go's encoder does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { ApiError } from '../../local/kube-sim/errors.ts';
import { decodeProtobufBody } from '../../local/kube-sim/protobuf.ts';
import { goDuration } from '../../local/kube-sim/protobuf-json.ts';
import { PROTO_DIR } from './helpers.ts';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : join(PROTO_DIR, target));

function encode(typeName: string, file: string, value: Record<string, unknown>): Uint8Array {
  root.loadSync(join(PROTO_DIR, file), { keepCase: true });
  const type = root.lookupType(typeName);
  return type.encode(type.fromObject(value)).finish();
}

/** `k8s\0` + runtime.Unknown{typeMeta, raw}, as kubectl sends. */
function body(apiVersion: string, kind: string, typeName: string, file: string, value: Record<string, unknown>): Buffer {
  const raw = encode(typeName, file, value);
  const unknown = encode('k8s.io.apimachinery.pkg.runtime.Unknown', 'k8s.io/apimachinery/pkg/runtime/generated.proto', {
    typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '',
  });
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

const APPS = 'k8s.io/api/apps/v1/generated.proto';
const CORE = 'k8s.io/api/core/v1/generated.proto';
const EMPTY_META = { name: 'web', generateName: '', namespace: '', uid: '', resourceVersion: '', generation: 0, creationTimestamp: {}, labels: {}, annotations: {} };

function decodeDeployment(spec: Record<string, unknown>) {
  return decodeProtobufBody(body('apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment', APPS, { metadata: EMPTY_META, spec, status: {} }), PROTO_DIR);
}

describe('protobuf bodies to JSON', () => {
  it('drops the empty values Go\'s JSON omits, keeps required and pointer zeros', () => {
    const obj = decodeDeployment({
      replicas: 0,
      minReadySeconds: 0,
      paused: false,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [] },
      strategy: {},
      template: {
        metadata: { creationTimestamp: {}, labels: { app: 'web' } },
        spec: { containers: [{ name: 'main', image: 'nginx', args: [], workingDir: '', stdin: false, ports: [{ name: '', hostPort: 0, containerPort: 80, protocol: '' }] }] },
      },
    });
    assert.equal(obj.apiVersion, 'apps/v1');
    assert.equal(obj.kind, 'Deployment');
    assert.deepEqual(obj.metadata, { name: 'web' }, 'empty strings, zero generation, zero Time and empty maps are dropped');
    assert.equal(obj.spec.replicas, 0, 'replicas is a pointer: an explicit 0 is kept');
    assert.equal('minReadySeconds' in obj.spec, false);
    assert.equal('paused' in obj.spec, false);
    assert.deepEqual(obj.spec.selector, { matchLabels: { app: 'web' } }, 'an empty list is dropped');
    assert.deepEqual(obj.spec.strategy, {}, 'a struct Go always writes stays, empty');
    assert.deepEqual(obj.spec.template.metadata, { labels: { app: 'web' } });
    assert.deepEqual(obj.spec.template.spec.containers, [{ name: 'main', image: 'nginx', ports: [{ containerPort: 80 }] }]);
    assert.deepEqual(obj.status, {});
  });

  it('converts IntOrString, Quantity and 64-bit integers', () => {
    const obj = decodeDeployment({
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: { type: 1, intVal: 0, strVal: '25%' }, maxUnavailable: { type: 0, intVal: 0, strVal: '' } } },
      template: { spec: { terminationGracePeriodSeconds: 45, containers: [{ name: 'main', resources: { limits: { cpu: { string: '500m' } }, requests: { memory: { string: '64Mi' } } } }] } },
    });
    assert.deepEqual(obj.spec.strategy.rollingUpdate, { maxSurge: '25%', maxUnavailable: 0 });
    assert.deepEqual(obj.spec.template.spec.containers[0].resources, { limits: { cpu: '500m' }, requests: { memory: '64Mi' } });
    assert.equal(obj.spec.template.spec.terminationGracePeriodSeconds, 45, 'an int64 becomes a JSON number');
  });

  it('writes bytes in base64, keeping an empty value inside a map', () => {
    const obj = decodeProtobufBody(body('v1', 'Secret', 'k8s.io.api.core.v1.Secret', CORE, {
      metadata: { name: 's', namespace: 'default' }, data: { password: Buffer.from('hunter2'), empty: Buffer.alloc(0) }, type: 'Opaque', stringData: {},
    }), PROTO_DIR);
    assert.deepEqual(obj.data, { password: Buffer.from('hunter2').toString('base64'), empty: '' });
    assert.equal(obj.type, 'Opaque');
    assert.equal('stringData' in obj, false);
  });

  it('writes Time to the second and MicroTime to the microsecond, and embedded objects as JSON', () => {
    const event = decodeProtobufBody(body('events.k8s.io/v1', 'Event', 'k8s.io.api.events.v1.Event', 'k8s.io/api/events/v1/generated.proto', {
      metadata: { name: 'e', creationTimestamp: { seconds: 1733390000, nanos: 0 } }, eventTime: { seconds: 1733390000, nanos: 123456789 }, reason: 'Started',
    }), PROTO_DIR);
    assert.equal(event.metadata.creationTimestamp, '2024-12-05T09:13:20Z');
    assert.equal(event.eventTime, '2024-12-05T09:13:20.123456Z');
    const revision = decodeProtobufBody(body('apps/v1', 'ControllerRevision', 'k8s.io.api.apps.v1.ControllerRevision', APPS, {
      metadata: { name: 'r' }, data: { raw: Buffer.from('{"spec":{"template":{}}}') }, revision: 3,
    }), PROTO_DIR);
    assert.deepEqual(revision.data, { spec: { template: {} } });
    assert.equal(revision.revision, 3);
  });

  it('keeps a required false (SubjectAccessReviewStatus.allowed)', () => {
    const review = decodeProtobufBody(body('authorization.k8s.io/v1', 'SelfSubjectAccessReview', 'k8s.io.api.authorization.v1.SelfSubjectAccessReview', 'k8s.io/api/authorization/v1/generated.proto', {
      metadata: {}, spec: { resourceAttributes: { namespace: '', verb: 'create', group: '', resource: 'pods', subresource: '', name: '' } }, status: { allowed: false, denied: false, reason: '' },
    }), PROTO_DIR);
    assert.deepEqual(review.spec, { resourceAttributes: { verb: 'create', resource: 'pods' } });
    assert.deepEqual(review.status, { allowed: false });
  });

  it('merges Go\'s inline structs into their parent (volume sources, secret references, ingress rules)', () => {
    const obj = decodeDeployment({
      template: { spec: {
        containers: [{ name: 'main', env: [{ name: 'P', valueFrom: { secretKeyRef: { localObjectReference: { name: 'db' }, key: 'password' } } }] }],
        volumes: [{ name: 'conf', volumeSource: { configMap: { localObjectReference: { name: 'settings' } } } }],
      } },
    });
    assert.deepEqual(obj.spec.template.spec.volumes, [{ name: 'conf', configMap: { name: 'settings' } }]);
    assert.deepEqual(obj.spec.template.spec.containers[0].env[0].valueFrom, { secretKeyRef: { name: 'db', key: 'password' } });
  });

  it('formats Durations as Go does', () => {
    assert.equal(goDuration(0), '0s');
    assert.equal(goDuration(1.5e9), '1.5s');
    assert.equal(goDuration(150e6), '150ms');
    assert.equal(goDuration(3723e9), '1h2m3s');
  });

  it('refuses what it cannot decode, saying what is missing', () => {
    const ns = body('v1', 'Namespace', 'k8s.io.api.core.v1.Namespace', CORE, { metadata: { name: 'x' } });
    const missing = () => decodeProtobufBody(ns, '/nonexistent/k8s-proto');
    assert.throws(missing, (e: ApiError) => e.code === 415 && /no Kubernetes proto definitions found in \/nonexistent\/k8s-proto/.test(e.message) && /GITWAVE_PROTO/.test(e.message));
    assert.throws(() => decodeProtobufBody(ns, undefined), (e: ApiError) => e.code === 415);
    const crd = body('example.com/v1', 'Widget', 'k8s.io.api.core.v1.Namespace', CORE, { metadata: { name: 'x' } });
    assert.throws(() => decodeProtobufBody(crd, PROTO_DIR), (e: ApiError) => e.code === 415 && /no protobuf definition of Widget \(example\.com\/v1\)/.test(e.message));
    assert.throws(() => decodeProtobufBody(Buffer.from('{"kind":"Namespace"}'), PROTO_DIR), (e: ApiError) => e.code === 400 && /magic prefix/.test(e.message));
  });
});
