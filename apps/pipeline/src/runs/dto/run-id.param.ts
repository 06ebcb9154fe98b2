import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class RunIdParam {
  @ApiProperty({ example: '20260101T100000Z-1a2b3c' })
  @Matches(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/, { message: 'id must look like 20260101T100000Z-1a2b3c' })
  id!: string;
}
