import { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { installFrontDoor, redirectRootToDocs } from './front-door';
import { HttpExceptionFilter } from './http-exception.filter';
import { documentFrontDoorErrors } from './openapi-errors';
import { strictValidationPipe } from './validation.pipe';

export interface ApiDocsOptions {
  title: string;
  description: string;
  version?: string;
  /** Routes marked `@ApiBasicAuth()` get a working HTTP Basic scheme in the docs' "Authorize". */
  basicAuth?: boolean;
}

/**
 * The production HTTP pipeline of every app: the front door (correlation id first, body size,
 * media type and JSON nesting limits), structured logger, strict validation, one error shape with
 * a correlation id, graceful shutdown, and OpenAPI docs at /docs (with `GET /` leading there when
 * the app has no page of its own). `main.ts` and the e2e tests both call it, so tests exercise
 * exactly what runs.
 */
export function configureApp<App extends INestApplication>(app: App, docs?: ApiDocsOptions): App {
  const routes = installFrontDoor(app);
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
    SwaggerModule.setup(
      'docs',
      app,
      () => documentFrontDoorErrors(SwaggerModule.createDocument(app, config)),
      { jsonDocumentUrl: 'docs/openapi.json' },
    );
    redirectRootToDocs(app, routes);
  }
  return app;
}
