import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@des/shared';
import { Max } from 'class-validator';

/** Beyond any real history, and within what PostgreSQL's OFFSET takes. */
const MAX_OFFSET = 2_147_483_647;

/** `GET /runs` paging, newest run first. */
export class ListRunsQuery extends PageQuery(20, 100) {
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @Max(MAX_OFFSET)
  override offset: number = 0;
}
