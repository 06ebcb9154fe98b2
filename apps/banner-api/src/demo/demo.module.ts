import { Module } from '@nestjs/common';
import { ImportsModule } from '../imports/imports.module';
import { DemoRepository } from './demo.repository';
import { DemoService } from './demo.service';

@Module({
  imports: [ImportsModule],
  providers: [DemoRepository, DemoService],
  exports: [DemoService],
})
export class DemoModule {}
