import { ApiProperty } from '@nestjs/swagger';
import { BUYING_VALUES, FEATURES } from '../../car/attributes';
import { VERDICTS } from '../../model/answer';

export class BuyingProbabilitiesDto {
  @ApiProperty() vhigh!: number;
  @ApiProperty() high!: number;
  @ApiProperty() med!: number;
  @ApiProperty() low!: number;
}

export class PredictionResponseDto {
  @ApiProperty({ enum: BUYING_VALUES, description: 'The most probable buying price' })
  buying!: string;

  @ApiProperty({ type: BuyingProbabilitiesDto })
  probabilities!: BuyingProbabilitiesDto;

  @ApiProperty({ enum: BUYING_VALUES, description: 'The second most probable buying price' })
  runnerUp!: string;

  @ApiProperty({
    description:
      'Probability of the answer minus that of the runner-up (both rounded to 6 decimals): how decisive the answer is',
    example: 0.034,
  })
  margin!: number;

  @ApiProperty({
    enum: VERDICTS,
    description: `The margin in words: tie (0), near tie (below 0.05), leaning (below 0.15), clear`,
  })
  verdict!: string;

  @ApiProperty({ description: 'Training rows that agree with every given attribute' })
  matchingTrainingRows!: number;

  @ApiProperty({ description: 'True when no training row matches: the model is extrapolating' })
  extrapolation!: boolean;

  @ApiProperty()
  modelVersion!: string;

  @ApiProperty({ enum: FEATURES, isArray: true, description: 'Attributes averaged over' })
  marginalised!: string[];

  @ApiProperty({
    description: 'Which rows weighted the values of the marginalised attributes',
    enum: ['nothing missing', 'matching rows', 'rows of the same class', 'all rows'],
  })
  weightsFrom!: string;

  @ApiProperty()
  note!: string;
}
