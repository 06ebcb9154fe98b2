import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class TriggerRunQuery {
  @ApiPropertyOptional({
    default: false,
    description: 'Answer when the run has finished (200) instead of as soon as it started (202)',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  wait: boolean = false;
}
