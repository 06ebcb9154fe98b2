import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_ROOT } from '../../config';

interface Asset {
  type: string;
  body: Buffer;
}

const read = (path: string, type: string): Asset => ({ type, body: readFileSync(path) });

/**
 * The organic-share chart: a static page and script (public/organic-share) that draw the JSON of
 * GET /organic-share with plotly.js, served from node_modules (nothing is fetched from a CDN).
 * Read once at start-up; small enough to keep in memory.
 */
@ApiExcludeController()
@Controller('organic-share')
export class OrganicShareChartController {
  private readonly assets = new Map<string, Asset>([
    [
      'chart',
      read(join(APP_ROOT, 'public', 'organic-share', 'chart.html'), 'text/html; charset=utf-8'),
    ],
    [
      'chart.js',
      read(join(APP_ROOT, 'public', 'organic-share', 'chart.js'), 'text/javascript; charset=utf-8'),
    ],
    [
      'plotly.min.js',
      read(
        require.resolve('plotly.js-basic-dist-min/plotly-basic.min.js'),
        'text/javascript; charset=utf-8',
      ),
    ],
  ]);

  @Get('chart')
  page(@Res() res: Response): void {
    this.send(res, 'chart');
  }

  @Get('assets/chart.js')
  script(@Res() res: Response): void {
    this.send(res, 'chart.js');
  }

  @Get('assets/plotly.min.js')
  plotly(@Res() res: Response): void {
    this.send(res, 'plotly.min.js');
  }

  private send(res: Response, name: string): void {
    const asset = this.assets.get(name)!;
    res.status(200).type(asset.type).set('Cache-Control', 'no-cache').end(asset.body);
  }
}
