import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ServingDto {
  @ApiProperty({
    example:
      'precomputed table: every question (each attribute given or left out) answered once when the model was loaded, then served from memory',
  })
  method!: string;

  @ApiProperty({ example: 8000, description: 'Answers in the table: 5·5·4·4·4·5 questions' })
  answers!: number;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', description: 'When the table was built' })
  builtAt!: string;

  @ApiProperty({ example: 904, description: 'Milliseconds it took to build' })
  buildMs!: number;
}

export class ClassFiguresDto {
  @ApiProperty({ example: 0.311 }) precision!: number;
  @ApiProperty({ example: 0.975 }) recall!: number;
  @ApiProperty({ example: 0.471 }) f1!: number;
  @ApiProperty({ example: 1296, description: 'Rows whose actual buying value is this one' })
  support!: number;
  @ApiProperty({ example: 4071, description: 'Rows predicted as this value' })
  predicted!: number;
}

export class PerClassDto {
  @ApiProperty({ type: ClassFiguresDto }) vhigh!: ClassFiguresDto;
  @ApiProperty({ type: ClassFiguresDto }) high!: ClassFiguresDto;
  @ApiProperty({ type: ClassFiguresDto }) med!: ClassFiguresDto;
  @ApiProperty({ type: ClassFiguresDto }) low!: ClassFiguresDto;
}

export class PredictorQualityDto {
  @ApiProperty({ example: 'model (candidate chosen by inner CV)' }) name!: string;
  @ApiProperty({ example: 0.343 }) accuracy!: number;
  @ApiProperty({ example: 0.272 }) macroF1!: number;
  @ApiProperty({ example: 1.226 }) logLoss!: number;
  @ApiProperty({ type: PerClassDto }) perClass!: PerClassDto;
}

export class QualityDto {
  @ApiProperty({
    example:
      'nested cross-validation: 3× 10-fold outer, 10-fold inner (means over repetitions; per-class figures from the summed confusion matrix)',
  })
  estimate!: string;

  @ApiProperty({
    type: PredictorQualityDto,
    description: 'The procedure that made the served model',
  })
  model!: PredictorQualityDto;

  @ApiPropertyOptional({
    type: PredictorQualityDto,
    description: 'The same procedure plus threshold calibration, on the same folds',
  })
  calibrated?: PredictorQualityDto;

  @ApiPropertyOptional({ type: PredictorQualityDto }) previous?: PredictorQualityDto;

  @ApiProperty({ type: [PredictorQualityDto] }) baselines!: PredictorQualityDto[];

  @ApiPropertyOptional({ description: 'Whether the served model applies threshold calibration' })
  calibrationKept?: boolean;
}

export class ModelLinksDto {
  @ApiProperty({
    example: '/model/confusion-matrix.svg',
    description: 'The nested CV’s confusion matrix as a picture (404 for a model without one)',
  })
  confusionMatrix!: string;
}

export class ModelDescriptionDto {
  @ApiProperty({ example: 'f72b7c573f5b' }) modelVersion!: string;

  @ApiProperty({
    example: 'model',
    description:
      'The model folder relative to the app, or the setting that named it when it lies elsewhere',
  })
  source!: string;

  @ApiProperty({ type: ServingDto }) serving!: ServingDto;

  @ApiPropertyOptional({
    type: QualityDto,
    description: 'Absent for a model trained at start-up without cross-validation',
  })
  quality?: QualityDto;

  @ApiProperty({ type: ModelLinksDto }) links!: ModelLinksDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Stored with the weights: configuration, value orders, data checksum, backend',
  })
  metadata!: object;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The full evaluation written by `npm run train` (evaluation.json)',
  })
  evaluation?: object;
}
