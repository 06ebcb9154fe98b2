import {
  BadRequestException,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  PipeTransform,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG } from '@des/shared';
import { OperatorOnly, OperatorRequest } from '../auth/import-token.guard';
import { ErrorResponseDto } from '../common/error-response.dto';
import { BannerApiConfig } from '../config';
import { UploadAnswerDto, UploadRefusalDto } from '../imports/dto/import-answers.dto';
import { ImportUploadDto } from '../imports/dto/import-fields.dto';
import { ImportsService, UploadAnswer } from '../imports/imports.service';
import { readUpload } from '../imports/multipart';
import { SelectionStore } from '../selection/selection.store';
import { Quarter } from '../selection/selection.rules';
import { DatasetPageDto, DatasetPageQuery, DeletedDto, RollbackDto } from './dto/dataset.dto';
import { DatasetsRepository } from './datasets.repository';

/** `:quarter` of the path: 1, 2, 3 or 4 exactly. */
class QuarterPipe implements PipeTransform<unknown, Quarter> {
  transform(value: unknown): Quarter {
    // The global validation pipe may already have turned the text into a number.
    const text = String(value);
    if (!/^[1-4]$/.test(text))
      throw new BadRequestException(`quarter must be 1, 2, 3 or 4 (got "${text.slice(0, 20)}")`);
    return Number(text) as Quarter;
  }
}

const QUARTER = new QuarterPipe();
const QUARTER_PARAM = ApiParam({
  name: 'quarter',
  example: 2,
  description: 'Quarter of the hour, 1-4',
});

@ApiTags('datasets')
@Controller()
@OperatorOnly()
export class DatasetsController {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly imports: ImportsService,
    private readonly selections: SelectionStore,
    @Inject(APP_CONFIG) private readonly config: BannerApiConfig,
  ) {}

  @Get('datasets')
  @ApiOperation({
    summary:
      'Datasets (every version of every quarter) with their files, row counts, hashes and who imported them, newest first',
  })
  @ApiOkResponse({ type: DatasetPageDto })
  @ApiBadRequestResponse({
    description: 'limit, offset or quarter out of range',
    type: ErrorResponseDto,
  })
  async list(@Query() query: DatasetPageQuery): Promise<DatasetPageDto> {
    const { total, items } = await this.datasets.page(query.limit, query.offset, query.quarter);
    return { total, limit: query.limit, offset: query.offset, items };
  }

  @Put('quarters/:quarter/dataset')
  @QUARTER_PARAM
  @ApiOperation({
    summary:
      'Replace a quarter’s dataset with exactly one impressions, one clicks and one conversions file',
    description:
      'The kind comes from the start of each file name. Published at once; the previous dataset can be restored with rollback.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadDto })
  @ApiOkResponse({ type: UploadAnswerDto })
  @ApiBadRequestResponse({
    description: 'Not exactly one file of each kind, or invalid rows',
    type: UploadRefusalDto,
  })
  @ApiConflictResponse({ description: 'Ids repeated across the files', type: UploadRefusalDto })
  @ApiPayloadTooLargeResponse({
    description: 'A file over BANNER_MAX_UPLOAD_MB',
    type: ErrorResponseDto,
  })
  async replace(
    @Param('quarter', QUARTER) quarter: Quarter,
    @Req() request: OperatorRequest,
  ): Promise<UploadAnswer> {
    const upload = await readUpload(request, this.config.BANNER_MAX_UPLOAD_MB);
    try {
      return await this.imports.importFiles(upload.files, {
        strict: upload.fields.strict,
        importedBy: request.operator!,
        replaceQuarter: quarter,
      });
    } finally {
      await upload.cleanup();
    }
  }

  @Delete('quarters/:quarter/dataset')
  @QUARTER_PARAM
  @ApiOperation({
    summary:
      'Delete every dataset of a quarter and its rows (the quarter then answers 503 until new data arrives)',
  })
  @ApiOkResponse({ type: DeletedDto })
  @ApiBadRequestResponse({ description: 'quarter not 1-4', type: ErrorResponseDto })
  async remove(@Param('quarter', QUARTER) quarter: Quarter): Promise<DeletedDto> {
    const deleted = await this.datasets.deleteQuarter(quarter);
    await this.selections.reload('all');
    return { quarter, ...deleted };
  }

  @Post('quarters/:quarter/rollback')
  @HttpCode(200)
  @QUARTER_PARAM
  @ApiOperation({ summary: 'Serve the quarter’s previously published dataset again' })
  @ApiOkResponse({ type: RollbackDto })
  @ApiBadRequestResponse({ description: 'quarter not 1-4', type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'No earlier published dataset to return to',
    type: ErrorResponseDto,
  })
  async rollback(@Param('quarter', QUARTER) quarter: Quarter): Promise<RollbackDto> {
    const done = await this.datasets.rollback(quarter);
    if (!done)
      throw new ConflictException(
        `Quarter ${quarter} has no earlier published dataset to roll back to`,
      );
    await this.selections.reload('all');
    return { quarter, ...done };
  }
}
