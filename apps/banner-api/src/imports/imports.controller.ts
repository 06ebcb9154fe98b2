import { Controller, Get, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { ImportUploadDto } from './dto/import-fields.dto';
import { ImportsService } from './imports.service';
import { readUpload } from './multipart';

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @ApiOperation({
    summary:
      'Import CSV files (impressions/clicks/conversions); 400 with line numbers if invalid, 409 if already imported',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadDto })
  async create(@Req() request: FastifyRequest) {
    return this.imports.importUpload(await readUpload(request));
  }

  @Get()
  @ApiOperation({ summary: 'Every import attempt (accepted, rejected, duplicate), newest first' })
  list() {
    return this.imports.list();
  }
}
