import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * A finite number with at most `places` decimals. class-validator's `maxDecimalPlaces` reads the
 * digits after a "." in the number's text and throws on exponent forms such as `1e-7`.
 */
export function HasAtMostDecimals(places: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'hasAtMostDecimals',
      target: target.constructor,
      propertyName,
      options: {
        message: `$property must be a number with at most ${places} decimals`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' &&
          Number.isFinite(value) &&
          Number(value.toFixed(places)) === value,
      },
    });
}
