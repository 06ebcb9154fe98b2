import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { findRepoRoot } from '../repo-root';
import { createTestDatabase, TestDatabase } from './fresh-database';
import { FuzzOperation, HostileRequest, hostileRequests } from './hostile-requests';

export interface FuzzSuiteOptions {
  app: string;
  /** Builds the app exactly as main.ts does, from an environment. */
  createApp(env: NodeJS.ProcessEnv): Promise<INestApplication>;
  /** Further environment for the app under test. */
  env?: NodeJS.ProcessEnv;
  /**
   * Runs once the app listens, with the URL of the suite's database; the headers it returns go
   * with every request (e.g. a login).
   */
  prepare?(app: INestApplication, databaseUrl: string): Promise<Record<string, string> | void>;
  /** Seed of the generator (default 24, or FUZZ_SEED): the same seed sends the same requests. */
  seed?: number;
  /** Seeded random variants per operation, beside the fixed hostile classes (default 16). */
  randomPerOperation?: number;
  /** Time after which no further request is sent (default 40 s; the issue allows a minute). */
  budgetMs?: number;
}

/** Slowest answer allowed to a small request. */
const SLOW_MS = 2_000;
const SMALL_BYTES = 16 * 1024;
const GIVE_UP_MS = 10_000;
const KEPT_BODY_BYTES = 256 * 1024;

/** Paths that are no operation of any document, sent as plain GETs. */
const STRAY_PATHS = [
  '/',
  '/%00',
  '/..%2F..%2Fpackage.json',
  '/docs/..%2F..%2F..%2Fpackage.json',
  '/a/../../etc/passwd',
  `/${'x'.repeat(8192)}`,
];

const STACK_TRACE =
  /\n\s*at [^\n]*:\d+:\d+|\bat (?:async )?(?:[\w$.<>]+ )?\(?(?:node:|file:)?\/[^\s)]+:\d+:\d+/;
