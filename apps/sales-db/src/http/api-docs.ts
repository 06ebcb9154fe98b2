import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/** The one error shape every answer >= 400 has (the shared exception filter writes it). */
export class ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'cost must be a number with at most 2 decimals' })
  message!: string;

  @ApiProperty({ example: '9f2d6c1e-4b7a-4f0e-a1d2-3c4b5a697887' })
  correlationId!: string;

  @ApiPropertyOptional({
    description: 'Each bad field with its problems (400)',
    example: [{ field: 'cost', problems: ['cost must be a number with at most 2 decimals'] }],
  })
  errors?: { field: string; problems: string[] }[];

  @ApiPropertyOptional({ description: 'What was refused (403, 409)', example: 'create items' })
  action?: string;

  @ApiPropertyOptional({ description: 'Seconds until a retry is worth it (429, 503)', example: 5 })
  retryAfterSeconds?: number;
}

const ERRORS: Record<number, { description: string; example: Partial<ErrorResponse> }> = {
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

/** Documents the error answers of an operation: always 400, 401, 403, 429 and 503, plus `extra`. */
export function ApiErrors(...extra: (HttpStatus.NOT_FOUND | HttpStatus.CONFLICT)[]) {
  return applyDecorators(
    ...[400, 401, 403, ...extra, 429, 503].map((status) =>
      ApiResponse({
        status,
        description: ERRORS[status].description,
        type: ErrorResponse,
        example: {
          ...ERRORS[status].example,
          correlationId: '9f2d6c1e-4b7a-4f0e-a1d2-3c4b5a697887',
        },
      }),
    ),
  );
}
