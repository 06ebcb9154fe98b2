import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The app's JSON error shape (the shared exception filter's), for the OpenAPI docs. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'campaignId must be a whole number between 1 and 2147483647 (got "x")' })
  message!: string;

  @ApiProperty({ example: '3f1c2a9e-8d7b-4a61-9a0e-2b6c5d4e3f21' })
  correlationId!: string;
}

/** One problem of a refused file. */
export class RowErrorDto {
  @ApiPropertyOptional({ example: 'conversions_1.csv' })
  file?: string;

  @ApiProperty({ example: 3 })
  line!: number;

  @ApiPropertyOptional({ example: 'click_id' })
  field?: string;

  @ApiPropertyOptional({ example: 2 })
  column?: number;

  @ApiProperty({ example: 'must be a whole number of at most 18 digits (got "abc")' })
  problem!: string;
}
