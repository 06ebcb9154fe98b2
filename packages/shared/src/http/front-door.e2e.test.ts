import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  INestApplication,
  Logger,
  Module,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsOptional, IsString } from 'class-validator';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { LoggingModule } from '../logging/logging.module';
import { createTestDatabase, TestDatabase } from '../testing/fresh-database';
import { BodyLimit, DEFAULT_BODY_LIMIT } from './body-limit.decorator';
import { configureApp } from './configure-app';
import { PageQuery } from './page.query';
import { StrictIdPipe } from './strict-id.pipe';

class NoteDto {
  @IsString()
  text!: string;

  @IsOptional()
  @IsString()
  author?: string;
}

class ListQuery extends PageQuery(20, 100) {}

/** Statements that make PostgreSQL refuse a value, as a client's input would. */
const REFUSED_VALUES: Record<string, [sql: string, value: string]> = {
  nul: ['SELECT $1::text', 'a\u0000b'],
  'int4-range': ['SELECT $1::int', '2147483648'],
  'bigint-syntax': ['SELECT $1::bigint', '12abc'],
  'date-syntax': ['SELECT $1::date', 'next tuesday-ish'],
  'date-range': ['SELECT $1::date', '2024-13-45'],
};

let database: TestDatabase;

@Controller('notes')
class NotesController {
  private readonly logger = new Logger('Notes');

  @Post()
  @HttpCode(200)
  create(@Body() note: NoteDto) {
    this.logger.log({ nested: { headers: { authorization: 'Basic c2VjcmV0', other: 'kept' } } });
    return note;
  }

  @Post('large')
  @HttpCode(200)
  @BodyLimit(300_000)
  large(@Body() note: NoteDto) {
    return { length: note.text.length };
  }

  @Post('touch')
  @HttpCode(204)
  touch(): void {}

  @Get()
  list(@Query() page: ListQuery) {
    return page;
  }

  @Get('by-id/:id')
  one(@Param('id', new StrictIdPipe('int4')) id: number) {
    return { id };
  }

  @Get('wide/:id')
  wide(@Param('id', new StrictIdPipe('int8')) id: string) {
    return { id };
  }

  /** The refused value through TypeORM (QueryFailedError) ... */
  @Get('typeorm/:case')
  async viaTypeorm(@Param('case') name: string) {
    const dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    try {
      const [sql, value] = REFUSED_VALUES[name]!;
      await dataSource.query(sql, [value]);
    } finally {
      await dataSource.destroy();
    }
  }

  /** ... and through pg itself (DatabaseError). */
  @Get('pg/:case')
  async viaPg(@Param('case') name: string) {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const [sql, value] = REFUSED_VALUES[name]!;
      await client.query(sql, [value]);
    } finally {
      await client.end();
    }
  }
}

const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean))
      logLines.push(JSON.parse(line));
    done();
  },
});

async function createFrontDoorApp(level: string): Promise<INestApplication> {
  @Module({
    imports: [LoggingModule.forRoot({ app: 'front-door-test', level, destination: logSink })],
    controllers: [NotesController],
  })
  class TestModule {}
  const app = await NestFactory.create(TestModule, { logger: false });
  configureApp(app, { title: 'Front door test', description: 'Notes' });
  return app.init();
}

