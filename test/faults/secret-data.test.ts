// SECURITY.md §7 row 27: a Secret whose `data` holds plaintext or bad base64 is refused by strict
// schema validation (the OpenAPI `format: byte` of Secret.data), naming the field, and the refusal
// never repeats the value.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../shared/model/object.ts';
import { SchemaValidator } from '../../shared/render/lint/index.ts';
import { K8S_SCHEMAS } from '../helpers/shared-data.ts';

let validator: SchemaValidator;
before(async () => {
  validator = await SchemaValidator.open(K8S_SCHEMAS);
});

const secret = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'web' }, data } as KubeObject);

describe('Secret data (SECURITY.md §7 row 27)', () => {
  for (const [label, value] of [['plaintext', 'hunter2 is the password!'], ['bad base64', 'c2VjcmV0*=='], ['a URL with credentials', 'postgres://app:s3cr3t@db:5432/app']]) {
    it(`§7 row 27: refuses ${label} in data, naming the field, without the value`, async () => {
      const result = await validator.validate(secret({ password: value }), new Map());
      assert.equal(result.status, 'invalid');
      assert.deepEqual(result.issues.map((i) => i.field), ['data.password']);
      const shown = JSON.stringify(result);
      assert.ok(!shown.includes(value), `the refusal shows the value: ${shown}`);
    });
  }

  it('§7 row 27: accepts base64 data and any stringData', async () => {
    const ok = { ...secret({ password: Buffer.from('hunter2').toString('base64') }), stringData: { token: 'plain text is fine here' } } as KubeObject;
    assert.deepEqual(await validator.validate(ok, new Map()), { status: 'valid', issues: [] });
  });
});
