import { Controller, Get, Inject, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG } from '@des/shared';
import { OperatorOnly, OperatorRequest } from '../auth/import-token.guard';
import { ErrorResponseDto } from '../common/error-response.dto';
import { BannerApiConfig } from '../config';
import {
  HistoryPageQuery,
  ImportPageDto,
  UploadAnswerDto,
  UploadRefusalDto,
} from './dto/import-answers.dto';
import { ImportUploadDto } from './dto/import-fields.dto';
import { ImportsService, UploadAnswer } from './imports.service';
import { readUpload } from './multipart';

@ApiTags('imports')
@Controller('imports')
@OperatorOnly()
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    @Inject(APP_CONFIG) private readonly config: BannerApiConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Import CSV files, all or nothing',
    description:
      'One or more files of one or more quarters. A quarter’s new set is published when it has impressions, clicks and conversions; until then the previous set keeps serving. A new impressions file replaces the quarter’s impressions; clicks and conversions are added (same id and values: skipped; same id, other values: 409).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadDto })
  @ApiCreatedResponse({ type: UploadAnswerDto })
  @ApiBadRequestResponse({
    description:
      'Invalid rows (line, field, column), unknown kind/quarter, anomalies in strict mode',
    type: UploadRefusalDto,
  })
  @ApiConflictResponse({
    description: 'A file already in the quarter’s set, or rows conflicting with stored ones',
    type: UploadRefusalDto,
  })
  @ApiPayloadTooLargeResponse({
    description: 'A file over BANNER_MAX_UPLOAD_MB (named in the message)',
    type: ErrorResponseDto,
  })
  async create(@Req() request: OperatorRequest): Promise<UploadAnswer> {
    const upload = await readUpload(request, this.config.BANNER_MAX_UPLOAD_MB);
    try {
      return await this.imports.importFiles(upload.files, {
        ...upload.fields,
        importedBy: request.operator!,
      });
    } finally {
      await upload.cleanup();
    }
  }

  @Get()
  @ApiOperation({
    summary: 'Import attempts (accepted, rejected, duplicate, deleted), newest first, paged',
  })
  @ApiOkResponse({ type: ImportPageDto })
  @ApiBadRequestResponse({ description: 'limit or offset out of range', type: ErrorResponseDto })
  async list(@Query() query: HistoryPageQuery): Promise<ImportPageDto> {
    const { total, items } = await this.imports.page(query.limit, query.offset);
    return { total, limit: query.limit, offset: query.offset, items };
  }
}
