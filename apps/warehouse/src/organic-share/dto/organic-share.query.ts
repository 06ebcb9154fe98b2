import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsDeliveryId } from '../../loads/dto/delivery.query';

/** `YYYY-MM` (a month) or `YYYY-Www` (an ISO week, e.g. 2020-W53). */
export const PERIOD = /^(\d{4})-(?:(0[1-9]|1[0-2])|W(0[1-9]|[1-4]\d|5[0-3]))$/;

/** `GET /organic-share` filters; every filter is optional. */
export class OrganicShareQuery {
  @ApiPropertyOptional({
    example: 'GB',
    description: 'One country (ISO code); all countries when absent',
  })
  @IsOptional()
  @Matches(/^[A-Z]{2,3}$/, { message: 'country must be an upper-case country code such as GB' })
  country?: string;

  @ApiPropertyOptional({
    example: '2021-01',
    description:
      'First month (YYYY-MM) or ISO week (YYYY-Www, e.g. 2020-W53): weeks starting on or after it',
  })
  @IsOptional()
  @Matches(PERIOD, {
    message: 'from must be a month YYYY-MM or an ISO week YYYY-Www, e.g. 2021-01 or 2020-W53',
  })
  from?: string;

  @ApiPropertyOptional({
    example: '2021-12',
    description: 'Last month (YYYY-MM) or ISO week (YYYY-Www): weeks starting within it or before',
  })
  @IsOptional()
  @Matches(PERIOD, {
    message: 'to must be a month YYYY-MM or an ISO week YYYY-Www, e.g. 2021-12 or 2021-W52',
  })
  to?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    example: 'csv',
    description: 'json (default) or csv; `Accept: text/csv` also selects CSV',
  })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}

/** `?delivery=YYYYMMDD` for a run; the newest delivery folder when absent. */
export class DeliveryQuery {
  @ApiPropertyOptional({
    example: '20211213',
    description: 'The delivery folder (YYYYMMDD) under marketing/; the newest when absent',
  })
  @IsOptional()
  @IsDeliveryId('delivery')
  delivery?: string;
}
