import { Module } from '@nestjs/common';
import { GeneratorRepository } from './generator.repository';
import { GeneratorService } from './generator.service';

@Module({ providers: [GeneratorService, GeneratorRepository], exports: [GeneratorService] })
export class GeneratorModule {}
