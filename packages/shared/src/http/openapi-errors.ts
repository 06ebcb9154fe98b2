import { OpenAPIObject, SchemaObject } from '@nestjs/swagger';

/** The one error shape of every app (see `HttpExceptionFilter`), as an OpenAPI schema. */
export const ERROR_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'error', 'message', 'correlationId'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    message: { type: 'string', example: 'limit: limit must not be greater than 100' },
    correlationId: {
      type: 'string',
      description: "The request's X-Request-Id (or a generated UUID); quote it when reporting",
      example: '3b0f4c1e-8d2a-4f57-9a0e-6c1d2b7e9f10',
    },
    errors: {
      type: 'array',
      description: "400s: every field's problems",
      items: {
        type: 'object',
        properties: {
          field: { type: 'string', example: 'limit' },
          problems: {
            type: 'array',
            items: { type: 'string' },
            example: ['limit must not be greater than 100'],
          },
        },
      },
    },
  },
};

/** A realistic body for each error the front door answers itself. */
const FRONT_DOOR_ERROR_EXAMPLES: Record<string, { error: string; message: string }> = {
  400: { error: 'Bad Request', message: 'limit: limit must not be greater than 100' },
  413: {
    error: 'Payload Too Large',
    message: "The body is larger than this route's limit of 102400 bytes",
  },
  415: {
    error: 'Unsupported Media Type',
    message: 'This route takes a JSON body (Content-Type: application/json); got "text/plain"',
  },
  500: { error: 'Internal Server Error', message: 'Internal server error' },
};

const errorResponse = (status: string, description: string) => ({
  description,
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/ErrorBody' },
      example: {
        statusCode: Number(status),
        ...FRONT_DOOR_ERROR_EXAMPLES[status],
        correlationId: '3b0f4c1e-8d2a-4f57-9a0e-6c1d2b7e9f10',
      },
    },
  },
});

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * Declares in the document the errors the front door itself answers on every operation (400 for
 * malformed parameters or bodies, 413 and 415 on operations taking a body, 500 with a correlation
 * id), each with the shared error schema, unless the operation declares its own.
 */
export function documentFrontDoorErrors(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ErrorBody: ERROR_BODY_SCHEMA },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const takesInput = Boolean(operation.parameters?.length || operation.requestBody);
      const frameworkErrors: Record<string, string> = {
        ...(takesInput ? { 400: 'Malformed input: every field and its problems are listed' } : {}),
        ...(operation.requestBody
          ? {
              413: "Body larger than the operation's limit",
              415: 'Body not sent as application/json',
            }
          : {}),
        500: 'Unexpected error (details are in the log under the correlation id)',
      };
      for (const [status, description] of Object.entries(frameworkErrors)) {
        operation.responses[status] ??= errorResponse(status, description);
      }
    }
  }
  return document;
}
