import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@des/shared';
import { IsOptional, Matches } from 'class-validator';

/** `GET /loads` paging, newest run first, optionally one job's runs. */
export class ListLoadsQuery extends PageQuery(20, 100) {
  @ApiPropertyOptional({ example: 'supplier' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,40}$/, { message: 'job must be a job name such as supplier' })
  job?: string;
}
