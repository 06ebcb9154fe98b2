import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** PostgreSQL's integer id columns: `integer`/`serial` and `bigint`/`bigserial`. */
export type IdColumn = 'int4' | 'int8';

export const ID_MAXIMUM: Record<IdColumn, bigint> = {
  int4: 2_147_483_647n,
  int8: 9_223_372_036_854_775_807n,
};

const CANONICAL_POSITIVE = /^[1-9][0-9]*$/;

/**
 * Whether `text` is an id as written by us: decimal digits without sign, leading zeros, point or
 * exponent, from 1 to the column's maximum. (`0x10`, `+1`, `007`, `698.0`, `698e0` are not ids.)
 */
export function isStrictId(text: unknown, column: IdColumn): text is string {
  return (
    typeof text === 'string' &&
    text.length <= 19 &&
    CANONICAL_POSITIVE.test(text) &&
    BigInt(text) <= ID_MAXIMUM[column]
  );
}

/** The 400 message for a value that is not an id. */
export const strictIdProblem = (column: IdColumn) =>
  `must be a whole number from 1 to ${ID_MAXIMUM[column]} written in decimal digits only`;

/**
 * `@Param('id', new StrictIdPipe('int4')) id: number`: 400 naming the parameter unless the text
 * is a strict id within the column's range. An `int4` id becomes a number; an `int8` id stays the
 * exact decimal string (as `pg` returns bigint columns), since it may exceed 2^53.
 */
@Injectable()
export class StrictIdPipe implements PipeTransform<unknown, number | string> {
  constructor(private readonly column: IdColumn = 'int4') {}

  transform(value: unknown, metadata: ArgumentMetadata): number | string {
    if (!isStrictId(value, this.column)) {
      const field = metadata.data ?? 'id';
      const problem = strictIdProblem(this.column);
      throw new BadRequestException({
        message: `${field}: ${problem}`,
        errors: [{ field, problems: [problem] }],
      });
    }
    return this.column === 'int4' ? Number(value) : value;
  }
}
