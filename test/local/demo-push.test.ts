// `gitwave demo push` edits the sample's YAML in place: writing the documents back must keep exactly
// one `---` between them, however many times it runs (it once doubled the markers on every push).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { joinDocuments, pushPayload } from '../../cli/commands/demo.ts';

describe('demo push', () => {
  it('writes multi-document YAML back with one marker per document, round after round', () => {
    const original = '# a comment\napiVersion: v1\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\n';
    let text = original;
    for (let round = 0; round < 5; round++) text = joinDocuments(parseAllDocuments(text));
    assert.equal(text, original);
    const unmarked = joinDocuments([{ toString: () => 'a: 1\n' }, { toString: () => 'b: 2\n' }]);
    assert.equal(unmarked, 'a: 1\n---\nb: 2\n');
  });

  it('sends the push fields a receiver reads, naming the repository as GitHub does', () => {
    const payload = pushPayload('https://github.com/acme/manifests.git', 'main', 'a'.repeat(40), 'b'.repeat(40), 'msg');
    assert.equal(payload.ref, 'refs/heads/main');
    assert.equal(payload.after, 'b'.repeat(40));
    assert.equal(payload.repository.full_name, 'acme/manifests');
    assert.equal(payload.repository.clone_url, 'https://github.com/acme/manifests.git');
  });
});
