import { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;
interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: unknown;
}
interface Operation {
  summary?: string;
  responses?: Record<string, { content?: Record<string, Media> }>;
  requestBody?: { content?: Record<string, Media> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
/** Success answers that have no body by definition. */
const BODILESS = new Set(['204', '205', '304']);

function resolve(document: OpenAPIObject, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  return (document.components?.schemas?.[name] as Schema | undefined) ?? {};
}

/** Whether a schema shows a value: its own example, or one of its items' or properties'. */
function hasExample(document: OpenAPIObject, schema: Schema | undefined, depth = 0): boolean {
  if (!schema || depth > 8) return false;
  const resolved = resolve(document, schema);
  if (resolved.example !== undefined || resolved.examples !== undefined) return true;
  const parts = [
    ...((resolved.allOf ?? resolved.oneOf ?? resolved.anyOf ?? []) as Schema[]),
    ...(resolved.items ? [resolved.items as Schema] : []),
    ...Object.values((resolved.properties ?? {}) as Record<string, Schema>),
  ];
  return parts.some((part) => hasExample(document, part, depth + 1));
}

const mediaHasExample = (document: OpenAPIObject, media: Media) =>
  media.example !== undefined || media.examples !== undefined || hasExample(document, media.schema);

/**
 * What an app's OpenAPI document leaves out, one line per gap (empty when complete): every
 * operation needs a summary; a success (2xx) answer whose body is described by a schema with an
 * example; error answers declared, each with a schema; and an example for a request body.
 */
export function openApiProblems(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const responses = Object.entries(operation.responses ?? {});
      if (!operation.summary?.trim()) problems.push(`${where}: no summary`);
      const successes = responses.filter(([status]) => status.startsWith('2'));
      if (successes.length === 0) problems.push(`${where}: no success (2xx) response`);
      for (const [status, response] of successes) {
        if (BODILESS.has(status)) continue;
        const media = Object.values(response.content ?? {});
        if (!media.some((entry) => entry.schema)) {
          problems.push(`${where}: ${status} response has no schema`);
        } else if (!media.some((entry) => mediaHasExample(document, entry))) {
          problems.push(`${where}: ${status} response has no example`);
        }
      }
      const errors = responses.filter(([status]) => /^[45]/.test(status));
      if (errors.length === 0) problems.push(`${where}: no error responses declared`);
      for (const [status, response] of errors) {
        if (!Object.values(response.content ?? {}).some((entry) => entry.schema)) {
          problems.push(`${where}: ${status} response has no schema`);
        }
      }
      const body = Object.values(operation.requestBody?.content ?? {});
      if (body.length > 0 && !body.some((entry) => mediaHasExample(document, entry))) {
        problems.push(`${where}: request body has no example`);
      }
    }
  }
  return problems;
}