describe('the shared front door (Express)', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  before(async () => {
    database = await createTestDatabase('front_door');
    app = await createFrontDoorApp('info');
  });
  after(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('bodies', () => {
    it('refuses a 20,000-deep JSON document with 400 before validation', async () => {
      const deep = '['.repeat(20_000) + ']'.repeat(20_000);
      const response = await http()
        .post('/notes')
        .set('Content-Type', 'application/json')
        .send(deep)
        .expect(400);
      assert.match(response.body.message, /nests deeper than 32 levels/);
    });

    it('accepts brackets inside strings, which are not nesting', async () => {
      const text = '['.repeat(100);
      const response = await http().post('/notes').send({ text }).expect(200);
      assert.equal(response.body.text, text);
    });

    for (const [contentType, body] of [
      ['text/plain', '{"text":"x"}'],
      ['application/xml', '<text>x</text>'],
      ['application/x-www-form-urlencoded', 'text=x'],
      ['application/json; charset=latin1', '{"text":"x"}'],
    ]) {
      it(`answers 415 to a ${contentType} body on a route that takes JSON`, async () => {
        const response = await http()
          .post('/notes')
          .set('Content-Type', contentType)
          .set('X-Request-Id', 'media-1')
          .send(body)
          .expect(415);
        assert.equal(response.body.correlationId, 'media-1');
        assert.match(response.body.message, /takes a JSON body/);
      });
    }

    it('answers 415 to a body without any Content-Type', async () => {
      const server = app.getHttpServer();
      const response = await request(server)
        .post('/notes')
        .set('Content-Length', '12')
        .unset('Content-Type')
        .send(Buffer.from('{"text":"x"}'))
        .expect(415);
      assert.match(response.body.message, /no Content-Type/);
    });

    it('carries the correlation id on invalid JSON (400) and too large (413) answers', async () => {
      const invalid = await http()
        .post('/notes')
        .set('Content-Type', 'application/json')
        .set('X-Request-Id', 'parser-400')
        .send('{"text": "x"')
        .expect(400);
      assert.equal(invalid.body.correlationId, 'parser-400');
      assert.equal(invalid.headers['x-request-id'], 'parser-400');
      const large = await http()
        .post('/notes')
        .set('X-Request-Id', 'parser-413')
        .send({ text: 'x'.repeat(DEFAULT_BODY_LIMIT) })
        .expect(413);
      assert.equal(large.body.correlationId, 'parser-413');
    });

    it("applies a route's own @BodyLimit", async () => {
      const text = 'x'.repeat(200_000);
      assert.equal(
        (await http().post('/notes/large').send({ text }).expect(200)).body.length,
        text.length,
      );
      await http()
        .post('/notes/large')
        .send({ text: 'x'.repeat(300_001) })
        .expect(413);
    });

    it('drains a body sent to a route that reads none', async () => {
      await http()
        .post('/notes/touch')
        .set('Content-Type', 'text/plain')
        .send('ignored')
        .expect(204);
    });
  });

  describe('text input', () => {
    it('refuses a NUL in a body string, naming the field', async () => {
      const response = await http()
        .post('/notes')
        .send({ text: 'ok', author: 'a\u0000b' })
        .expect(400);
      assert.deepEqual(response.body.errors, [
        { field: 'author', problems: ['must not contain a NUL character (\\u0000)'] },
      ]);
    });

    it('refuses a percent-encoded NUL in the query and in a path parameter', async () => {
      const query = await http().get('/notes?limit=%00').expect(400);
      assert.match(query.body.message, /^limit: must not contain a NUL/);
      const param = await http().get('/notes/typeorm/a%00b').expect(400);
      assert.match(param.body.message, /^case: must not contain a NUL/);
    });

    it('refuses a __proto__ key', async () => {
      const response = await http()
        .post('/notes')
        .set('Content-Type', 'application/json')
        .send('{"text":"x","__proto__":{"polluted":true}}')
        .expect(400);
      assert.match(response.body.message, /^__proto__: is not an accepted field name/);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe('PostgreSQL data errors', () => {
    for (const via of ['typeorm', 'pg']) {
      for (const name of Object.keys(REFUSED_VALUES)) {
        it(`answers 400 in our words for ${name} (through ${via}), never the server's text`, async () => {
          const response = await http()
            .get(`/notes/${via}/${name}`)
            .set('X-Request-Id', `pg-${name}`)
            .expect(400);
          assert.equal(response.body.correlationId, `pg-${name}`);
          assert.match(response.body.message, /^A value given /);
          assert.doesNotMatch(
            JSON.stringify(response.body),
            /invalid input syntax|out of range for type|invalid byte sequence|date\/time field|SELECT/i,
          );
        });
      }
    }
  });

  describe('ids', () => {
    for (const id of ['1', '16', '2147483647']) {
      it(`takes ${id} as an int4 id`, async () => {
        assert.equal((await http().get(`/notes/by-id/${id}`).expect(200)).body.id, Number(id));
      });
    }
    for (const id of [
      '0x10',
      '+1',
      '-1',
      '007',
      '0',
      '698.0',
      '698e0',
      ' 1',
      '1 ',
      '2147483648',
      '1'.repeat(26),
      'abc',
      '١٢',
    ]) {
      it(`refuses ${JSON.stringify(id)} as an int4 id with 400 naming the parameter`, async () => {
        const response = await http()
          .get(`/notes/by-id/${encodeURIComponent(id)}`)
          .expect(400);
        assert.match(response.body.message, /^id: must be a whole number from 1 to 2147483647/);
      });
    }
    it('takes an int8 id beyond 2^53 exactly, as text', async () => {
      const response = await http().get('/notes/wide/9223372036854775807').expect(200);
      assert.equal(response.body.id, '9223372036854775807');
      await http().get('/notes/wide/9223372036854775808').expect(400);
    });
  });

  describe('paging', () => {
    it('defaults and takes plain decimal limit and offset', async () => {
      assert.deepEqual((await http().get('/notes').expect(200)).body, { limit: 20, offset: 0 });
      assert.deepEqual((await http().get('/notes?limit=100&offset=1000000').expect(200)).body, {
        limit: 100,
        offset: 1_000_000,
      });
    });
    for (const query of [
      'limit=0',
      'limit=101',
      'offset=-1',
      'offset=1000001',
      `offset=${'9'.repeat(26)}`,
      'limit=0x10',
      'limit=1e1',
      'limit=1.5',
      'limit=',
      'limit=1&limit=2',
      'offset=+5',
    ]) {
      it(`refuses ?${query.slice(0, 40)} with 400 naming the field`, async () => {
        const response = await http().get(`/notes?${query}`).expect(400);
        assert.match(response.body.message, /^(limit|offset): /);
      });
    }
  });

  describe('GET / and docs', () => {
    it('sends GET / to /docs', async () => {
      const response = await http().get('/').expect(302);
      assert.equal(response.headers.location, '/docs');
    });

    it("declares the front door's errors with the shared error schema", async () => {
      const document = (await http().get('/docs/openapi.json').expect(200)).body;
      const post = document.paths['/notes'].post;
      for (const status of ['400', '413', '415', '500']) {
        assert.equal(
          post.responses[status].content['application/json'].schema.$ref,
          '#/components/schemas/ErrorBody',
        );
      }
      assert.deepEqual(Object.keys(document.paths['/notes/touch'].post.responses).sort(), [
        '204',
        '500',
      ]);
    });
  });

  describe('request log', () => {
    it('writes one short line per request with no credentials or cookies', async () => {
      logLines.length = 0;
      await http()
        .get('/notes/by-id/42')
        .set('X-Request-Id', 'log-1')
        .set('Authorization', 'Basic c2VjcmV0')
        .set('Cookie', 'session=s3cr3t')
        .expect(200);
      const lines = logLines.filter((line) => line.correlationId === 'log-1');
      assert.equal(lines.length, 1);
      const line = lines[0]!;
      assert.equal(line.level, 30);
      assert.equal(line.method, 'GET');
      assert.equal(line.route, '/notes/by-id/:id');
      assert.equal(line.status, 200);
      assert.equal(typeof line.durationMs, 'number');
      assert.equal(line.contentLength, 9);
      assert.equal(line.req, undefined);
      assert.doesNotMatch(JSON.stringify(line), /c2VjcmV0|s3cr3t|authorization|cookie/i);
      assert.ok(JSON.stringify(line).length < 300, JSON.stringify(line));
    });

    it('logs refused requests too, and redacts credentials at any depth of any line', async () => {
      logLines.length = 0;
      await http()
        .post('/notes')
        .set('X-Request-Id', 'log-2')
        .set('Content-Type', 'text/plain')
        .send('x')
        .expect(415);
      await http().post('/notes').set('X-Request-Id', 'log-3').send({ text: 'x' }).expect(200);
      assert.equal(
        logLines.filter((line) => line.correlationId === 'log-2' && line.status === 415).length,
        1,
      );
      const text = JSON.stringify(logLines.filter((line) => line.correlationId === 'log-3'));
      assert.match(text, /"other":"kept"/);
      assert.doesNotMatch(text, /c2VjcmV0/);
    });

    it('adds the headers, redacted, only at debug level', async () => {
      const debugApp = await createFrontDoorApp('debug');
      try {
        logLines.length = 0;
        await request(debugApp.getHttpServer())
          .get('/notes/by-id/7')
          .set('X-Request-Id', 'log-4')
          .set('Authorization', 'Basic c2VjcmV0')
          .set('Proxy-Authorization', 'Basic c2VjcmV0')
          .set('Cookie', 'session=s3cr3t')
          .expect(200);
        const line = logLines.find(
          (entry) => entry.correlationId === 'log-4' && entry.status === 200,
        )!;
        const headers = line.requestHeaders as Record<string, string>;
        assert.equal(headers['x-request-id'], 'log-4');
        assert.equal(headers.authorization, '[redacted]');
        assert.equal(headers['proxy-authorization'], '[redacted]');
        assert.equal(headers.cookie, '[redacted]');
      } finally {
        await debugApp.close();
      }
    });
  });
});
