import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** sales-db's own /health (replaces the shared one, which pings through the owner's pool). */
@Module({ controllers: [HealthController] })
export class SalesHealthModule {}
