/** The shared error shape (packages/shared's front door declares it as `ErrorBody`). */
export const ERROR_BODY = { $ref: '#/components/schemas/ErrorBody' };
