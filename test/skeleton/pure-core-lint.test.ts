// The lint rule that keeps shared/model, sync, health and diff free of I/O must actually fire.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function messagesFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('pure core lint rule', () => {
  const cases: Array<[string, string]> = [
    ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'no-restricted-imports'],
    ["import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const x = DynamoDBClient;\n", 'no-restricted-imports'],
    ["import * as k8s from '@kubernetes/client-node';\nexport const x = k8s;\n", 'no-restricted-imports'],
    ['export const region = process.env.AWS_REGION;\n', 'no-restricted-properties'],
    ["import { render } from '../render/kustomize.ts';\nexport const x = render;\n", 'no-restricted-imports'],
  ];
  for (const folder of ['model', 'sync', 'health', 'diff']) {
    for (const [code, rule] of cases) {
      it(`refuses ${rule} in shared/${folder}: ${code.split('\n')[0]}`, async () => {
        const messages = await messagesFor(code, `shared/${folder}/example.ts`);
        assert.ok(messages.some((m) => m.startsWith(rule)), messages.join('\n'));
      });
    }
  }

  it('allows the same imports outside the pure core', async () => {
    const messages = await messagesFor(cases[0][0], 'shared/render/example.ts');
    assert.deepEqual(messages.filter((m) => m.startsWith('no-restricted')), []);
  });
});
