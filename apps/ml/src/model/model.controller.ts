import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ModelService } from './model.service';

@ApiTags('model')
@Controller('model')
export class ModelController {
  constructor(private readonly model: ModelService) {}

  @Get()
  @ApiOperation({ summary: 'The served model: version, configuration and evaluation figures' })
  describe() {
    return this.model.describe();
  }
}
