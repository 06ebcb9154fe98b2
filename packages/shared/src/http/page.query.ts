import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const DECIMAL_INTEGER = /^(?:0|[1-9][0-9]{0,15})$/;

/**
 * Query text → number only when written as plain decimal digits (no sign, leading zero, point,
 * exponent, hex or spaces); anything else, repeated parameters included, is left as given so
 * `@IsInt()` refuses it with a 400 naming the field.
 */
export const ToStrictInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
  );

/** Offsets past this are refused: deeper pages of any list here are better reached by filtering. */
export const DEFAULT_MAX_OFFSET = 1_000_000;

/**
 * `?limit=&offset=` paging for list endpoints; extend it with the endpoint's own filters. Both
 * are bounded (limit 1..maxLimit, offset 0..maxOffset), so no value reaches the database as an
 * out-of-range number.
 */
export function PageQuery(defaultLimit: number, maxLimit: number, maxOffset = DEFAULT_MAX_OFFSET) {
  class Page {
    @ApiPropertyOptional({
      default: defaultLimit,
      minimum: 1,
      maximum: maxLimit,
      example: defaultLimit,
    })
    @IsOptional()
    @ToStrictInteger()
    @IsInt()
    @Min(1)
    @Max(maxLimit)
    limit: number = defaultLimit;

    @ApiPropertyOptional({ default: 0, minimum: 0, maximum: maxOffset, example: 0 })
    @IsOptional()
    @ToStrictInteger()
    @IsInt()
    @Min(0)
    @Max(maxOffset)
    offset: number = 0;
  }
  return Page;
}
