import { describe, expect, it } from 'vitest';
import { tokenmanPathSegments as parseResponsePath } from '../../src/sandbox/response-path.js';

describe('parseResponsePath', () => {
  it.each([
    ['access_token', [{ kind: 'key', key: 'access_token', text: 'access_token' }]],
    [
      'data.token',
      [
        { kind: 'key', key: 'data', text: 'data' },
        { kind: 'key', key: 'token', text: 'token' },
      ],
    ],
    [
      'items[0].id',
      [
        { kind: 'key', key: 'items', text: 'items' },
        { kind: 'index', index: 0, text: '[0]' },
        { kind: 'key', key: 'id', text: 'id' },
      ],
    ],
    [
      'results[default=true].name',
      [
        { kind: 'key', key: 'results', text: 'results' },
        { kind: 'match', key: 'default', value: 'true', text: '[default=true]' },
        { kind: 'key', key: 'name', text: 'name' },
      ],
    ],
    // Only the first = splits: the value may hold one, and may be empty.
    [
      'a[k=x=y][k=]',
      [
        { kind: 'key', key: 'a', text: 'a' },
        { kind: 'match', key: 'k', value: 'x=y', text: '[k=x=y]' },
        { kind: 'match', key: 'k', value: '', text: '[k=]' },
      ],
    ],
  ])('%s', (path, segments) => {
    expect(parseResponsePath(path)).toEqual(segments);
  });
});
