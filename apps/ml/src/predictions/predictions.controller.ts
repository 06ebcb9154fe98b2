import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { QUESTION } from '../training/report';
import { ERROR_BODY } from '../model/dto/error-body';
import { PredictionRequestDto } from './dto/prediction-request.dto';
import { PREDICTION_EXAMPLE, PredictionResponseDto } from './dto/prediction-response.dto';
import { PredictionsService } from './predictions.service';

@ApiTags('predictions')
@Controller('predictions')
export class PredictionsController {
  constructor(private readonly predictions: PredictionsService) {}

  /**
   * Documents the route and serves what the fast path hands over (predictions.fast-path.ts):
   * valid questions are answered before Express, from the same table.
   */
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Predict the buying price of a car, with how decisive the answer is; missing attributes are averaged over',
  })
  @ApiBody({
    type: PredictionRequestDto,
    examples: {
      question: {
        summary: 'The original question: persons not given',
        value: QUESTION,
      },
      complete: {
        summary: 'A complete car, with accepted variant spellings',
        value: {
          maint: 'Low',
          doors: 4,
          persons: 4,
          lug_boot: 'big',
          safety: 'high',
          class: 'vgood',
        },
      },
      sparse: { summary: 'Only two attributes known', value: { class: 'unacc', safety: 'low' } },
    },
  })
  @ApiOkResponse({
    type: PredictionResponseDto,
    example: PREDICTION_EXAMPLE,
  })
  @ApiBadRequestResponse({
    description: 'An unknown attribute or value: every bad field with its allowed values',
    schema: ERROR_BODY,
    example: {
      statusCode: 400,
      error: 'Bad Request',
      message:
        'maint: must be one of vhigh, high, med, low (also accepted: any letter case, "very high", "medium")',
      correlationId: '3b0f4c1e-8d2a-4f57-9a0e-6c1d2b7e9f10',
      errors: [
        {
          field: 'maint',
          problems: [
            'must be one of vhigh, high, med, low (also accepted: any letter case, "very high", "medium")',
          ],
        },
      ],
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'No model yet: one is being trained at start-up; retry in a moment',
    schema: ERROR_BODY,
  })
  predict(@Body() request: PredictionRequestDto): PredictionResponseDto {
    return this.predictions.predict(request);
  }
}
