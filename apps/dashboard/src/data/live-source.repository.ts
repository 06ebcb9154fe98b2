import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { DashboardConfig } from '../config';

/** Thrown when the live source cannot deliver a response; says which URL and why. */
export class LiveSourceError extends Error {
  override name = 'LiveSourceError';
}

class RetryableError extends LiveSourceError {}

/** The source answered 404: it does not carry this country (a refresh keeps the stored data). */
export class NotAtSourceError extends LiveSourceError {
  override name = 'NotAtSourceError';
}

/** Fetches from the covid19api.com-format service at COVID_API_URL, with a timeout and retries. */
@Injectable()
export class LiveSourceRepository {
  constructor(@Inject(APP_CONFIG) private readonly config: DashboardConfig) {}

  /** `GET {COVID_API_URL}/country/{slug}/status/{status}` as parsed JSON (not yet validated). */
  async countryStatus(slug: string, status: string): Promise<unknown> {
    const base = this.config.COVID_API_URL!.replace(/\/+$/, '');
    return this.getJson(`${base}/country/${encodeURIComponent(slug)}/status/${status}`);
  }

  private async getJson(url: string): Promise<unknown> {
    const { COVID_API_RETRIES: retries, COVID_API_RETRY_DELAY_MS: delay } = this.config;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(url);
      } catch (error) {
        if (error instanceof NotAtSourceError) throw error;
        if (!(error instanceof RetryableError) || attempt >= retries) {
          const tries = attempt + 1;
          throw new LiveSourceError(
            `${(error as Error).message} (after ${tries} attempt${tries > 1 ? 's' : ''})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, delay * 2 ** attempt));
      }
    }
  }

  private async attempt(url: string): Promise<unknown> {
    const timeout = this.config.COVID_API_TIMEOUT_MS;
    let response: Response;
    try {
      // The signal also bounds reading the body, so a stalled stream times out too.
      response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeout),
      });
      if (response.status === 429 || response.status >= 500) {
        throw new RetryableError(`GET ${url}: HTTP ${response.status}`);
      }
      if (response.status === 404) throw new NotAtSourceError(`GET ${url}: HTTP 404`);
      if (!response.ok) throw new LiveSourceError(`GET ${url}: HTTP ${response.status}`);
      const text = await response.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new LiveSourceError(`GET ${url}: response is not JSON`);
      }
    } catch (error) {
      if (error instanceof LiveSourceError) throw error;
      const name = (error as Error).name;
      const reason =
        name === 'TimeoutError' ? `timed out after ${timeout} ms` : describeNetworkError(error);
      throw new RetryableError(`GET ${url}: ${reason}`);
    }
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
