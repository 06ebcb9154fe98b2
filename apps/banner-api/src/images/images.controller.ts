import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
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
