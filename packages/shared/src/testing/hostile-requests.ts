import fc from 'fast-check';

/** One request of the fuzz suite, ready to send as it is. */
export interface HostileRequest {
  method: string;
  /** Path and query, percent-encoded where needed. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the variant tries, for the report of a failure. */
  attack: string;
}

/** The parts of an OpenAPI operation the generator reads. */
export interface FuzzOperation {
  method: string;
  /** OpenAPI template, e.g. `/items/{id}`. */
  path: string;
  parameters: { name: string; in: string; example?: unknown }[];
  /** Field names and a sample value of each, when the operation takes a JSON body. */
  bodyFields?: Record<string, unknown>;
}

/** Texts that have broken parsers before: each is tried as a path, query and body value. */
export const HOSTILE_TEXTS = [
  '0x10',
  '+1',
  '007',
  '698.0',
  '698e0',
  '-0',
  '-1',
  '0',
  '1e309',
  '-1e309',
  '1e-7',
  '9007199254740993',
  '2147483648',
  '9223372036854775808',
  '9'.repeat(26),
  'NaN',
  'Infinity',
  'null',
  'true',
  '[]',
  '{}',
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '😀🎉👩‍👩‍👧',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  '\uFEFFbom',
  '\uD800',
  "' OR 1=1 --",
  '"; DROP TABLE x; --',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '%00',
  '%',
  'x'.repeat(8192),
];

/** Pre-encoded path segments that only make sense raw (encoded traversal, bad escapes). */
const RAW_PATH_SEGMENTS = [
  '%00',
  '%',
  '%zz',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '%C0%AF',
  '..',
  '.',
];

/** Raw JSON fragments (not all are what JSON.stringify would write: `1e309`, `-0`). */
const HOSTILE_JSON_VALUES = [
  '1e309',
  '-1e309',
  '-0',
  '9007199254740993',
  '1e-7',
  '2147483648',
  '-2147483649',
  '99999999999999999999999999',
  '0.1',
  'null',
  'true',
  '[]',
  '{}',
  '[1,2,3]',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
];

const hostileText = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXTS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.double().map(String) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String) },
  );

/** A JSON value as raw text: hostile fragments, or any string/number JSON can carry. */
const hostileJsonValue = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_JSON_VALUES) },
    { weight: 3, arbitrary: hostileText().map((text) => JSON.stringify(text)) },
    {
      weight: 1,
      arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null'),
    },
  );

const encode = (text: string) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));

/** The well-formed value of a path or query parameter: its example, else `1`. */
const plainValue = (example: unknown) => encodeURIComponent(String(example ?? 1));

function fillPath(operation: FuzzOperation, hostile?: { name: string; raw: string }): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    if (hostile?.name === name) return hostile.raw;
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
    return plainValue(parameter?.example);
  });
}

const jsonObject = (fields: Record<string, string>) =>
  `{${Object.entries(fields)
    .map(([key, raw]) => `${JSON.stringify(key)}:${raw}`)
    .join(',')}}`;

