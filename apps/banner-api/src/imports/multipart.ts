import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { strictValidationPipe } from '@des/shared';
import { FastifyRequest } from 'fastify';
import { ImportFieldsDto } from './dto/import-fields.dto';

export interface ReceivedFile {
  /** Sanitised: safe to store, log and show. */
  fileName: string;
  path: string;
}

export interface Upload {
  fields: ImportFieldsDto;
  files: ReceivedFile[];
  /** Removes the temporary files. */
  cleanup(): Promise<void>;
}

/**
 * A client's file name as we keep it: the last path segment, control characters and anything
 * outside letters, digits, `.`, `_`, `-` and space replaced by `_`, at most 100 characters.
 */
export function safeFileName(raw: string | undefined): string {
  const last = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .trim()
    .slice(0, 100);
  return cleaned.replace(/^\.+/, '') || 'upload.csv';
}

/**
 * Reads a multipart body, streaming each file to a temporary file (memory bounded whatever the
 * size; form fields may come after the files), and validates its fields. A file over the limit is
 * a 413 that names the limit and the variable that sets it.
 */
export async function readUpload(request: FastifyRequest, maxUploadMb: number): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new BadRequestException(
      'Send the CSV files as multipart/form-data (field "file"), with optional "kind", "quarter" and "strict" fields',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'banner-upload-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const raw: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  const tooLarge = (fileName: string) =>
    new PayloadTooLargeException(
      `${fileName} is larger than the upload limit of ${maxUploadMb} MB per file (BANNER_MAX_UPLOAD_MB); nothing stored`,
    );
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') {
        raw[part.fieldname] = String(part.value);
        continue;
      }
      const fileName = safeFileName(part.filename);
      const path = join(dir, String(files.length));
      try {
        await pipeline(part.file, createWriteStream(path));
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 413) throw tooLarge(fileName);
        throw error;
      }
      if (part.file.truncated) throw tooLarge(fileName);
      files.push({ fileName, path });
    }
  } catch (error) {
    await cleanup();
    if (error instanceof PayloadTooLargeException) throw error;
    if ((error as { statusCode?: number }).statusCode === 413)
      throw new PayloadTooLargeException(
        `The upload exceeds a limit (${maxUploadMb} MB per file, BANNER_MAX_UPLOAD_MB; at most 24 files): ${(error as Error).message}`,
      );
    throw new BadRequestException(`Malformed multipart body: ${(error as Error).message}`);
  }
  if (!files.length) {
    await cleanup();
    throw new BadRequestException('No file in the upload: attach at least one CSV file');
  }
  try {
    const fields = (await strictValidationPipe().transform(raw, {
      type: 'body',
      metatype: ImportFieldsDto,
    })) as ImportFieldsDto;
    return { fields, files, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
