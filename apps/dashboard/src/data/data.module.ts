import { Module } from '@nestjs/common';
import { CovidDataService } from './covid-data.service';
import { LiveSourceRepository } from './live-source.repository';
import { ObservationsRepository } from './observations.repository';
import { SnapshotRepository } from './snapshot.repository';

/** The data behind every route: snapshot load, live refresh, in-memory series index. */
@Module({
  providers: [CovidDataService, SnapshotRepository, ObservationsRepository, LiveSourceRepository],
  exports: [CovidDataService],
})
export class DataModule {}
