import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { HttpAdapterHost } from '@nestjs/core';
import { badRequestFromDatabaseError, databaseErrorDetails } from './database-errors';

interface RequestWithId {
  id?: unknown;
  raw?: { id?: unknown };
}

/** The request's correlation id: Express and pino-http keep it on the request, Fastify on its own. */
export function correlationIdOfRequest(request: RequestWithId): string {
  return String(request.id ?? request.raw?.id ?? '');
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  correlationId: string;
  /** Field-level problems for 400s: `{ field, problems }`. */
  errors?: unknown;
  [extra: string]: unknown;
}

/**
 * Every error leaves as one JSON shape carrying the request's correlation id, so a user's report
 * can be matched to the log lines. PostgreSQL data errors caused by the input become a 400 in our
 * words (the server's message goes to the log only). Unexpected errors are logged with their
 * stack and shown as 500 without internals.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const http = host.switchToHttp();
    const request = http.getRequest<RequestWithId>();
    const response = http.getResponse<unknown>();
    const correlationId = correlationIdOfRequest(request);
    const databaseInput = badRequestFromDatabaseError(exception);
    if (databaseInput) {
      this.logger.warn(
        { correlationId, database: databaseErrorDetails(exception) },
        'Input refused by PostgreSQL, answered 400',
      );
    }
    const body = toErrorBody(databaseInput ?? exception, correlationId);
    if (body.statusCode >= 500) {
      this.logger.error(
        { err: exception, correlationId, path: httpAdapter.getRequestUrl(request) },
        exception instanceof Error ? exception.message : String(exception),
      );
    }
    httpAdapter.reply(response, body, body.statusCode);
  }
}

function toErrorBody(exception: unknown, correlationId: string): ErrorBody {
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const payload = exception.getResponse();
    const details =
      typeof payload === 'object' && payload !== null ? payload : { message: payload };
    const { message, error, statusCode: _ignored, ...rest } = details as Record<string, unknown>;
    return {
      ...rest,
      statusCode,
      error: typeof error === 'string' ? error : (STATUS_CODES[statusCode] ?? 'Error'),
      message: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message),
      correlationId,
    };
  }
  // Parser errors of Express (`status`) and Fastify (`statusCode`) carry their status.
  const withStatus = exception as { status?: unknown; statusCode?: unknown } | undefined;
  const status = withStatus?.status ?? withStatus?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Bad Request',
      message: (exception as Error).message,
      correlationId,
    };
  }
  return {
    statusCode: 500,
    error: 'Internal Server Error',
    message: 'Unexpected error; quote the correlation id when reporting it',
    correlationId,
  };
}
