import {
  BadRequestException,
  Controller,
  Inject,
  Param,
  PayloadTooLargeException,
  Put,
  Req,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { APP_CONFIG, BodyLimit, StrictIdPipe } from '@des/shared';
import { OperatorOnly, OperatorRequest } from '../auth/import-token.guard';
import { ErrorResponseDto } from '../common/error-response.dto';
import { BannerApiConfig } from '../config';
import { ImagesService } from '../images/images.service';
import { CreativesRepository } from './creatives.repository';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

class CreativeDto {
  @ApiProperty({ example: 42 }) bannerId!: number;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  sha256!: string;
  @ApiProperty({ example: 18234 }) bytes!: number;
  @ApiProperty({ example: 'demo' }) uploadedBy!: string;
  @ApiProperty({ example: '/images/image_42.png' }) imageUrl!: string;
}

@ApiTags('images')
@Controller('banners')
@OperatorOnly()
export class CreativesController {
  constructor(
    private readonly creatives: CreativesRepository,
    private readonly images: ImagesService,
    @Inject(APP_CONFIG) private readonly config: BannerApiConfig,
  ) {}

  @Put(':bannerId/creative')
  @ApiOperation({
    summary: 'Upload the real creative of a banner (a PNG, the original task’s image_<id>.png)',
    description:
      'Send the PNG bytes as the body with Content-Type: image/png. Served at /images/image_<id>.png and by GET /campaigns/:id for Accept: image/*.',
  })
  @ApiParam({ name: 'bannerId', example: 42 })
  @ApiConsumes('image/png')
  @ApiBody({ schema: { type: 'string', format: 'binary', example: '(PNG bytes)' } })
  // The largest BANNER_MAX_CREATIVE_KB allows; the configured limit is checked below, naming it.
  @BodyLimit(10 * 1024 * 1024 + 1)
  @ApiOkResponse({ type: CreativeDto })
  @ApiBadRequestResponse({
    description: 'Not a PNG, or bannerId not in 1..2147483647',
    type: ErrorResponseDto,
  })
  @ApiPayloadTooLargeResponse({
    description: 'Over BANNER_MAX_CREATIVE_KB',
    type: ErrorResponseDto,
  })
  @ApiUnsupportedMediaTypeResponse({
    description: 'Content-Type is not image/png',
    type: ErrorResponseDto,
  })
  async upload(
    @Param('bannerId', new StrictIdPipe('int4')) bannerId: number,
    @Req() request: OperatorRequest,
  ): Promise<CreativeDto> {
    // Not @Body(): the front door would ask for JSON; the image/png parser (app.ts) gives the bytes.
    const body = request.body;
    if (!Buffer.isBuffer(body))
      throw new UnsupportedMediaTypeException(
        'Send the creative as the body with Content-Type: image/png',
      );
    if (body.length > this.config.BANNER_MAX_CREATIVE_KB * 1024)
      throw new PayloadTooLargeException(
        `The creative is larger than ${this.config.BANNER_MAX_CREATIVE_KB} KB (BANNER_MAX_CREATIVE_KB)`,
      );
    if (!body.subarray(0, 8).equals(PNG_SIGNATURE))
      throw new BadRequestException('The body is not a PNG image (no PNG signature)');
    const saved = await this.creatives.save(bannerId, body, request.operator!);
    this.images.forget(bannerId);
    return {
      bannerId,
      sha256: saved.sha256,
      bytes: body.length,
      uploadedBy: saved.uploadedBy,
      imageUrl: `/images/image_${bannerId}.png`,
    };
  }
}
