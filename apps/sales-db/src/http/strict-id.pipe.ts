import {
  applyDecorators,
  BadRequestException,
  createParamDecorator,
  ExecutionContext,
} from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/** Largest id of an `integer` column; bigint ids are bounded by what a JSON number holds exactly. */
export const INT4_MAX = 2_147_483_647;

/**
 * A path id: decimal digits without sign, leading zeros, exponent or fraction, within the
 * column's range (`0x10`, `+1`, `007`, `698.0`, `698e0` are refused with 400, never coerced).
 */
export function parseId(value: unknown, max: number): number {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,15}$/.test(value) || Number(value) > max) {
    throw new BadRequestException({
      message: `id must be a whole number from 1 to ${max}, written in decimal digits`,
      errors: [{ field: 'id', problems: ['must be decimal digits within range'] }],
    });
  }
  return Number(value);
}

/**
 * The `:id` path parameter, parsed strictly from the raw text. A custom parameter decorator, so
 * the global validation pipe's number coercion (which reads `0x10` as 16) never sees it first.
 */
const rawId = createParamDecorator((max: number, context: ExecutionContext) =>
  parseId(context.switchToHttp().getRequest<{ params: Record<string, unknown> }>().params.id, max),
);

export const IdParam = (max: number = INT4_MAX): ParameterDecorator => rawId(max);

/** Documents the `:id` parameter that IdParam reads. */
export const ApiIdParam = (description: string, max: number = INT4_MAX) =>
  applyDecorators(
    ApiParam({ name: 'id', description, schema: { type: 'integer', minimum: 1, maximum: max } }),
  );
