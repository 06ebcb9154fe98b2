import {
  ConflictException,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { LoadConnectionError, LoadInProgressError, UnknownJobError } from './errors';
import { LoadRun } from './load-run';
import { LoadRunner, RunOptions } from './load-runner.service';
import { LoadRunsRepository } from './load-runs.repository';

/** The HTTP face of the runs: a failed run is a 422 carrying its record, a refused one a 409. */
@Injectable()
export class LoadsService {
  constructor(
    private readonly runner: LoadRunner,
    private readonly runs: LoadRunsRepository,
  ) {}

  async trigger(job: string, options: RunOptions): Promise<LoadRun> {
    let run: LoadRun;
    try {
      run = await this.runner.run(job, options);
    } catch (error) {
      if (error instanceof LoadInProgressError) throw new ConflictException(error.message);
      if (error instanceof UnknownJobError) throw new NotFoundException(error.message);
      if (error instanceof LoadConnectionError) {
        throw new ServiceUnavailableException(error.message);
      }
      throw error;
    }
    if (run.outcome === 'failed') {
      throw new UnprocessableEntityException({ message: run.error, load: run });
    }
    return run;
  }

  list(query: { job?: string; limit: number; offset: number }) {
    return this.runs.list(query);
  }

  async find(id: number): Promise<LoadRun> {
    const run = await this.runs.find(id);
    if (!run) throw new NotFoundException(`no load run #${id}`);
    return run;
  }
}
