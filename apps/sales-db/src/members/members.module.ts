import { Module } from '@nestjs/common';
import { MembersImportService } from './members-import.service';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

@Module({
  controllers: [MembersController],
  providers: [MembersService, MembersRepository, MembersImportService],
  exports: [MembersImportService],
})
export class MembersModule {}
