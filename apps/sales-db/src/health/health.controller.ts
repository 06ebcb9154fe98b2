import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequestDatabase, RequestPoolState } from '../database/request-database';

interface HealthBody {
  status: 'ok' | 'degraded' | 'error';
  info: Record<string, unknown>;
  error: Record<string, unknown>;
  details: Record<string, unknown>;
}

const EXAMPLE = {
  status: 'degraded',
  info: { database: { status: 'up' } },
  error: {},
  details: {
    database: { status: 'up' },
    requestPool: {
      status: 'degraded',
      message: 'every connection is in use and 12 requests wait for one',
      size: 10,
      max: 10,
      idle: 0,
      waiting: 12,
    },
  },
};

/**
 * `GET /health` on its own database connection (with a 1 s timeout), so it answers promptly while
 * the request pool is saturated or tables are locked, and says which part is degraded: 200 when
 * PostgreSQL answers (status `degraded` when requests queue for a connection), 503 when it does not.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly database: RequestDatabase) {}

  @Get()
  @ApiOperation({ summary: 'Liveness, database connectivity and request-pool saturation' })
  @ApiOkResponse({ description: 'PostgreSQL answers', schema: { example: EXAMPLE } })
  @ApiServiceUnavailableResponse({
    description: 'PostgreSQL does not answer within 1 s',
    schema: {
      example: {
        status: 'error',
        info: {},
        error: { database: { status: 'down', message: 'no answer within 1 s' } },
        details: { database: { status: 'down', message: 'no answer within 1 s' } },
      },
    },
  })
  async check(@Res({ passthrough: true }) response: { status(code: number): void }) {
    const pool = poolHealth(this.database.poolState());
    try {
      await this.database.ping();
    } catch {
      const database = { status: 'down', message: 'no answer within 1 s' };
      response.status(503);
      return body('error', { requestPool: pool }, { database });
    }
    const database = { status: 'up' };
    return pool.status === 'up'
      ? body('ok', { database, requestPool: pool }, {})
      : body('degraded', { database }, { requestPool: pool });
  }
}

function poolHealth(state: RequestPoolState) {
  const saturated = state.waiting > 0;
  return saturated
    ? {
        status: 'degraded',
        message: `every connection is in use and ${state.waiting} requests wait for one`,
        ...state,
      }
    : { status: 'up', ...state };
}

function body(
  status: HealthBody['status'],
  info: Record<string, unknown>,
  error: Record<string, unknown>,
): HealthBody {
  return { status, info, error, details: { ...info, ...error } };
}
