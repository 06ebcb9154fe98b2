import { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { HttpExceptionFilter } from './http-exception.filter';
import { strictValidationPipe } from './validation.pipe';

export interface ApiDocsOptions {
  title: string;
  description: string;
  version?: string;
  /** Routes marked `@ApiBasicAuth()` get a working HTTP Basic scheme in the docs' "Authorize". */
  basicAuth?: boolean;
}

/**
 * The production HTTP pipeline of every app: structured logger, strict validation, one error
 * shape with a correlation id, graceful shutdown, and OpenAPI docs at /docs. `main.ts` and the
 * e2e tests both call it, so tests exercise exactly what runs.
 */
export function configureApp(app: INestApplication, docs?: ApiDocsOptions): INestApplication {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(app.get(HttpAdapterHost)));
  app.enableShutdownHooks();
  if (docs) {
    const builder = new DocumentBuilder()
      .setTitle(docs.title)
      .setDescription(docs.description)
      .setVersion(docs.version ?? '1.0.0');
    const config = (docs.basicAuth ? builder.addBasicAuth() : builder).build();
    SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
      jsonDocumentUrl: 'docs/openapi.json',
    });
  }
  return app;
}
