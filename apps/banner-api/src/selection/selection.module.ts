import { Module } from '@nestjs/common';
import { SelectionRepository } from './selection.repository';
import { SelectionStore } from './selection.store';

/** The in-memory selections every replica serves, kept current through LISTEN/NOTIFY. */
@Module({
  providers: [SelectionRepository, SelectionStore],
  exports: [SelectionStore],
})
export class SelectionModule {}
