import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { strictValidationPipe } from '@des/shared';
import { FastifyRequest } from 'fastify';
import { ImportFieldsDto } from './dto/import-fields.dto';

export interface Upload {
  fields: ImportFieldsDto;
  files: Array<{ fileName: string; content: Buffer }>;
}

/** Reads a multipart body whole (form fields may come after the files) and validates its fields. */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new BadRequestException(
      'Send the CSV files as multipart/form-data (field "file"), with optional "kind" and "quarter" fields',
    );
  }
  const raw: Record<string, string> = {};
  const files: Upload['files'] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file')
        files.push({ fileName: part.filename, content: await part.toBuffer() });
      else raw[part.fieldname] = String(part.value);
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 413)
      throw new PayloadTooLargeException((error as Error).message);
    throw new BadRequestException(`Malformed multipart body: ${(error as Error).message}`);
  }
  if (!files.length)
    throw new BadRequestException('No file in the upload: attach at least one CSV file');
  const fields = (await strictValidationPipe().transform(raw, {
    type: 'body',
    metatype: ImportFieldsDto,
  })) as ImportFieldsDto;
  return { fields, files };
}
