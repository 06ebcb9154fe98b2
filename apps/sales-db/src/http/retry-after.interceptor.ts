import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { retryAfterOf } from '../database/pg-errors';

/** Puts `Retry-After` on answers to errors that say when to retry (503 database busy). */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const retryAfter = retryAfterOf(error);
        if (retryAfter !== undefined) {
          context
            .switchToHttp()
            .getResponse<{ setHeader(name: string, value: string): void }>()
            .setHeader('Retry-After', String(retryAfter));
        }
        return throwError(() => error);
      }),
    );
  }
}
