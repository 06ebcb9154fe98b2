import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { strictValidationPipe } from './validation.pipe';

class Line {
  @IsInt()
  @Min(1)
  quantity!: number;
}

class Order {
  @IsString()
  member!: string;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];
}

describe('strictValidationPipe', () => {
  const pipe = strictValidationPipe();
  const validate = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Order });

  it('reports every field, nested ones by path, and unknown fields', async () => {
    const error = await validate({ member: 7, lines: [{ quantity: 0 }], extra: true }).catch(
      (e) => e,
    );
    assert.ok(error instanceof BadRequestException);
    const body = error.getResponse() as { errors: { field: string; problems: string[] }[] };
    const fields = body.errors.map((entry) => entry.field).sort();
    assert.deepEqual(fields, ['extra', 'lines.0.quantity', 'member']);
  });

  it('passes valid input through, transformed to the DTO class', async () => {
    const order = await validate({ member: 'm1', lines: [{ quantity: 2 }] });
    assert.ok(order instanceof Order);
    assert.ok(order.lines[0] instanceof Line);
  });
});
