import { ApiProperty } from '@nestjs/swagger';
import { BUYING_VALUES, FEATURES } from '../../car/attributes';

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
