import { ApiProperty } from '@nestjs/swagger';
import { BUYING_VALUES, FEATURES } from '../../car/attributes';
import { LEANING_BELOW, NEAR_TIE_BELOW, VERDICTS } from '../../model/answer';

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
    description: `The margin in words: tie (0), near tie (below ${NEAR_TIE_BELOW}), leaning (below ${LEANING_BELOW}), clear`,
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

/** The committed model's answer to the original question, as the docs' example. */
export const PREDICTION_EXAMPLE: PredictionResponseDto = {
  buying: 'low',
  probabilities: { vhigh: 0.172404, high: 0.129618, med: 0.332058, low: 0.36592 },
  runnerUp: 'med',
  margin: 0.033862,
  verdict: 'near tie',
  matchingTrainingRows: 0,
  extrapolation: true,
  modelVersion: 'f72b7c573f5b',
  marginalised: ['persons'],
  weightsFrom: 'rows of the same class',
  note: 'No training row has this combination of attributes: the answer is an extrapolation from the model’s main effects, not evidence from data. low leads med by 0.033862 (a near tie: the model barely prefers one).',
};
