import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CreativeEntity } from './creative.entity';

@Injectable()
export class CreativesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get creatives() {
    return this.dataSource.getRepository(CreativeEntity);
  }

  find(bannerId: number): Promise<CreativeEntity | null> {
    return this.creatives.findOne({ where: { bannerId } });
  }

  async save(bannerId: number, content: Buffer, uploadedBy: string): Promise<CreativeEntity> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    await this.creatives.upsert({ bannerId, content, sha256, uploadedBy, uploadedAt: new Date() }, [
      'bannerId',
    ]);
    return (await this.find(bannerId))!;
  }
}
