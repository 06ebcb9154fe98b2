import { Module } from '@nestjs/common';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';

@Module({ controllers: [ItemsController], providers: [ItemsService, ItemsRepository] })
export class ItemsModule {}