const SQL_TEXT =
  /QueryFailedError|syntax error at or near|invalid input syntax for|out of range for type|violates (?:not-null|unique|foreign key|check) constraint|duplicate key value|relation "[^"]+" does not exist|column "[^"]+" does not exist|invalid byte sequence for encoding|current transaction is aborted/i;

/** Folders of this machine whose names must never appear in an answer. */
function localFolders(): string[] {
  return [findRepoRoot(), process.cwd(), tmpdir(), homedir()].filter((folder) => folder.length > 1);
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function send(
  port: number,
  agent: Agent,
  hostile: HostileRequest,
  headers: Record<string, string>,
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: hostile.method,
        path: hostile.path,
        headers: {
          ...headers,
          ...hostile.headers,
          ...(hostile.body ? { 'content-length': String(hostile.body.length) } : {}),
        },
        timeout: GIVE_UP_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= KEPT_BODY_BYTES) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            ms: performance.now() - started,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${GIVE_UP_MS} ms`)));
    request.on('error', reject);
    request.end(hostile.body);
  });
}

/** What is wrong with an answer to a hostile request, if anything. */
export function answerProblems(
  hostile: HostileRequest,
  answer: Answer,
  folders: string[],
): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  const headerBytes = Object.values(hostile.headers).reduce((sum, value) => sum + value.length, 0);
  const small = (hostile.body?.length ?? 0) + headerBytes + hostile.path.length <= SMALL_BYTES;
  if (small && answer.ms > SLOW_MS) problems.push(`took ${Math.round(answer.ms)} ms`);
  if (STACK_TRACE.test(answer.body)) problems.push('stack trace in the answer');
  if (SQL_TEXT.test(answer.body))
    problems.push(`SQL error text in the answer: ${SQL_TEXT.exec(answer.body)?.[0]}`);
  const folder = folders.find((candidate) => answer.body.includes(candidate));
  if (folder) problems.push(`local path ${folder} in the answer`);
  return problems;
}

type Schema = {
  $ref?: string;
  type?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
  default?: unknown;
};
interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema?: Schema; example?: unknown }[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
}

const SAMPLE_BY_TYPE: Record<string, unknown> = {
  string: 'x',
  integer: 1,
  number: 1,
  boolean: true,
  array: [],
  object: {},
};

/** The operations of an OpenAPI document in the generator's terms. */
export function fuzzOperations(document: OpenApiDocument): FuzzOperation[] {
  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref
      ? document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]
      : schema;
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      const bodySchema = resolve(operation.requestBody?.content?.['application/json']?.schema);
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters ?? []).map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          example: parameter.example ?? parameter.schema?.example ?? parameter.schema?.default,
        })),
        bodyFields: bodySchema
          ? Object.fromEntries(
              Object.entries(bodySchema.properties ?? {}).map(([name, property]) => {
                const field = resolve(property) ?? {};
                return [
                  name,
                  field.example ?? field.default ?? SAMPLE_BY_TYPE[field.type ?? 'string'],
                ];
              }),
            )
          : undefined,
      });
    }
  }
  return operations;
}

/**
 * Issue 24's fuzz suite: walks the app's OpenAPI document and sends hostile variants of every
 * operation (fixed classes plus seeded fast-check ones), failing on any 5xx, a small request
 * answered after more than 2 s, a stack trace, SQL error text or a local folder in an answer, or
 * the app unhealthy afterwards. Prints the requests sent and the count per status class.
 */
export function fuzzSuite(options: FuzzSuiteOptions): void {
  describe(`${options.app} fuzz`, () => {
    let database: TestDatabase;
    let app: INestApplication;
    let port: number;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const seed = Number(process.env.FUZZ_SEED ?? options.seed ?? 24);

    before(async () => {
      database = await createTestDatabase(`${options.app}_fuzz`);
      app = await options.createApp({
        ...process.env,
        ...options.env,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
      });
      await app.listen(0, '127.0.0.1');
      port = (app.getHttpServer().address() as AddressInfo).port;
    });

    after(async () => {
      agent.destroy();
      await app?.close();
      await database?.drop();
    });

    it('answers hostile variants of every operation with no 5xx, hang or leak, and stays healthy', async (t) => {
      const headers = (await options.prepare?.(app, database.url)) ?? {};
      const document = (await (
        await fetch(`http://127.0.0.1:${port}/docs/openapi.json`)
      ).json()) as OpenApiDocument;
      const operations = [
        ...fuzzOperations(document),
        ...STRAY_PATHS.map((path) => ({ method: 'GET', path, parameters: [] })),
      ];
      const folders = localFolders();
      const started = performance.now();
      const budget = options.budgetMs ?? 40_000;
      const classes: Record<string, number> = {};
      // Failures grouped by operation and problem, each with its count and first request.
      const failures = new Map<string, { count: number; first: string }>();
      const fail = (operation: FuzzOperation, problem: string, hostile: HostileRequest) => {
        const key = `${operation.method} ${operation.path.slice(0, 60)}: ${problem}`;
        const seen = failures.get(key);
        if (seen) seen.count++;
        else
          failures.set(key, {
            count: 1,
            first: `${hostile.path.slice(0, 100)} [${hostile.attack}]`,
          });
      };
      let sent = 0;
      let cutShort = false;
      for (const [index, operation] of operations.entries()) {
        for (const hostile of hostileRequests(
          operation,
          options.randomPerOperation ?? 16,
          seed + index,
        )) {
          if (performance.now() - started > budget) {
            cutShort = true;
            break;
          }
          sent++;
          try {
            const answer = await send(port, agent, hostile, headers);
            const statusClass = `${Math.floor(answer.status / 100)}xx`;
            classes[statusClass] = (classes[statusClass] ?? 0) + 1;
            for (const problem of answerProblems(hostile, answer, folders)) {
              fail(operation, problem, hostile);
            }
          } catch (error) {
            classes.none = (classes.none ?? 0) + 1;
            fail(operation, (error as Error).message, hostile);
          }
        }
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const counts = Object.entries(classes)
        .sort()
        .map(([status, count]) => `${status} ${count}`)
        .join(', ');
      t.diagnostic(
        `fuzz ${options.app}: ${sent} requests over ${operations.length} operations in ${seconds} s (seed ${seed}): ${counts}` +
          (cutShort ? `; stopped at the ${budget / 1000} s budget` : ''),
      );
      const health = await fetch(`http://127.0.0.1:${port}/health`, {
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(health.status, 200, `${options.app} is not healthy after the fuzz run`);
      const report = [...failures].map(
        ([key, { count, first }]) => `${key} (${count}×, e.g. ${first})`,
      );
      assert.deepEqual(report, [], `hostile requests went wrong (seed ${seed})`);
    });
  });
}
