import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PredictionRequestDto } from './dto/prediction-request.dto';
import { PredictionResponseDto } from './dto/prediction-response.dto';
import { PredictionsService } from './predictions.service';

@ApiTags('predictions')
@Controller('predictions')
export class PredictionsController {
  constructor(private readonly predictions: PredictionsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Predict the buying price of a car; missing attributes are averaged over',
  })
  @ApiOkResponse({ type: PredictionResponseDto })
  predict(@Body() request: PredictionRequestDto): PredictionResponseDto {
    return this.predictions.predict(request);
  }
}
