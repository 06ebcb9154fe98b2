import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AssetResponse, PageService } from './page.service';

@ApiExcludeController()
@Controller()
export class PageController {
  constructor(private readonly page: PageService) {}

  @Get()
  index(@Headers() headers: Record<string, string>, @Res() res: Response): void {
    send(res, this.page.respond('/', headers['accept-encoding'], headers['if-none-match']));
  }

  @Get('assets/:name')
  asset(
    @Param('name') name: string,
    @Headers() headers: Record<string, string>,
    @Res() res: Response,
  ): void {
    send(
      res,
      this.page.respond(`/assets/${name}`, headers['accept-encoding'], headers['if-none-match']),
    );
  }
}

function send(res: Response, reply: AssetResponse): void {
  res.status(reply.status).set(reply.headers).end(reply.body);
}
