import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto';
import { FastifyReply } from 'fastify';
import { ImagesService } from './images.service';

@ApiTags('images')
@Controller('images')
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  @Get(':file')
  @ApiOperation({
    summary: 'A banner’s image: its uploaded creative, else a generated placeholder (ETag)',
    description: '404 for a banner that is in no published dataset and has no creative.',
  })
  @ApiParam({ name: 'file', example: 'image_42.png', description: 'image_<bannerId>.png or .svg' })
  @ApiProduces('image/png', 'image/svg+xml')
  @ApiOkResponse({
    description: 'The image, with a strong ETag',
    content: {
      'image/png': { schema: { type: 'string', format: 'binary' }, example: '(PNG bytes)' },
      'image/svg+xml': { schema: { type: 'string' }, example: '<svg …>BANNER 42</svg>' },
    },
  })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @ApiBadRequestResponse({
    description: 'Not image_<bannerId>.png or .svg',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({
    description: 'A banner in no published dataset and without a creative',
    type: ErrorResponseDto,
  })
  async get(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const image = await this.images.image(file);
    reply.header('etag', image.etag).header('cache-control', 'public, max-age=86400, immutable');
    if (ifNoneMatch?.split(/\s*,\s*/).includes(image.etag)) return reply.code(304).send();
    return reply.type(image.contentType).send(image.body);
  }
}
