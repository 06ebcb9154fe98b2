import { BadRequestException } from '@nestjs/common';

/** Deepest nesting of objects and arrays a request's JSON may have; real documents stay far below. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether `text` nests objects or arrays deeper than `maxDepth`, found with one pass over the
 * characters (strings skipped), so a 20,000-deep document is refused before `JSON.parse` and the
 * validators ever recurse into it.
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Parses a request body as JSON: 400 for a document nested too deep or not JSON at all. */
export function parseJsonBody(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (exceedsJsonDepth(text, maxDepth)) {
    throw new BadRequestException(`The JSON body nests deeper than ${maxDepth} levels`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // JSON.parse's message says where ("Unexpected token } in JSON at position 12"); no internals.
    throw new BadRequestException(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** Whether a Content-Type header names JSON in UTF-8 (the only charset JSON allows on the wire). */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [mediaType, ...parameters] = header.split(';').map((part) => part.trim());
  if (!JSON_MEDIA_TYPE.test(mediaType)) return false;
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(parameter)?.[1])
    .find((value) => value !== undefined);
  return charset === undefined || /^utf-?8$/i.test(charset);
}
