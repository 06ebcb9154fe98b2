import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { isDeliveryId } from '../delivery-folders.repository';

/** A real calendar day written `YYYYMMDD` (a delivery folder's name). */
export const IsDeliveryId = (field: string) =>
  ValidateBy({
    name: 'isDeliveryId',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isDeliveryId(value),
      defaultMessage: () => `${field} must be a date as YYYYMMDD, e.g. 20261203`,
    },
  });

/** `?night=YYYYMMDD` for a load; the newest delivery folder when absent. */
export class NightQuery {
  @ApiPropertyOptional({
    example: '20261203',
    description: 'The night (delivery folder YYYYMMDD); the newest when absent',
  })
  @IsOptional()
  @IsDeliveryId('night')
  night?: string;
}
