import { SetMetadata } from '@nestjs/common';

export const BODY_LIMIT = 'des:body-limit';

/** Bytes a request body may have unless its route says otherwise with `@BodyLimit()`. */
export const DEFAULT_BODY_LIMIT = 100 * 1024;

/**
 * The largest body a route accepts, in bytes (default 100 KB); a bigger one is refused with 413
 * before it is read whole. For the few routes that take large documents.
 */
export const BodyLimit = (bytes: number) => SetMetadata(BODY_LIMIT, bytes);
