import { describe, expect, it } from 'vitest';
import { basicCredentialReadings } from '../../src/server/basic-auth.js';
import { parseBody } from '../../src/server/body.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('parseBody', () => {
  it.each([
    ['application/x-www-form-urlencoded', 'a=1&b=x%20y&a=2', { a: '1', b: 'x y' }],
    [
      'application/json; charset=utf-8',
      '{"a":"1","n":2,"t":true,"o":{"x":1}}',
      { a: '1', n: '2', t: 'true' },
    ],
    [
      'multipart/form-data; boundary=XyZ',
      '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nü 1\r\n--XyZ--\r\n',
      { a: 'ü 1' },
    ],
    [
      'multipart/form-data; boundary="q q"',
      '--q q\nContent-Disposition: form-data; name=b\n\nv\n--q q--',
      { b: 'v' },
    ],
    ['text/plain', 'grant_type=password', {}],
    [undefined, '', {}],
  ])('reads %s', (contentType, body, fields) => {
    expect(parseBody(contentType, Buffer.from(body))).toMatchObject({ ok: true, fields });
  });

  it.each([
    ['application/json', '[1]'],
    ['application/json', '{'],
    ['multipart/form-data', 'x'],
  ])('reports a malformed %s body', (contentType, body) => {
    expect(parseBody(contentType, Buffer.from(body)).ok).toBe(false);
  });
});

describe('basicCredentialReadings', () => {
  it.each([
    [
      'raw only when nothing is encoded',
      `Basic ${b64('sb-a!t1|x:pw')}`,
      [{ clientId: 'sb-a!t1|x', clientSecret: 'pw' }],
    ],
    [
      'raw first, then the RFC 6749 reading',
      `basic ${b64('sb-a%21t1%7Cx:p%3Aw+')}`,
      [
        { clientId: 'sb-a%21t1%7Cx', clientSecret: 'p%3Aw+' },
        { clientId: 'sb-a!t1|x', clientSecret: 'p:w ' },
      ],
    ],
    ['an id without secret', `Basic ${b64('public-client:')}`, [{ clientId: 'public-client' }]],
    [
      'a raw reading when the RFC one does not decode',
      `Basic ${b64('a%zz:b')}`,
      [{ clientId: 'a%zz', clientSecret: 'b' }],
    ],
    ['nothing for another scheme', 'Bearer abc', []],
    ['nothing without a header', undefined, []],
  ])('gives %s', (_name, header, readings) => {
    expect(basicCredentialReadings(header)).toEqual(readings);
  });
});
