import { ApiResponseOptions, getSchemaPath } from '@nestjs/swagger';
import { LoadRunView } from './load-run.view';

/** The shared error body (`ErrorBody`, declared by the front door) for an error response. */
export const errorResponse = (description: string): ApiResponseOptions => ({
  description,
  schema: { $ref: '#/components/schemas/ErrorBody' },
});

/** A failed load: the error body plus the run record that says why. */
export const failedLoadResponse = (description: string): ApiResponseOptions => ({
  description,
  schema: {
    allOf: [
      { $ref: '#/components/schemas/ErrorBody' },
      {
        type: 'object',
        required: ['load'],
        properties: { load: { $ref: getSchemaPath(LoadRunView) } },
      },
    ],
  },
});
