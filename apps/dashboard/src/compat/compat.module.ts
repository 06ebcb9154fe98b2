import { Module } from '@nestjs/common';
import { SeriesModule } from '../series/series.module';
import { CompatController } from './compat.controller';
import { CompatService } from './compat.service';

@Module({
  imports: [SeriesModule],
  controllers: [CompatController],
  providers: [CompatService],
})
export class CompatModule {}
