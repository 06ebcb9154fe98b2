import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';

export interface FieldError {
  field: string;
  problems: string[];
}

/** Flattens class-validator's tree into `items[0].quantity: must be positive` style entries. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/** The problem of a text with a NUL in it: PostgreSQL cannot store one, and no honest input has one. */
export const NUL_PROBLEM = 'must not contain a NUL character (\\u0000)';
/** A `__proto__` key is how prototype pollution is attempted; no field of ours has that name. */
export const PROTO_KEY_PROBLEM = 'is not an accepted field name';

export interface UnsafeInput {
  field: string;
  problem: string;
}

/**
 * The first string or key in a request's body, query or parameter holding a NUL, or a
 * `__proto__` key, with its path (e.g. `lines.0.note`); `undefined` when there is none.
 */
export function findUnsafeInput(value: unknown, path = ''): UnsafeInput | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? { field: path, problem: NUL_PROBLEM } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return { field, problem: NUL_PROBLEM };
    if (key === '__proto__') return { field, problem: PROTO_KEY_PROBLEM };
    const found = findUnsafeInput(child, field);
    if (found) return found;
  }
  return undefined;
}

class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const unsafe = metadata.type === 'custom' ? undefined : findUnsafeInput(value, metadata.data);
    if (unsafe) {
      const field = unsafe.field || metadata.type;
      throw new BadRequestException({
        message: `${field}: ${unsafe.problem}`,
        errors: [{ field, problems: [unsafe.problem] }],
      });
    }
    return super.transform(value, metadata);
  }

  /**
   * A lone path or query parameter typed `number` or `boolean` stays the text it was: Nest's
   * conversion (`Number('0x10')` is 16, `Number('1e3')` 1000) would let loosely written values
   * through the parameter's own pipe (`StrictIdPipe`, `ParseIntPipe`), which must see the text.
   */
  protected override transformPrimitive(value: unknown): unknown {
    return value;
  }
}

/**
 * Rejects unknown fields and answers 400 with every field's problems at once; a NUL (or a
 * `__proto__` key) anywhere in a body, query or path parameter is refused first, before it can
 * reach the database.
 */
export function strictValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = fieldErrors(errors);
      return new BadRequestException({
        message: details.map((d) => `${d.field}: ${d.problems.join(', ')}`).join('; '),
        errors: details,
      });
    },
  });
}
