import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ERROR_BODY } from './dto/error-body';
import { ModelDescriptionDto } from './dto/model-description.dto';
import { ModelService } from './model.service';

const STILL_TRAINING = 'The model is still being trained at start-up; retry in a moment';

@ApiTags('model')
@Controller('model')
export class ModelController {
  constructor(private readonly model: ModelService) {}

  @Get()
  @ApiOperation({
    summary:
      'The served model: version, how answers are served, accuracy, macro-F1 and per-class precision/recall',
  })
  @ApiOkResponse({ type: ModelDescriptionDto })
  @ApiServiceUnavailableResponse({ description: STILL_TRAINING, schema: ERROR_BODY })
  describe(): ModelDescriptionDto {
    return this.model.describe();
  }

  @Get('confusion-matrix.svg')
  @Header('content-type', 'image/svg+xml; charset=utf-8')
  @ApiOperation({ summary: 'Confusion matrix of the served model’s nested cross-validation (SVG)' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({
    description: 'Counts per actual and predicted buying value, shaded by row share',
    schema: { type: 'string', example: '<svg xmlns="http://www.w3.org/2000/svg" …>…</svg>' },
  })
  @ApiNotFoundResponse({
    description: 'The served model has no cross-validated evaluation',
    schema: ERROR_BODY,
  })
  @ApiServiceUnavailableResponse({ description: STILL_TRAINING, schema: ERROR_BODY })
  confusionMatrix(): string {
    return this.model.confusionMatrixSvg();
  }
}
