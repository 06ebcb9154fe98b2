import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error shape every route answers with (see @des/shared's exception filter). */
export class ErrorView {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'Validation failed' })
  message!: string;

  @ApiProperty({
    description: 'Matches the request in the logs',
    example: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  })
  correlationId!: string;

  @ApiPropertyOptional({
    description: 'Field-level problems of a 400',
    example: [{ field: 'limit', problems: ['limit must not be greater than 100'] }],
  })
  errors?: unknown;
}
