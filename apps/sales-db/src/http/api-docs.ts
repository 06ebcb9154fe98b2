import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ERROR_BODY_SCHEMA } from '@des/shared';
import { ApiResponse } from '@nestjs/swagger';

const ERRORS: Record<number, { description: string; example: Record<string, unknown> }> = {
  400: {
    description: 'A field, query parameter or id is invalid; every problem is named',
    example: {
      statusCode: 400,
      error: 'Bad Request',
      message: 'id must be a whole number from 1 to 2147483647, written in decimal digits',
      errors: [{ field: 'id', problems: ['must be decimal digits within range'] }],
    },
  },
  401: {
    description: 'No, malformed or wrong HTTP Basic credentials (WWW-Authenticate: Basic)',
    example: { statusCode: 401, error: 'Unauthorized', message: 'Unknown user or wrong password' },
  },
  403: {
    description: "The caller's team has no PostgreSQL grant for this",
    example: {
      statusCode: 403,
      error: 'Forbidden',
      message:
        "The analytics team may not create items: permission denied by the database's grants",
      action: 'create items',
    },
  },
  404: {
    description: 'No such id',
    example: { statusCode: 404, error: 'Not Found', message: 'Item 9999 not found' },
  },
  409: {
    description: 'The data refuses the change',
    example: {
      statusCode: 409,
      error: 'Conflict',
      message:
        'Cannot update items: item 7 was sold, so its name and manufacturer identify past sales: retire it and create a new item instead',
      action: 'update items',
    },
  },
  429: {
    description: 'Too many failed logins for this user name or address (Retry-After)',
    example: {
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Too many failed logins; retry in 240 s',
      retryAfterSeconds: 240,
    },
  },
  503: {
    description:
      'The database is busy: locked data, a slow query or no free connection (Retry-After)',
    example: {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The database is busy (the data is locked by other work); retry in 5 s',
      retryAfterSeconds: 5,
    },
  },
};

/**
 * Documents the error answers of an operation: always 400, 401, 403, 429 and 503, plus `extra`.
 * Each is the shared error body (403 and 409 add `action`, 429 and 503 `retryAfterSeconds`) with
 * an example of its own.
 */
export function ApiErrors(...extra: (HttpStatus.NOT_FOUND | HttpStatus.CONFLICT)[]) {
  return applyDecorators(
    ...[400, 401, 403, ...extra, 429, 503].map((status) =>
      ApiResponse({
        status,
        description: ERRORS[status].description,
        schema: {
          ...ERROR_BODY_SCHEMA,
          example: {
            ...ERRORS[status].example,
            correlationId: '9f2d6c1e-4b7a-4f0e-a1d2-3c4b5a697887',
          },
        },
      }),
    ),
  );
}
