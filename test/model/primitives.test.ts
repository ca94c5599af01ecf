// The small pure helpers under the model: glob matching, repository URL normalisation, durations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationSeconds } from '../../shared/model/duration.ts';
import { globMatch } from '../../shared/model/glob.ts';
import { normalizeRepoURL, redactRepoURL } from '../../shared/model/repo-url.ts';

describe('globMatch', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', '', true],
    ['*', 'https://github.com/a/b', true],
    ['https://github.com/org/*', 'https://github.com/org/a/b', true],
    ['https://github.com/org/*', 'https://github.com/other/a', false],
    ['', '', true],
    ['', 'x', false],
    ['team-?', 'team-a', true],
    ['team-?', 'team-ab', false],
    ['[abc]-x', 'b-x', true],
    ['[!abc]-x', 'b-x', false],
    ['[a-c]-x', 'c-x', true],
    ['{Service,ConfigMap}', 'ConfigMap', true],
    ['{Service,ConfigMap}', 'Secret', false],
    ['*.k8s.io', 'rbac.authorization.k8s.io', true],
    ['a.b', 'axb', false],
    ['\\*', '*', true],
    ['\\*', 'x', false],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
      assert.equal(globMatch(pattern, value), expected);
    });
  }
});

describe('normalizeRepoURL', () => {
  const same = [
    'https://github.com/org/repo', 'https://GitHub.com/Org/Repo.git', 'http://github.com/org/repo/',
    'git@github.com:org/repo.git', 'ssh://git@github.com/org/repo', 'ssh://git@github.com:22/org/repo.git',
    'https://x-access-token:secret@github.com/org/repo.git', 'https://github.com:443/org/repo', ' git://github.com/org/repo ',
  ];
  for (const url of same) {
    it(`normalises ${url.trim()} to github.com/org/repo`, () => assert.equal(normalizeRepoURL(url), 'github.com/org/repo'));
  }
  it('keeps non-default ports and deeper paths apart', () => {
    assert.equal(normalizeRepoURL('https://git.example:8443/group/sub/repo.git'), 'git.example:8443/group/sub/repo');
    assert.notEqual(normalizeRepoURL('https://github.com/org/repo'), normalizeRepoURL('https://github.com/org/repo2'));
  });
  it('is idempotent, so normalised keys can be passed again', () => {
    for (const url of ['https://git.example:8443/group/repo.git', 'git@github.com:org/repo.git', 'https://github.com/org/repo']) {
      assert.equal(normalizeRepoURL(normalizeRepoURL(url)), normalizeRepoURL(url));
    }
  });
  it('normalises globs the same way, leaving `*` alone', () => {
    assert.equal(normalizeRepoURL('*'), '*');
    assert.equal(normalizeRepoURL('https://GitHub.com/Org/*'), 'github.com/org/*');
  });
  it('redacts credentials for display', () => {
    assert.equal(redactRepoURL('https://user:ghp_x@github.com/o/r'), 'https://github.com/o/r');
    assert.equal(redactRepoURL('git@github.com:o/r'), 'git@github.com:o/r');
  });
});

describe('durationSeconds', () => {
  const cases: Array<[string | number, number | undefined]> = [
    [5, 5], ['5', 5], ['0', 0], ['5s', 5], ['3m', 180], ['1h30m', 5400], ['500ms', 0.5], ['1.5h', 5400],
    ['2m30s', 150], ['', undefined], ['5 minutes', undefined], ['-5s', undefined], [-1, undefined], ['5d', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(durationSeconds(input), expected));
  }
});
