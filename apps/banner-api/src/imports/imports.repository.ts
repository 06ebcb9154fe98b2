import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ImportEntity } from './import.entity';

/** The import history (the imports themselves run in import-transaction.ts, on the import thread). */
@Injectable()
export class ImportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get imports() {
    return this.dataSource.getRepository(ImportEntity);
  }

  async page(limit: number, offset: number): Promise<{ total: number; items: ImportEntity[] }> {
    const [items, total] = await this.imports.findAndCount({
      order: { id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { total, items };
  }

  async hasAccepted(): Promise<boolean> {
    return this.imports.exists({ where: { status: 'accepted' } });
  }

  /** Records an attempt refused before it reached the import thread (nothing of it is stored). */
  recordAttempt(attempt: Partial<ImportEntity>): Promise<ImportEntity> {
    return this.imports.save(this.imports.create(attempt));
  }
}