/** The operation's body with every field well formed (its sample), as raw JSON per field. */
const plainFields = (operation: FuzzOperation) =>
  Object.fromEntries(
    Object.entries(operation.bodyFields ?? {}).map(([key, value]) => [
      key,
      JSON.stringify(value ?? null),
    ]),
  );

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Requests with the same hostile shape whatever the operation: bodies, headers, parameters. */
function fixedVariants(operation: FuzzOperation): HostileRequest[] {
  const { method } = operation;
  const path = fillPath(operation);
  const base = { method, path, headers: {} as Record<string, string> };
  const variants: HostileRequest[] = [
    { ...base, attack: 'well-formed' },
    { ...base, headers: { 'x-request-id': 'x'.repeat(8192) }, attack: '8 KB X-Request-Id' },
    { ...base, headers: { 'x-filler': 'y'.repeat(12_000) }, attack: '12 KB header' },
    {
      ...base,
      headers: { 'x-request-id': '../../etc/passwd' },
      attack: 'traversal as X-Request-Id',
    },
    {
      ...base,
      headers: { authorization: 'Basic ' + Buffer.from('a\u0000b:pw').toString('base64') },
      attack: 'NUL in Basic user',
    },
    {
      ...base,
      headers: { authorization: 'Basic ' + Buffer.from('no-colon').toString('base64') },
      attack: 'Basic without colon',
    },
    { ...base, headers: { authorization: 'Basic !!!not-base64!!!' }, attack: 'Basic not base64' },
    { ...base, headers: { authorization: 'Basic ' + 'QUFB'.repeat(2000) }, attack: 'huge Basic' },
    { ...base, headers: { authorization: 'Bearer x' }, attack: 'Bearer scheme' },
    { ...base, headers: { accept: 'application/xml' }, attack: 'Accept XML' },
    { ...base, path: `${path}?limit=1&limit=2&offset=1&offset=x`, attack: 'repeated parameters' },
    {
      ...base,
      path: `${path}?limit[]=1&offset[$gt]=0&__proto__[polluted]=1&constructor[prototype][polluted]=1`,
      attack: 'bracketed parameters',
    },
    { ...base, path: `${path}?${'p'.repeat(8192)}=1`, attack: '8 KB parameter name' },
  ];
  const body = operation.bodyFields ? jsonObject(plainFields(operation)) : '{}';
  const withBody = (
    text: string | Buffer,
    headers: Record<string, string>,
    attack: string,
  ): HostileRequest => ({
    ...base,
    headers,
    body: Buffer.from(text),
    attack,
  });
  variants.push(
    withBody(body, JSON_HEADERS, 'well-formed body'),
    withBody(
      body.slice(0, Math.max(1, Math.floor(body.length / 2))),
      JSON_HEADERS,
      'truncated JSON',
    ),
    withBody('['.repeat(20_000) + ']'.repeat(20_000), JSON_HEADERS, '20,000-deep JSON'),
    withBody('{"a":'.repeat(40) + '1' + '}'.repeat(40), JSON_HEADERS, '40-deep JSON'),
    withBody(body, { 'content-type': 'text/plain' }, 'JSON as text/plain'),
    withBody('<a>1</a>', { 'content-type': 'application/xml' }, 'XML body'),
    withBody('a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' }, 'form body'),
    withBody(body, {}, 'body without Content-Type'),
    withBody(body, { 'content-type': 'application/json; charset=utf-16' }, 'JSON in UTF-16'),
    withBody(
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      JSON_HEADERS,
      'invalid UTF-8',
    ),
    withBody('"just a string"', JSON_HEADERS, 'JSON string body'),
    withBody('[' + body + ']', JSON_HEADERS, 'array body'),
    withBody('null', JSON_HEADERS, 'null body'),
    withBody(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
      JSON_HEADERS,
      'prototype pollution keys',
    ),
    withBody('{"x":"' + 'a'.repeat(200_000) + '"}', JSON_HEADERS, '200 KB body'),
    withBody('', JSON_HEADERS, 'empty JSON body'),
  );
  for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
    for (const raw of RAW_PATH_SEGMENTS) {
      variants.push({
        ...base,
        path: fillPath(operation, { name: parameter.name, raw }),
        attack: `path ${parameter.name}=${raw}`,
      });
    }
  }
  return variants;
}

/** Seeded random variants: one hostile value in one parameter or body field at a time. */
function randomVariants(operation: FuzzOperation, count: number, seed: number): HostileRequest[] {
  const path = fillPath(operation);
  const targets = [
    ...operation.parameters
      .filter((p) => p.in === 'path' || p.in === 'query')
      .map((p) => ({ kind: p.in, name: p.name })),
    ...Object.keys(operation.bodyFields ?? {}).map((name) => ({ kind: 'body', name })),
    { kind: 'query', name: 'unknown' },
  ];
  const variant = fc
    .tuple(fc.constantFrom(...targets), hostileText(), hostileJsonValue())
    .map(([target, text, json]): HostileRequest => {
      const attack = `${target.kind} ${target.name}=${JSON.stringify(target.kind === 'body' ? json : text).slice(0, 60)}`;
      if (target.kind === 'path') {
        return {
          method: operation.method,
          path: fillPath(operation, { name: target.name, raw: encode(text) }),
          headers: {},
          attack,
        };
      }
      if (target.kind === 'query') {
        return {
          method: operation.method,
          path: `${path}?${encodeURIComponent(target.name)}=${encode(text)}`,
          headers: {},
          attack,
        };
      }
      const body = jsonObject({ ...plainFields(operation), [target.name]: json });
      return {
        method: operation.method,
        path,
        headers: JSON_HEADERS,
        body: Buffer.from(body),
        attack,
      };
    });
  return fc.sample(variant, { seed, numRuns: count });
}

/** Every hostile request for one operation: the fixed classes, then `randomCount` seeded ones. */
export function hostileRequests(
  operation: FuzzOperation,
  randomCount: number,
  seed: number,
): HostileRequest[] {
  return [...fixedVariants(operation), ...randomVariants(operation, randomCount, seed)];
}
