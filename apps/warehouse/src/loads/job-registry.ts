import { Injectable } from '@nestjs/common';
import { UnknownJobError } from './errors';
import { WarehouseJob } from './warehouse-job';

/** The warehouse's jobs by name; each job's module registers its job at start-up. */
@Injectable()
export class JobRegistry {
  private readonly jobs = new Map<string, WarehouseJob>();

  register(job: WarehouseJob): void {
    if (this.jobs.has(job.name)) throw new Error(`warehouse job ${job.name} registered twice`);
    this.jobs.set(job.name, job);
  }

  get(name: string): WarehouseJob {
    const job = this.jobs.get(name);
    if (!job) throw new UnknownJobError(name, this.names());
    return job;
  }

  all(): WarehouseJob[] {
    return [...this.jobs.values()];
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }
}
