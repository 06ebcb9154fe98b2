import { Module } from '@nestjs/common';
import { GeneratorModule } from '../generator/generator.module';
import { MembersModule } from '../members/members.module';
import { DemoRepository } from './demo.repository';
import { DemoLoginsService } from './demo-logins.service';
import { DemoService } from './demo.service';

@Module({
  imports: [MembersModule, GeneratorModule],
  providers: [DemoService, DemoRepository, DemoLoginsService],
})
export class DemoModule {}
